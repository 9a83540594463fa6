"""The households and poverty counters kept current by the listeners equal a rebuild from the tables."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pocketbook.assessments import services as assessment_services
from pocketbook.assessments.tests.factories import answers_for, couple_household
from pocketbook.assessments.tests.test_rescoring import _poorer_household, _raise_poverty_line
from pocketbook.households import services as household_services
from pocketbook.households.inputs import HouseholdInput
from pocketbook.households.tests.test_import import GOOD, write_csv
from pocketbook.reports.household_counts import rebuild_households, rebuild_poverty
from pocketbook.reports.models import Tally
from pocketbook.reports.tallies import tally_read
from pocketbook.reports.tests.generated import generated_households

pytestmark = pytest.mark.django_db


def _counters() -> dict[tuple[str, str, str, str], int]:
    rows = Tally.objects.exclude(value=0).values_list("topic", "area_code", "period", "key", "value")
    return {(t, a, p, k): v for t, a, p, k, v in rows}


def _rebuilt() -> dict[tuple[str, str, str, str], int]:
    rebuild_households()
    rebuild_poverty()
    return _counters()


def test_two_visits_move_the_household_from_failing_to_passing_and_count_the_change(volunteer):
    # given: a household whose house is not tidy (living fails)
    home, head, spouse = couple_household()
    first = answers_for(head, spouse, household={"tidy_house": False})
    assessment_services.assessment_submit(
        household=home, assessed_on=dt.date(2025, 9, 1), answers=first, actor=volunteer
    )
    village = home.area_code
    assert tally_read(topic="households", area_code=village)[(village, "", "fail:living")] == 1
    # when: the next visit (next fiscal year) finds it tidy
    assessment_services.assessment_submit(
        household=home, assessed_on=dt.date(2025, 11, 1), answers=answers_for(head, spouse), actor=volunteer
    )
    # then
    now = tally_read(topic="households", area_code="92", periods=("", "fy2568", "fy2569", "m2025-09", "m2025-11"))
    assert now[("92", "", "assessed")] == 1
    assert now[("92", "", "fail:living")] == 0
    assert now[("92", "m2025-09", "assessed")] == 0
    assert now[("92", "m2025-11", "assessed")] == 1
    assert now[("92", "fy2568", "fail:living")] == 1
    assert now[("92", "fy2569", "better:living")] == 1
    assert now[("92", "fy2569", "same:health")] == 1
    assert ("92", "fy2569", "worse:living") not in now
    # and the counters are those a rebuild makes (registration aside: this household bypassed the service)
    kept = {key: value for key, value in _counters().items() if key[3] != "registered"}
    rebuilt = {key: value for key, value in _rebuilt().items() if key[3] != "registered"}
    assert kept == rebuilt


def test_a_household_registered_moved_and_gone_moves_its_counts(volunteer, manager):
    # given
    home = household_services.household_create(data=HouseholdInput(area_code="920101"), actor=manager)
    assert tally_read(topic="households", area_code="920101") == {("920101", "", "registered"): 1}
    # when: it moves to another district, then moves away
    household_services.household_update(household=home, data=HouseholdInput(area_code="920201"), actor=manager)
    moved = _counters()
    household_services.household_update(
        household=home, data=HouseholdInput(area_code="920201", status="moved"), actor=manager
    )
    # then
    assert moved[("households", "9202", "", "registered")] == 1
    assert moved[("households", "92", "", "registered")] == 1
    assert ("households", "9201", "", "registered") not in moved
    assert _counters() == {} == _rebuilt()


def test_rescoring_rebuilds_the_counters_when_the_batch_commits(volunteer, django_capture_on_commit_callbacks):
    # given: two households assessed, then the poverty line raised so their income fails
    for _ in range(2):
        _poorer_household(volunteer)
    before = _counters()
    _raise_poverty_line(50000)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rescore_assessments", batch_size=5)
    # then
    after = _counters()
    assert before.get(("households", "92", "", "fail:income"), 0) == 0
    assert after[("households", "92", "", "fail:income")] == 2
    assert after == _rebuilt()


def test_the_rebuild_of_generated_data_equals_the_sum_of_what_each_household_adds():
    # given
    latest = generated_households(7, households=40)
    # when
    counters = _rebuilt()
    # then
    assert counters[("households", "", "", "assessed")] == 40
    assert counters[("households", "", "", "registered")] == 40
    failing_health = sum(1 for a in latest if a.dimension_results["health"] == "fail")
    assert counters.get(("households", "92", "", "fail:health"), 0) == failing_health
    assert counters[("poverty", "", "", "n")] == 40


def test_the_province_pages_make_the_same_queries_at_any_size(client, manager):
    # given
    client.force_login(manager)
    sizes = []
    for seed in (21, 22):
        generated_households(seed, households=30)
        _rebuilt()
        client.get("/reports/households/?area=92")  # the first view of a session warms caches
        # when
        with CaptureQueriesContext(connection) as households_page:
            client.get("/reports/households/?area=92")
        with CaptureQueriesContext(connection) as poverty_api:
            client.get("/api/v1/reports/poverty?area=92&k=3&weights=indicators")
        sizes.append((len(households_page), len(poverty_api)))
    # then: 30 then 60 households, the same number of queries
    assert sizes[0] == sizes[1]


def test_an_import_rebuilds_the_counters_once_it_has_committed(tmp_path, django_capture_on_commit_callbacks):
    # given: two households in a file, and no counters yet
    path = write_csv(tmp_path, GOOD)
    assert tally_read(topic="households", area_code="92").get(("92", "", "registered"), 0) == 0

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import_households", str(path), "--no-progress", stdout=io.StringIO())

    # then: the dashboard counts them, as a rebuild from the tables would
    assert len(callbacks) == 1
    assert tally_read(topic="households", area_code="92")[("92", "", "registered")] == 2
    assert tally_read(topic="households", area_code="920101")[("920101", "", "registered")] == 2
    assert _counters() == _rebuilt()


def test_an_import_that_wrote_no_household_leaves_the_counters_alone(tmp_path, django_capture_on_commit_callbacks):
    # given: a file whose only row is refused (no first name)
    path = write_csv(tmp_path, [[*GOOD[0][:5], "", *GOOD[0][6:]]])

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import_households", str(path), "--no-progress", stdout=io.StringIO())

    # then
    assert callbacks == []
    assert Tally.objects.filter(topic="households").count() == 0
