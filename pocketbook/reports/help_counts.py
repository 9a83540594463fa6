"""The "cases" topic: help counters per area and period, kept by the cases listeners and rebuilt set-based.

Keys of the current state (period ""): open (cases open), referrals:<status>, and
referral_due:<YYYY-MM-DD> (referrals waiting for an answer, by the day the answer is due: those due before
today are overdue, so no counter has to change at midnight).
Keys of a month and a fiscal year: opened, closed:<status>, need_to_help_days:<bucket> (days from the case's
first need, or its opening, to its first assistance).
Keys of the fiscal year (BE) of each assistance entry: assistance_satang, assistance_entries, and
fund:<fund id or "none">:satang / fund:<id>:entries (a reversal subtracts its entry and amount).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from pocketbook.cases.choices import CaseStatus, ReferralStatus
from pocketbook.cases.models import Assistance, Case, Referral
from pocketbook.reports.histograms import DAY_EDGES, bucket_key
from pocketbook.reports.periods import CURRENT, fiscal_year_be_period, local_day, periods_of
from pocketbook.reports.tallies import TallyChange, tally_add, tally_replace_topic

logger = logging.getLogger(__name__)

TOPIC = "cases"
Key = tuple[str, str, str]


def _safely(what: str, pk: Any, changes: Iterable[TallyChange]) -> None:
    """Write the changes; a statistic never makes the help fail (logged, mended by rebuild_aggregates)."""
    try:
        with transaction.atomic():
            tally_add(list(changes))
    except Exception:
        logger.exception("Help counters not updated for %s %s; rebuild_aggregates mends them", what, pk)


def _diff(area: str, after: list[tuple[str, str]], before: list[tuple[str, str]]) -> list[TallyChange]:
    deltas: Counter[tuple[str, str]] = Counter(after)
    deltas.subtract(before)
    return [TallyChange(TOPIC, area, period, key, delta) for (period, key), delta in deltas.items() if delta]


# --- cases ---------------------------------------------------------------------------------------------------------


def case_contributions(state: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(period, key) pairs one case in this state counts in."""
    keys = [(period, "opened") for period in periods_of(state["opened_on"])]
    if state["status"] == CaseStatus.OPEN:
        keys.append((CURRENT, "open"))
    elif state["closed_at"] is not None:
        keys += [(period, f"closed:{state['status']}") for period in periods_of(local_day(state["closed_at"]))]
    return keys


def _case_state(source: Any) -> dict[str, Any]:
    get = source.get if isinstance(source, Mapping) else lambda field: getattr(source, field)
    return {"status": get("status"), "opened_on": get("opened_on"), "closed_at": get("closed_at")}


def case_counted(case: Case, before: Mapping[str, Any] | None) -> None:
    """The cases' listener: move the counters from the case's old state to its new one."""
    after = case_contributions(_case_state(case))
    previous = case_contributions(_case_state(before)) if before is not None else []
    _safely("case", case.pk, _diff(case.household.area_code, after, previous))


# --- referrals -----------------------------------------------------------------------------------------------------


def referral_contributions(state: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(period, key) pairs one referral in this state counts in."""
    keys = [(CURRENT, f"referrals:{state['status']}")]
    if state["status"] == ReferralStatus.SENT:
        keys.append((CURRENT, f"referral_due:{state['answer_due_on'].isoformat()}"))
    return keys


def referral_counted(referral: Referral, before: Mapping[str, Any] | None) -> None:
    """The referrals' listener: move the counters from the referral's old state to its new one."""
    state = {"status": referral.status, "answer_due_on": referral.answer_due_on}
    previous = referral_contributions(before) if before is not None else []
    _safely("referral", referral.pk, _diff(referral.case.household.area_code, referral_contributions(state), previous))


# --- assistance ----------------------------------------------------------------------------------------------------


def _satang(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def assistance_keys(*, fund_id: int | None, amount: Decimal, entries: int) -> list[tuple[str, int]]:
    """(key, value) pairs an assistance entry adds in its fiscal year."""
    fund = str(fund_id) if fund_id is not None else "none"
    satang = _satang(amount)
    return [
        ("assistance_satang", satang),
        ("assistance_entries", entries),
        (f"fund:{fund}:satang", satang),
        (f"fund:{fund}:entries", entries),
    ]


def need_to_help_days(*, first_help: dt.date, first_need: dt.date | None, opened_on: dt.date) -> int:
    """Days from the case's first need (or its opening, when earlier or without needs) to its first help."""
    start = min(day for day in (first_need, opened_on) if day is not None)
    return max((first_help - start).days, 0)


def assistance_counted(entry: Assistance) -> None:
    """The assistance listener: add the entry (a reversal subtracts) and, for a case's first help, its delay."""
    period = fiscal_year_be_period(entry.fiscal_year)
    entries = 1 if entry.amount > 0 else -1
    changes = [
        TallyChange(TOPIC, entry.household.area_code, period, key, value)
        for key, value in assistance_keys(fund_id=entry.fund_id, amount=entry.amount, entries=entries)
    ]
    if entry.case_id is not None and entry.amount > 0:
        case = entry.case
        assert case is not None
        helped_before = Assistance.objects.filter(case_id=case.pk, amount__gt=0).exclude(pk=entry.pk).exists()
        if not helped_before:
            first_need = case.needs.aggregate(first=Min("created_at"))["first"]
            days = need_to_help_days(
                first_help=entry.given_on,
                first_need=local_day(first_need) if first_need is not None else None,
                opened_on=case.opened_on,
            )
            key = bucket_key("need_to_help_days", days, DAY_EDGES)
            changes += [TallyChange(TOPIC, case.household.area_code, p, key, 1) for p in periods_of(entry.given_on)]
    _safely("assistance", entry.pk, changes)


# --- the rebuild ---------------------------------------------------------------------------------------------------


def rebuild_rows() -> list[TallyChange]:
    """Every counter of the topic, grouped in the database."""
    totals: Counter[Key] = Counter()
    zone = timezone.get_current_timezone()
    cases = Case.objects.order_by()
    for area, opened_on, n in (
        cases.values("household__area_code", "opened_on")
        .annotate(n=Count("id"))
        .values_list("household__area_code", "opened_on", "n")
    ):
        for period in periods_of(opened_on):
            totals[(area, period, "opened")] += n
    for area, n in (
        cases.filter(status=CaseStatus.OPEN)
        .values("household__area_code")
        .annotate(n=Count("id"))
        .values_list("household__area_code", "n")
    ):
        totals[(area, CURRENT, "open")] += n
    closed = (
        cases.exclude(status=CaseStatus.OPEN)
        .filter(closed_at__isnull=False)
        .annotate(day=TruncDate("closed_at", tzinfo=zone))
        .values("household__area_code", "day", "status")
        .annotate(n=Count("id"))
        .values_list("household__area_code", "day", "status", "n")
    )
    for area, day, status, n in closed:
        for period in periods_of(day):
            totals[(area, period, f"closed:{status}")] += n
    referrals = (
        Referral.objects.order_by()
        .values("case__household__area_code", "status", "answer_due_on")
        .annotate(n=Count("id"))
        .values_list("case__household__area_code", "status", "answer_due_on", "n")
    )
    for area, status, due, n in referrals:
        for period, key in referral_contributions({"status": status, "answer_due_on": due}):
            totals[(area, period, key)] += n
    _assistance_rows(totals)
    _need_to_help_rows(totals)
    return [TallyChange(TOPIC, area, period, key, n) for (area, period, key), n in totals.items() if n]


def _assistance_rows(totals: Counter[Key]) -> None:
    grouped = (
        Assistance.objects.order_by()
        .values("household__area_code", "fiscal_year", "fund_id")
        .annotate(
            total=Sum("amount"),
            positive=Count("id", filter=Q(amount__gt=0)),
            negative=Count("id", filter=Q(amount__lt=0)),
        )
        .values_list("household__area_code", "fiscal_year", "fund_id", "total", "positive", "negative")
    )
    for area, year, fund_id, total, positive, negative in grouped:
        for key, value in assistance_keys(fund_id=fund_id, amount=Decimal(total), entries=positive - negative):
            totals[(area, fiscal_year_be_period(year), key)] += value


def _need_to_help_rows(totals: Counter[Key]) -> None:
    # One row per helped case with its dates, grouped by those dates: the delay needs the first help and the first
    # need of the same case, which no single GROUP BY over areas gives.
    zone = timezone.get_current_timezone()
    helped = (
        Case.objects.order_by()
        .annotate(
            first_help=Min("assistance__given_on", filter=Q(assistance__amount__gt=0)),
            first_need=Min("needs__created_at"),
        )
        .filter(first_help__isnull=False)
        .values_list("household__area_code", "opened_on", "first_help", "first_need")
    )
    for area, opened_on, first_help, first_need in helped.iterator(chunk_size=5000):
        need_day = timezone.localtime(first_need, zone).date() if first_need is not None else None
        days = need_to_help_days(first_help=first_help, first_need=need_day, opened_on=opened_on)
        for period in periods_of(first_help):
            totals[(area, period, bucket_key("need_to_help_days", days, DAY_EDGES))] += 1


def rebuild() -> int:
    """Replace the topic's counters with those counted from cases, referrals and assistance."""
    return tally_replace_topic(TOPIC, rebuild_rows())
