"""Defects found in review, reproduced first: what duplicate and clash messages reveal, move dates."""

import datetime as dt
import json

import pytest

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.households.models import Member
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def village_volunteer():
    return UserFactory(username="vol1", roles=[Role.VOLUNTEER], areas=["92010101"])


def test_the_duplicate_warning_shows_only_people_inside_the_users_areas(client, village_volunteer):
    # given a look-alike in the next village, outside the volunteer's area
    home = HouseholdFactory(area_code="92010101")
    MemberFactory(household=home)
    MemberFactory(
        household=HouseholdFactory(area_code="92010102", house_no="231/7ข"),
        first_name="สมศรี",
        last_name="ชูช่วย",
        sex="F",
        birth_date=dt.date(1977, 9, 4),
        relation="head",
    )
    client.force_login(village_volunteer)
    # when the volunteer adds someone with the same name and birth date and no ID
    response = client.post(
        f"/households/{home.pk}/members/new/",
        {
            "first_name": "สมศรี",
            "last_name": "ชูช่วย",
            "sex": "F",
            "birth_date": "4/9/2520",
            "relation": "spouse",
            "no_id_reason": "not_yet_registered",
            "education_level": "",
        },
    )
    # then the rule still warns, but shows nothing about the person outside their area
    page = response.content.decode()
    assert 'data-testid="duplicate-warning"' in page
    assert "นอกพื้นที่ของคุณ" in page
    assert "231/7ข" not in page  # its house number (not a bare number a page id could hold)
    assert Member.objects.filter(first_name="สมศรี").count() == 1


def test_a_national_id_clash_outside_the_users_areas_names_no_household(client, village_volunteer):
    number = make_national_id("110170020345")
    far = HouseholdFactory(area_code="50010101")
    MemberFactory(household=far, national_id=number)
    home = HouseholdFactory(area_code="92010101")
    client.force_login(village_volunteer)
    response = client.post(
        f"/api/v1/households/{home.pk}/members",
        data=json.dumps(
            {
                "first_name": "ก",
                "last_name": "ข",
                "sex": "M",
                "birth_date": "1980-01-01",
                "relation": "head",
                "national_id": number,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    message = json.dumps(response.json(), ensure_ascii=False)
    assert str(far.pk) not in message.replace(str(home.pk), "")
    assert "outside your areas" in message or "นอกพื้นที่" in message


def test_a_move_date_in_the_future_is_refused(client, social_worker):
    member = MemberFactory(household=HouseholdFactory())
    target = HouseholdFactory()
    client.force_login(social_worker)
    response = client.post(
        f"/api/v1/members/{member.pk}/move",
        data=json.dumps({"to_household_id": target.pk, "reason": "ย้ายไปอยู่กับลูก", "moved_on": "2100-01-01"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"path": "body.moved_on", "message": "วันที่ย้ายต้องไม่เป็นวันในอนาคต"}]
    member.refresh_from_db()
    assert member.is_active


@pytest.mark.parametrize(
    "url",
    [
        "/households/members/{pk}/edit/",
        "/households/members/{pk}/move/",
        "/households/members/{pk}/end/",
        "/api/v1/members/{pk}",
        "/api/v1/members?household_id={household}",
    ],
)
def test_every_read_of_a_persons_record_is_logged(client, social_worker, url):
    from pocketbook.audit.models import AccessLog

    member = MemberFactory(household=HouseholdFactory())
    client.force_login(social_worker)
    response = client.get(url.format(pk=member.pk, household=member.household_id))
    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.object_id, entry.area_code) == (social_worker, str(member.pk), "92010101")


def test_no_access_row_when_the_page_is_refused(client, other_province_worker):
    from pocketbook.audit.models import AccessLog

    member = MemberFactory(household=HouseholdFactory())
    client.force_login(other_province_worker)
    assert client.get(f"/households/members/{member.pk}/edit/").status_code == 404
    assert not AccessLog.objects.exists()


def test_the_api_searches_by_national_id_in_the_body(client, social_worker):
    number = make_national_id("110170020345")
    member = MemberFactory(household=HouseholdFactory(), national_id=number)
    client.force_login(social_worker)
    members = client.post("/api/v1/members/search", {"q": number}, content_type="application/json")
    households = client.post("/api/v1/households/search", {"q": number}, content_type="application/json")
    assert [m["id"] for m in members.json()] == [member.pk]
    assert [h["id"] for h in households.json()] == [member.household_id]
