"""Every write to incidents and their timeline, and to dispatches."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.geo import selectors as geo_selectors
from pocketbook.households.models import Household
from pocketbook.incidents import events, notifications, routing
from pocketbook.incidents.choices import (
    ACTIVE_DISPATCH_STATUSES,
    CLOSED_STATUSES,
    DEFAULT_PRIORITY,
    OPEN_STATUSES,
    STATUS_TRANSITIONS,
    Channel,
    DispatchStatus,
    IncidentType,
    Priority,
    SlaStep,
    Status,
)
from pocketbook.incidents.extensions import incident_changed
from pocketbook.incidents.models import (
    Dispatch,
    Incident,
    IncidentAttachment,
    IncidentSequence,
    Responder,
    Unit,
)

logger = logging.getLogger(__name__)


# Which timestamp shows that an SLA step has been done.
STEP_DONE_FIELD = {
    SlaStep.ACKNOWLEDGE: "acknowledged_at",
    SlaStep.DISPATCH: "dispatched_at",
    SlaStep.ON_SCENE: "on_scene_at",
}


def incident_number_next(*, when: datetime | None = None) -> str:
    """Give out the next readable number of the year, for example ESS-2569-000123 (safe under concurrency).

    The UPDATE locks the year's row until the surrounding transaction ends, so two openings never share a number.
    """
    year = timezone.localdate(when or timezone.now()).year + 543
    with transaction.atomic():
        updated = IncidentSequence.objects.filter(year=year).update(last_number=F("last_number") + 1)
        if not updated:
            IncidentSequence.objects.bulk_create([IncidentSequence(year=year, last_number=0)], ignore_conflicts=True)
            IncidentSequence.objects.filter(year=year).update(last_number=F("last_number") + 1)
        last = IncidentSequence.objects.filter(year=year).values_list("last_number", flat=True).get()
    return f"ESS-{year}-{last:06d}"


def _check_choice(value: str, choices: Any, field: str, message: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: message % {"value": value}})


def _check_point(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValidationError({"latitude": _("A latitude is between -90 and 90.")})
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValidationError({"longitude": _("A longitude is between -180 and 180.")})


def _check_actor_covers(actor: User | None, area_code: str) -> None:
    """A person may place an incident only inside their areas (the system, actor None, anywhere)."""
    if actor is not None and not actor.covers(area_code):
        raise ValidationError({"area_code": _("This area is outside your areas.")})


def _check_actor_sees(
    actor: User, model: type[Unit] | type[Responder], pks: list[int], field: str, message: str
) -> None:
    """Refuse a unit or responder outside what the acting user may see (the web, API and commands alike)."""
    if actor is None:
        return
    if model.objects.for_user(actor).filter(pk__in=pks).count() != len(set(pks)):
        raise ValidationError({field: message})


@transaction.atomic
def incident_open(
    *,
    incident_type: str,
    channel: str,
    description: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    address_text: str = "",
    area_code: str = "",
    priority: str | None = None,
    reporter_line_user_id: str = "",
    reporter_phone: str = "",
    reporter_name: str = "",
    is_anonymous: bool = False,
    actor: User | None = None,
    attachments: list[dict] | None = None,
    people_involved: str = "",
) -> Incident:
    """Open an incident, place it in an area, route it to a unit, and start its timeline."""
    _check_choice(incident_type, IncidentType, "incident_type", _("%(value)s is not an incident type."))
    _check_choice(channel, Channel, "channel", _("%(value)s is not a channel."))
    priority = priority or DEFAULT_PRIORITY.get(incident_type, Priority.HIGH)
    _check_choice(priority, Priority, "priority", _("%(value)s is not a priority."))
    _check_point(latitude, longitude)
    area_code = (area_code or "").strip()
    if area_code:
        geo_selectors.area_require(area_code)
        _check_actor_covers(actor, area_code)
    placement = routing.place(area_code=area_code, address_text=address_text, latitude=latitude, longitude=longitude)
    now = timezone.now()
    incident = Incident(
        number=incident_number_next(when=now),
        incident_type=incident_type,
        priority=priority,
        channel=channel,
        description=description.strip(),
        people_involved=people_involved.strip(),
        latitude=latitude,
        longitude=longitude,
        address_text=address_text.strip(),
        area_code=placement.area_code,
        location_to_confirm=placement.location_to_confirm,
        unit=routing.unit_for_area(placement.area_code),
        reporter_line_user_id=reporter_line_user_id.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_name=reporter_name.strip(),
        is_anonymous=is_anonymous,
        received_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    incident.full_clean()
    incident.save()
    events.incident_opened(incident=incident, actor=actor)
    events.incident_routed(incident=incident, actor=actor, method=placement.method)
    record_change(obj=incident, action=Action.CREATE, actor=actor)
    incident_changed(incident)
    for attachment in attachments or []:
        incident_attachment_add(
            incident=incident,
            line_message_id=str(attachment.get("line_message_id", "")),
            file=attachment.get("file"),
            actor=actor,
        )
    logger.info("Incident %s opened (%s, %s) routed to %s", incident.number, channel, incident_type, incident.unit)
    return incident


@transaction.atomic
def incident_attachment_add(
    *, incident: Incident, line_message_id: str = "", file: File | None = None, actor: User | None = None
):
    """Attach an uploaded file or a LINE message's content to an incident; the same LINE message only once."""
    line_message_id = (line_message_id or "").strip()
    if not line_message_id and not file:
        raise ValidationError({"file": _("Choose a file to attach.")})
    if line_message_id:
        existing = IncidentAttachment.objects.filter(incident=incident, line_message_id=line_message_id).first()
        if existing is not None:
            if file and not existing.file:
                existing.file = file
                existing.save(update_fields=["file"])
            return existing
    attachment = IncidentAttachment(
        incident=incident,
        line_message_id=line_message_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if file:
        attachment.file = file
    attachment.full_clean()
    attachment.save()
    events.attachment_added(incident=incident, actor=actor, attachment_id=attachment.pk, name=str(attachment))
    record_change(obj=attachment, action=Action.CREATE, actor=actor)
    return attachment


def _overdue_after(incident: Incident) -> bool:
    """Whether a step already escalated is still not done."""
    if incident.status in CLOSED_STATUSES:
        return False
    return any(getattr(incident, STEP_DONE_FIELD[SlaStep(step)]) is None for step in incident.escalated_steps)


def _status_set(incident: Incident, new: str, actor: User, *, note: str = "", outcome: str = "") -> Incident:
    """Move an incident to a new status (checked against the allowed transitions) and tell the reporter."""
    old = incident.status
    if new != Status.DUPLICATE and new not in STATUS_TRANSITIONS[old]:
        raise ValidationError(
            {
                "status": _("An incident that is %(old)s cannot become %(new)s.")
                % {"old": Status(old).label, "new": Status(new).label}
            }
        )
    before = snapshot(incident)
    now = timezone.now()
    incident.status = new
    fields = ["status", "is_overdue", "updated_at"]
    if new in (Status.ACKNOWLEDGED, Status.DISPATCHED, Status.ON_SCENE) and incident.acknowledged_at is None:
        incident.acknowledged_at = now
        fields.append("acknowledged_at")
    if new in (Status.DISPATCHED, Status.ON_SCENE) and incident.dispatched_at is None:
        incident.dispatched_at = now
        fields.append("dispatched_at")
    if new == Status.ON_SCENE and incident.on_scene_at is None:
        incident.on_scene_at = now
        fields.append("on_scene_at")
    if new in CLOSED_STATUSES:
        incident.closed_at = now
        fields.append("closed_at")
    if outcome:
        incident.outcome = outcome
        fields.append("outcome")
    incident.is_overdue = _overdue_after(incident)
    incident.save(update_fields=fields)
    events.status_changed(incident=incident, actor=actor, old=old, new=new, note=note)
    record_change(obj=incident, action=Action.UPDATE, actor=actor, before=before)
    incident_changed(incident, before=before)
    notifications.reporter_status_changed(incident)
    return incident


def _lock(incident: Incident) -> Incident:
    """Re-read the incident under a row lock, so two operators never act on a stale status."""
    return Incident.objects.select_for_update().get(pk=incident.pk)


@transaction.atomic
def incident_acknowledge(*, incident: Incident, actor: User) -> Incident:
    """Acknowledge a received incident; acknowledging twice changes nothing."""
    incident = _lock(incident)
    if incident.status != Status.RECEIVED:
        return incident
    return _status_set(incident, Status.ACKNOWLEDGED, actor)


@transaction.atomic
def incident_status_change(
    *, incident: Incident, status: str, actor: User, note: str = "", outcome: str = ""
) -> Incident:
    """Change an incident's status; closing ends its active dispatches."""
    _check_choice(status, Status, "status", _("%(value)s is not a status."))
    if status == Status.DUPLICATE:
        raise ValidationError({"status": _("To mark a duplicate, merge it into the other incident.")})
    incident = _lock(incident)
    if status == incident.status:
        return incident
    if status == Status.RESOLVED and not (outcome or "").strip():
        raise ValidationError({"outcome": _("Say how it ended.")})
    _status_set(incident, status, actor, note=note.strip(), outcome=(outcome or "").strip())
    if status in CLOSED_STATUSES:
        _dispatches_end(incident, DispatchStatus.COMPLETED if status == Status.RESOLVED else DispatchStatus.CANCELLED)
    return incident


def _dispatches_end(incident: Incident, status: str) -> None:
    now = timezone.now()
    incident.dispatches.filter(status__in=ACTIVE_DISPATCH_STATUSES).update(
        status=status, completed_at=now, updated_at=now
    )


@transaction.atomic
def incident_note_add(*, incident: Incident, text: str, actor: User | None) -> Incident:
    """Write a note on the incident's timeline."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    events.note_added(incident=incident, actor=actor, text=text[:4000])
    return incident


@transaction.atomic
def incident_dispatch(
    *, incident: Incident, responders: list[Responder], actor: User, note: str = ""
) -> list[Dispatch]:
    """Send responders to an open incident; a responder already on it is not sent twice."""
    incident = _lock(incident)
    if incident.status not in OPEN_STATUSES:
        raise ValidationError({"responders": _("This incident is closed.")})
    if not responders:
        raise ValidationError({"responders": _("Choose at least one responder.")})
    _check_actor_sees(
        actor, Responder, [r.pk for r in responders], "responders", _("Choose a responder of your area.")
    )
    busy = set(incident.dispatches.filter(status__in=ACTIVE_DISPATCH_STATUSES).values_list("responder_id", flat=True))
    created = []
    for responder in responders:
        if not responder.is_active:
            raise ValidationError({"responders": _("%(responder)s is not active.") % {"responder": responder}})
        if responder.pk in busy:
            continue
        dispatch = Dispatch(
            incident=incident,
            responder=responder,
            note=note.strip(),
            dispatched_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        dispatch.save()
        record_change(obj=dispatch, action=Action.CREATE, actor=actor)
        created.append(dispatch)
    if created:
        events.dispatched(
            incident=incident, actor=actor, responders=[str(d.responder.user) for d in created], note=note
        )
        if incident.status in (Status.RECEIVED, Status.ACKNOWLEDGED):
            _status_set(incident, Status.DISPATCHED, actor)
    return created


def _dispatch_lock(dispatch: Dispatch) -> Dispatch:
    return (
        Dispatch.objects.select_for_update(of=("self",))
        .select_related("incident", "responder__user")
        .get(pk=dispatch.pk)
    )


def _dispatch_set(dispatch: Dispatch, status: str, actor: User, *, timestamp_field: str, outcome: str = "") -> None:
    before = snapshot(dispatch)
    dispatch.status = status
    setattr(dispatch, timestamp_field, timezone.now())
    fields = ["status", timestamp_field, "updated_at"]
    if outcome:
        dispatch.outcome = outcome
        fields.append("outcome")
    dispatch.save(update_fields=fields)
    record_change(obj=dispatch, action=Action.UPDATE, actor=actor, before=before)
    events.dispatch_updated(
        incident=dispatch.incident, actor=actor, responder=str(dispatch.responder.user), status=status, outcome=outcome
    )


@transaction.atomic
def dispatch_accept(*, dispatch: Dispatch, actor: User) -> Dispatch:
    """The responder takes the assignment; accepting twice changes nothing."""
    dispatch = _dispatch_lock(dispatch)
    if dispatch.status != DispatchStatus.ASSIGNED:
        return dispatch
    _dispatch_set(dispatch, DispatchStatus.ACCEPTED, actor, timestamp_field="accepted_at")
    return dispatch


@transaction.atomic
def dispatch_on_scene(*, dispatch: Dispatch, actor: User) -> Dispatch:
    """The responder has reached the place; the incident is on scene from the first arrival."""
    dispatch = _dispatch_lock(dispatch)
    if dispatch.status == DispatchStatus.ON_SCENE:
        return dispatch
    if dispatch.status not in (DispatchStatus.ASSIGNED, DispatchStatus.ACCEPTED):
        raise ValidationError({"status": _("This assignment has ended.")})
    if dispatch.accepted_at is None:
        dispatch.accepted_at = timezone.now()
        dispatch.save(update_fields=["accepted_at"])
    _dispatch_set(dispatch, DispatchStatus.ON_SCENE, actor, timestamp_field="on_scene_at")
    incident = _lock(dispatch.incident)
    if incident.status == Status.DISPATCHED:
        _status_set(incident, Status.ON_SCENE, actor)
    return dispatch


@transaction.atomic
def dispatch_complete(
    *, dispatch: Dispatch, outcome: str, actor: User, incident_status: str = Status.RESOLVED
) -> Dispatch:
    """The responder has finished, with an outcome; the incident closes when no one else is still on it."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Say how it ended.")})
    if incident_status not in (Status.RESOLVED, Status.REFERRED, Status.FALSE_ALARM):
        raise ValidationError({"incident_status": _("Choose resolved, referred or false alarm.")})
    dispatch = _dispatch_lock(dispatch)
    if dispatch.status not in ACTIVE_DISPATCH_STATUSES:
        raise ValidationError({"status": _("This assignment has ended.")})
    _dispatch_set(dispatch, DispatchStatus.COMPLETED, actor, timestamp_field="completed_at", outcome=outcome)
    incident = _lock(dispatch.incident)
    others = incident.dispatches.filter(status__in=ACTIVE_DISPATCH_STATUSES).exclude(pk=dispatch.pk).exists()
    if not others and incident.status in OPEN_STATUSES:
        _status_set(incident, incident_status, actor, outcome=outcome)
    return dispatch


@transaction.atomic
def incident_merge(*, incident: Incident, into: Incident, actor: User) -> Incident:
    """Close an incident as a duplicate of another one; its reporter is told which incident to follow."""
    incident = _lock(incident)
    target = Incident.objects.get(pk=into.pk)
    seen = {target.pk}
    while target.merged_into_id is not None and target.merged_into_id not in seen:
        target = Incident.objects.get(pk=target.merged_into_id)
        seen.add(target.pk)
    if target.pk == incident.pk:
        raise ValidationError({"into": _("An incident cannot be a duplicate of itself.")})
    if actor is not None and not Incident.objects.for_user(actor, "change").filter(pk=target.pk).exists():
        # The chain of earlier merges led outside the actor's areas: never write on what they cannot see.
        raise ValidationError({"into": _("That incident was merged into one outside your areas.")})
    if incident.status not in OPEN_STATUSES:
        raise ValidationError({"into": _("Only an open incident can be merged.")})
    incident.merged_into = target
    incident.save(update_fields=["merged_into"])
    events.merged(incident=incident, into=target, actor=actor)
    _status_set(incident, Status.DUPLICATE, actor)
    _dispatches_end(incident, DispatchStatus.CANCELLED)
    return incident


@transaction.atomic
def incident_reassign(*, incident: Incident, unit: Unit, actor: User, reason: str = "") -> Incident:
    """Give the incident to another unit."""
    incident = _lock(incident)
    if incident.unit_id == unit.pk:
        return incident
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit is not active.")})
    _check_actor_sees(actor, Unit, [unit.pk], "unit", _("Choose a unit serving your area."))
    before = snapshot(incident)
    old_unit = str(incident.unit) if incident.unit else ""
    incident.unit = unit
    incident.save(update_fields=["unit", "updated_at"])
    events.reassigned(incident=incident, actor=actor, old_unit=old_unit, reason=reason.strip())
    record_change(obj=incident, action=Action.UPDATE, actor=actor, before=before)
    return incident


@transaction.atomic
def incident_location_set(*, incident: Incident, area_code: str, actor: User | None, reroute: bool = True) -> Incident:
    """Confirm where the incident is; with `reroute`, hand it to the unit covering that area."""
    area_code = (area_code or "").strip()
    geo_selectors.area_require(area_code)
    _check_actor_covers(actor, area_code)
    incident = _lock(incident)
    before = snapshot(incident)
    old_area_code = incident.area_code
    incident.area_code = area_code
    incident.location_to_confirm = len(area_code) < 6
    fields = ["area_code", "location_to_confirm", "updated_at"]
    if reroute:
        unit = routing.unit_for_area(area_code)
        if unit is not None and unit.pk != incident.unit_id:
            incident.unit = unit
            fields.append("unit")
    incident.save(update_fields=fields)
    events.location_set(incident=incident, actor=actor, old_area_code=old_area_code)
    if "unit" in fields:
        events.incident_routed(incident=incident, actor=actor, method="given")
    record_change(obj=incident, action=Action.UPDATE, actor=actor, before=before)
    incident_changed(incident, before=before)
    return incident


@transaction.atomic
def incident_household_link(*, incident: Incident, household: Household | None, actor: User) -> Incident:
    """Link the incident to the household it concerns (None unlinks it)."""
    incident = _lock(incident)
    if incident.household_id == (household.pk if household else None):
        return incident
    before = snapshot(incident)
    incident.household = household
    incident.save(update_fields=["household", "updated_at"])
    events.household_linked(incident=incident, actor=actor, household_id=household.pk if household else None)
    events.household_incident_reported(incident=incident, household=household, actor=actor)
    record_change(obj=incident, action=Action.UPDATE, actor=actor, before=before)
    return incident
