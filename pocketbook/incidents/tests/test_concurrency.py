"""Incident numbers stay unique when many reports are opened at the same moment (real threads, real database)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from pocketbook.incidents import services
from pocketbook.incidents.models import Incident
from pocketbook.incidents.tests.line.conftest import database_for_threads  # noqa: F401 - the fixture

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_openings_get_distinct_consecutive_numbers(database_for_threads):  # noqa: F811
    # given
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def report() -> None:
        try:
            start.wait()
            services.incident_open(incident_type="unknown", channel="line", area_code="92")
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
    numbers = sorted(int(number[-6:]) for number in Incident.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
