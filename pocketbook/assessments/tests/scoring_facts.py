"""Facts for the pure scoring engine's tests: people born so many years before the visit, working adults,
households that answer every question yes unless told otherwise, and the result of one indicator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pocketbook.assessments.scoring import HouseholdFacts, MemberFacts
from pocketbook.assessments.tests.factories import VISIT, YES


def born(age: int, *, on: dt.date = VISIT) -> dt.date:
    """A birth date giving `age` completed years on the visit date."""
    return dt.date(on.year - age, 1, 1)


def adult(key="a", age=40, income=20000, **facts):
    defaults = {"literate": True, "exercises": True, "has_occupation_and_income": True, "is_studying": False}
    return MemberFacts(key, f"member-{key}", born(age), income, {**defaults, **facts})


def household(*members, **answers):
    return HouseholdFacts(VISIT, {**YES, **answers}, tuple(members))


def result_of(result, code):
    return next(r for r in result.indicators if r.code == code)


def three_adults(monthly_total: str):
    """Three adults, one earning `monthly_total` a month: the income per person per year is monthly_total × 4.

    A satang more a month is 0.04 baht more per person per year, so each line can be hit exactly.
    """
    return household(adult("a", income=Decimal(monthly_total)), adult("b", income=0), adult("c", income=0))
