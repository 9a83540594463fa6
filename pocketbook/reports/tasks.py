"""Background work of reports: write an export's file, delete expired exports, rebuild counters after an import."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from pocketbook.households.models import ImportRun
from pocketbook.reports.export_files import export_write, exports_expire
from pocketbook.reports.household_counts import rebuild_all


@task()
def export_write_task(job_id: int) -> str:
    """Write one export job's file (a job already written is left alone)."""
    return export_write(job_id=job_id).status


@task()
def exports_expire_task() -> int:
    """Delete the files of expired exports (run it every hour)."""
    return exports_expire()


@task()
def household_counters_rebuild_task() -> None:
    """Rebuild the households and poverty counters (set-based; running it twice gives the same counters)."""
    rebuild_all()


def on_households_imported(run: ImportRun) -> None:
    """An import wrote households in bulk, past the per-household listeners: rebuild once it has committed."""
    if run.households_created or run.households_updated:
        transaction.on_commit(household_counters_rebuild_task.enqueue)
