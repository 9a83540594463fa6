"""Build assessable households and complete answers for tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory

VISIT = dt.date(2024, 6, 15)
YES = {
    "hygienic_food": True,
    "proper_medicine_use": True,
    "secure_durable_house": True,
    "drinking_water_enough": True,
    "household_water_enough": True,
    "tidy_house": True,
}


def couple_household(**household: Any):
    """A household of two working adults (40 and 38) with 15,000 baht a month each."""
    home = HouseholdFactory(**household)
    head = MemberFactory(
        household=home, first_name="สมชาย", birth_date=dt.date(1984, 1, 1), occupation="ทำสวนยาง",
        monthly_income=Decimal("15000"), relation="head",
    )  # fmt: skip
    spouse = MemberFactory(
        household=home, first_name="สมหญิง", sex="F", birth_date=dt.date(1986, 1, 1), occupation="ค้าขาย",
        monthly_income=Decimal("15000"), relation="spouse",
    )  # fmt: skip
    return home, head, spouse


def answers_for(*members: Any, household: dict[str, Any] | None = None, **per_member: Any) -> dict[str, Any]:
    """Complete answers: every household question yes, every adult literate and exercising."""
    return {
        "household": {**YES, **(household or {})},
        "members": {str(m.pk): {"literate": True, "exercises": True, **per_member} for m in members},
    }
