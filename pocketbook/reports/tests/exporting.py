"""Exports in tests: start one as the page would and write it at once, read the file it wrote, post the form."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from pocketbook.reports.export_files import export_path, export_write
from pocketbook.reports.export_models import ExportJob
from pocketbook.reports.exports import export_start

OTHER_PROVINCE_VILLAGE = "50010101"


def export_now(user: Any, list_key: str, file_format: str = "csv", *, iso: bool = False, **filters: str) -> ExportJob:
    """Start an export as the page would and write it at once (the task's work)."""
    job = export_start(actor=user, list_key=list_key, file_format=file_format, filters=filters, iso_dates=iso)
    return export_write(job_id=job.pk)


def csv_rows(job: ExportJob) -> list[list[str]]:
    return list(csv.reader(io.StringIO(export_path(job).read_text(encoding="utf-8-sig"))))


def xlsx_rows(job: ExportJob) -> list[list[Any]]:
    sheet = load_workbook(export_path(job), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def post_export(client: Any, list_key: str, file_format: str = "csv", **filters: str) -> Any:
    """Press an export button: post the list, the format and the page's filters (`f_<name>`)."""
    data = {"list": list_key, "format": file_format, **{f"f_{name}": value for name, value in filters.items()}}
    return client.post(reverse("reports:export_create"), data)
