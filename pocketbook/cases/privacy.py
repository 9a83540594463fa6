"""The cases' part of a person's PDPA export and erasure (plugged into households' privacy hooks).

Workers write free text about a household's people: a case's summary and closing note, plan items, needs,
referrals, assistance and follow-up notes, a reason on the case timeline. Erasure takes the person's names out
of every one of them in the household's cases, and out of the audit trail's earlier copies of those rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from pocketbook.audit.models import ObjectChange
from pocketbook.audit.services import audit_forget_personal
from pocketbook.cases.models import Assistance, Case, CaseEvent, FollowUp, Need, PlanItem, Referral
from pocketbook.households.models import Member
from pocketbook.households.privacy_hooks import FreeText, free_texts_erase, params_without, person_names, text_without

# Every free-text field of the cases' records, with the path from the record to its household.
FREE_TEXT = (
    FreeText(Case, "household_id", ("title", "close_note")),
    FreeText(Need, "household_id", ("description", "dismissed_reason")),
    FreeText(PlanItem, "case__household_id", ("action",)),
    FreeText(Referral, "case__household_id", ("request", "decline_reason", "agency_note", "revoked_reason",
                                              "consent_override_reason")),
    FreeText(Assistance, "household_id", ("description", "reversal_reason")),
    FreeText(FollowUp, "case__household_id", ("note",)),
)  # fmt: skip
EVENT_TEXT_PARAMS = ("reason",)


def member_cases_export(member: Member) -> dict[str, Any]:
    """The household's cases (the summary of those about this person) and the assistance this person received."""
    cases = Case.objects.filter(household_id=member.household_id).order_by("opened_on", "pk")
    assistance = (
        Assistance.objects.filter(Q(member_id=member.pk) | Q(household_id=member.household_id, member__isnull=True))
        .select_related("fund")
        .order_by("given_on", "pk")
    )
    return {
        "cases": [
            {
                "id": case.pk,
                "opened_on": case.opened_on.isoformat(),
                "status": case.status,
                "about_this_person": case.member_id == member.pk,
                "summary": case.title if case.member_id == member.pk else "",
            }
            for case in cases
        ],
        "assistance": [
            {
                "given_on": entry.given_on.isoformat(),
                "to_this_person": entry.member_id == member.pk,
                "kind": entry.kind,
                "description": entry.description,
                "amount": str(entry.amount),
                "fiscal_year": entry.fiscal_year,
                "fund": entry.fund.name if entry.fund else "",
            }
            for entry in assistance
        ],
    }


def member_cases_erase(member_ids: Sequence[int]) -> None:
    """Take the members' names out of every free text of their households' cases, and out of the trail's copies."""
    touched: list[models.Model] = []
    for member in Member.objects.filter(pk__in=member_ids):
        names = person_names(member)
        if not names:
            continue
        rows = free_texts_erase(member, FREE_TEXT)
        touched.extend(rows)
        for event in CaseEvent.objects.filter(case__household_id=member.household_id):
            params = params_without(event.params, EVENT_TEXT_PARAMS, names)
            if params != event.params:
                CaseEvent.objects.filter(pk=event.pk).update(params=params)
        _names_out_of_trail(rows, names)
    # Audit rows written before these fields were left out of the trail's copies.
    audit_forget_personal(objs=touched)


def _names_out_of_trail(rows: list[models.Model], names: list[str]) -> None:
    """Take the names out of the text the trail keeps on purpose (the reason for sending without consent)."""
    for row in rows:
        changes = ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(row), object_id=str(row.pk)
        ).values_list("pk", "before", "after")
        for change_id, before, after in changes:
            cleaned = {"before": _copy_without(before, names), "after": _copy_without(after, names)}
            if cleaned != {"before": before, "after": after}:
                ObjectChange.objects.filter(pk=change_id).update(**cleaned)


def _copy_without(copy: Any, names: list[str]) -> Any:
    if not isinstance(copy, dict):
        return copy
    return {key: text_without(value, names) if isinstance(value, str) else value for key, value in copy.items()}
