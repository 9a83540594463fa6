"""Counters never make an emergency fail: incidents opened at the same moment in one area are all counted."""

from __future__ import annotations

import pytest

from pocketbook.core.tests.threads import run_at_once
from pocketbook.incidents import services
from pocketbook.incidents.models import Incident
from pocketbook.reports.tallies import tally_read

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_incidents_opened_at_once_in_one_village_are_all_opened_and_all_counted(database_for_threads):
    # given
    def report() -> None:
        services.incident_open(incident_type="assault", channel="line", area_code="920101")

    # when
    failures = run_at_once(report, threads=THREADS)
    # then
    assert failures == []
    assert Incident.objects.count() == THREADS
    counters = tally_read(topic="incidents", area_code="920101", periods=("",))
    assert counters[("920101", "", "open")] == THREADS
