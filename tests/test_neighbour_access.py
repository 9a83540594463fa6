"""Neighbours inside the province see and change nothing of each other's areas, on every page and endpoint.

The home household lives in ต.ทับเที่ยง (920101). A volunteer and a social worker of ต.นาพละ (920104,
the same district) and of ต.กันตัง (920201, another district of the same province) try every page and
endpoint of households, assessments and incidents against it: each read answers 403 or 404 (as missing),
each write is refused and writes nothing. The home social worker reaches every one of the same URLs, so
a refusal here is the boundary, not a wrong URL. This is what would fail if `User.covers` or the scoped
querysets were weakened to "any area of my province".
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.assessments.models import Assessment
from pocketbook.audit.models import ObjectChange
from pocketbook.households.models import Consent, Household, HouseholdEvent, Member
from pocketbook.incidents import services as incident_services
from pocketbook.incidents.models import Incident, IncidentEvent
from tests.neighbours import NATIONAL_ID, NEIGHBOURS, answers, not_refused, own_household, read_statuses, send

pytestmark = pytest.mark.django_db


def _state() -> tuple:
    """What a refused request must leave untouched."""
    return (
        list(Household.objects.order_by("pk").values_list("pk", "area_code", "house_no", "address", "has_consent")),
        list(Member.objects.order_by("pk").values_list("pk", "household_id", "first_name", "status")),
        Consent.objects.filter(withdrawn_at__isnull=True).count(),
        Assessment.objects.count(),
        HouseholdEvent.objects.count(),
        ObjectChange.objects.count(),
    )


def _member_form(**overrides):
    data = {
        "first_name": "แก้ชื่อ", "last_name": "ทับเที่ยง", "sex": "F", "birth_date": "3/2/2523", "relation": "head",
        "no_id_reason": "not_yet_registered",
    }  # fmt: skip
    return data | overrides


def page_reads(h, m, a):
    return [
        reverse("households:household_detail", args=[h.pk]),
        reverse("households:household_edit", args=[h.pk]),
        reverse("households:consent_edit", args=[h.pk]),
        reverse("households:member_create", args=[h.pk]),
        reverse("households:member_edit", args=[m.pk]),
        reverse("households:member_move", args=[m.pk]),
        reverse("households:member_end", args=[m.pk]),
        reverse("assessments:assessment_new", args=[h.pk]),
        reverse("assessments:assessment_history", args=[h.pk]),
        reverse("assessments:assessment_detail", args=[a.pk]),
        f"/api/v1/households/{h.pk}",
        f"/api/v1/households/{h.pk}/timeline",
        f"/api/v1/members/{m.pk}",
        f"/api/v1/members?household_id={h.pk}",
        f"/api/v1/assessments/{a.pk}",
    ]


def page_writes(h, m, own):
    return [
        ("post", reverse("households:household_edit", args=[h.pk]), {"area_code": h.area_code, "house_no": "X"}),
        ("post", reverse("households:consent_edit", args=[h.pk]), {"action": "withdraw", "w-confirm": "on"}),
        ("post", reverse("households:member_create", args=[h.pk]), _member_form(relation="spouse")),
        ("post", reverse("households:member_edit", args=[m.pk]), _member_form()),
        ("post", reverse("households:member_move", args=[m.pk]), {"to_household": own.pk, "reason": "ย้าย"}),
        ("post", reverse("households:member_end", args=[m.pk]), {"status": "left", "on": "1/1/2567"}),
        ("post", reverse("households:national_id_reveal", args=[m.pk]), {}),
        ("post", reverse("households:photo_add", args=[h.pk]), {}),
        ("post", reverse("assessments:assessment_discard", args=[h.pk]), {}),
        ("patch", f"/api/v1/households/{h.pk}", {"house_no": "X"}),
        ("post", f"/api/v1/households/{h.pk}/members", {"sex": "M", "birth_date": "1990-01-01", "relation": "son"}),
        ("patch", f"/api/v1/members/{m.pk}", {"first_name": "แก้ชื่อ"}),
        ("post", f"/api/v1/members/{m.pk}/move", {"to_household_id": own.pk, "reason": "ย้าย"}),
        ("post", f"/api/v1/members/{m.pk}/national-id", {}),
        ("post", "/api/v1/assessments", {"household_id": h.pk, "assessed_on": "2024-06-15", "answers": {}}),
    ]


@pytest.mark.parametrize("neighbour", NEIGHBOURS)
def test_a_neighbour_reads_nothing_of_the_home_subdistrict(client, home, social_worker, neighbour, request):
    # given: the home social worker reaches every URL (so a refusal below is the boundary, not a typo)
    urls = page_reads(home["household"], home["member"], home["assessment"])
    assert read_statuses(client, social_worker, urls) == dict.fromkeys(urls, 200)
    # when the neighbour tries them
    statuses = read_statuses(client, request.getfixturevalue(neighbour), urls)
    # then: not found (or forbidden to the role), never shown
    assert not_refused(statuses) == {}


@pytest.mark.parametrize("neighbour", NEIGHBOURS)
def test_a_neighbour_finds_nothing_of_the_home_subdistrict_in_lists_and_searches(client, home, neighbour, request):
    household, member, assessment = home["household"], home["member"], home["assessment"]
    client.force_login(request.getfixturevalue(neighbour))
    detail = reverse("households:household_detail", args=[household.pk])
    pages = [
        client.get(reverse("households:household_list"), {"all": "1"}),
        client.post(reverse("households:household_list"), {"q": "41/4"}, follow=True),
        client.post(reverse("households:household_list"), {"q": NATIONAL_ID}, follow=True),
        client.post(reverse("households:household_list"), {"q": "บ้านเดิมนาง"}, follow=True),
    ]
    for page in pages:
        assert page.status_code == 200
        assert detail not in page.content.decode() and "ทับเที่ยง</" not in page.content.decode()
    lists = {
        "households": client.get("/api/v1/households"),
        "members": client.get("/api/v1/members"),
        "assessments": client.get("/api/v1/assessments"),
        "household search": client.post("/api/v1/households/search", {"q": "41/4"}, content_type="application/json"),
        "id search": client.post("/api/v1/members/search", {"q": NATIONAL_ID}, content_type="application/json"),
        "name search": client.post("/api/v1/members/search", {"q": "บ้านเดิมนาง"}, content_type="application/json"),
    }
    found = {
        name: [row.get("id") for row in response.json()]
        for name, response in lists.items()
        if response.status_code == 200 and response.json()
    }
    assert found == {}, f"household {household.pk}, member {member.pk}, assessment {assessment.pk}"


@pytest.mark.parametrize("neighbour", NEIGHBOURS)
def test_a_neighbour_changes_nothing_of_the_home_subdistrict(client, home, neighbour, request):
    # given
    user = request.getfixturevalue(neighbour)
    own = own_household(user)
    before = _state()
    client.force_login(user)
    # when
    statuses = answers(client, page_writes(home["household"], home["member"], own))
    # then: every write is refused, and nothing was written
    assert not_refused(statuses) == {}
    assert _state() == before


@pytest.mark.parametrize("neighbour", NEIGHBOURS)
def test_a_neighbour_cannot_register_or_move_a_household_into_the_home_subdistrict(client, home, neighbour, request):
    # given: the neighbour's own household
    user = request.getfixturevalue(neighbour)
    own = own_household(user)
    before = _state()
    client.force_login(user)
    # when: they register one in the home village, or move their own there (page and API)
    page_new = client.post(reverse("households:household_create"), {"area_code": "92010101", "house_no": "5"})
    api_new = client.post("/api/v1/households", {"area_code": "92010101"}, content_type="application/json")
    page_move = client.post(reverse("households:household_edit", args=[own.pk]), {"area_code": "92010101"})
    api_move = client.patch(f"/api/v1/households/{own.pk}", {"area_code": "920101"}, content_type="application/json")
    # then: each is refused naming the field, and nothing was written
    assert page_new.status_code == 200 and "area_code" in page_new.context["form"].errors
    assert api_new.status_code == 422 and api_new.json()["error"]["fields"][0]["path"] == "body.area_code"
    assert page_move.status_code == 200 and "area_code" in page_move.context["form"].errors
    assert api_move.status_code == 422 and api_move.json()["error"]["fields"][0]["path"] == "body.area_code"
    assert _state() == before


def test_the_home_volunteer_still_registers_in_the_home_village(client, home, volunteer):
    client.force_login(volunteer)
    response = client.post("/api/v1/households", {"area_code": "92010101"}, content_type="application/json")
    assert response.status_code == 201


# --- incidents: an operator of another district of the same province --------------------------------------------


@pytest.fixture
def home_incident(ess_operator):
    return incident_services.incident_open(
        incident_type="elderly", channel="hotline", area_code="920101", description="ผู้สูงอายุล้ม", actor=ess_operator
    )


def test_an_operator_of_another_district_reads_and_changes_no_incident_of_the_home_district(
    client, home_incident, district_neighbour_operator, ess_operator
):
    incident = home_incident
    reads = [reverse("incidents:incident_detail", args=[incident.pk]), f"/api/v1/incidents/{incident.pk}"]
    writes = [
        ("post", reverse("incidents:incident_acknowledge", args=[incident.pk]), {}),
        ("post", reverse("incidents:incident_note", args=[incident.pk]), {"text": "บันทึก"}),
        ("post", reverse("incidents:incident_status", args=[incident.pk]), {"status": "acknowledged"}),
        ("post", reverse("incidents:incident_location", args=[incident.pk]), {"area_code": "920201"}),
        ("post", f"/api/v1/incidents/{incident.pk}/status", {"status": "acknowledged"}),
    ]
    # the home operator (province-wide) reaches the reads
    client.force_login(ess_operator)
    assert [client.get(url).status_code for url in reads] == [200, 200]
    # when
    client.force_login(district_neighbour_operator)
    events_before = IncidentEvent.objects.count()
    read_answers = [client.get(url).status_code for url in reads]
    write_answers = [send(client, method, url, data).status_code for method, url, data in writes]
    board = client.get(reverse("incidents:board")).content.decode()
    listed = client.get("/api/v1/incidents").json()
    # then
    assert read_answers == [404, 404]
    assert write_answers == [404] * len(writes)
    assert incident.number not in board and listed == []
    incident.refresh_from_db()
    assert (incident.status, incident.area_code, IncidentEvent.objects.count()) == (
        "received",
        "920101",
        events_before,
    )


def test_an_operator_of_another_district_cannot_log_a_call_in_the_home_district(client, district_neighbour_operator):
    client.force_login(district_neighbour_operator)
    page = client.post(
        reverse("incidents:hotline_call"),
        {"incident_type": "elderly", "area_code": "920101", "description": "ล้ม", "priority": ""},
    )
    api = client.post(
        "/api/v1/incidents", {"incident_type": "elderly", "area_code": "920101"}, content_type="application/json"
    )
    assert page.status_code == 200 and "area_code" in page.context["form"].errors
    assert api.status_code == 422 and api.json()["error"]["fields"][0]["path"] == "body.area_code"
    assert not Incident.objects.exists()
