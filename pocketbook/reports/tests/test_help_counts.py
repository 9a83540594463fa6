"""The "cases" topic: open cases, referrals by state and due day, assistance by fund, time from need to help."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pocketbook.cases import services
from pocketbook.cases.rules import referral_answer_days
from pocketbook.reports import help_counts, ops_figures
from pocketbook.reports.histograms import counts_from_keys
from pocketbook.reports.models import Tally
from pocketbook.reports.periods import fiscal_year_period, month_period
from pocketbook.reports.tallies import tally_read

pytestmark = pytest.mark.usefixtures("english")


def _all_counters() -> dict[tuple[str, str, str], int]:
    return {
        (area, period, key): value
        for area, period, key, value in Tally.objects.filter(topic="cases")
        .exclude(value=0)
        .values_list("area_code", "period", "key", "value")
    }


@pytest.fixture
def helped_case(household, social_worker, agency, fund):
    """A case with a referral answered, one waiting, and two assistance entries, one of them reversed."""
    case = services.case_open(household=household, title="ค่าเทอม", actor=social_worker)
    first = services.referral_create(case=case, agency=agency, request="ทุนการศึกษา", actor=social_worker)
    services.referral_create(case=case, agency=agency, request="อุปกรณ์", actor=social_worker)
    services.referral_answer(referral=first, status="accepted", answered_by_name="คุณสมชาย")
    today = timezone.localdate()
    given = services.assistance_record(
        household=household,
        kind="cash_grant",
        amount="1500",
        given_on=today,
        actor=social_worker,
        fund=fund,
        case=case,
    )
    services.assistance_record(
        household=household, kind="cash_grant", amount="500", given_on=today, actor=social_worker
    )
    services.assistance_reverse(assistance=given, reason="บันทึกซ้ำ", actor=social_worker)
    return case


@pytest.mark.django_db
def test_the_listeners_count_what_a_rebuild_counts(helped_case, social_worker):
    # given
    services.case_close(case=helped_case, status="helped", actor=social_worker, note="ปิดแผน")
    kept = _all_counters()
    # when
    help_counts.rebuild()
    # then
    assert _all_counters() == kept


@pytest.mark.django_db
def test_the_subdistrict_counts_open_cases_referrals_and_assistance_by_fund(helped_case, fund):
    # given
    today = timezone.localdate()
    year = fiscal_year_period(today)
    # when
    counters = tally_read(topic="cases", area_code="920101", periods=("", year, month_period(today)))
    # then
    current = {key: value for (_a, period, key), value in counters.items() if period == "" and value}
    due = (today + dt.timedelta(days=referral_answer_days())).isoformat()
    assert current == {"open": 1, "referrals:accepted": 1, "referrals:sent": 1, f"referral_due:{due}": 1}
    in_year = {key: value for (_a, period, key), value in counters.items() if period == year and value}
    assert in_year["assistance_satang"] == 50000
    assert in_year["assistance_entries"] == 1
    assert f"fund:{fund.pk}:satang" not in in_year and f"fund:{fund.pk}:entries" not in in_year  # reversed
    assert in_year["fund:none:satang"] == 50000
    assert in_year["opened"] == 1
    assert counts_from_keys(in_year, "need_to_help_days") == {0: 1}


def test_the_delay_runs_from_the_first_need_or_the_opening_whichever_came_first():
    # given
    help_day, need_day, opened = dt.date(2026, 3, 10), dt.date(2026, 3, 1), dt.date(2026, 3, 5)
    # when
    from_need = help_counts.need_to_help_days(first_help=help_day, first_need=need_day, opened_on=opened)
    from_opening = help_counts.need_to_help_days(first_help=help_day, first_need=None, opened_on=opened)
    # then
    assert (from_need, from_opening) == (9, 5)


@pytest.mark.django_db
def test_the_help_figures_count_overdue_referrals_from_their_due_day(helped_case, fund):
    # given
    today = timezone.localdate()
    later = today + dt.timedelta(days=referral_answer_days() + 1)
    year = int(fiscal_year_period(today)[2:])
    # when
    on_time = ops_figures.help_figures(area_code="92", year=year, today=today)
    too_late = ops_figures.help_figures(area_code="92", year=year, today=later)
    # then
    assert (on_time.open_cases, on_time.referrals_overdue, too_late.referrals_overdue) == (1, 0, 1)
    assert [(row.key, row.value) for row in on_time.referrals] == [("sent", 1), ("accepted", 1)]
    assert [(row.label, row.entries, str(row.baht)) for row in on_time.funds] == [("Not from a fund", 1, "500.00")]
    assert [str(baht) for baht in on_time.funds[0].baht_by_year] == ["0.00", "0.00", "500.00"]
    assert on_time.fund_years == [year - 2, year - 1, year]
    assert (on_time.assistance_entries, str(on_time.assistance_baht)) == (1, "500.00")
    assert (on_time.helped_cases, on_time.days_median) == (1, 0.5)
    assert [(row.code, row.values["open_cases"]) for row in on_time.areas] == [("9201", 1)]
