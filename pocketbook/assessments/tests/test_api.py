"""The API: indicator sets, assessment list/detail/create, area scoping, 422 naming the field."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from pocketbook.assessments import services
from pocketbook.assessments.models import Assessment
from pocketbook.assessments.tests.factories import VISIT, answers_for, couple_household
from pocketbook.households.models import HouseholdEvent

pytestmark = pytest.mark.django_db
API = "/api/v1"


def create_body(home, head, spouse, **changes):
    body = {"household_id": home.pk, "assessed_on": "2024-06-15", "answers": answers_for(head, spouse)}
    body.update(changes)
    return body


def test_indicator_sets_list_and_detail(client, volunteer):
    client.force_login(volunteer)
    listing = client.get(f"{API}/indicator-sets").json()
    assert [(s["code"], s["is_current"]) for s in listing] == [("bmn-2560-2564-tpmap17", True)]
    assert [d["key"] for d in listing[0]["dimensions"]] == ["health", "living", "education", "income", "access"]
    detail = client.get(f"{API}/indicator-sets/bmn-2560-2564-tpmap17").json()
    assert len(detail["indicators"]) == 17
    assert detail["indicators"][14] | {"text_th": "", "text_en": "", "applies_to_th": "", "applies_to_en": ""} == {
        "code": "bmn-22", "number": 22, "dimension": "income", "text_th": "", "text_en": "", "applies_to_th": "",
        "applies_to_en": "", "question_th": "", "question_en": "", "rule": "income_per_person",
        "params": {"threshold": "poor_income_per_person_per_year"},
    }  # fmt: skip
    assert client.get(f"{API}/indicator-sets/nope").status_code == 404


def test_create_scores_and_answers_201_with_words(client, volunteer):
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    body = create_body(home, head, spouse, gps_lat="7.5", gps_lng="99.6")
    body["answers"]["household"]["tidy_house"] = False
    response = client.post(f"{API}/assessments", body, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["dimensions"]["living"] == "fail"
    assert data["failed_dimensions"] == 1
    assert data["statuses"]["poor"] is True
    tidy = next(i for i in data["indicators"] if i["code"] == "bmn-11")
    assert (tidy["status"], tidy["status_text"], tidy["reason"]) == ("fail", "ไม่ผ่าน", "ครัวเรือนตอบว่า ไม่ใช่")
    assert [n["indicator_code"] for n in data["needs"]] == ["bmn-11"]
    assert data["progress"] is None
    assert HouseholdEvent.objects.filter(kind="assessment_submitted", household=home).count() == 1


def test_detail_has_progress_against_the_previous(client, volunteer):
    home, head, spouse = couple_household()
    services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse, household={"tidy_house": False}),
        actor=volunteer,
    )  # fmt: skip
    second = services.assessment_submit(
        household=home, assessed_on=VISIT + dt.timedelta(days=30), answers=answers_for(head, spouse), actor=volunteer
    )
    client.force_login(volunteer)
    progress = client.get(f"{API}/assessments/{second.pk}").json()["progress"]
    assert progress["dimensions"]["living"] == "improved"
    assert progress["dimensions_text"]["living"] == "ดีขึ้น"
    assert progress["changed"] == [{"code": "bmn-11", "before": "fail", "after": "pass", "direction": "improved"}]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            lambda b: b["answers"]["household"].pop("hygienic_food"),
            "body.answers.household.hygienic_food",
            "ตอบคำถามนี้",
        ),
        (lambda b: b.__setitem__("assessed_on", "2600-01-01"), "body.assessed_on", "อนาคต"),
        (
            lambda b: b.__setitem__("assessed_on", "15/6/2567"),
            "body.payload.assessed_on",
            "กรุณาส่งวันที่แบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2024-06-15",
        ),
        (lambda b: b.__setitem__("gps_lat", 120), "body.payload.gps_lat", "ต้องไม่เกิน 90"),
        (lambda b: b.__setitem__("indicator_set", "nope"), "body.indicator_set", "ไม่มีชุดตัวชี้วัด"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, volunteer, change, path, message):
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    body = create_body(home, head, spouse)
    change(body)
    response = client.post(f"{API}/assessments", body, content_type="application/json")
    assert response.status_code == 422
    [error] = [field for field in response.json()["error"]["fields"] if field["path"] == path]
    assert message in error["message"], error["message"]
    assert Assessment.objects.count() == 0


def test_a_negative_income_is_422_in_thai(client, volunteer):
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    body = create_body(home, head, spouse)
    body["answers"]["members"][str(head.pk)]["monthly_income"] = -1
    response = client.post(f"{API}/assessments", body, content_type="application/json")
    assert response.json()["error"]["fields"] == [
        {
            "path": f"body.answers.members.{head.pk}.monthly_income",
            "message": "รายได้ต้องอยู่ระหว่าง 0 ถึง 10,000,000 บาทต่อเดือน",
        }
    ]


@pytest.mark.parametrize(
    ("income", "message"),
    [
        ("NaN", "กรุณากรอกรายได้เป็นตัวเลข (บาท)"),
        ("sNaN", "กรุณากรอกรายได้เป็นตัวเลข (บาท)"),
        ("-Infinity", "กรุณากรอกรายได้เป็นตัวเลข (บาท)"),
        ("1e999999", "กรุณากรอกรายได้เป็นตัวเลข (บาท)"),
        ("9" * 40, "รายได้ต้องอยู่ระหว่าง 0 ถึง 10,000,000 บาทต่อเดือน"),
        ("10,000,000.01", "รายได้ต้องอยู่ระหว่าง 0 ถึง 10,000,000 บาทต่อเดือน"),
        ([], "กรุณากรอกรายได้เป็นตัวเลข (บาท)"),
    ],
)
def test_an_income_that_is_not_an_amount_is_422_naming_it(client, volunteer, income, message):
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    body = create_body(home, head, spouse)
    body["answers"]["members"][str(head.pk)]["monthly_income"] = income

    response = client.post(f"{API}/assessments", body, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"path": f"body.answers.members.{head.pk}.monthly_income", "message": message}
    ]
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize("income", ["5,000", "๕๐๐๐", "๕,๐๐๐.๐๐", 5000])
def test_an_income_with_commas_or_thai_digits_is_read_as_baht(client, volunteer, income):
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    body = create_body(home, head, spouse)
    body["answers"]["members"][str(head.pk)]["monthly_income"] = income

    response = client.post(f"{API}/assessments", body, content_type="application/json")

    assert response.status_code == 201
    assert Decimal(Assessment.objects.get().answers["members"][str(head.pk)]["monthly_income"]) == Decimal("5000")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_a_bare_nan_anywhere_in_the_answers_is_422_naming_it(client, volunteer, literal):
    home, head, spouse = couple_household()
    client.force_login(volunteer)
    body = create_body(home, head, spouse)
    text = json.dumps(body).replace('"literate": true', f'"birth_weight_grams": {literal}, "literate": true', 1)

    response = client.post(f"{API}/assessments", text, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"path": f"body.answers.members.{head.pk}.birth_weight_grams", "message": "กรุณากรอกเป็นตัวเลข"}
    ]
    assert Assessment.objects.count() == 0


# --- access -------------------------------------------------------------------------------------


def test_anonymous_gets_401_and_writes_nothing(client):
    home, head, spouse = couple_household()
    assert client.get(f"{API}/assessments").status_code == 401
    assert client.get(f"{API}/indicator-sets").status_code == 401
    response = client.post(f"{API}/assessments", create_body(home, head, spouse), content_type="application/json")
    assert response.status_code == 401
    assert Assessment.objects.count() == 0


def test_wrong_area_sees_nothing_and_gets_404(client, volunteer, other_province_worker):
    home, head, spouse = couple_household()
    assessment = services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer
    )
    client.force_login(other_province_worker)
    assert client.get(f"{API}/assessments").json() == []
    assert client.get(f"{API}/assessments/{assessment.pk}").status_code == 404
    body = create_body(home, head, spouse, assessed_on="2024-07-01")
    assert client.post(f"{API}/assessments", body, content_type="application/json").status_code == 404
    assert Assessment.objects.count() == 1


def test_wrong_role_is_refused(client, volunteer, analyst, manager):
    home, head, spouse = couple_household()
    assessment = services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse), actor=volunteer
    )
    client.force_login(analyst)
    assert client.get(f"{API}/assessments").json() == []
    assert client.get(f"{API}/assessments/{assessment.pk}").status_code == 404
    body = create_body(home, head, spouse, assessed_on="2024-07-01")
    assert client.post(f"{API}/assessments", body, content_type="application/json").status_code == 403
    client.force_login(manager)
    assert client.post(f"{API}/assessments", body, content_type="application/json").status_code == 403
    assert Assessment.objects.count() == 1


def test_right_area_lists_with_filters(client, volunteer, social_worker):
    home, head, spouse = couple_household()
    other, *rest = couple_household()
    services.assessment_submit(
        household=home, assessed_on=VISIT, answers=answers_for(head, spouse, household={"tidy_house": False}),
        actor=volunteer,
    )  # fmt: skip
    latest = services.assessment_submit(
        household=home, assessed_on=VISIT + dt.timedelta(days=30), answers=answers_for(head, spouse), actor=volunteer
    )
    services.assessment_submit(household=other, assessed_on=VISIT, answers=answers_for(*rest), actor=volunteer)
    client.force_login(social_worker)
    assert len(client.get(f"{API}/assessments").json()) == 3
    assert [a["id"] for a in client.get(f"{API}/assessments?household_id={home.pk}&latest_only=true").json()] == [
        latest.pk
    ]
    assert len(client.get(f"{API}/assessments?poor=true").json()) == 1
    assert len(client.get(f"{API}/assessments?date_from=2024-07-01").json()) == 1
    refused = client.get(f"{API}/assessments?limit=0")
    assert refused.status_code == 422
    assert [field["path"] for field in refused.json()["error"]["fields"]] == ["query.limit"]


def test_openapi_documents_the_endpoints(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert {"/api/v1/assessments", "/api/v1/assessments/{assessment_id}", "/api/v1/indicator-sets"} <= set(paths)
