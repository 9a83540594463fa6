"""The API refuses what a client cannot mean, in Thai, naming the field, and writes nothing.

Pydantic's lax mode read 0, "0", "-0" or -0.0 as a date (1970-01-01), a time without an offset as naive (a 500
later), true as the latitude 1, and took any text as a phone; these are the inputs a tester found.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pocketbook.geo.models import Village
from pocketbook.households.models import Household, Member
from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.incidents.models import Incident
from pocketbook.volunteers.models import TrainingProject, TrainingSession, Visit, Volunteer
from pocketbook.volunteers.tests.factories import ProjectFactory, VolunteerFactory

DATE = "กรุณาส่งวันที่แบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2024-06-15"
DATETIME = "กรุณาส่งวันที่และเวลา เช่น 2024-06-15T14:30:00+07:00"
YEARS = "ส่งปีคริสต์ศักราชตั้งแต่ 1900 ถึง 2200"
ANY_YEARS = "ส่งปีคริสต์ศักราชตั้งแต่ 1800 ถึง 2999"
HOUSEHOLD_PHONE = "หมายเลขโทรศัพท์มี 9 หรือ 10 หลัก เช่น 0812345678"
HOTLINE_PHONE = "เขียนหมายเลขโทรศัพท์เป็นตัวเลข เช่น 081-234-5678"
NUMBER = "กรุณาส่งเป็นตัวเลข เช่น 12.5"
PLACES = "ส่งพิกัดที่มีทศนิยมไม่เกิน 6 ตำแหน่ง เช่น 13.756331"
NUMBERS_AS_DATES = [0, "0", "-0", -0.0, 1686000000, "1686000000", "2023-06-02T00:00:00", "2/6/2566", "", True]
BAD_PHONES = ["NaN", "😀😀", "\u200b\u200b", "29/2/2567", "1e400", "081234567x"]
TINY = "0.000000000000000000001"
CONSENT = {"given_by_name": "นางมาลี รักดี"}


@pytest.fixture(autouse=True)
def villages(db):
    Village.objects.bulk_create(
        [Village(code="92010101", subdistrict_id="920101", number=1, name="บ้านทับเที่ยง")], ignore_conflicts=True
    )


def send(client, user, method, path, body):
    client.force_login(user)
    return getattr(client, method)(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def refused(response, field, message, *, body="payload"):
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"] == [{"path": f"body.{body}.{field}", "message": message}]


def member_body(birth_date):
    return {
        "sex": "F", "birth_date": birth_date, "relation": "spouse", "first_name": "มาลี", "last_name": "รักดี",
        "no_id_reason": "not_yet_issued",
    }  # fmt: skip


def project_body(**overrides):
    body = {
        "title": "อบรม", "organiser": "พมจ.ตรัง", "venue": "ห้องประชุม", "area_code": "92",
        "starts_on": "2023-06-02", "ends_on": "2023-06-02", "fiscal_year": 2566,
    }  # fmt: skip
    return body | overrides


@pytest.mark.parametrize("value", NUMBERS_AS_DATES, ids=repr)
def test_a_birth_date_is_only_yyyy_mm_dd_text(client, volunteer, value):
    household = HouseholdFactory(area_code="92010101", volunteer=volunteer)
    response = send(client, volunteer, "post", f"/households/{household.pk}/members", member_body(value))
    refused(response, "birth_date", DATE)
    assert Member.objects.count() == 0


@pytest.mark.parametrize("value", NUMBERS_AS_DATES, ids=repr)
def test_training_and_volunteer_dates_are_only_yyyy_mm_dd_text(client, manager, social_worker, value):
    refused(send(client, manager, "post", "/training-projects", project_body(starts_on=value)), "starts_on", DATE)
    assert TrainingProject.objects.count() == 0
    body = {"first_name": "สุนีย์", "last_name": "ทองสุข", "home_area_code": "92010101", "started_on": value}
    refused(send(client, social_worker, "post", "/volunteers", body), "started_on", DATE)
    assert Volunteer.objects.count() == 0
    volunteer = VolunteerFactory()
    response = send(
        client, social_worker, "post", f"/volunteers/{volunteer.pk}/status", {"status": "paused", "on": value}
    )
    refused(response, "on", DATE)
    volunteer.refresh_from_db()
    assert volunteer.status == "active"


@pytest.mark.parametrize("value", NUMBERS_AS_DATES, ids=repr)
def test_a_visit_date_is_only_yyyy_mm_dd_text(client, volunteer, social_worker, value):
    from pocketbook.volunteers import services

    household = HouseholdFactory()
    services.household_assign(household=household, volunteer=VolunteerFactory(user=volunteer), actor=social_worker)
    response = send(
        client, volunteer, "post", f"/households/{household.pk}/visits", {"visited_on": value, "note": "x"}
    )
    refused(response, "visited_on", DATE)
    assert Visit.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"), [("starts_on", "0001-01-01"), ("ends_on", "9999-12-31"), ("starts_on", "2566-06-02")]
)
def test_a_training_date_outside_any_sane_year_is_refused(client, manager, field, value):
    refused(send(client, manager, "post", "/training-projects", project_body(**{field: value})), field, YEARS)
    assert TrainingProject.objects.count() == 0


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_a_birth_date_of_year_1_or_9999_is_refused(client, volunteer, value):
    household = HouseholdFactory(area_code="92010101", volunteer=volunteer)
    response = send(client, volunteer, "post", f"/households/{household.pk}/members", member_body(value))
    refused(response, "birth_date", ANY_YEARS)
    assert Member.objects.count() == 0


def test_a_volunteer_term_ending_in_9999_is_refused(client, social_worker):
    body = {"first_name": "สุนีย์", "last_name": "ทองสุข", "home_area_code": "92010101", "term_ends_on": "9999-12-31"}
    refused(send(client, social_worker, "post", "/volunteers", body), "term_ends_on", YEARS)
    assert Volunteer.objects.count() == 0


def test_a_session_time_without_an_offset_is_bangkok_time(client, manager):
    project = ProjectFactory()
    body = {"topic": "บทบาทอาสาสมัคร", "starts_at": "2023-06-02T09:00", "ends_at": "2023-06-02T12:00:00"}
    response = send(client, manager, "post", f"/training-projects/{project.pk}/sessions", body)
    assert response.status_code == 201, response.content
    session = TrainingSession.objects.get()
    assert session.starts_at == dt.datetime(2023, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
    assert session.ends_at == dt.datetime(2023, 6, 2, 5, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", [0, "0", 1685671200, "1685671200", "2023-06-02", True, "9:00"], ids=repr)
def test_a_session_time_is_only_iso_text(client, manager, value):
    project = ProjectFactory()
    body = {"topic": "บทบาทอาสาสมัคร", "starts_at": value, "ends_at": "2023-06-02T12:00+07:00"}
    refused(send(client, manager, "post", f"/training-projects/{project.pk}/sessions", body), "starts_at", DATETIME)
    assert TrainingSession.objects.count() == 0


@pytest.mark.parametrize("phone", BAD_PHONES, ids=repr)
def test_household_and_volunteer_phones_are_digits(client, social_worker, phone):
    household = HouseholdFactory(area_code="92010101", phone="0811111111")
    refused(
        send(client, social_worker, "patch", f"/households/{household.pk}", {"phone": phone}), "phone", HOUSEHOLD_PHONE
    )
    household.refresh_from_db()
    assert household.phone == "0811111111"
    created = send(client, social_worker, "post", "/households", {"area_code": "92010101", "phone": phone})
    refused(created, "phone", HOUSEHOLD_PHONE)
    assert Household.objects.count() == 1
    body = {"first_name": "สุนีย์", "last_name": "ทองสุข", "home_area_code": "92010101", "phone": phone}
    refused(send(client, social_worker, "post", "/volunteers", body), "phone", HOUSEHOLD_PHONE)
    assert Volunteer.objects.count() == 0


def test_a_phone_is_stored_as_its_digits_as_the_form_stores_it(client, social_worker):
    created = send(
        client,
        social_worker,
        "post",
        "/households",
        {"area_code": "92010101", "phone": "081-234-5678", "consent": CONSENT},
    )
    assert created.status_code == 201, created.content
    assert Household.objects.get().phone == "0812345678"


@pytest.mark.parametrize("phone", BAD_PHONES, ids=repr)
def test_a_reporters_phone_is_digits(client, ess_operator, phone):
    response = send(client, ess_operator, "post", "/incidents", {"incident_type": "drugs", "reporter_phone": phone})
    refused(response, "reporter_phone", HOTLINE_PHONE)
    assert Incident.objects.count() == 0


def test_a_hotline_phone_keeps_its_dashes(client, ess_operator):
    body = {"incident_type": "drugs", "reporter_phone": "081-234-5678"}
    assert send(client, ess_operator, "post", "/incidents", body).status_code == 201
    assert Incident.objects.get().reporter_phone == "081-234-5678"


@pytest.mark.parametrize(("value", "message"), [(True, NUMBER), (False, NUMBER), (TINY, PLACES), (1e-21, PLACES)])
def test_coordinates_are_numbers_with_at_most_the_stored_places(client, ess_operator, social_worker, value, message):
    refused(
        send(client, ess_operator, "post", "/incidents", {"incident_type": "drugs", "latitude": value}),
        "latitude",
        message,
    )
    assert Incident.objects.count() == 0
    response = send(client, social_worker, "post", "/households", {"area_code": "92010101", "gps_lat": value})
    refused(response, "gps_lat", message)
    assert Household.objects.count() == 0


def test_a_phones_long_gps_reading_is_rounded_to_the_stored_places(client, ess_operator, social_worker):
    body = {"area_code": "92010101", "gps_lat": 7.556331449, "gps_lng": "99.61234567", "consent": CONSENT}
    assert send(client, social_worker, "post", "/households", body).status_code == 201
    household = Household.objects.get()
    assert (household.gps_lat, household.gps_lng) == (Decimal("7.556331"), Decimal("99.612346"))
    body = {"incident_type": "drugs", "latitude": 7.556331449, "longitude": 99.61234567}
    assert send(client, ess_operator, "post", "/incidents", body).status_code == 201
    assert (Incident.objects.get().latitude, Incident.objects.get().longitude) == (7.556331, 99.612346)


@pytest.mark.parametrize("value", ["-0", 0, -3, "0"], ids=repr)
def test_a_household_filter_is_a_positive_id(client, social_worker, value):
    HouseholdFactory(area_code="92010101")
    response = send(client, social_worker, "post", "/members/search", {"household_id": value})
    refused(response, "household_id", "ต้องไม่น้อยกว่า 1", body="filters")
