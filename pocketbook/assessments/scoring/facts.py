"""The facts a household is scored on: plain data, no ORM, so scoring is pure and fast."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


def age_on(birth_date: dt.date | None, on: dt.date) -> int | None:
    """Return the age in completed years on a date (None when the birth date is unknown)."""
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """One member as the scoring sees them: birth date, monthly income and named facts or answers.

    `facts` holds what the member record says (is_studying, education, disability, bedridden,
    welfare_card, has_occupation_and_income ...) and the per-member answers of the visit
    (literate, exercises, cared_for ...), all under plain keys the indicator rules name.
    """

    key: str
    label: str
    birth_date: dt.date | None
    monthly_income: Decimal | int | float = 0
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    """A household at one visit: the date, the household answers and the members."""

    assessed_on: dt.date
    answers: Mapping[str, Any]
    members: tuple[MemberFacts, ...]

    def ages(self) -> dict[str, int | None]:
        """Each member's age on the assessment date, by member key."""
        return {member.key: age_on(member.birth_date, self.assessed_on) for member in self.members}

    def income_per_person_per_year(self) -> Decimal:
        """The members' monthly incomes times twelve, shared over the members (0 without members)."""
        if not self.members:
            return Decimal(0)
        total = sum((Decimal(str(member.monthly_income or 0)) for member in self.members), Decimal(0))
        return (total * 12 / len(self.members)).quantize(Decimal("0.01"))
