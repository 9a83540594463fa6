"""The cases API: area-scoped, one error shape, 409 on a stale plan item, amounts hidden from volunteers."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from pocketbook.cases import services
from pocketbook.cases.models import Assistance, Case, CaseEvent, Need, Referral
from pocketbook.households.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def api(client, user, method, path, body=None):
    if user is not None:
        client.force_login(user)
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


@pytest.fixture
def case(household, social_worker):
    return services.case_open(household=household, title="ดูแล", actor=social_worker)


def test_open_a_case_refer_it_record_assistance_and_close_it(client, failing_household, social_worker, agency, fund):
    services.needs_suggest_for_households([failing_household.pk])
    need = Need.objects.get()
    opened = api(
        client,
        social_worker,
        "post",
        "/cases",
        {"household_id": failing_household.pk, "title": "อาหาร", "need_ids": [need.pk]},
    )
    assert opened.status_code == 201, opened.content
    case_id = opened.json()["id"]
    referral = api(
        client,
        social_worker,
        "post",
        "/referrals",
        {"case_id": case_id, "agency_id": agency.pk, "request": "ตรวจ", "need_id": need.pk},
    )
    assert referral.status_code == 201 and referral.json()["status"] == "sent"
    answered = api(
        client,
        social_worker,
        "post",
        f"/referrals/{referral.json()['id']}/answer",
        {"status": "done", "answered_by_name": "รพ.สต.", "note": "ให้คำแนะนำแล้ว"},
    )
    assert answered.json()["status"] == "done"
    given = api(
        client,
        social_worker,
        "post",
        "/assistance",
        {
            "household_id": failing_household.pk,
            "case_id": case_id,
            "kind": "goods",
            "amount": "1500.50",
            "given_on": timezone.localdate().isoformat(),
            "fund_id": fund.pk,
        },
    )
    assert given.status_code == 201 and given.json()["amount"] == "1500.50"
    closed = api(client, social_worker, "post", f"/cases/{case_id}/close", {"status": "helped"})
    assert (closed.status_code, closed.json()["status"], closed.json()["stage"]) == (200, "helped", "closed")
    funds = api(client, social_worker, "get", "/funds").json()
    assert [(row["budget"], row["used"], row["remaining"]) for row in funds] == [("10000.00", "1500.50", "8499.50")]


def test_over_budget_answers_422_with_the_figures_and_saves_nothing(client, household, social_worker, fund):
    response = api(
        client,
        social_worker,
        "post",
        "/assistance",
        {
            "household_id": household.pk,
            "kind": "goods",
            "amount": "10000.01",
            "given_on": timezone.localdate().isoformat(),
            "fund_id": fund.pk,
        },
    )
    assert response.status_code == 422
    field = response.json()["error"]["fields"][0]
    assert field["path"] == "body.amount" and "10,000.00" in field["message"]
    assert Assistance.objects.count() == 0


def test_a_stale_plan_item_version_answers_409(client, case, social_worker):
    item = services.plan_item_add(case=case, action="เยี่ยม", actor=social_worker)
    first = api(client, social_worker, "patch", f"/plan-items/{item.pk}", {"version": 1, "status": "in_progress"})
    assert (first.status_code, first.json()["version"]) == (200, 2)
    second = api(client, social_worker, "patch", f"/plan-items/{item.pk}", {"version": 1, "status": "done"})
    assert second.status_code == 409 and second.json()["error"]["code"] == "conflict"
    item.refresh_from_db()
    assert item.status == "in_progress"


def test_a_plan_item_patch_sets_what_it_sends_and_null_clears_only_what_may_be_empty(
    client, case, social_worker, agency
):
    # given a plan item with an agency and a due date
    item = services.plan_item_add(
        case=case, action="เยี่ยม", agency=agency, due_on=timezone.localdate(), actor=social_worker
    )
    # when a PATCH clears the due date and the agency, sends a null action and leaves the status out
    body = {"version": 1, "due_on": None, "agency_id": None, "action": None}
    answer = api(client, social_worker, "patch", f"/plan-items/{item.pk}", body)
    # then the due date and the agency are cleared, the action (which may not be empty) and the status stay
    assert answer.status_code == 200, answer.content
    item.refresh_from_db()
    assert (item.due_on, item.agency_id, item.action, item.status, item.version) == (None, None, "เยี่ยม", "planned", 2)
    # and the case's timeline names the fields the request set
    changed = CaseEvent.objects.get(case=case, kind="plan_item_changed")
    assert changed.params["fields"] == ["action", "agency", "due_on"]


def test_a_plan_item_patch_naming_an_unknown_agency_answers_404_and_changes_nothing(client, case, social_worker):
    item = services.plan_item_add(case=case, action="เยี่ยม", actor=social_worker)
    answer = api(client, social_worker, "patch", f"/plan-items/{item.pk}", {"version": 1, "agency_id": 999999})
    assert answer.status_code == 404
    item.refresh_from_db()
    assert (item.agency_id, item.version) == (None, 1)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"title": "x"}, "body.payload.household_id"),
        ({"household_id": "abc", "title": "x"}, "body.payload.household_id"),
        ({"household_id": 1, "title": "x" * 201}, "body.payload.title"),
    ],
)
def test_bad_case_input_answers_422_naming_the_field(client, social_worker, body, path):
    response = api(client, social_worker, "post", "/cases", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == path
    assert Case.objects.count() == 0


def test_volunteer_sees_assistance_without_amounts(client, household, social_worker, volunteer):
    services.assistance_record(
        household=household, kind="goods", amount="100", given_on=timezone.localdate(), actor=social_worker
    )
    response = api(client, volunteer, "get", f"/assistance?household_id={household.pk}")
    assert response.status_code == 403
    rows = api(client, social_worker, "get", f"/assistance?household_id={household.pk}").json()
    assert rows[0]["amount"] == "100.00"


def test_agency_search_in_thai(client, social_worker, agency):
    rows = api(client, social_worker, "get", "/agencies?q=ส่งเสริมสุขภาพ").json()
    assert [row["id"] for row in rows] == [agency.pk]
    assert rows[0]["services"] == ["medical_care"] and rows[0]["area_codes"] == ["9201"]


def test_openapi_documents_the_cases_paths(client, social_worker):
    paths = set(api(client, social_worker, "get", "/openapi.json").json()["paths"])
    assert {
        "/api/v1/cases",
        "/api/v1/needs",
        "/api/v1/referrals",
        "/api/v1/agencies",
        "/api/v1/funds",
        "/api/v1/assistance",
        "/api/v1/plan-items/{item_id}",
    } <= paths


def test_referral_without_consent_needs_an_override_through_the_api(client, case, social_worker, agency):
    case.household.consents.update(purposes=["pocketbook"])
    refused = api(
        client, social_worker, "post", "/referrals", {"case_id": case.pk, "agency_id": agency.pk, "request": "x"}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["path"] == "body.consent_override_reason"
    assert Referral.objects.count() == 0


def test_a_need_of_another_household_is_refused_naming_the_field_in_thai(client, failing_household, social_worker):
    # given: a need of one household, sent with a case for another of the same village
    services.needs_suggest_for_households([failing_household.pk])
    need = Need.objects.get()
    household = HouseholdFactory(area_code=failing_household.area_code)

    # when
    response = api(
        client, social_worker, "post", "/cases", {"household_id": household.pk, "title": "อื่น", "need_ids": [need.pk]}
    )

    # then
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"path": "body.need_ids", "message": "มีความต้องการบางรายการที่ไม่ใช่ของครัวเรือนนี้ หรือท่านไม่มีสิทธิ์เห็น"}
    ]
    assert Case.objects.count() == 0
