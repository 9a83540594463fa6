"""The export pages: start an export from a list's buttons, watch its progress, download the file."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.reports import exports
from pocketbook.reports.export_files import export_path
from pocketbook.reports.export_models import ExportJob, ExportStatus

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _job_or_404(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> ExportJob:
    try:
        return exports.export_job_get(viewer=request.user, public_id=public_id)
    except ExportJob.DoesNotExist as missing:
        raise Http404 from missing


@login_required
@require_POST
def export_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start an export of a list under the filters the page posted, then show its progress."""
    try:
        job = exports.export_start(
            actor=request.user,
            list_key=request.POST.get("list", ""),
            file_format=request.POST.get("format", ""),
            filters=exports.filters_posted(request.POST),
        )
    except exports.ExportRefused as refused:
        raise PermissionDenied from refused
    return redirect("reports:export_detail", public_id=job.public_id)


def _context(request: AuthenticatedHttpRequest, job: ExportJob) -> dict[str, object]:
    return {
        "job": job,
        "list_label": job.list_label,
        "expired": exports.export_is_expired(job),
        "done": job.status == ExportStatus.DONE,
    }


@login_required
@require_GET
def export_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One export: its progress bar while it is written, then the download link until it expires."""
    job = _job_or_404(request, public_id)
    context = _context(request, job)
    if request.htmx:
        return render(request, "reports/exports/_progress.html", context)
    return render(
        request,
        "reports/exports/detail.html",
        {**context, "recent": exports.export_jobs_recent(viewer=request.user)},
    )


@login_required
@require_GET
def export_download(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    """The file, to its owner only (404 for anyone else); 410 with a message once the link has expired."""
    job = _job_or_404(request, public_id)
    if exports.export_is_expired(job):
        return render(request, "reports/exports/expired.html", {"job": job}, status=410)
    if job.status != ExportStatus.DONE or not job.file_name:
        raise Http404
    path = export_path(job)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=exports.export_download_name(job),
        content_type=CONTENT_TYPES[job.format],
    )
