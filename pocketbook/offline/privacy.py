"""The offline app's visit notes in a person's PDPA export and erasure (plugged into households' privacy hooks).

The first offline app kept a phone's visit notes as `VisitNote` (phones' notes are now volunteers' visits): free
text about the household that may name its people.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pocketbook.households.models import Member
from pocketbook.households.privacy_hooks import FreeText, free_texts_erase_for
from pocketbook.offline.models import VisitNote

FREE_TEXT = (FreeText(VisitNote, "household_id", ("note",)),)


def member_visit_notes_export(member: Member) -> list[dict[str, Any]]:
    """The household's visit notes from phones, each with its date."""
    notes = VisitNote.objects.filter(household_id=member.household_id).order_by("visited_on", "pk")
    return [{"visited_on": note.visited_on.isoformat(), "note": note.note} for note in notes]


def member_visit_notes_erase(member_ids: Sequence[int]) -> None:
    """Take the members' names out of their households' visit notes from phones, and out of the trail's copies."""
    free_texts_erase_for(member_ids, FREE_TEXT)
