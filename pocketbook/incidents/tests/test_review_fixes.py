"""Defects found in review, each reproduced first: scope on merge chains, create answers, huge ids, query counts."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.incidents import services
from pocketbook.incidents.models import Dispatch, Incident, IncidentEvent
from pocketbook.incidents.tests.factories import ResponderFactory, UnitFactory

pytestmark = pytest.mark.django_db


def operator_of(username, area):
    return UserFactory(username=username, roles=[Role.ESS_OPERATOR], areas=[area])


def open_incident(actor, area_code):
    return services.incident_open(
        incident_type="elderly", channel="hotline", area_code=area_code, description="x", actor=actor
    )


def test_merge_never_follows_a_chain_outside_the_operators_areas():
    # given B (9202) merged into C (9201) by the province's operator
    province_operator, district_operator = operator_of("op92", "92"), operator_of("op9202", "9202")
    mine, other_in_my_district, outside = (
        open_incident(province_operator, "920201"),
        open_incident(province_operator, "920202"),
        open_incident(province_operator, "920101"),
    )
    services.incident_merge(incident=other_in_my_district, into=outside, actor=province_operator)
    client = Client()
    client.force_login(district_operator)
    # when the 9202 operator merges A into B
    response = client.post(f"/ess/incidents/{mine.pk}/merge/", {"into": other_in_my_district.number})
    # then nothing lands on C, which that operator cannot see
    mine.refresh_from_db()
    assert response.status_code == 422  # the form again, with the reason beside the field
    assert "เรื่องนั้นถูกรวมเข้ากับเรื่องที่อยู่นอกพื้นที่ของคุณแล้ว" in response.content.decode()
    assert mine.merged_into_id is None
    assert not IncidentEvent.objects.filter(incident=outside, actor=district_operator).exists()


def test_an_api_create_routed_outside_my_areas_answers_201_with_what_was_saved():
    UnitFactory(areas=["9201"])
    operator = operator_of("op9202", "9202")
    client = Client()
    client.force_login(operator)
    response = client.post(
        "/api/v1/incidents",
        data=json.dumps({"incident_type": "elderly", "description": "x", "address_text": "ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Incident.objects.get().number == response.json()["number"]


def test_a_hotline_call_routed_outside_my_areas_lands_on_the_board_not_a_404():
    UnitFactory(areas=["9201"])
    operator = operator_of("op9202", "9202")
    client = Client()
    client.force_login(operator)
    response = client.post(
        "/ess/hotline/",
        {"incident_type": "elderly", "description": "x", "address_text": "ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง", "priority": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/ess/"
    assert Incident.objects.count() == 1


def test_dispatch_with_a_responder_id_no_database_can_hold_is_a_form_error():
    operator = operator_of("op", "92")
    unit = UnitFactory(areas=["92"], is_province_default=True)
    ResponderFactory(unit=unit)
    incident = open_incident(operator, "920101")
    client = Client()
    client.force_login(operator)
    response = client.post(f"/ess/incidents/{incident.pk}/dispatch/", {"responders": ["99999999999999999999999"]})
    assert response.status_code == 422
    assert response.context["dispatch_form"].errors == {
        "responders": ["เลือกตัวเลือกที่ถูกต้อง. 99999999999999999999999 ไม่ใช่ตัวเลือกที่ใช้ได้."]
    }
    assert not Dispatch.objects.exists()


@pytest.mark.parametrize("offset", ["99999999999999999999", "10000001"])
def test_an_offset_past_any_page_is_422(offset):
    operator = operator_of("op", "92")
    client = Client()
    client.force_login(operator)
    response = client.get("/api/v1/incidents", {"offset": offset})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"path": "query.offset", "message": "ต้องไม่เกิน 10,000,000"}]


def test_the_incident_page_costs_the_same_with_many_responders():
    operator = operator_of("op", "92")
    unit = UnitFactory(areas=["92"], is_province_default=True)
    incident = open_incident(operator, "920101")
    client = Client()
    client.force_login(operator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/ess/incidents/{incident.pk}/").status_code == 200
        return len(queries)

    ResponderFactory(unit=unit)
    few = count()
    for _ in range(20):
        ResponderFactory(unit=unit)
    assert count() == few
