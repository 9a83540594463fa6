"""The write path: registry, caseloads with their history, visits, and the bad input of issue 11."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pocketbook.audit.models import ObjectChange
from pocketbook.households.models import Household, HouseholdEvent
from pocketbook.households.tests.factories import HouseholdFactory, make_national_id
from pocketbook.volunteers import selectors, services
from pocketbook.volunteers.models import (
    AssignmentBatch,
    CoverageCount,
    HouseholdAssignment,
    Visit,
    VisitSchedule,
    Volunteer,
)
from pocketbook.volunteers.services import VolunteerInput
from pocketbook.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def _input(**overrides):
    values = {
        "first_name": "สมหญิง",
        "last_name": "ใจงาม",
        "home_area_code": "92010101",
        "areas_served": ["92010101"],
        "national_id": make_national_id("310170020345"),
        "phone": "0812345678",
        "skills": ["ปฐมพยาบาล"],
    }
    values.update(overrides)
    return VolunteerInput(**values)


def test_volunteer_create_keeps_the_national_id_encrypted_hashed_and_masked(social_worker):
    # when
    volunteer = services.volunteer_create(data=_input(), actor=social_worker)
    # then
    number = make_national_id("310170020345")
    volunteer.refresh_from_db()
    assert number not in volunteer.national_id_encrypted
    assert volunteer.national_id_hash and volunteer.national_id_hash != number
    assert volunteer.national_id_masked == "x-xxxx-xxxxx-xx-" + number[-1]
    assert list(volunteer.areas.values_list("area_code", flat=True)) == ["92010101"]
    change = ObjectChange.objects.get(object_id=str(volunteer.pk), action="create")
    assert "national_id_encrypted" not in change.after and "national_id_hash" not in change.after


def test_a_wrong_check_digit_names_the_field_and_saves_nothing(social_worker):
    number = make_national_id("310170020345")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        services.volunteer_create(data=_input(national_id=wrong), actor=social_worker)
    assert "check digit" in error.value.message_dict["national_id"][0]
    assert Volunteer.objects.count() == 0


def test_the_same_national_id_twice_is_refused(social_worker):
    services.volunteer_create(data=_input(), actor=social_worker)
    with pytest.raises(ValidationError) as error:
        services.volunteer_create(data=_input(first_name="อื่น"), actor=social_worker)
    assert error.value.message_dict["national_id"] == ["A volunteer with this national ID is already registered."]
    assert Volunteer.objects.count() == 1


def test_an_area_outside_the_province_is_refused_and_nothing_is_saved(manager):
    with pytest.raises(ValidationError) as error:
        services.volunteer_create(data=_input(areas_served=["92010101", "50010101"]), actor=manager)
    assert error.value.message_dict["areas_served"] == ["The area 50010101 is outside the office's province."]
    assert Volunteer.objects.count() == 0
    assert ObjectChange.objects.count() == 0


def test_an_area_outside_the_actors_areas_is_refused(social_worker):
    with pytest.raises(ValidationError) as error:
        services.volunteer_create(data=_input(areas_served=["92010401"]), actor=social_worker)
    assert error.value.message_dict["areas_served"] == ["The area 92010401 is outside your areas."]


def test_assign_keeps_history_caseload_coverage_schedule_and_timeline(social_worker):
    # given
    first, second = VolunteerFactory(), VolunteerFactory()
    households = HouseholdFactory.create_batch(3)
    ids = [h.pk for h in households]
    # when
    services.households_assign(household_ids=ids, volunteer=first, actor=social_worker)
    batch = services.households_reassign(
        from_volunteer=first, to_volunteer=second, actor=social_worker, household_ids=ids[:2]
    )
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.caseload, second.caseload) == (1, 2)
    assert CoverageCount.objects.get(area_code="92010101").assigned == 3
    history = HouseholdAssignment.objects.filter(household_id=ids[0]).order_by("id")
    assert [(a.volunteer_id, a.ended_on, a.assigned_by_id) for a in history] == [
        (first.pk, timezone.localdate(), social_worker.pk),
        (second.pk, None, social_worker.pk),
    ]
    assert batch.household_count == 2 and batch.kind == "reassign" and batch.household_ids == ids[:2]
    assert ObjectChange.objects.filter(content_type__model="assignmentbatch").count() == 2
    assert VisitSchedule.objects.get(household_id=ids[0]).volunteer_id == second.pk
    assert VisitSchedule.objects.get(household_id=ids[2]).next_visit_on == timezone.localdate() + dt.timedelta(7)
    assert HouseholdEvent.objects.filter(household_id=ids[0], kind="volunteer_assigned").count() == 2


def test_the_volunteers_login_becomes_the_households_volunteer_in_charge(social_worker, volunteer):
    linked = VolunteerFactory(user=volunteer)
    household = HouseholdFactory()
    services.household_assign(household=household, volunteer=linked, actor=social_worker)
    assert Household.objects.get(pk=household.pk).volunteer_id == volunteer.pk


def test_a_caseload_over_the_limit_is_refused_and_nothing_changes(social_worker, settings):
    # given
    settings.VOLUNTEER_CASELOAD_LIMIT = 2
    volunteer = VolunteerFactory()
    households = HouseholdFactory.create_batch(3)
    # when
    with pytest.raises(ValidationError) as error:
        services.households_assign(household_ids=[h.pk for h in households], volunteer=volunteer, actor=social_worker)
    # then
    assert error.value.message_dict["volunteer"] == [
        f"{volunteer.full_name} already looks after 0 households; 3 more would pass the limit of 2. "
        "Nothing was changed: choose fewer households or another volunteer."
    ]
    assert HouseholdAssignment.objects.count() == 0
    assert AssignmentBatch.objects.count() == 0
    assert Volunteer.objects.get(pk=volunteer.pk).caseload == 0
    assert not CoverageCount.objects.exists()


def test_a_household_outside_the_actors_areas_refuses_the_whole_set(social_worker):
    volunteer = VolunteerFactory(areas=["920101", "920104"])
    inside = HouseholdFactory()
    outside = HouseholdFactory(area_code="92010401")
    with pytest.raises(ValidationError) as error:
        services.households_assign(household_ids=[inside.pk, outside.pk], volunteer=volunteer, actor=social_worker)
    assert "1 of the chosen households are outside your areas" in error.value.message_dict["households"][0]
    assert HouseholdAssignment.objects.count() == 0


def test_a_volunteer_who_leaves_frees_the_households_which_stay_in_coverage(social_worker):
    volunteer = VolunteerFactory()
    households = HouseholdFactory.create_batch(2)
    services.households_assign(household_ids=[h.pk for h in households], volunteer=volunteer, actor=social_worker)
    services.volunteer_status_set(volunteer=volunteer, status="left", actor=social_worker)
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.caseload) == ("left", 0)
    _rows, total = selectors.coverage(viewer=social_worker)
    assert (total.households, total.with_volunteer, total.without_volunteer) == (2, 0, 2)
    assert HouseholdAssignment.objects.filter(ended_on__isnull=True).count() == 0
    assert HouseholdAssignment.objects.count() == 2


def test_a_volunteer_who_leaves_can_hand_over_to_another(social_worker):
    leaving, taking = VolunteerFactory(), VolunteerFactory()
    households = HouseholdFactory.create_batch(2)
    services.households_assign(household_ids=[h.pk for h in households], volunteer=leaving, actor=social_worker)
    services.volunteer_status_set(volunteer=leaving, status="left", actor=social_worker, hand_over_to=taking)
    assert Volunteer.objects.get(pk=taking.pk).caseload == 2
    assert Volunteer.objects.get(pk=leaving.pk).caseload == 0


def test_assign_by_village_takes_only_households_without_a_volunteer(social_worker):
    first, second = VolunteerFactory(), VolunteerFactory()
    taken = HouseholdFactory()
    services.household_assign(household=taken, volunteer=first, actor=social_worker)
    free = HouseholdFactory.create_batch(2)
    HouseholdFactory(area_code="92010102")
    batch = services.households_assign_village(area_code="92010101", volunteer=second, actor=social_worker)
    assert sorted(batch.household_ids) == sorted(h.pk for h in free)
    assert Volunteer.objects.get(pk=first.pk).caseload == 1


def test_coverage_counts_by_village(social_worker, settings):
    settings.VOLUNTEER_CASELOAD_LIMIT = 1
    volunteer = VolunteerFactory(areas=["920101"])
    households = HouseholdFactory.create_batch(2)
    HouseholdFactory(area_code="92010102")
    settings.VOLUNTEER_CASELOAD_LIMIT = 5
    services.households_assign(household_ids=[h.pk for h in households], volunteer=volunteer, actor=social_worker)
    settings.VOLUNTEER_CASELOAD_LIMIT = 1
    rows, total = selectors.coverage(viewer=social_worker, area_code="920101")
    assert [(r.area_code, r.households, r.with_volunteer, r.without_volunteer) for r in rows] == [
        ("92010101", 2, 2, 0),
        ("92010102", 1, 0, 1),
    ]
    assert [r.over_limit for r in rows] == [1, 0]
    assert (total.households, total.with_volunteer, total.volunteers, total.over_limit) == (3, 2, 1, 1)


def test_visit_note_moves_the_next_visit(volunteer, social_worker):
    linked = VolunteerFactory(user=volunteer)
    household = HouseholdFactory()
    services.household_assign(household=household, volunteer=linked, actor=social_worker)
    today = timezone.localdate()
    visit = services.visit_record(
        household=household,
        visited_on=today,
        note="เยี่ยมบ้าน ผู้สูงอายุสบายดี",
        gps_lat=Decimal("7.556000"),
        gps_lng=Decimal("99.611000"),
        actor=volunteer,
    )
    schedule = VisitSchedule.objects.get(household_id=household.pk)
    assert visit.volunteer_id == linked.pk
    assert (schedule.last_visit_on, schedule.next_visit_on) == (today, today + dt.timedelta(days=90))
    assert HouseholdEvent.objects.filter(household=household, kind="visit_recorded").count() == 1


def test_a_visit_entered_days_later_stands_on_the_timeline_on_the_day_of_the_visit(volunteer, social_worker):
    # given
    linked = VolunteerFactory(user=volunteer)
    household = HouseholdFactory()
    services.household_assign(household=household, volunteer=linked, actor=social_worker)
    visited_on = timezone.localdate() - dt.timedelta(days=5)

    # when: the volunteer enters it today
    services.visit_record(household=household, visited_on=visited_on, note="เยี่ยมบ้าน", actor=volunteer)

    # then
    entry = HouseholdEvent.objects.get(household=household, kind="visit_recorded")
    assert timezone.localdate(entry.time) == visited_on
    assert entry.params["occurred_on"] == visited_on.isoformat()


def test_a_visit_in_the_future_is_refused_and_nothing_is_written(volunteer):
    household = HouseholdFactory()
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            household=household,
            visited_on=timezone.localdate() + dt.timedelta(days=1),
            note="x",
            actor=volunteer,
        )
    assert error.value.message_dict["visited_on"] == ["The visit date cannot be in the future."]
    assert Visit.objects.count() == 0


def test_gps_needs_both_coordinates(volunteer):
    household = HouseholdFactory()
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            household=household, visited_on=timezone.localdate(), note="x", gps_lat=Decimal("7.5"), actor=volunteer
        )
    assert error.value.message_dict["gps_lat"] == ["Give both latitude and longitude, or neither."]


def test_open_case_hook_makes_visits_weekly(social_worker):
    volunteer = VolunteerFactory()
    household = HouseholdFactory()
    services.household_assign(household=household, volunteer=volunteer, actor=social_worker)
    services.visit_record(household=household, visited_on=timezone.localdate(), note="x", actor=social_worker)
    services.schedule_open_case_set(household_ids=[household.pk], has_open_case=True)
    schedule = VisitSchedule.objects.get(household_id=household.pk)
    assert (schedule.interval_days, schedule.next_visit_on) == (7, timezone.localdate() + dt.timedelta(days=7))


def test_coverage_refresh_counts_and_later_households_are_added_live(social_worker):
    volunteer = VolunteerFactory()
    households = HouseholdFactory.create_batch(3)
    services.households_assign(household_ids=[households[0].pk], volunteer=volunteer, actor=social_worker)
    Volunteer.objects.filter(pk=volunteer.pk).update(caseload=7)  # drifted, e.g. after a restore
    # when
    services.coverage_refresh()
    HouseholdFactory(area_code="92010102")
    # then
    assert CoverageCount.objects.get(area_code="92010101").households == 3
    assert Volunteer.objects.get(pk=volunteer.pk).caseload == 1
    _rows, total = selectors.coverage(viewer=social_worker)
    assert (total.households, total.with_volunteer) == (4, 1)


def test_assign_by_village_refuses_a_village_outside_the_actors_areas_and_writes_nothing(social_worker):
    # given: a volunteer and a household without one in Chiang Mai, and a social worker of ทับเที่ยง (Trang)
    volunteer = VolunteerFactory(home_area_code="50010101", areas=["500101"])
    household = HouseholdFactory(area_code="50010101")
    changes_before = ObjectChange.objects.count()

    # when
    with pytest.raises(ValidationError) as refused:
        services.households_assign_village(area_code="50010101", volunteer=volunteer, actor=social_worker)

    # then: refused as if the village did not exist, and nothing was written
    assert refused.value.message_dict == {"area_code": ["Choose the village."]}
    assert not HouseholdAssignment.objects.filter(household=household).exists()
    assert not AssignmentBatch.objects.exists()
    assert ObjectChange.objects.count() == changes_before
    assert Volunteer.objects.get(pk=volunteer.pk).caseload == 0
