"""A household in a volunteer's care is visited weekly while it has an open case, and back on its own cadence after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from pocketbook.cases import services as cases
from pocketbook.cases.choices import CaseStatus
from pocketbook.cases.listeners import _case_transitions, case_transition_register, case_transition_unregister
from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.volunteers import services as volunteers
from pocketbook.volunteers.models import VisitSchedule
from pocketbook.volunteers.tests.factories import VolunteerFactory
from pocketbook.wiring import visit_cadence

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def _schedule(household) -> tuple[bool, int, dt.date | None]:
    schedule = VisitSchedule.objects.get(household_id=household.pk)
    return schedule.has_open_case, schedule.interval_days, schedule.next_visit_on


@pytest.fixture
def visited(social_worker):
    """A household in a volunteer's care, visited today: next visit in 90 days (not vulnerable, no case)."""
    household = HouseholdFactory()
    volunteers.household_assign(household=household, volunteer=VolunteerFactory(), actor=social_worker)
    volunteers.visit_record(household=household, visited_on=TODAY, note="เยี่ยมบ้าน", actor=social_worker)
    assert _schedule(household) == (False, 90, TODAY + dt.timedelta(days=90))
    return household


def test_opening_a_case_makes_visits_weekly_and_closing_it_restores_the_cadence(visited, social_worker):
    # when
    case = cases.case_open(household=visited, title="ขาดรายได้", actor=social_worker)
    # then: weekly, counted from the last visit
    assert _schedule(visited) == (True, 7, TODAY + dt.timedelta(days=7))

    # when
    cases.case_close(case=case, status=CaseStatus.HELPED, actor=social_worker)
    # then
    assert _schedule(visited) == (False, 90, TODAY + dt.timedelta(days=90))

    # when
    cases.case_reopen(case=case, reason="กลับมามีปัญหา", actor=social_worker)
    # then
    assert _schedule(visited) == (True, 7, TODAY + dt.timedelta(days=7))


def test_assigning_the_case_leaves_the_cadence_alone(visited, social_worker):
    case = cases.case_open(household=visited, title="ขาดรายได้", actor=social_worker)
    VisitSchedule.objects.filter(household_id=visited.pk).update(next_visit_on=TODAY + dt.timedelta(days=3))

    cases.case_assign(case=case, worker=social_worker, actor=social_worker)

    assert _schedule(visited) == (True, 7, TODAY + dt.timedelta(days=3))


def test_a_household_taken_on_while_its_case_is_open_is_visited_weekly_from_the_start(social_worker):
    # given: a household with an open case and no volunteer
    household = HouseholdFactory()
    cases.case_open(household=household, title="ขาดรายได้", actor=social_worker)
    # when
    volunteers.household_assign(household=household, volunteer=VolunteerFactory(), actor=social_worker)
    # then: never visited, so due within a week either way, and weekly after
    assert _schedule(household) == (True, 7, timezone.localdate() + dt.timedelta(days=7))


def test_the_schedule_changes_with_the_case_or_not_at_all(visited, social_worker):
    # given: a listener after the wiring's that fails, undoing the opening
    def refuse(case, before):
        raise RuntimeError("refused")

    case_transition_register(refuse)
    try:
        with pytest.raises(RuntimeError):
            cases.case_open(household=visited, title="ขาดรายได้", actor=social_worker)
    finally:
        case_transition_unregister(refuse)
    # then
    assert _schedule(visited) == (False, 90, TODAY + dt.timedelta(days=90))


def test_running_the_wirings_ready_again_registers_nothing_more():
    apps.get_app_config("wiring").ready()
    apps.get_app_config("wiring").ready()

    assert [listener for listener in _case_transitions if listener is visit_cadence.case_opened_or_closed] == [
        visit_cadence.case_opened_or_closed
    ]
