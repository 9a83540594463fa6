"""Incident numbers stay unique when many reports are opened at the same moment (real threads, real database)."""

from __future__ import annotations

import pytest

from pocketbook.core.tests.threads import run_at_once
from pocketbook.incidents import services
from pocketbook.incidents.models import Incident

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_openings_get_distinct_consecutive_numbers(database_for_threads):
    # given
    def report() -> None:
        services.incident_open(incident_type="unknown", channel="line", area_code="92")

    # when
    failures = run_at_once(report, threads=THREADS)
    # then
    assert failures == []
    numbers = sorted(int(number[-6:]) for number in Incident.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
