"""The API: volunteers, assignments, visits, training; area-scoped, one error shape, nothing written on refusal."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from pocketbook.households.tests.factories import HouseholdFactory, make_national_id
from pocketbook.volunteers import services, training_services
from pocketbook.volunteers.models import Attendance, HouseholdAssignment, Visit, Volunteer
from pocketbook.volunteers.tests.factories import ParticipantFactory, SessionFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def test_volunteers_are_listed_in_the_viewers_areas_only(client, social_worker, other_province_worker):
    mine = VolunteerFactory(first_name="ในพื้นที่")
    VolunteerFactory(home_area_code="92010401", areas=["92010401"])
    client.force_login(social_worker)
    assert [v["id"] for v in client.get("/api/v1/volunteers").json()] == [mine.pk]
    client.force_login(other_province_worker)
    assert client.get("/api/v1/volunteers").json() == []
    assert client.get(f"/api/v1/volunteers/{mine.pk}").status_code == 404


def test_create_a_volunteer_masks_the_id_and_refuses_bad_input_by_field(client, social_worker):
    client.force_login(social_worker)
    number = make_national_id("392010001234")
    body = {"first_name": "สุนีย์", "last_name": "ทองสุข", "home_area_code": "92010101", "national_id": number}
    created = _post(client, "/api/v1/volunteers", body)
    assert created.status_code == 201
    assert created.json()["national_id_masked"] == "x-xxxx-xxxxx-xx-" + number[-1]
    assert number not in created.content.decode()
    outside = _post(client, "/api/v1/volunteers", {**body, "national_id": "", "areas_served": ["50010101"]})
    assert outside.status_code == 422
    assert outside.json()["error"]["fields"] == [
        {"path": "body.areas_served", "message": "พื้นที่ 50010101 อยู่นอกจังหวัดของสำนักงาน"}
    ]
    assert Volunteer.objects.count() == 1


def test_assign_and_hand_over_through_the_api(client, social_worker, settings):
    first, second = VolunteerFactory(), VolunteerFactory()
    households = HouseholdFactory.create_batch(3)
    client.force_login(social_worker)
    batch = _post(
        client, "/api/v1/assignments", {"volunteer_id": first.pk, "household_ids": [h.pk for h in households]}
    )
    assert batch.status_code == 201 and batch.json()["household_count"] == 3
    moved = _post(
        client, "/api/v1/assignments/reassign", {"from_volunteer_id": first.pk, "to_volunteer_id": second.pk}
    )
    assert moved.status_code == 201 and moved.json()["kind"] == "reassign"
    history = client.get(f"/api/v1/households/{households[0].pk}/assignments").json()
    assert [(row["volunteer_id"], row["ended_on"] is None) for row in history] == [
        (second.pk, True),
        (first.pk, False),
    ]
    settings.VOLUNTEER_CASELOAD_LIMIT = 3
    over = _post(client, "/api/v1/assignments", {"volunteer_id": second.pk, "household_ids": [HouseholdFactory().pk]})
    assert over.status_code == 422
    [field] = over.json()["error"]["fields"]
    assert field["path"] == "body.volunteer"
    assert "ดูแลอยู่แล้ว 3 ครัวเรือน หากเพิ่มอีก 1 ครัวเรือนจะเกินเกณฑ์ 3 ครัวเรือน" in field["message"]
    assert HouseholdAssignment.objects.count() == 6


def test_a_volunteer_cannot_assign_and_a_stranger_gets_404(client, volunteer, other_province_worker):
    person = VolunteerFactory()
    household = HouseholdFactory()
    client.force_login(volunteer)
    body = {"volunteer_id": person.pk, "household_ids": [household.pk]}
    assert _post(client, "/api/v1/assignments", body).status_code == 403
    client.force_login(other_province_worker)
    assert _post(client, "/api/v1/assignments", body).status_code == 404
    assert HouseholdAssignment.objects.count() == 0


def test_visits_through_the_api_refuse_the_future(client, volunteer, social_worker):
    linked = VolunteerFactory(user=volunteer)
    household = HouseholdFactory()
    services.household_assign(household=household, volunteer=linked, actor=social_worker)
    client.force_login(volunteer)
    url = f"/api/v1/households/{household.pk}/visits"
    future = _post(client, url, {"visited_on": timezone.localdate() + dt.timedelta(days=1), "note": "x"})
    assert future.status_code == 422
    assert future.json()["error"]["fields"] == [{"path": "body.visited_on", "message": "วันที่เยี่ยมบ้านต้องไม่เป็นวันในอนาคต"}]
    assert Visit.objects.count() == 0
    done = _post(
        client, url, {"visited_on": timezone.localdate(), "note": "เยี่ยมบ้าน", "gps_lat": "7.5", "gps_lng": "99.6"}
    )
    assert done.status_code == 201
    mine = client.get("/api/v1/visits/mine").json()
    assert [(row["household_id"], row["overdue"]) for row in mine] == [(household.pk, False)]


def test_check_in_through_the_api_once(client, social_worker, other_province_worker):
    session = SessionFactory()
    person = ParticipantFactory(project=session.project)
    url = f"/api/v1/sessions/{session.pk}/attendance"
    client.force_login(other_province_worker)
    assert _post(client, url, {"token": person.check_in_token}).status_code == 404
    client.force_login(social_worker)
    assert _post(client, url, {"token": training_services.check_in_qr_text(person)}).status_code == 201
    again = _post(client, url, {"participant_id": person.pk})
    assert again.status_code == 422
    assert "ลงทะเบียนเข้าร่วมแล้วเมื่อเวลา" in again.json()["error"]["fields"][0]["message"]
    assert Attendance.objects.count() == 1
    projects = client.get("/api/v1/training-projects").json()
    assert [p["id"] for p in projects] == [session.project_id]
    assert len(client.get(f"/api/v1/training-projects/{session.project_id}/participants").json()) == 1


def test_the_openapi_lists_the_volunteer_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/volunteers", "/api/v1/assignments", "/api/v1/sessions/{session_id}/attendance"):
        assert path in paths
