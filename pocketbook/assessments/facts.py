"""Turn a household's members and a visit's answers into the plain facts the scoring engine reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from pocketbook.assessments.scoring import HouseholdFacts, MemberFacts
from pocketbook.households.models import Member

# Facts of a member the visit may correct for this assessment (the member record is the households app's).
VISIT_FACTS = ("monthly_income", "is_studying", "has_occupation_and_income", "education")


def member_snapshot(member: Member) -> dict[str, Any]:
    """What the member record says today, as JSON-able facts (no names, no ID)."""
    income = member.monthly_income or Decimal(0)
    return {
        "birth_date": member.birth_date.isoformat() if member.birth_date else None,
        "monthly_income": str(income),
        "sex": member.sex,
        "relation": member.relation,
        "education": member.education_level,
        "is_studying": member.is_studying,
        "has_occupation_and_income": bool(member.occupation) and income > 0,
        "disability": member.has_disability,
        "disability_card": member.has_disability_card,
        "chronic_illness": member.chronic_illness,
        "bedridden": member.is_bedridden,
        "pregnant": member.is_pregnant,
        "welfare_card": member.has_welfare_card,
    }


def snapshot_members(members: Iterable[Member], member_answers: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Each member's record snapshot, with the visit's corrections and per-member answers laid over it."""
    snapshot = {}
    for member in members:
        facts = member_snapshot(member)
        facts.update(member_answers.get(str(member.pk), {}))
        snapshot[str(member.pk)] = facts
    return snapshot


def _income(value: Any) -> Decimal | Any:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return value


def household_facts(*, assessed_on: dt.date, answers: Mapping[str, Any]) -> HouseholdFacts:
    """Build the engine's facts from stored answers: {"household": {...}, "members": {id: {...}}}."""
    members = []
    for key, facts in (answers.get("members") or {}).items():
        birth = facts.get("birth_date")
        members.append(
            MemberFacts(
                key=str(key),
                label=str(key),
                birth_date=dt.date.fromisoformat(birth) if isinstance(birth, str) else birth,
                monthly_income=_income(facts.get("monthly_income")),
                facts=facts,
            )
        )
    return HouseholdFacts(assessed_on, answers.get("household") or {}, tuple(members))
