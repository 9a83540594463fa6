"""Background work of reports: write an export's file, delete expired exports."""

from __future__ import annotations

from django_tasks import task

from pocketbook.reports.export_files import export_write, exports_expire


@task()
def export_write_task(job_id: int) -> str:
    """Write one export job's file (a job already written is left alone)."""
    return export_write(job_id=job_id).status


@task()
def exports_expire_task() -> int:
    """Delete the files of expired exports (run it every hour)."""
    return exports_expire()
