"""The incidents' part of a person's PDPA export and erasure (plugged into households' privacy hooks).

An incident linked to a household may name its people in what operators typed: the description, the
people involved, the notes, and the reporter when a member called. Erasure takes those names out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pocketbook.audit.services import audit_forget_personal
from pocketbook.households.models import Member
from pocketbook.households.privacy_hooks import person_names, text_without
from pocketbook.incidents.choices import EventKind
from pocketbook.incidents.models import Incident, IncidentEvent

TEXT_FIELDS = ("description", "people_involved", "address_text")


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
    touched: dict[int, Incident] = {}
    for member in Member.objects.filter(pk__in=member_ids):
        names = person_names(member)
        if not names:
            continue
        for incident in Incident.objects.filter(household_id=member.household_id):
            touched[incident.pk] = incident
            changes = {field: text_without(getattr(incident, field), names) for field in TEXT_FIELDS}
            if any(name in incident.reporter_name for name in names):
                changes.update(reporter_name="", reporter_phone="", reporter_line_user_id="")
            Incident.objects.filter(pk=incident.pk).update(**changes)
            for event in IncidentEvent.objects.filter(incident=incident, kind=EventKind.NOTE):
                text = str(event.params.get("text", ""))
                if any(name in text for name in names):
                    IncidentEvent.objects.filter(pk=event.pk).update(
                        params={**event.params, "text": text_without(text, names)}
                    )
    # Audit rows written before the text was left out of the trail's copies.
    audit_forget_personal(objs=list(touched.values()))
