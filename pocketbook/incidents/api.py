"""Incidents over the API: list, one with its timeline, open one, change its status. Area-scoped."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.core.api import MAX_OFFSET, ObjectBody, require_permission
from pocketbook.core.api_types import ApiHotlinePhone, ApiLatitude, ApiLongitude
from pocketbook.incidents import selectors, services
from pocketbook.incidents.choices import OPEN_STATUSES, Channel, IncidentType, Priority
from pocketbook.incidents.choices import Status as IncidentStatus
from pocketbook.incidents.display import describe
from pocketbook.incidents.models import Incident

router = Router(tags=["incidents"])

if TYPE_CHECKING:  # a Literal made from the choices at run time is no type mypy can read: to it, each is a str
    IncidentTypeValue = str
    ChannelValue = str
    PriorityValue = str
    StatusValue = str
else:  # the schemas validate, and the OpenAPI document lists, the choices' values
    IncidentTypeValue = Literal[tuple(IncidentType.values)]
    ChannelValue = Literal[tuple(Channel.values)]
    PriorityValue = Literal[tuple(Priority.values)]
    StatusValue = Literal[tuple(IncidentStatus.values)]


class IncidentOut(Schema):
    id: int
    number: str = Field(description="Readable number, for example ESS-2569-000123")
    incident_type: str
    priority: str
    channel: str
    status: str
    area_code: str
    location_to_confirm: bool
    latitude: float | None
    longitude: float | None
    unit_id: int | None
    unit: str
    is_overdue: bool
    received_at: datetime
    merged_into: str | None = Field(description="Number of the incident this one duplicates")


class IncidentEventOut(Schema):
    kind: str
    text: str
    params: dict
    actor: str
    time: datetime


class IncidentDetailOut(IncidentOut):
    description: str
    people_involved: str
    address_text: str
    reporter: str = Field(description="Who reported it; 'anonymous' hides them")
    reporter_phone: str
    outcome: str
    timeline: list[IncidentEventOut]


class IncidentFilters(Schema):
    status: list[StatusValue] | None = Field(None, description="Statuses; default: the open ones")
    area_code: str = Field("", pattern=r"^(\d{2}|\d{4}|\d{6}|\d{8})?$")
    overdue: bool = False
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class IncidentIn(ObjectBody, Schema):
    incident_type: IncidentTypeValue
    channel: ChannelValue = Channel.STAFF.value
    description: str = Field("", max_length=4000)
    people_involved: str = Field("", max_length=2000)
    latitude: ApiLatitude | None = None
    longitude: ApiLongitude | None = None
    address_text: str = Field("", max_length=1000)
    area_code: str = Field("", pattern=r"^(\d{2}|\d{4}|\d{6}|\d{8})?$")
    priority: PriorityValue | None = None
    reporter_phone: ApiHotlinePhone = ""
    reporter_name: str = Field("", max_length=200)
    is_anonymous: bool = False


class StatusIn(ObjectBody, Schema):
    status: StatusValue
    note: str = Field("", max_length=4000)
    outcome: str = Field("", max_length=4000)


def _fields(incident: Incident) -> dict:
    return {
        "id": incident.pk,
        "number": incident.number,
        "incident_type": incident.incident_type,
        "priority": incident.priority,
        "channel": incident.channel,
        "status": incident.status,
        "area_code": incident.area_code,
        "location_to_confirm": incident.location_to_confirm,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "unit_id": incident.unit_id,
        "unit": str(incident.unit) if incident.unit else "",
        "is_overdue": incident.is_overdue,
        "received_at": incident.received_at,
        "merged_into": incident.merged_into.number if incident.merged_into else None,
    }


def _detail(request: HttpRequest, incident: Incident) -> IncidentDetailOut:
    selectors.incident_reporter_read(incident=incident, viewer=request.user)
    timeline = [
        IncidentEventOut(kind=e.kind, text=describe(e), params=e.params, actor=e.actor_name or "system", time=e.time)
        for e in selectors.incident_timeline(viewer=request.user, incident=incident)
    ]
    return IncidentDetailOut(
        **_fields(incident),
        description=incident.description,
        people_involved=incident.people_involved,
        address_text=incident.address_text,
        reporter="anonymous" if incident.is_anonymous else incident.reporter_label(),
        reporter_phone="" if incident.is_anonymous else incident.reporter_phone,
        outcome=incident.outcome,
        timeline=timeline,
    )


@router.get("/incidents", response=list[IncidentOut], summary="Incidents in your areas, overdue first")
def incident_list(request: AuthenticatedHttpRequest, filters: Query[IncidentFilters]):
    require_permission(request, "incidents.view_incident")
    incidents = selectors.incident_list(
        viewer=request.user,
        statuses=filters.status or OPEN_STATUSES,
        area_code=filters.area_code,
        overdue_only=filters.overdue,
    )
    return [IncidentOut(**_fields(i)) for i in incidents[filters.offset : filters.offset + filters.limit]]


@router.get("/incidents/{incident_id}", response=IncidentDetailOut, summary="One incident with its timeline")
def incident_detail(request: AuthenticatedHttpRequest, incident_id: int):
    return _detail(request, selectors.incident_get(viewer=request.user, pk=incident_id))


@router.post("/incidents", response={201: IncidentDetailOut}, summary="Open an incident (routed to its unit)")
def incident_create(request: AuthenticatedHttpRequest, payload: IncidentIn):
    require_permission(request, "incidents.add_incident")
    user = request.user
    code = payload.area_code
    incident = services.incident_open(
        incident_type=payload.incident_type,
        channel=payload.channel,
        description=payload.description,
        people_involved=payload.people_involved,
        latitude=None if payload.latitude is None else float(payload.latitude),
        longitude=None if payload.longitude is None else float(payload.longitude),
        address_text=payload.address_text,
        area_code=code,
        priority=payload.priority,
        reporter_phone=payload.reporter_phone,
        reporter_name=payload.reporter_name,
        is_anonymous=payload.is_anonymous,
        actor=user,
    )
    # Answer with what was created even when routing sent it to a unit outside the caller's areas:
    # a 404 here would make a client retry and open the same emergency twice.
    return Status(201, _detail(request, incident))


@router.post("/incidents/{incident_id}/status", response=IncidentDetailOut, summary="Change an incident's status")
def incident_status(request: AuthenticatedHttpRequest, incident_id: int, payload: StatusIn):
    require_permission(request, "incidents.change_incident")
    incident = selectors.incident_get(viewer=request.user, pk=incident_id, action="change")
    if payload.status == IncidentStatus.ACKNOWLEDGED and incident.status == IncidentStatus.RECEIVED:
        services.incident_acknowledge(incident=incident, actor=request.user)
    else:
        services.incident_status_change(
            incident=incident, status=payload.status, actor=request.user, note=payload.note, outcome=payload.outcome
        )
    return _detail(request, selectors.incident_get(viewer=request.user, pk=incident_id))
