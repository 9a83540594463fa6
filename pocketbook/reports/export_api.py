"""The exports API: start an export of a list (ISO dates), follow it, download the file (its owner only)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.core.api import ObjectBody
from pocketbook.reports import exports
from pocketbook.reports.export_files import export_path
from pocketbook.reports.export_models import ExportJob, ExportStatus
from pocketbook.reports.export_views import CONTENT_TYPES

router = Router(tags=["exports"])


class ExportIn(ObjectBody, Schema):
    list: str = Field(description="households, members, assessments, cases, referrals, assistance, incidents, ...")
    format: Literal["csv", "xlsx"] = "csv"
    filters: dict[str, str] = Field(
        default_factory=dict, description='The list page\'s filters, e.g. {"area": "9201"}'
    )


class ExportOut(Schema):
    id: uuid.UUID
    list: str
    format: str
    filters: dict[str, str]
    status: str = Field(description="queued, running, done, failed or expired")
    rows_total: int | None
    rows_done: int
    created_at: dt.datetime
    expires_at: dt.datetime
    download_url: str | None = Field(description="Set when the file is ready and not expired")


def export_out(job: ExportJob) -> ExportOut:
    ready = job.status == ExportStatus.DONE and not exports.export_is_expired(job)
    return ExportOut(
        id=job.public_id,
        list=job.list_key,
        format=job.format,
        filters=job.filters,
        status=ExportStatus.EXPIRED if exports.export_is_expired(job) else job.status,
        rows_total=job.rows_total,
        rows_done=job.rows_done,
        created_at=job.created_at,
        expires_at=job.expires_at,
        download_url=reverse("api:export_download", args=[job.public_id]) if ready else None,
    )


@router.post("/exports", response={201: ExportOut}, summary="Export a list (written in the background, ISO dates)")
def export_create(request: AuthenticatedHttpRequest, payload: ExportIn):
    try:
        job = exports.export_start(
            actor=request.user,  # API_AUTH lets only signed-in users through
            list_key=payload.list,
            file_format=payload.format,
            filters=payload.filters,
            iso_dates=True,
        )
    except exports.ExportRefused as refused:
        raise PermissionDenied from refused
    job.refresh_from_db()
    return Status(201, export_out(job))


@router.get("/exports/{export_id}", response=ExportOut, summary="One of your exports: its progress and link")
def export_detail(request: HttpRequest, export_id: uuid.UUID):
    return export_out(exports.export_job_get(viewer=request.user, public_id=export_id))


@router.get("/exports/{export_id}/download", url_name="export_download", summary="Download one of your exports")
def export_download(request: HttpRequest, export_id: uuid.UUID):
    job = exports.export_job_get(viewer=request.user, public_id=export_id)
    if exports.export_is_expired(job):
        raise HttpError(410, str(exports.EXPIRED_MESSAGE))
    path = export_path(job)
    if job.status != ExportStatus.DONE or not job.file_name or not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=exports.export_download_name(job),
        content_type=CONTENT_TYPES[job.format],
    )
