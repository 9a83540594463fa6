"""Two transactions adding to the same new counter at once never raise (real threads, real database)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from pocketbook.incidents.tests.line.conftest import database_for_threads  # noqa: F401 - the fixture
from pocketbook.reports.models import Tally
from pocketbook.reports.tallies import TallyChange, tally_add

THREADS = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_additions_to_a_new_counter_all_count(database_for_threads):  # noqa: F811
    # given: every thread inserts the same new counters, then holds its transaction open a moment
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def add() -> None:
        try:
            start.wait()
            with transaction.atomic():
                tally_add([TallyChange("t", "92010101", "", "opened", 1), TallyChange("t", "920201", "", "opened", 1)])
                time.sleep(0.2)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=add) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert failures == []
    counts = dict(Tally.objects.filter(topic="t").values_list("area_code", "value"))
    assert counts == {"92010101": 4, "920101": 4, "9201": 4, "920201": 4, "9202": 4, "92": 8, "": 8}
