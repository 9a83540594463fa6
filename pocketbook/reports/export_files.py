"""Write an export job's file, streamed, and delete expired files (run by tasks and commands).

A `values_list` queryset read with `.iterator()` goes into a CSV (csv module) or an XLSX (XlsxWriter in
constant-memory mode, its rows serialised by `xlsx_rows.StreamingSheet`) a row at a time, so a million rows
never sit in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pocketbook.audit.models import Action
from pocketbook.audit.services import record_access, record_change, snapshot
from pocketbook.core.exports import ListExport, export_get, exports_all, row_writer
from pocketbook.reports.export_models import ExportJob, ExportStatus
from pocketbook.reports.xlsx_rows import StreamingSheet

logger = logging.getLogger(__name__)

TOO_MANY_FOR_EXCEL = _("Too many rows for one Excel sheet (at most 1,048,575): export as CSV, or narrow the filters.")

CHUNK_SIZE = 5_000  # rows fetched per round trip
XLSX_MAX_ROWS = 1_048_575  # a worksheet holds 1,048,576 rows, the header included
PROGRESS_EVERY = 20_000  # rows between two progress writes


def exports_dir() -> Path:
    """Where export files are kept (settings.EXPORTS_DIR), made on first use."""
    path = Path(settings.EXPORTS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_path(job: ExportJob) -> Path:
    """The job's file on disk."""
    return exports_dir() / job.file_name


def export_write(*, job_id: int) -> ExportJob:
    """Write a queued job's file, streamed, updating its progress; run twice, the second run changes nothing.

    The rows are read as the job's user sees them now (scope and permissions); a user who lost the permission
    meanwhile gets a failed job and no file.
    """
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return job
    export = export_get(job.list_key)
    if export is None or not export.allowed(job.user):
        return _finish(job, status=ExportStatus.FAILED)
    # Claim the job: of two workers given the same job, only one writes it.
    if not ExportJob.objects.filter(pk=job.pk, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING):
        return job
    job.status = ExportStatus.RUNNING
    try:
        with translation.override(job.language):
            rows = export.rows(job.user, job.filters)
            job.rows_total = rows.count() if isinstance(rows, QuerySet) else len(rows)
            ExportJob.objects.filter(pk=job.pk).update(rows_total=job.rows_total)
            if job.format == "xlsx" and job.rows_total > XLSX_MAX_ROWS:
                job.error = str(TOO_MANY_FOR_EXCEL)
                return _finish(job, status=ExportStatus.FAILED)
            file_name = f"{job.public_id}.{job.format}"
            path = exports_dir() / file_name
            writer = _write_xlsx if job.format == "xlsx" else _write_csv
            stream = rows.iterator(chunk_size=CHUNK_SIZE) if isinstance(rows, QuerySet) else iter(rows)
            header = export.header(job.user, job.filters) if export.header else _header(export)
            job.rows_done = writer(job, export, stream, path, header)
    except Exception:
        logger.exception("export %s failed", job.pk)
        (exports_dir() / f"{job.public_id}.{job.format}").unlink(missing_ok=True)  # no half-written file stays
        return _finish(job, status=ExportStatus.FAILED)
    job.file_name = file_name
    return _finish(job, status=ExportStatus.DONE, export=export)


def _finish(job: ExportJob, *, status: str, export: ListExport | None = None) -> ExportJob:
    """Close the job and write the audit entry: who, which list, which filters, how many rows."""
    with transaction.atomic():
        before = snapshot(job)
        job.status = status
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at", "rows_done", "rows_total", "file_name", "error"])
        record_change(obj=job, action=Action.UPDATE, actor=job.user, before=before)
        if export is not None and export.personal:
            # One access-log entry for the whole file (a row per person would double a million-row export).
            record_access(obj=job, actor=job.user, purpose=f"export {job.list_key}: {job.rows_done} rows")
    return job


def _header(export: ListExport) -> list[str]:
    return [str(column.label) for column in export.columns]


def _progress(job: ExportJob, done: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(rows_done=done)


def _write_csv(job: ExportJob, export: ListExport, rows: Any, path: Path, header: list[str]) -> int:
    """Write a CSV in UTF-8 with a byte-order mark (so Excel reads the Thai), one row at a time."""
    done = 0
    convert = row_writer(export, buddhist_era=job.buddhist_era)
    with path.open("w", newline="", encoding="utf-8-sig", buffering=1 << 20) as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow(convert(row))
            done += 1
            if done % PROGRESS_EVERY == 0:
                _progress(job, done)
    return done


def _write_xlsx(job: ExportJob, export: ListExport, rows: Any, path: Path, header: list[str]) -> int:
    """Write an XLSX with XlsxWriter in constant-memory mode (each row goes to disk once written).

    The rows go through `StreamingSheet.write_plain_row` (the same XML as XlsxWriter's `write_row`, several
    times faster); text is never taken for a formula, a number or a link (the cells are neutralised besides).
    """
    done = 0
    convert = row_writer(export, buddhist_era=job.buddhist_era)
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False, "tmpdir": str(path.parent)}  # fmt: skip
    workbook = xlsxwriter.Workbook(str(path), options)
    try:
        sheet = workbook.add_worksheet(_sheet_name(export), worksheet_class=StreamingSheet)
        sheet.write_row(0, 0, header)
        write = sheet.write_plain_row
        for row in rows:
            done += 1
            write(done, convert(row))
            if done % PROGRESS_EVERY == 0:
                _progress(job, done)
    finally:
        workbook.close()
    return done


def _sheet_name(export: ListExport) -> str:
    """The list's label as a sheet name: Excel refuses []:*?/\\ in one, and more than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(export.label))[:31].strip() or "Sheet1"


def exports_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of expired jobs and mark them expired; return how many. Safe to run any time."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(status=ExportStatus.EXPIRED):
        if job.file_name:
            export_path(job).unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file_name="")
        count += 1
    return count


def personal_exports_withdraw(member_ids: Sequence[int]) -> None:
    """Erasure's part in reports: every export of people made before it may hold the person, so all expire now.

    Their links answer "expired" from this moment (even one still being written), and their files are deleted
    once the erasure commits. Exports of figures only (`personal=False`) stay.
    """
    if not member_ids:
        return
    personal = [export.key for export in exports_all() if export.personal]
    now = timezone.now()
    withdrawn = (
        ExportJob.objects.filter(list_key__in=personal, expires_at__gt=now)
        .exclude(status=ExportStatus.EXPIRED)
        .update(expires_at=now)
    )
    if withdrawn:
        logger.info("erasure of %s member(s): %s personal export(s) withdrawn", len(member_ids), withdrawn)
        transaction.on_commit(exports_expire)
