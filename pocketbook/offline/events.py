"""The household timeline entries the offline app writes."""

from __future__ import annotations

from typing import Any

from pocketbook.households import events as household_events
from pocketbook.households.models import Household

VISIT_NOTE = "visit_note"


def visit_noted(*, household: Household, visit_note_id: int, actor: Any) -> None:
    """A visit note was recorded (its text stays in VisitNote; the timeline keeps only the id)."""
    household_events.record(household=household, kind=VISIT_NOTE, params={"visit_note_id": visit_note_id}, actor=actor)
