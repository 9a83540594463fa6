import datetime as dt
import json

import pytest

from pocketbook.audit.models import AccessLog
from pocketbook.households.models import Household, Member
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id

ID_A = make_national_id("110170020345")
ID_B = make_national_id("310060044563")


@pytest.fixture
def household(volunteer):
    household = HouseholdFactory(area_code="92010101", house_no="7/1", volunteer=volunteer)
    MemberFactory(
        household=household, first_name="สมศักดิ์", last_name="รักดี", national_id=ID_A, birth_date=dt.date(1970, 1, 1)
    )
    return household


def api(client, user, method, path, body=None):
    if user is not None:
        client.force_login(user)
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def member_body(**overrides):
    body = {
        "sex": "F",
        "birth_date": "1972-04-01",
        "relation": "spouse",
        "first_name": "มาลี",
        "last_name": "รักดี",
        "national_id": ID_B,
        "monthly_income": "4500",
    }
    body.update(overrides)
    return body


def test_anonymous_gets_401(client, household):
    assert api(client, None, "get", "/households").status_code == 401
    assert api(client, None, "post", "/households", {"area_code": "92010101"}).status_code == 401
    assert Household.objects.count() == 1


def test_analyst_gets_403_on_lists_and_404_on_detail(client, analyst, household):
    assert api(client, analyst, "get", "/households").status_code == 403
    assert api(client, analyst, "get", f"/households/{household.pk}").status_code == 404
    assert api(client, analyst, "post", "/households", {"area_code": "92010101"}).status_code == 403
    assert Household.objects.count() == 1


def test_other_province_worker_sees_nothing_and_gets_404(client, other_province_worker, household):
    assert api(client, other_province_worker, "get", "/households").json() == []
    assert api(client, other_province_worker, "get", "/members").json() == []
    assert api(client, other_province_worker, "get", f"/households/{household.pk}").status_code == 404
    member = household.members.get()
    assert api(client, other_province_worker, "get", f"/members/{member.pk}").status_code == 404
    response = api(client, other_province_worker, "post", f"/households/{household.pk}/members", member_body())
    assert response.status_code == 404
    assert household.members.count() == 1


def test_list_and_detail_in_the_right_area(client, volunteer, household):
    rows = api(client, volunteer, "post", "/households/search", {"q": "สมศ"}).json()
    assert [(r["id"], r["member_count"], r["house_no"]) for r in rows] == [(household.pk, 1, "7/1")]
    detail = api(client, volunteer, "get", f"/households/{household.pk}").json()
    assert detail["members"][0]["national_id_masked"] == "x-xxxx-xxxxx-xx-" + ID_A[-1]
    assert ID_A not in json.dumps(detail)


def test_create_household_with_consent_then_add_a_member(client, volunteer):
    response = api(
        client,
        volunteer,
        "post",
        "/households",
        {"area_code": "92010102", "house_no": "3", "consent": {"given_by_name": "นายก"}},
    )
    assert response.status_code == 201
    household_id = response.json()["id"]
    response = api(client, volunteer, "post", f"/households/{household_id}/members", member_body(relation="head"))
    assert response.status_code == 201
    assert response.json()["national_id_masked"].endswith(ID_B[-1])


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"national_id": ID_B[:-1] + str((int(ID_B[-1]) + 1) % 10)}, "body.national_id", "ไม่ตรงกับ 12 หลักแรก"),
        ({"monthly_income": "-1"}, "body.monthly_income", "รายได้ต้องไม่ติดลบ"),
        ({"birth_date": "2600-01-01"}, "body.birth_date", "อยู่ในอนาคต"),
        ({"birth_date": "1890-01-01"}, "body.birth_date", "อายุ 136 ปี"),
        ({"relation": "parent", "birth_date": "1990-01-01"}, "body.relation", "อย่างน้อย 12 ปี"),
        ({"national_id": ID_A}, "body.national_id", "สมาชิก"),
    ],
)
def test_bad_member_input_answers_422_naming_the_field(client, volunteer, household, overrides, field, message):
    response = api(client, volunteer, "post", f"/households/{household.pk}/members", member_body(**overrides))
    assert response.status_code == 422
    [error] = response.json()["error"]["fields"]
    assert error["path"] == field
    assert message in error["message"], error["message"]
    assert household.members.count() == 1


def test_unknown_area_answers_422_naming_area_code(client, volunteer):
    response = api(client, volunteer, "post", "/households", {"area_code": "92019999"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"path": "body.area_code", "message": "ไม่มีพื้นที่รหัส 92019999 กรุณาเลือกพื้นที่จากรายการ"}
    ]
    assert Household.objects.count() == 0


def test_update_household_and_member(client, volunteer, household):
    response = api(client, volunteer, "patch", f"/households/{household.pk}", {"house_no": "7/2"})
    assert response.json()["house_no"] == "7/2"
    member = household.members.get()
    response = api(client, volunteer, "patch", f"/members/{member.pk}", {"occupation": "ประมง"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.occupation, member.national_id_last_digit) == ("ประมง", ID_A[-1])


def test_move_through_the_api(client, volunteer, household):
    target = HouseholdFactory(area_code="92010102")
    member = household.members.get()
    response = api(
        client, volunteer, "post", f"/members/{member.pk}/move", {"to_household_id": target.pk, "reason": "ย้ายบ้าน"}
    )
    assert response.status_code == 200
    assert Member.objects.get(pk=response.json()["id"]).household == target


def test_unmask_only_for_allowed_roles_and_logged(client, volunteer, social_worker, household):
    member = household.members.get()
    assert api(client, volunteer, "post", f"/members/{member.pk}/national-id").status_code == 403
    response = api(client, social_worker, "post", f"/members/{member.pk}/national-id")
    assert response.json()["national_id"].replace("-", "") == ID_A
    assert AccessLog.objects.filter(purpose="national ID unmasked").count() == 1


def test_openapi_documents_the_household_paths(client, volunteer):
    schema = api(client, volunteer, "get", "/openapi.json").json()
    assert {"/api/v1/households", "/api/v1/households/{household_id}", "/api/v1/members/{member_id}"} <= set(
        schema["paths"]
    )


@pytest.mark.parametrize("path", ["/households", "/members"])
def test_a_search_in_the_url_is_refused_naming_the_field(client, volunteer, household, path):
    # when: a name or national ID is sent in the query string (it would land in access logs)
    response = api(client, volunteer, "get", f"{path}?q={ID_A}")
    # then
    body = response.json()["error"]
    assert response.status_code == 422
    assert body["fields"][0]["path"] == "query.q"
    assert f"POST /api/v1{path}/search" in body["fields"][0]["message"]
    assert api(client, volunteer, "get", path).status_code == 200
