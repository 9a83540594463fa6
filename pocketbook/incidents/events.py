"""The incident timeline: every entry is written by one of these functions, called by services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pocketbook.accounts.models import User
from pocketbook.households.models import Household, HouseholdEvent
from pocketbook.households.timeline import timeline_record
from pocketbook.incidents.choices import EventKind
from pocketbook.incidents.models import Incident, IncidentEvent

# The entry an incident puts on the timeline of the household it concerns (kind registered in apps.py).
HOUSEHOLD_INCIDENT_REPORTED = "incident_reported"


def _actor_name(actor: User | None) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor.get_full_name() or actor.get_username())
    return ""


def record(*, incident: Incident, kind: str, actor: User | None = None, **params: Any) -> IncidentEvent:
    """Append one entry to the incident's timeline."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return IncidentEvent.objects.create(
        incident=incident,
        kind=kind,
        params=params,
        actor=actor if is_user else None,
        actor_name=_actor_name(actor),
        time=timezone.now(),
    )


def incident_opened(*, incident: Incident, actor: User | None) -> IncidentEvent:
    return record(
        incident=incident,
        kind=EventKind.OPENED,
        actor=actor,
        channel=incident.channel,
        incident_type=incident.incident_type,
        priority=incident.priority,
    )


def incident_routed(*, incident: Incident, actor: User | None, method: str) -> IncidentEvent:
    return record(
        incident=incident,
        kind=EventKind.ROUTED,
        actor=actor,
        unit_id=incident.unit_id,
        unit=str(incident.unit) if incident.unit else "",
        area_code=incident.area_code,
        method=method,
        location_to_confirm=incident.location_to_confirm,
    )


def status_changed(*, incident: Incident, actor: User, old: str, new: str, note: str = "") -> IncidentEvent:
    return record(incident=incident, kind=EventKind.STATUS_CHANGED, actor=actor, old=old, new=new, note=note)


def reassigned(*, incident: Incident, actor: User, old_unit: str, reason: str) -> IncidentEvent:
    return record(
        incident=incident,
        kind=EventKind.REASSIGNED,
        actor=actor,
        old_unit=old_unit,
        unit=str(incident.unit) if incident.unit else "",
        unit_id=incident.unit_id,
        reason=reason,
    )


def dispatched(*, incident: Incident, actor: User, responders: list[str], note: str) -> IncidentEvent:
    return record(incident=incident, kind=EventKind.DISPATCHED, actor=actor, responders=responders, note=note)


def dispatch_updated(
    *, incident: Incident, actor: User, responder: str, status: str, outcome: str = ""
) -> IncidentEvent:
    return record(
        incident=incident,
        kind=EventKind.DISPATCH_UPDATED,
        actor=actor,
        responder=responder,
        status=status,
        outcome=outcome,
    )


def note_added(*, incident: Incident, actor: User | None, text: str) -> IncidentEvent:
    return record(incident=incident, kind=EventKind.NOTE, actor=actor, text=text)


def attachment_added(*, incident: Incident, actor: User | None, attachment_id: int, name: str) -> IncidentEvent:
    return record(incident=incident, kind=EventKind.ATTACHMENT, actor=actor, attachment_id=attachment_id, name=name)


def merged(*, incident: Incident, into: Incident, actor: User) -> IncidentEvent:
    record(incident=into, kind=EventKind.DUPLICATE_MERGED_IN, actor=actor, duplicate=incident.number)
    return record(incident=incident, kind=EventKind.MERGED, actor=actor, into=into.number)


def location_set(*, incident: Incident, actor: User | None, old_area_code: str) -> IncidentEvent:
    return record(
        incident=incident,
        kind=EventKind.LOCATION_SET,
        actor=actor,
        old_area_code=old_area_code,
        area_code=incident.area_code,
    )


def escalated(*, incident: Incident, step: str, minutes: int, notified: list[str]) -> IncidentEvent:
    return record(incident=incident, kind=EventKind.ESCALATED, step=step, minutes=minutes, notified=notified)


def reporter_notified(*, incident: Incident, status: str) -> IncidentEvent:
    return record(incident=incident, kind=EventKind.REPORTER_NOTIFIED, status=status)


def household_linked(*, incident: Incident, actor: User, household_id: int | None) -> IncidentEvent:
    # The id only: a house number would reach operators who may not see households, and outlive erasure.
    return record(incident=incident, kind=EventKind.HOUSEHOLD_LINKED, actor=actor, household_id=household_id)


def household_incident_reported(
    *, incident: Incident, household: Household | None, actor: User
) -> HouseholdEvent | None:
    """Put the incident on the timeline of the household it was linked to (nothing when unlinked)."""
    if household is None:
        return None
    return timeline_record(
        household=household,
        kind=HOUSEHOLD_INCIDENT_REPORTED,
        params={"incident_id": incident.pk, "incident_type": incident.incident_type},
        actor=actor,
    )
