"""The assessments' part of a person's PDPA export and erasure (plugged into households' privacy hooks)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pocketbook.assessments.models import Assessment, AssessmentDraft
from pocketbook.households.models import Member


def member_answers_export(member: Member) -> list[dict[str, Any]]:
    """The facts each assessment of the household recorded about this person."""
    key = str(member.pk)
    return [
        {"assessment_id": pk, "assessed_on": assessed_on.isoformat(), "facts": answers["members"][key]}
        for pk, assessed_on, answers in Assessment.objects.filter(household_id=member.household_id)
        .order_by("assessed_on", "pk")
        .values_list("pk", "assessed_on", "answers")
        if key in (answers or {}).get("members", {})
    ]


def member_answers_erase(member_ids: Sequence[int]) -> None:
    """Keep only the birth year in the answers about erased members (the age statistics still hold)."""
    keys = {str(pk) for pk in member_ids}
    # A half-filled visit form may hold anything typed about them: it goes.
    AssessmentDraft.objects.filter(household__members__id__in=member_ids).delete()
    assessments = Assessment.objects.filter(household__members__id__in=member_ids).distinct()
    for assessment in assessments.only("pk", "answers"):
        members = (assessment.answers or {}).get("members", {})
        touched = False
        for key in keys & set(members):
            facts = members[key]
            birth = facts.get("birth_date")
            if isinstance(birth, str) and len(birth) >= 4:
                facts["birth_date"] = f"{birth[:4]}-07-01"
                facts["birth_year_only"] = True
                touched = True
        if touched:
            Assessment.objects.filter(pk=assessment.pk).update(answers=assessment.answers)
