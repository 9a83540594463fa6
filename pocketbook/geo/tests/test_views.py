"""Village pages: anonymous, wrong role, wrong area, right area."""

import pytest

from pocketbook.geo.models import Village
from pocketbook.geo.services import village_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def trang_village():
    return village_create(subdistrict_code="920101", number=1, name="บ้านทับเที่ยง", actor=None)


def test_anonymous_is_sent_to_sign_in(client, trang_village):
    for url in ["/areas/villages/", "/areas/villages/92010101/", "/areas/villages/new/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_right_area_sees_the_village(client, volunteer, trang_village):
    client.force_login(volunteer)
    assert "บ้านทับเที่ยง" in client.get("/areas/villages/").content.decode()
    assert client.get("/areas/villages/92010101/").status_code == 200


def test_another_province_sees_nothing_and_gets_404(client, other_province_worker, trang_village):
    client.force_login(other_province_worker)
    assert "บ้านทับเที่ยง" not in client.get("/areas/villages/").content.decode()
    assert "ยังไม่มีหมู่บ้าน" in client.get("/areas/villages/").content.decode()
    assert client.get("/areas/villages/92010101/").status_code == 404
    assert client.get("/areas/villages/00000000/").status_code == 404


def test_a_volunteer_may_not_add_villages_and_nothing_is_written(client, volunteer):
    client.force_login(volunteer)
    assert client.get("/areas/villages/new/").status_code == 403
    response = client.post("/areas/villages/new/", {"subdistrict_code": "920101", "number": "2", "name": "x"})
    assert response.status_code == 403
    assert not Village.objects.exists()


def test_an_unknown_area_code_gets_a_message_beside_the_field(client, administrator):
    client.force_login(administrator)
    response = client.post("/areas/villages/new/", {"subdistrict_code": "929999", "number": "2", "name": "x"})
    assert response.status_code == 200
    assert "ไม่มีพื้นที่รหัส 929999" in response.content.decode()
    assert not Village.objects.exists()


def test_a_district_code_is_not_a_subdistrict(client, administrator):
    client.force_login(administrator)
    response = client.post("/areas/villages/new/", {"subdistrict_code": "9201", "number": "2", "name": "x"})
    assert "กรุณาเลือกพื้นที่ระดับตำบลถึงระดับตำบล" in response.content.decode()
    assert not Village.objects.exists()


def test_an_administrator_cannot_add_outside_their_areas(client, administrator):
    client.force_login(administrator)
    response = client.post("/areas/villages/new/", {"subdistrict_code": "500101", "number": "2", "name": "x"})
    assert "อยู่นอกพื้นที่รับผิดชอบ" in response.content.decode()
    assert not Village.objects.exists()


def test_an_administrator_adds_a_village(client, administrator):
    client.force_login(administrator)
    response = client.post("/areas/villages/new/", {"subdistrict_code": "920101", "number": "4", "name": "บ้านใหม่"})
    assert response.status_code == 302
    assert Village.objects.get(code="92010104").name == "บ้านใหม่"


def test_the_village_list_searches_and_pages(client, manager):
    # given 60 villages in Trang
    for number in range(1, 61):
        village_create(
            subdistrict_code="920101" if number <= 30 else "920104",
            number=number % 30 + 1,
            name=f"บ้านที่{number}",
            actor=None,
        )
    client.force_login(manager)
    # when
    first = client.get("/areas/villages/").content.decode()
    found = client.get("/areas/villages/", {"q": "920104"}).content.decode()
    # then
    assert "หน้า 1 จาก 2" in first
    assert found.count('href="/areas/villages/920104') == 30
    assert "920101" not in found.split("<tbody>")[1]
