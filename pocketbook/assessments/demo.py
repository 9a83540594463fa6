"""Demo data: two rounds of assessments for the demo households, some improving and some not.

Deterministic (the answers follow a seed drawn from the demo's random generator and the household id)
and idempotent (a household that already has assessments is left alone). Runs after the households demo.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from pocketbook.assessments import selectors, services
from pocketbook.assessments.models import Assessment
from pocketbook.assessments.scoring import questions
from pocketbook.core.demo import DemoContext
from pocketbook.households.models import Household

# The rounds lie before the day the demo is built, not on fixed dates: the dashboards count "assessed in the
# last 12 months" and compare fiscal years, which a demo built years later would show empty.
FIRST_ROUND_DAYS_AGO = 600  # a fiscal year or two back
SECOND_ROUND_DAYS_AGO = 60  # within the last 12 months


def round_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """The two demo rounds' dates for a demo built on `today`."""
    return today - dt.timedelta(days=FIRST_ROUND_DAYS_AGO), today - dt.timedelta(days=SECOND_ROUND_DAYS_AGO)


def _answer(rng: random.Random, kind: str, good: float) -> Any:
    if kind == "number":
        return rng.choice([2300, 2600, 2900, 3200]) if rng.random() > good / 2 else 2400
    return rng.random() < good


def _round(
    rng: random.Random, spec: Any, members: list[Any], good: float, before: dict[str, Any] | None
) -> dict[str, Any]:
    """Answers of one visit; with `before`, failed answers turn good with probability `good`."""
    household: dict[str, Any] = {}
    per_member: dict[str, dict[str, Any]] = {str(m.pk): {} for m in members}
    for _indicator, question in questions(spec):
        if question.scope == "household":
            previous = (before or {}).get("household", {}).get(question.key)
            household[question.key] = True if previous is True else _answer(rng, question.kind, good)
            continue
        for member in members:
            previous = (before or {}).get("members", {}).get(str(member.pk), {}).get(question.key)
            per_member[str(member.pk)][question.key] = (
                previous if previous is True else _answer(rng, question.kind, good)
            )
    return {"household": household, "members": per_member}


def seed(context: DemoContext) -> None:
    """Assess every demo household twice (skipping those already assessed)."""
    spec_set = selectors.indicator_set_current()
    spec = selectors.indicator_set_spec(spec_set)
    assessor = context.users["administrator"]
    volunteer = context.users.get("volunteer")
    base = context.rng.randrange(1_000_000)
    households = Household.objects.filter(area_code__startswith=context.province_code).order_by("id")
    already = set(Assessment.objects.filter(household__in=households).values_list("household_id", flat=True))
    made = improving = 0
    first_round, second_round = round_dates(timezone.localdate())
    for household in households.iterator():
        if household.pk in already:
            continue
        actor = volunteer if volunteer and volunteer.covers(household.area_code) else assessor
        members = selectors.members_for_assessment(viewer=actor, household=household)
        if not members:
            continue
        rng = random.Random(base * 1_000_003 + household.pk)
        first = _round(rng, spec, members, 0.8, None)
        services.assessment_submit(
            household=household, assessed_on=first_round, answers=first, actor=actor, indicator_set=spec_set
        )
        improves = rng.random() < 0.6
        improving += improves
        second = _round(rng, spec, members, 0.85 if improves else 0.6, first if improves else None)
        services.assessment_submit(
            household=household, assessed_on=second_round, answers=second, actor=actor, indicator_set=spec_set
        )
        made += 2
    context.write(f"Assessments: {made} added ({improving} households on an improving path).")
