"""The "incidents" topic: the listener keeps the counters as a rebuild would count them."""

from __future__ import annotations

import datetime as dt

import pytest

from pocketbook.incidents import services
from pocketbook.incidents.services.sla import incidents_escalate_overdue
from pocketbook.incidents.tests.conftest import frozen
from pocketbook.reports import ess_counts, ops_figures
from pocketbook.reports.histograms import MINUTE_EDGES, counts_from_keys, quantile
from pocketbook.reports.models import Tally
from pocketbook.reports.tallies import tally_read

BANGKOK = dt.timezone(dt.timedelta(hours=7))


def _all_counters() -> dict[tuple[str, str, str, str], int]:
    return {
        (area, period, key, str(value)): value
        for area, period, key, value in Tally.objects.filter(topic="incidents", value__gt=0).values_list(
            "area_code", "period", "key", "value"
        )
    }


@pytest.fixture
def trang_incidents(ess_operator):
    """Four incidents of December 2026 in Trang: acknowledged after 4 and 12 minutes, one closed, one overdue."""
    start = dt.datetime(2026, 12, 3, 21, 10, tzinfo=BANGKOK)
    with frozen(start):
        first = services.incident_open(incident_type="assault", channel="line", area_code="920101")
        second = services.incident_open(incident_type="assault", channel="hotline", area_code="920104")
        third = services.incident_open(
            incident_type="elderly", channel="hotline", area_code="920201", actor=ess_operator
        )
        services.incident_open(incident_type="unknown", channel="line", area_code="920101")
    with frozen(start + dt.timedelta(minutes=4)):
        services.incident_acknowledge(incident=first, actor=ess_operator)
    with frozen(start + dt.timedelta(minutes=12)):
        services.incident_acknowledge(incident=second, actor=ess_operator)
        services.incident_status_change(incident=third, status="false_alarm", actor=ess_operator)
    incidents_escalate_overdue(now=start + dt.timedelta(hours=3))
    return first, second, third


@pytest.mark.django_db
def test_the_listener_counts_what_a_rebuild_counts(trang_incidents):
    # given
    kept = _all_counters()
    # when
    written = ess_counts.rebuild()
    # then
    assert written > 0
    assert _all_counters() == kept


@pytest.mark.django_db
def test_the_province_counts_types_channels_hours_and_the_current_state(trang_incidents):
    # when
    counters = tally_read(topic="incidents", area_code="92", periods=("", "m2026-12", "fy2570"))
    # then
    month = {key: value for (_area, period, key), value in counters.items() if period == "m2026-12"}
    assert month["received"] == 4
    assert month["type:assault"] == 2 and month["type:elderly"] == 1 and month["type:unknown"] == 1
    assert month["channel:line"] == 2 and month["channel:hotline"] == 2
    assert month["closed:false_alarm"] == 1
    fiscal_year = {key: value for (_area, period, key), value in counters.items() if period == "fy2570"}
    assert {key: value for key, value in fiscal_year.items() if key in month} == month
    assert fiscal_year["hour:21"] == 4
    assert counts_from_keys(fiscal_year, "ack_min") == {4: 1, 12: 1}
    current = {key: value for (_area, period, key), value in counters.items() if period == ""}
    assert current == {"open": 3, "status:received": 1, "status:acknowledged": 2, "open_overdue": 3}


@pytest.mark.django_db
def test_a_district_sees_only_its_incidents_and_re_placing_one_moves_it(trang_incidents, ess_operator):
    # given
    first = trang_incidents[0]
    # when
    services.incident_location_set(incident=first, area_code="920201", actor=ess_operator)
    # then
    muang = tally_read(topic="incidents", area_code="9201", periods=("m2026-12",))
    kantang = tally_read(topic="incidents", area_code="9202", periods=("fy2570",))
    assert muang[("9201", "m2026-12", "received")] == 2
    assert kantang[("9202", "fy2570", "received")] == 2
    assert kantang[("9202", "fy2570", "ack_min:4")] == 1


def test_the_median_and_p90_are_read_from_the_buckets():
    # given: 10 durations, 5 in [4, 5) minutes and 5 in [12, 15)
    counts = {4: 5, 12: 5}
    # when / then
    assert quantile(counts, 0.5, MINUTE_EDGES) == 5.0
    assert quantile(counts, 0.9, MINUTE_EDGES) == pytest.approx(14.4)
    assert quantile({}, 0.5, MINUTE_EDGES) is None


@pytest.mark.django_db
def test_a_failing_counter_never_fails_the_incident(monkeypatch):
    # given
    def broken(changes):
        raise RuntimeError("the statistics table is gone")

    monkeypatch.setattr(ess_counts, "tally_add", broken)
    # when
    incident = services.incident_open(incident_type="assault", channel="line", area_code="920101")
    # then
    assert incident.pk is not None
    assert Tally.objects.filter(topic="incidents").count() == 0


@pytest.mark.django_db
def test_the_ess_figures_of_the_province(trang_incidents):
    # when
    figures = ops_figures.ess_figures(area_code="92", year=2570)
    # then
    assert (figures.received, figures.open, figures.open_overdue) == (4, 3, 3)
    assert [(row.key, row.value) for row in figures.by_type] == [("assault", 2), ("unknown", 1), ("elderly", 1)]
    assert [(row.key, row.value) for row in figures.by_channel] == [("line", 2), ("hotline", 2)]
    assert figures.by_hour[21].value == 4 and sum(row.value or 0 for row in figures.by_hour) == 4
    assert [row.value for row in figures.by_month][2] == 4  # December is the third month of the fiscal year
    acknowledge = figures.steps[0]
    assert (acknowledge.counted, acknowledge.median, acknowledge.met, acknowledge.late) == (2, 5.0, 1, 1)
    assert acknowledge.compliance == 50  # high priority: acknowledged within 5 minutes
    assert [(row.code, row.values) for row in figures.areas] == [
        ("9201", {"received": 3, "open": 3, "open_overdue": 3}),
        ("9202", {"received": 1, "open": 0, "open_overdue": 0}),
    ]
