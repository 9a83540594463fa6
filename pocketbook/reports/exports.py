"""Export jobs: start one (checked and audited), let its owner see and fetch it.

The lists and their columns come from the apps that own them (`pocketbook.core.exports`); the file is
written by a task (`tasks.export_write_task` → `export_files.export_write`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change
from pocketbook.core.exports import FORMATS, ListExport, export_get
from pocketbook.reports.export_models import ExportJob, ExportStatus
from pocketbook.reports.tasks import export_write_task, exports_expire_task

FILTER_PREFIX = "f_"  # the export buttons send the page's filters as f_<name>


class ExportRefused(Exception):
    """The user may not export this list (or the list or format does not exist)."""


def filters_posted(data: Mapping[str, str]) -> dict[str, str]:
    """The page's filters as the export buttons post them (f_<name>), without the prefix."""
    return {name.removeprefix(FILTER_PREFIX): value for name, value in data.items() if name.startswith(FILTER_PREFIX)}


def _export_for(actor: User, list_key: str, file_format: str) -> ListExport:
    export = export_get(list_key)
    if export is None or file_format not in FORMATS or not export.allowed(actor):
        raise ExportRefused(list_key)
    return export


@transaction.atomic
def export_start(
    *, actor: User, list_key: str, file_format: str, filters: Mapping[str, str], iso_dates: bool = False
) -> ExportJob:
    """Queue an export of a list the actor may export, under the page's filters; the file is written by a task.

    Dates are written in the Buddhist Era in a Thai export and in ISO 8601 in an English one or through the
    API (`iso_dates`). Refused (ExportRefused, nothing written) when the actor may not export the list:
    analysts see aggregates only and hold no list permission.
    """
    export = _export_for(actor, list_key, file_format)
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    job = ExportJob.objects.create(
        user=actor,
        list_key=export.key,
        filters=export.filters_from(filters),
        format=file_format,
        language=language,
        buddhist_era=language == "th" and not iso_dates,
        expires_at=timezone.now() + dt.timedelta(hours=settings.EXPORT_EXPIRY_HOURS),
    )
    record_change(obj=job, action=Action.CREATE, actor=actor)
    transaction.on_commit(lambda: export_write_task.enqueue(job_id=job.pk))
    # Every new export sweeps the expired files away, so they go without a scheduler (the task is idempotent;
    # `pocketbook expire_exports` from cron does the same for an office that exports rarely).
    transaction.on_commit(exports_expire_task.enqueue)
    return job


def export_job_get(*, viewer: AnyUser, public_id: Any) -> ExportJob:
    """One export job of the viewer's own; ExportJob.DoesNotExist for anyone else's (answered as missing)."""
    if not viewer.is_authenticated:
        raise ExportJob.DoesNotExist
    return ExportJob.objects.get(public_id=public_id, user_id=viewer.pk)


def export_jobs_recent(*, viewer: AnyUser, limit: int = 10) -> list[ExportJob]:
    """The viewer's latest export jobs."""
    if not viewer.is_authenticated:
        return []
    return list(ExportJob.objects.filter(user_id=viewer.pk)[:limit])


def export_is_expired(job: ExportJob, *, now: dt.datetime | None = None) -> bool:
    """Whether the job's link has expired (its file is then gone or about to go)."""
    return job.status == ExportStatus.EXPIRED or (now or timezone.now()) >= job.expires_at


def export_download_name(job: ExportJob) -> str:
    """The file name the browser saves: list, local date and time, format."""
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    return f"{job.list_key}-{stamp}.{job.format}"


EXPIRED_MESSAGE = _("This export has expired and its file was deleted. Export the list again.")
