"""Checks on a person's facts that the forms, the API, the services and the import all share.

Each returns a message for the person (in the active language) or None; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from pocketbook.core.dates import format_date
from pocketbook.households.choices import Relation
from pocketbook.households.models import MAX_AGE_YEARS, age_on

# A parent is at least this many years older than their child (used for head ↔ child / parent).
MIN_GENERATION_GAP_YEARS = 12


def birth_date_problem(birth_date: dt.date, *, today: dt.date) -> str | None:
    """Refuse a birth date in the future or impossibly long ago, pointing at a BE/CE mix-up."""
    if birth_date > today:
        return _(
            "The date of birth %(date)s is in the future. If the year was typed in the Buddhist Era, "
            "check it (พ.ศ. = ค.ศ. + 543)."
        ) % {"date": format_date(birth_date)}
    age = age_on(birth_date, today)
    if age > MAX_AGE_YEARS:
        return _(
            "The date of birth %(date)s makes this person %(age)s years old. The year was probably typed "
            "in the wrong era (พ.ศ. = ค.ศ. + 543)."
        ) % {"date": format_date(birth_date), "age": age}
    return None


def income_problem(monthly_income: Decimal | None) -> str | None:
    """Refuse a negative income."""
    if monthly_income is not None and monthly_income < 0:
        return _("Income cannot be negative.")
    return None


def relation_problem(*, relation: str, birth_date: dt.date, others: Iterable[tuple[str, dt.date]]) -> str | None:
    """Check a relation against the head's age: a child is younger than the head, a parent older.

    `others` are the (relation, birth date) of the household's other active members.
    """
    others = list(others)
    head_birth = next((born for rel, born in others if rel == Relation.HEAD), None)
    if relation == Relation.HEAD:
        for other_relation, other_birth in others:
            if _pair_problem(relation=other_relation, birth_date=other_birth, head_birth=birth_date):
                return _head_problem(relation=other_relation, other_birth=other_birth, head_birth=birth_date)
        return None
    if head_birth is None:
        return None
    return _pair_problem(relation=relation, birth_date=birth_date, head_birth=head_birth)


def _head_problem(*, relation: str, other_birth: dt.date, head_birth: dt.date) -> str:
    """Say what is wrong with the head's own date of birth: the other member is the evidence, not the subject."""
    values = {"years": MIN_GENERATION_GAP_YEARS, "head": format_date(head_birth), "other": format_date(other_birth)}
    if relation == Relation.CHILD:
        return (
            _(
                "The head should be at least %(years)s years older than each of their children (the head born "
                "%(head)s, a child born %(other)s). Check the head's date of birth or the child's relation."
            )
            % values
        )
    return (
        _(
            "The head should be at least %(years)s years younger than each of their parents (the head born %(head)s, "
            "a parent born %(other)s). Check the head's date of birth or the parent's relation."
        )
        % values
    )


def _pair_problem(*, relation: str, birth_date: dt.date, head_birth: dt.date) -> str | None:
    gap = age_on(head_birth, birth_date) if birth_date >= head_birth else -age_on(birth_date, head_birth)
    # gap > 0: the person was born `gap` whole years after the head.
    if relation == Relation.CHILD and gap < MIN_GENERATION_GAP_YEARS:
        return _(
            "A child of the head should be at least %(years)s years younger than the head "
            "(head born %(head)s, this person born %(born)s). Check the relation or the dates of birth."
        ) % {"years": MIN_GENERATION_GAP_YEARS, "head": format_date(head_birth), "born": format_date(birth_date)}
    if relation == Relation.PARENT and -gap < MIN_GENERATION_GAP_YEARS:
        return _(
            "A parent of the head should be at least %(years)s years older than the head "
            "(head born %(head)s, this person born %(born)s). Check the relation or the dates of birth."
        ) % {"years": MIN_GENERATION_GAP_YEARS, "head": format_date(head_birth), "born": format_date(birth_date)}
    return None
