"""Weekly visits while a case is open (README, "Volunteers"): the cases' listeners move the volunteers' schedules.

Cases and volunteers share a layer, so neither may name the other; the wiring above both joins them. Listeners
run inside the case's or the assignment's transaction, so the schedule changes with it or not at all, and setting
the cadence again to what it is changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pocketbook.cases.choices import CaseStatus
from pocketbook.cases.models import Case
from pocketbook.cases.selectors import households_with_open_case
from pocketbook.volunteers.services import schedule_open_case_set


def case_opened_or_closed(case: Case, before: Mapping[str, Any] | None) -> None:
    """A case opened (or re-opened) puts its household on the open-case cadence; closed, it goes back.

    A household has one open case at a time (`cases_one_open_case`), so the case's state is the household's.
    An assignment leaves the cadence alone.
    """
    was_open = before is not None and before.get("status") == CaseStatus.OPEN
    if case.is_open != was_open:
        schedule_open_case_set(household_ids=[case.household_id], has_open_case=case.is_open)


def households_assigned(household_ids: Sequence[int]) -> None:
    """A household taken on by a volunteer while its case is open is visited on the open-case cadence at once."""
    open_ids = households_with_open_case(household_ids)
    if open_ids:
        schedule_open_case_set(household_ids=open_ids, has_open_case=True)
