"""The volunteer app's API: the caseload a phone keeps, and the outbox it sends."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.offline import selectors, services
from pocketbook.offline.models import OfflineDevice

router = Router(tags=["offline"])

DEVICE_HEADER = "HTTP_X_POCKETBOOK_DEVICE"
MAX_RECORDS = 200


class SyncIn(Schema):
    records: list[dict[str, Any]] = Field(
        ...,
        max_length=MAX_RECORDS,
        description='In order: {"id": uuid made on the phone, "kind": household_create | household_update | '
        'member_update | assessment | visit_note, "payload": {...}}',
    )


class SyncResultOut(Schema):
    id: str
    status: str = Field(description="stored, duplicate (stored before), refused (see message) or conflict")
    object_id: int | None
    message: str
    errors: dict[str, list[str]]
    server: dict[str, Any] | None


class SyncOut(Schema):
    results: list[SyncResultOut]


def _device(request: AuthenticatedHttpRequest) -> OfflineDevice:
    """The phone's device id from its header, noted as seen; a revoked or missing one is refused."""
    try:
        device_id = uuid.UUID(request.META.get(DEVICE_HEADER, ""))
    except ValueError:
        raise HttpError(400, _("The phone did not say which device it is.")) from None
    if not request.user.has_perm("households.view_household"):
        raise HttpError(403, _("Only field staff keep a caseload on their phone."))
    try:
        return services.device_seen(
            device_id=device_id, user=request.user, user_agent=request.META.get("HTTP_USER_AGENT", "")
        )
    except services.DeviceRevoked:
        raise HttpError(403, "device_revoked") from None


@router.get("/offline/caseload", response=dict[str, Any], summary="The signed-in volunteer's caseload for the phone")
def caseload(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """Only the viewer's own households; send the X-Pocketbook-Device header (a UUID the phone made)."""
    _device(request)
    return selectors.caseload_for(viewer=request.user)


@router.post("/offline/sync", response=SyncOut, summary="Store the records of a phone's outbox, each once")
def sync(request: AuthenticatedHttpRequest, body: SyncIn) -> dict[str, Any]:
    """Each record is stored once by its id; a refused one comes back with the reason and is not stored."""
    device = _device(request)
    results = [
        services.sync_record(record=record, actor=request.user, device=device).as_json() for record in body.records
    ]
    return {"results": results}
