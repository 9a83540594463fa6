"""The household timeline entries the offline app writes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from pocketbook.households.models import Household
from pocketbook.households.timeline import TimelineKind, timeline_record

VISIT_NOTE = "visit_note"
KINDS = (TimelineKind(VISIT_NOTE, _("Visit note"), permission="offline.view_visitnote"),)


def visit_noted(*, household: Household, visit_note_id: int, actor: Any) -> None:
    """A visit note was recorded (its text stays in VisitNote; the timeline keeps only the id)."""
    timeline_record(household=household, kind=VISIT_NOTE, params={"visit_note_id": visit_note_id}, actor=actor)
