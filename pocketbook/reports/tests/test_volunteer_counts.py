"""The "volunteers" topic: visits done and due, training participants and check-ins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.reports import ops_figures, volunteer_counts
from pocketbook.reports.models import Tally
from pocketbook.reports.periods import month_period
from pocketbook.reports.tallies import tally_read
from pocketbook.volunteers import services, training_services
from pocketbook.volunteers.tests.factories import ProjectFactory, SessionFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def _all_counters() -> dict[tuple[str, str, str], int]:
    return {
        (area, period, key): value
        for area, period, key, value in Tally.objects.filter(topic="volunteers")
        .exclude(value=0)
        .values_list("area_code", "period", "key", "value")
    }


@pytest.fixture
def visited(volunteer, social_worker):
    """Two households of the volunteer, one visited today."""
    linked = VolunteerFactory(user=volunteer)
    first, second = HouseholdFactory(), HouseholdFactory()
    services.households_assign(household_ids=[first.pk, second.pk], volunteer=linked, actor=social_worker)
    volunteer_counts.rebuild()  # the schedules the assignment made are counted by the nightly rebuild
    services.visit_record(household=first, visited_on=timezone.localdate(), note="เยี่ยมบ้าน", actor=volunteer)
    return first, second


@pytest.fixture
def trained(manager):
    """A provincial project of fiscal year 2570 with two people registered, one checked in twice."""
    project = ProjectFactory(fiscal_year=2570)
    morning, afternoon = SessionFactory(project=project), SessionFactory(project=project)
    one = training_services.participant_add(project=project, role="staff", first_name="มานี", actor=manager)
    training_services.participant_add(project=project, role="speaker", first_name="ชูใจ", actor=manager)
    training_services.check_in(session=morning, participant=one, method="tick", actor=manager)
    training_services.check_in(session=afternoon, participant=one, method="tick", actor=manager)
    return project


def test_a_visit_counts_as_done_and_moves_the_household_to_a_later_due_month(visited):
    # given
    today = timezone.localdate()
    later = today + dt.timedelta(days=90)
    # when
    counters = tally_read(topic="volunteers", area_code="920101", periods=("", month_period(today)))
    # then
    values = {key: value for (_area, _period, key), value in counters.items() if value}
    assert values["visits_done"] == 1
    assert values[volunteer_counts.due_key(later)] == 1
    assert sum(value for key, value in values.items() if key.startswith("visit_due:")) == 2


def test_training_counts_participants_by_role_and_who_attended(trained):
    # when
    counters = tally_read(topic="volunteers", area_code="92", periods=("fy2570",))
    # then
    values = {key: value for (_area, _period, key), value in counters.items()}
    assert values == {
        "training_participants": 2,
        "training_participants:staff": 1,
        "training_participants:speaker": 1,
        "training_attended": 1,
        "training_checkins": 2,
    }


def test_the_listeners_count_what_a_rebuild_counts(visited, trained):
    # given
    kept = _all_counters()
    # when
    volunteer_counts.rebuild()
    # then
    assert _all_counters() == kept


def test_the_volunteer_figures_put_visits_against_due(visited, trained):
    # given
    today = timezone.localdate()
    # when
    figures = ops_figures.volunteer_figures(area_code="92", year=2570, today=today)
    later = ops_figures.volunteer_figures(area_code="92", year=2570, today=today + dt.timedelta(days=200))
    # then
    assert (figures.visits_done_this_month, figures.overdue) == (1, 0)
    assert later.overdue == 2
    assert (figures.participants, figures.attended, figures.checkins, figures.attendance_percent) == (2, 1, 2, 50)
