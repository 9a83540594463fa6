"""The area and village API: auth, children, search, scoping and error bodies."""

import pytest

from pocketbook.geo.models import Village
from pocketbook.geo.services import village_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def trang_village():
    return village_create(subdistrict_code="920101", number=1, name="บ้านทับเที่ยง", actor=None)


def test_anonymous_gets_401_in_the_one_error_shape(client):
    response = client.get("/api/v1/areas/children")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_children_of_the_country_province_and_district(client, volunteer):
    client.force_login(volunteer)
    assert len(client.get("/api/v1/areas/children").json()) == 77
    districts = client.get("/api/v1/areas/92/children").json()
    assert len(districts) == 10
    assert districts[0]["ancestors"] == ["92", districts[0]["code"]]
    subdistricts = client.get("/api/v1/areas/9201/children").json()
    assert {"code": "920101", "name_th": "ทับเที่ยง"}.items() <= subdistricts[0].items()


def test_unknown_area_is_404(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/api/v1/areas/99/children")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "code": "not_found", "message": "ไม่พบข้อมูล"}}


def test_search_answers_in_the_requested_language(client, volunteer):
    client.force_login(volunteer)
    results = client.get("/api/v1/areas/search", {"q": "ทับเที่ยง"}, HTTP_ACCEPT_LANGUAGE="en").json()
    match = next(r for r in results if r["code"] == "920101")
    assert match["name"] == match["name_en"]
    assert match["ancestors"] == ["92", "9201", "920101"]


def test_search_without_a_query_is_422_naming_the_field(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/api/v1/areas/search")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"path": "query.q", "message": "กรุณากรอกช่องนี้"}]


def test_villages_are_area_scoped(client, trang_village, volunteer, other_province_worker):
    client.force_login(volunteer)
    assert [v["code"] for v in client.get("/api/v1/villages").json()] == ["92010101"]
    assert client.get("/api/v1/villages/92010101").status_code == 200
    client.force_login(other_province_worker)
    assert client.get("/api/v1/villages").json() == []
    assert client.get("/api/v1/villages/92010101").status_code == 404
    assert client.get("/api/v1/villages/99999999").status_code == 404


def test_an_administrator_adds_a_village(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/api/v1/villages",
        {"subdistrict_code": "920101", "number": 7, "name": "บ้านใหม่"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["code"] == "92010107"
    assert Village.objects.filter(code="92010107", name="บ้านใหม่").exists()


def test_a_volunteer_may_not_add_a_village_and_nothing_is_written(client, volunteer):
    client.force_login(volunteer)
    response = client.post(
        "/api/v1/villages",
        {"subdistrict_code": "920101", "number": 7, "name": "บ้านใหม่"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not Village.objects.exists()


def test_an_administrator_of_trang_cannot_add_a_village_elsewhere(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/api/v1/villages", {"subdistrict_code": "500101", "number": 1, "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Village.objects.exists()


def test_bad_village_input_is_422_with_field_paths(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/api/v1/villages", {"subdistrict_code": "92", "number": 120, "name": ""}, content_type="application/json"
    )
    assert response.status_code == 422
    assert {f["path"]: f["message"] for f in response.json()["error"]["fields"]} == {
        "body.payload.subdistrict_code": "รูปแบบไม่ถูกต้อง (ต้องตรงกับ ^\\d{6}$)",
        "body.payload.number": "ต้องไม่เกิน 99",
        "body.payload.name": "ต้องมีอย่างน้อย 1 ตัวอักษร",
    }
    assert not Village.objects.exists()


def test_unknown_subdistrict_is_422(client, administrator):
    administrator.area_assignments.create(area_code="99")  # even with a matching area, the code must exist
    client.force_login(administrator)
    response = client.post(
        "/api/v1/villages", {"subdistrict_code": "929999", "number": 1, "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"path": "body.subdistrict_code", "message": "ไม่มีตำบลรหัส 929999"}]
    assert not Village.objects.exists()


def test_a_duplicate_village_number_is_422(client, administrator, trang_village):
    client.force_login(administrator)
    response = client.post(
        "/api/v1/villages", {"subdistrict_code": "920101", "number": 1, "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"path": "body.number", "message": "ตำบลนี้มีหมู่ 1 อยู่แล้ว"}]
    assert Village.objects.count() == 1


def test_an_unexpected_error_is_a_500_in_the_one_shape_and_logged(client, volunteer, monkeypatch, caplog):
    from pocketbook.geo import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "area_search", broken)
    client.force_login(volunteer)
    response = client.get("/api/v1/areas/search", {"q": "x"}, HTTP_X_REQUEST_ID="req-abcdefgh")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "req-abcdefgh" in response.json()["error"]["message"]
    assert "Unexpected API error" in caplog.text


def test_the_openapi_document_and_the_docs_are_served_without_a_cdn(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/areas/{code}/children" in spec.json()["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


def test_a_session_post_without_csrf_token_is_refused_and_writes_nothing(administrator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    response = client.post(
        "/api/v1/villages", {"subdistrict_code": "920101", "number": 7, "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "error" in response.json()
    assert not Village.objects.exists()
