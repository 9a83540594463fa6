"""What the volunteers app writes on the household timeline; parameters are ids, never names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocketbook.households.models import Household, HouseholdEvent

VOLUNTEER_ASSIGNED = "volunteer_assigned"
VOLUNTEER_RELEASED = "volunteer_released"
VISIT_RECORDED = "visit_recorded"

KINDS = {
    VOLUNTEER_ASSIGNED: _("Volunteer in charge changed"),
    VOLUNTEER_RELEASED: _("No volunteer in charge any more"),
    VISIT_RECORDED: _("Visit recorded"),
}


def assignment_changed(*, household_ids: Sequence[int], volunteer_id: int | None, batch_id: int, actor: Any) -> None:
    """One timeline entry per household of an assignment action, written in one insert (bulk actions too)."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    kind = VOLUNTEER_ASSIGNED if volunteer_id is not None else VOLUNTEER_RELEASED
    params = {"volunteer_id": volunteer_id, "batch_id": batch_id}
    now = timezone.now()
    HouseholdEvent.objects.bulk_create(
        [
            HouseholdEvent(household_id=household_id, kind=kind, params=params, actor=user, time=now)
            for household_id in household_ids
        ],
        batch_size=500,
    )


def visit_recorded(*, household: Household, visit_id: int, visited_on: dt.date, actor: Any) -> None:
    """A visit on the household's timeline."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    HouseholdEvent.objects.create(
        household=household,
        kind=VISIT_RECORDED,
        params={"visit_id": visit_id, "visited_on": visited_on.isoformat()},
        actor=user,
    )
