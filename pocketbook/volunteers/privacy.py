"""The volunteers' part of a person's PDPA export and erasure (plugged into households' privacy hooks).

A volunteer's visit note is free text about the household ("ยายสมศรีปวดเข่า"): the person's export lists the
household's visits with their notes, and erasure takes the person's names out of them, out of the reason a
manager gave for assigning the household, and out of the trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pocketbook.households.models import Member
from pocketbook.households.privacy_hooks import FreeText, free_texts_erase_for
from pocketbook.volunteers.models import AssignmentBatch, Visit

# A visit's note, and the reason a manager gave for assigning the household (it may name its people).
FREE_TEXT = (
    FreeText(Visit, "household_id", ("note",)),
    FreeText(AssignmentBatch, "assignments__household_id", ("reason",)),
    FreeText(AssignmentBatch, "ended_assignments__household_id", ("reason",)),  # a release takes none into care
)


def member_visits_export(member: Member) -> list[dict[str, Any]]:
    """The household's visits, each with its date, kind and note."""
    visits = Visit.objects.filter(household_id=member.household_id).order_by("visited_on", "pk")
    return [{"visited_on": visit.visited_on.isoformat(), "kind": visit.kind, "note": visit.note} for visit in visits]


def member_visits_erase(member_ids: Sequence[int]) -> None:
    """Take the members' names out of their households' visit notes, and out of the trail's copies."""
    free_texts_erase_for(member_ids, FREE_TEXT)
