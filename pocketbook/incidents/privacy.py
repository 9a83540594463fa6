"""The incidents' part of a person's PDPA export and erasure (plugged into households' privacy hooks).

An incident linked to a household may name its people in what operators and responders typed: the
description, the people involved, the outcome, the dispatches' instructions and outcomes, the timeline's
notes and reasons, and the reporter when a member called. Erasure takes those names out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pocketbook.audit.services import audit_forget_personal
from pocketbook.households.models import Member
from pocketbook.households.privacy_hooks import FreeText, free_texts_erase, params_without, person_names
from pocketbook.incidents.models import Dispatch, Incident, IncidentEvent

# What operators and responders type about an incident's people (each also in `audit_personal_fields`).
FREE_TEXT = (
    FreeText(Incident, "household_id", ("description", "people_involved", "address_text", "outcome")),
    FreeText(Dispatch, "incident__household_id", ("note", "outcome")),
)
# The timeline's copies of what they typed: a note's text, a status change's or dispatch's note, a responder's
# outcome, a reassignment's reason, an attachment's file name (uploads before random names kept the file's own).
EVENT_TEXT_PARAMS = ("text", "note", "outcome", "reason", "name")


def member_incidents_export(member: Member) -> list[dict[str, Any]]:
    """The incidents linked to the person's household: number, type, status, when."""
    return [
        {"number": number, "type": incident_type, "status": status, "received_at": received_at.isoformat()}
        for number, incident_type, status, received_at in Incident.objects.filter(
            household_id=member.household_id
        ).values_list("number", "incident_type", "status", "received_at")
    ]


def member_incidents_erase(member_ids: Sequence[int]) -> None:
    """Take the members' names out of the incidents linked to their households (and a reporter who was them)."""
    touched: list[Any] = []
    for member in Member.objects.filter(pk__in=member_ids):
        names = person_names(member)
        if not names:
            continue
        touched.extend(free_texts_erase(member, FREE_TEXT))
        incidents = Incident.objects.filter(household_id=member.household_id)
        for incident in incidents:
            if any(name in incident.reporter_name for name in names):
                incidents.filter(pk=incident.pk).update(reporter_name="", reporter_phone="", reporter_line_user_id="")
        for event in IncidentEvent.objects.filter(incident__household_id=member.household_id):
            params = params_without(event.params, EVENT_TEXT_PARAMS, names)
            if params != event.params:
                IncidentEvent.objects.filter(pk=event.pk).update(params=params)
    # Audit rows written before the text was left out of the trail's copies.
    audit_forget_personal(objs=touched)
