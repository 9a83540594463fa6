"""What the volunteers app writes on the household timeline; parameters are ids, never names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.models import User
from pocketbook.households.models import Household
from pocketbook.households.timeline import timeline_record, timeline_record_many

VOLUNTEER_ASSIGNED = "volunteer_assigned"
VOLUNTEER_RELEASED = "volunteer_released"
VISIT_RECORDED = "visit_recorded"

KINDS = {
    VOLUNTEER_ASSIGNED: _("Volunteer in charge changed"),
    VOLUNTEER_RELEASED: _("No volunteer in charge any more"),
    VISIT_RECORDED: _("Visit recorded"),
}


def assignment_changed(
    *, household_ids: Sequence[int], volunteer_id: int | None, batch_id: int, actor: User | None
) -> None:
    """One timeline entry per household of an assignment action, in one statement (bulk actions too)."""
    timeline_record_many(
        household_ids=household_ids,
        kind=VOLUNTEER_ASSIGNED if volunteer_id is not None else VOLUNTEER_RELEASED,
        params={"volunteer_id": volunteer_id, "batch_id": batch_id},
        actor=actor,
    )


def visit_recorded(*, household: Household, visit_id: int, visited_on: dt.date, actor: User) -> None:
    """A visit on the household's timeline."""
    timeline_record(
        household=household,
        kind=VISIT_RECORDED,
        params={"visit_id": visit_id, "visited_on": visited_on.isoformat()},
        actor=actor,
        occurred_on=visited_on,  # on the day of the visit, not the day it was entered
    )
