"""Every read of the cases app; each takes the viewer and applies area scoping (out of scope is 404)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pocketbook.accounts.http import AnyUser
from pocketbook.geo.models import Village
from pocketbook.geo.selectors import village_condition
from pocketbook.households.models import Household

from .choices import OPEN_PLAN_STATUSES, CaseStage, CaseStatus, NeedStatus, ReferralStatus
from .models import (
    Agency,
    Assistance,
    Case,
    CaseEvent,
    FollowUp,
    Fund,
    FundBudget,
    FundSpending,
    Need,
    PlanItem,
    Referral,
)
from .rules import search_key, stale_days

SOON_DAYS = 7
CENT = Decimal("0.01")


def _mine(viewer: AnyUser, prefix: str = "") -> Q:
    return Q(**{f"{prefix}worker": viewer}) | Q(**{f"{prefix}volunteer": viewer})


def _my_open_case_ids(viewer: AnyUser) -> list[int]:
    """The open cases the viewer works on or volunteers for, as two indexed look-ups (an OR of the two columns
    would make the database walk every open case of the province)."""
    scoped = Case.objects.for_user(viewer, "view").filter(status=CaseStatus.OPEN).order_by()
    worked = scoped.filter(worker_id=viewer.pk).values_list("id", flat=True)
    volunteered = scoped.filter(volunteer_id=viewer.pk).values_list("id", flat=True)
    return sorted(set(worked) | set(volunteered))


def my_tasks_count(viewer: AnyUser) -> int | None:
    """How many of the viewer's open cases need attention today or earlier (one indexed query; the menu badge)."""
    if not viewer.is_authenticated:
        return None
    count = Case.objects.filter(worker=viewer, status=CaseStatus.OPEN, attention_on__lte=timezone.localdate()).count()
    return count or None


@dataclass
class Tasks:
    """What the viewer has to do, overdue first in each list."""

    today: dt.date
    plan_items: list[PlanItem] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    follow_ups: Sequence[Case] = field(default_factory=list)  # annotated with their next visit
    stale_cases: Sequence[Case] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.plan_items) + len(self.referrals) + len(self.follow_ups) + len(self.stale_cases)


TASK_LIMIT = 20


def my_tasks(*, viewer: AnyUser, today: dt.date | None = None) -> Tasks:
    """Plan items due within a week or overdue, referrals waiting for an answer, visits due, stale cases.

    Every open case with something due soon has `attention_on` on or before then (it is the earliest due date,
    the stale date included), so one indexed query finds the cases, and the lists come from them in two more.
    """
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=SOON_DAYS)
    mine = _my_open_case_ids(viewer)
    # The next visit is the one the latest follow-up set.
    latest_next = FollowUp.objects.filter(case=OuterRef("pk")).order_by("-visited_on", "-id").values("next_visit_on")
    # Only the columns the page shows: no household row (its encrypted fields cost a decryption each).
    due_cases = list(
        Case.objects.filter(pk__in=mine, attention_on__lte=soon)
        .annotate(next_visit=Subquery(latest_next[:1]))
        .only("id", "title", "last_contact_on", "attention_on")
        .order_by("attention_on", "id")
    )
    stale_before = today - dt.timedelta(days=stale_days())
    tasks = Tasks(today=today)
    tasks.plan_items = list(
        PlanItem.objects.filter(
            case_id__in=[case.pk for case in due_cases], status__in=OPEN_PLAN_STATUSES, due_on__lte=soon
        )
        .select_related("case")
        .only("id", "action", "due_on", "case__id")
        .order_by("due_on", "id")[:TASK_LIMIT]
    )
    tasks.referrals = list(
        Referral.objects.filter(case_id__in=mine, status=ReferralStatus.SENT)
        .select_related("case", "agency")
        .only("id", "answer_due_on", "case__id", "agency__id", "agency__name", "agency__name_en")
        .order_by("answer_due_on", "id")[:TASK_LIMIT]
    )
    visits = [case for case in due_cases if case.next_visit is not None and case.next_visit <= soon]
    tasks.follow_ups = sorted(visits, key=lambda case: case.next_visit)[:TASK_LIMIT]
    tasks.stale_cases = sorted(
        (case for case in due_cases if case.last_contact_on < stale_before), key=lambda case: case.last_contact_on
    )[:TASK_LIMIT]
    return tasks


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    stage: str = ""
    area_code: str = ""
    worker: str = ""  # "me", "" (everyone) or a user id
    text: str = ""
    village: str = ""  # a village's name or หมู่ number, or an area code (geo.village_condition)


def case_list(*, viewer: AnyUser, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases the viewer may see, filtered; open cases needing attention first (overdue and stale first)."""
    filters = filters or CaseFilters()
    cases = Case.objects.for_user(viewer, "view").select_related("household", "worker", "volunteer")
    if filters.status in CaseStatus.values:
        cases = cases.filter(status=filters.status)
    if filters.stage in CaseStage.values:
        cases = cases.filter(stage=filters.stage)
    if filters.area_code.isdigit():
        cases = cases.filter(household__area_code__startswith=filters.area_code)
    if filters.village:
        cases = cases.filter(village_condition(viewer=viewer, field="household__area_code", text=filters.village))
    if filters.worker == "me":
        cases = (
            cases.filter(pk__in=_my_open_case_ids(viewer))
            if filters.status == CaseStatus.OPEN
            else cases.filter(_mine(viewer))
        )
    elif filters.worker.isdigit() and len(filters.worker) < 19:
        cases = cases.filter(worker_id=int(filters.worker))
    if filters.text:
        cases = cases.filter(title__icontains=filters.text)
    if filters.status == CaseStatus.OPEN:
        return cases.order_by("attention_on", "id")  # open cases always have a date: the index serves the order
    return cases.order_by(F("attention_on").asc(nulls_last=True), "-id")


def case_get(*, viewer: AnyUser, pk: int, action: str = "view") -> Case:
    """One case the viewer may `action`, else 404 (missing and out of scope alike)."""
    return get_object_or_404(
        Case.objects.for_user(viewer, action).select_related("household", "member", "worker", "volunteer", "incident"),
        pk=pk,
    )


@dataclass
class CaseDetail:
    case: Case
    needs: list[Need]
    plan_items: list[PlanItem]
    referrals: list[Referral]
    assistance: list[Assistance]
    follow_ups: list[FollowUp]
    events: list[CaseEvent]
    suggested_needs: list[Need]


def case_detail(*, viewer: AnyUser, case: Case) -> CaseDetail:
    """Everything the case page shows, in a fixed number of queries."""
    may_see_assistance = viewer.has_perm("cases.view_assistance")
    return CaseDetail(
        case=case,
        needs=list(case.needs.select_related("indicator").order_by("dimension", "id")),
        plan_items=list(case.plan_items.select_related("need__indicator", "agency", "responsible_user")),
        referrals=list(case.referrals.select_related("agency", "need__indicator")),
        assistance=list(
            case.assistance.select_related("fund").annotate(
                is_reversed=Exists(Assistance.objects.filter(reverses=OuterRef("pk")))
            )
        )
        if may_see_assistance
        else [],
        follow_ups=list(case.follow_ups.select_related("visited_by")),
        events=list(case.events.select_related("actor")[:200]),
        suggested_needs=list(
            Need.objects.filter(
                household_id=case.household_id, case__isnull=True, status=NeedStatus.SUGGESTED
            ).select_related("indicator")
        ),
    )


def need_get(*, viewer: AnyUser, pk: int, action: str = "view") -> Need:
    return get_object_or_404(Need.objects.for_user(viewer, action).select_related("household", "indicator"), pk=pk)


def plan_item_get(*, viewer: AnyUser, pk: int, action: str = "view") -> PlanItem:
    return get_object_or_404(PlanItem.objects.for_user(viewer, action).select_related("case__household"), pk=pk)


def referral_get(*, viewer: AnyUser, pk: int, action: str = "view") -> Referral:
    return get_object_or_404(
        Referral.objects.for_user(viewer, action).select_related(
            "case__household", "case__member", "agency", "need__indicator", "created_by"
        ),
        pk=pk,
    )


def assistance_get(*, viewer: AnyUser, pk: int, action: str = "view") -> Assistance:
    return get_object_or_404(Assistance.objects.for_user(viewer, action).select_related("fund", "case"), pk=pk)


def household_needs(*, viewer: AnyUser, household: Household) -> list[Need]:
    """The household's standing needs (suggested or being worked on), for the household page and case opening."""
    return list(
        Need.objects.for_user(viewer, "view")
        .filter(household=household, met_on__isnull=True, status__in=[NeedStatus.SUGGESTED, NeedStatus.ACCEPTED])
        .select_related("indicator")
    )


def households_with_open_case(household_ids: Sequence[int]) -> list[int]:
    """Which of the households have an open case: no viewer, for the wiring that keeps their visits weekly."""
    found: list[int] = []
    for start in range(0, len(household_ids), 1000):
        chunk = household_ids[start : start + 1000]
        found += Case.objects.filter(household_id__in=chunk, status=CaseStatus.OPEN).values_list(
            "household_id", flat=True
        )
    return found


def household_cases(*, viewer: AnyUser, household: Household) -> list[Case]:
    return list(Case.objects.for_user(viewer, "view").filter(household=household).order_by("-opened_on", "-id"))


def household_assistance(*, viewer: AnyUser, household: Household) -> tuple[list[Assistance], Decimal]:
    """The assistance the household received and its total (reversals subtracted)."""
    rows = list(Assistance.objects.for_user(viewer, "view").filter(household=household).select_related("fund"))
    return rows, sum((row.amount for row in rows), Decimal("0"))


def household_section(viewer: AnyUser, household: Household) -> dict[str, Any] | None:
    """The cases section of the household page (None: this viewer may not see cases)."""
    if not viewer.has_perm("cases.view_case"):
        return None
    cases = household_cases(viewer=viewer, household=household)
    assistance, total = household_assistance(viewer=viewer, household=household)
    return {
        "open_case": next((case for case in cases if case.is_open), None),
        "closed_cases": [case for case in cases if not case.is_open],
        "needs": household_needs(viewer=viewer, household=household),
        "assistance": assistance,
        "assistance_total": total,
        "may_open": viewer.has_perm("cases.add_case"),
        "may_see_amounts": viewer.has_perm("cases.view_assistance_amount"),
    }


def agency_search(*, text: str = "", service: str = "", area_code: str = "") -> QuerySet[Agency]:
    """Active agencies whose name, kind, address or services contain `text` (Thai or English, spaces ignored)."""
    agencies = Agency.objects.filter(is_active=True).prefetch_related("services", "areas", "contacts")
    key = search_key(text)
    if key:
        agencies = agencies.filter(search_text__contains=key)
    if service:
        agencies = agencies.filter(services__service=service)
    if area_code.isdigit():
        prefixes = [area_code[:length] for length in (2, 4, 6, 8) if len(area_code) >= length]
        agencies = agencies.filter(areas__area_code__in=prefixes)
    return agencies.distinct().order_by("name", "id")


@dataclass(frozen=True)
class BudgetLine:
    fund: Fund
    fiscal_year: int
    budget: Decimal
    used: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.used


def fund_totals(*, viewer: AnyUser) -> list[BudgetLine]:
    """Each fund's budget, what was given or spent and what remains, per fiscal year (three queries)."""
    funds = {fund.pk: fund for fund in Fund.objects.for_user(viewer, "view")}
    used: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for model in (Assistance, FundSpending):  # assistance given, and what training projects spent
        for row in (
            model.objects.filter(fund_id__in=funds).values("fund_id", "fiscal_year").annotate(total=Sum("amount"))
        ):
            used[(row["fund_id"], row["fiscal_year"])] += Decimal(row["total"]).quantize(CENT)
    return [
        BudgetLine(
            funds[budget.fund_id],
            budget.fiscal_year,
            budget.amount,
            used.get((budget.fund_id, budget.fiscal_year)) or Decimal("0"),
        )
        for budget in FundBudget.objects.filter(fund_id__in=funds).order_by("fund__name", "-fiscal_year")
    ]


def fund_get(*, viewer: AnyUser, pk: int, action: str = "view") -> Fund:
    return get_object_or_404(Fund.objects.for_user(viewer, action), pk=pk)


def funds_for(*, viewer: AnyUser) -> QuerySet[Fund]:
    return Fund.objects.for_user(viewer, "view").filter(is_active=True)


def village_labels(codes: set[str]) -> dict[str, str]:
    """ "หมู่ 1 บ้านทับเที่ยง" for each village code of a list page, in one query (a code a person cannot read)."""
    return {
        village.code: str(village) for village in Village.objects.filter(code__in=codes).only("code", "number", "name")
    }
