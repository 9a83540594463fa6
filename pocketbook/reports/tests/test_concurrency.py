"""Two transactions adding to the same new counter at once never raise (real threads, real database)."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from pocketbook.core.tests.threads import run_at_once
from pocketbook.reports.models import Tally
from pocketbook.reports.tallies import TallyChange, tally_add

THREADS = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_additions_to_a_new_counter_all_count(database_for_threads):
    # given: every thread inserts the same new counters, then holds its transaction open a moment
    def add() -> None:
        with transaction.atomic():
            tally_add([TallyChange("t", "92010101", "", "opened", 1), TallyChange("t", "920201", "", "opened", 1)])
            time.sleep(0.2)

    # when
    failures = run_at_once(add, threads=THREADS)
    # then
    assert failures == []
    counts = dict(Tally.objects.filter(topic="t").values_list("area_code", "value"))
    assert counts == {"92010101": 4, "920101": 4, "9201": 4, "920201": 4, "9202": 4, "92": 8, "": 8}
