"""The writes of an import run: its record, opened before the first row and closed with the counts.

The audit trail holds one entry per run (its creation: who imported which file, when), not one per household or
member: each household and member the run creates or changes points at the run (`import_run`), and its timeline
entries carry the run's id, so every imported record traces back to the run and from there to the audit entry.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change
from pocketbook.households.importer.writer import Counts
from pocketbook.households.listeners import households_imported_notify
from pocketbook.households.models import ImportRun


@transaction.atomic
def import_run_start(*, actor: User | None, file_name: str, with_consent: bool) -> ImportRun:
    """Record that `actor` begins importing `file_name`: the run every written record will point at."""
    run = ImportRun.objects.create(actor=actor, file_name=file_name[:255], with_consent=with_consent)
    record_change(obj=run, action=Action.CREATE, actor=actor)
    return run


@transaction.atomic
def import_run_finish(*, run: ImportRun, counts: Counts, rows_read: int) -> ImportRun:
    """Store what the run did and tell the listeners. Part of the run's one audit entry: its counts are its record."""
    run.finished_at = timezone.now()
    run.rows_read = rows_read
    for name in Counts.__dataclass_fields__:
        setattr(run, name, getattr(counts, name))
    run.save(update_fields=["finished_at", "rows_read", *Counts.__dataclass_fields__])
    households_imported_notify(run)
    return run
