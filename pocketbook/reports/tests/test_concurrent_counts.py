"""Counters never make an emergency fail: incidents opened at the same moment in one area are all counted."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from pocketbook.incidents import services
from pocketbook.incidents.models import Incident
from pocketbook.incidents.tests.line.conftest import database_for_threads  # noqa: F401 - the fixture
from pocketbook.reports.tallies import tally_read

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_incidents_opened_at_once_in_one_village_are_all_opened_and_all_counted(database_for_threads):  # noqa: F811
    # given
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def report() -> None:
        try:
            start.wait()
            services.incident_open(incident_type="assault", channel="line", area_code="920101")
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=report) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert failures == []
    assert Incident.objects.count() == THREADS
    counters = tally_read(topic="incidents", area_code="920101", periods=("",))
    assert counters[("920101", "", "open")] == THREADS
