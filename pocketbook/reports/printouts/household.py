"""The household's pocketbook (สมุดพกครอบครัว) as printed: the household, its members (IDs masked), the five
dimensions at every assessment, the needs, the plan and the assistance.

Everything is read through the apps' selectors, given the viewer: a household outside the viewer's areas, or a
viewer who may not see households (analysts), is missing. Opening it writes the access log as the page does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.assessments import selectors as assessments
from pocketbook.assessments.models import Assessment
from pocketbook.cases import selectors as cases
from pocketbook.cases.models import Case
from pocketbook.geo.selectors import area_get
from pocketbook.households import selectors as households
from pocketbook.households.choices import Relation
from pocketbook.households.models import Household

ACCESS_PURPOSE = "household pocketbook printout"
DATES_PER_TABLE = 6  # assessment dates side by side that fit the width of A4 (more go to a next table)


@dataclass(frozen=True)
class DimensionCell:
    """One dimension at one assessment: pass or fail, and how many of its indicators failed."""

    status: str
    failed_indicators: int


def printout_url(viewer: User, household: Household) -> str | None:
    """Where "Print pocketbook" leads from the household page (registered as a household action)."""
    if not viewer.has_perm("households.view_household"):
        return None
    return reverse("reports:household_printout", args=[household.pk])


def dimension_history(assessments_oldest_first: list[Assessment]) -> list[dict[str, Any]]:
    """The dimensions by assessment date, in tables of at most DATES_PER_TABLE dates each."""
    if not assessments_oldest_first:
        return []
    names: dict[str, str] = {}
    for assessment in assessments_oldest_first:
        for key, name in assessment.indicator_set.dimension_names().items():
            names.setdefault(key, name)
    tables = []
    for start in range(0, len(assessments_oldest_first), DATES_PER_TABLE):
        chunk = assessments_oldest_first[start : start + DATES_PER_TABLE]
        rows = []
        for key, name in names.items():
            cells = []
            for assessment in chunk:
                status = assessment.dimension_results.get(key)
                failed = sum(
                    1
                    for result in assessment.indicator_results.values()
                    if result.get("dimension") == key and result.get("status") == "fail"
                )
                cells.append(DimensionCell(status or "", failed) if status else None)
            rows.append({"key": key, "name": name, "cells": cells})
        failed_counts = [assessment.failed_dimensions for assessment in chunk]
        tables.append({"assessments": chunk, "rows": rows, "failed_counts": failed_counts})
    return tables


def _help(viewer: AnyUser, household: Household) -> dict[str, Any] | None:
    """Needs, each case's plan and the assistance, for a viewer who may see cases (None otherwise)."""
    if not viewer.has_perm("cases.view_case"):
        return None
    case_rows = []
    for case in cases.household_cases(viewer=viewer, household=household):
        case_rows.append(_case_row(viewer, case))
    may_see_assistance = viewer.has_perm("cases.view_assistance")
    assistance, total = (
        cases.household_assistance(viewer=viewer, household=household) if may_see_assistance else ([], 0)
    )
    return {
        "needs": cases.household_needs(viewer=viewer, household=household),
        "cases": case_rows,
        "assistance": assistance,
        "assistance_total": total,
        "may_see_assistance": may_see_assistance,
        "may_see_amounts": viewer.has_perm("cases.view_assistance_amount"),
    }


def _case_row(viewer: AnyUser, case: Case) -> dict[str, Any]:
    detail = cases.case_detail(viewer=viewer, case=case)
    return {"case": case, "plan_items": detail.plan_items, "referrals": detail.referrals}


def household_printout(*, viewer: AnyUser, pk: int) -> dict[str, Any]:
    """The pocketbook's context; raise Household.DoesNotExist when missing or outside the viewer's reach."""
    household = households.household_open(viewer=viewer, pk=pk, purpose=ACCESS_PURPOSE)
    members = list(households.member_list(viewer=viewer, household=household))
    history = list(assessments.assessment_list(viewer=viewer, household_id=household.pk))
    history.reverse()  # oldest first, as a book is read
    latest = history[-1] if history else None
    lines = []
    if latest is not None:
        names = assessments.member_names(viewer=viewer, household_id=household.pk)
        lines = [line for line in assessments.result_lines(latest, names) if line.status == "fail"]
    area = area_get(household.area_code)
    return {
        "household": household,
        "area_label": area.label if area is not None else household.area_code,
        "members": members,
        "head": next((m for m in members if m.relation == Relation.HEAD), None) if household.has_consent else None,
        "assessments": history,
        "latest": latest,
        "history_tables": dimension_history(history),
        "failed_lines": lines,
        "help": _help(viewer, household),
    }
