"""#10: the lists filter by village (its name, หมู่ number or an area code), only among the viewer's villages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.geo.models import Village
from pocketbook.geo.selectors import village_condition
from pocketbook.households import selectors
from pocketbook.households.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _codes(viewer, text):
    return sorted(
        Village.objects.filter(village_condition(viewer=viewer, field="code", text=text)).values_list(
            "code", flat=True
        )
    )


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("ทับเที่ยง", ["92010101"]),
        ("บ้านนาตาล่วง", ["92010102"]),
        ("หมู่ 2", ["92010102"]),
        ("หมู่ที่ 1", ["92010101"]),
        ("ม.1", ["92010101"]),
        ("2", ["92010102"]),
        ("92010102", ["92010102"]),
        ("920101", ["92010101", "92010102"]),
        ("  นาตา  ", ["92010102"]),
        ("ไม่มีหมู่บ้านนี้", []),
    ],
)
def test_a_social_worker_finds_the_villages_of_their_subdistrict(social_worker, text, codes):
    assert _codes(social_worker, text) == codes


def test_a_village_outside_the_viewers_areas_matches_nothing(social_worker, other_province_worker, analyst):
    # นาพละ is in the same district but another subdistrict; ศรีภูมิ in another province
    assert _codes(social_worker, "นาพละ") == []
    assert _codes(social_worker, "ศรีภูมิ") == []
    assert _codes(other_province_worker, "ทับเที่ยง") == []
    # no permission on villages: nothing, even by number
    assert _codes(analyst, "หมู่ 1") == []
    assert _codes(social_worker, "") == ["50010101", "92010101", "92010102", "92010401"]  # no text: no filter


@pytest.fixture
def homes():
    return {
        "ทับเที่ยง": HouseholdFactory(area_code="92010101", house_no="1/1"),
        "นาตาล่วง": HouseholdFactory(area_code="92010102", house_no="2/2"),
        "นาพละ": HouseholdFactory(area_code="92010401", house_no="3/3"),
    }


def test_the_household_list_filters_by_village_name_or_number(social_worker, manager, homes):
    def house_numbers(viewer, village):
        return sorted(selectors.household_list(viewer=viewer, village=village).values_list("house_no", flat=True))

    assert house_numbers(social_worker, "นาตาล่วง") == ["2/2"]
    assert house_numbers(social_worker, "หมู่ 1") == ["1/1"]
    assert house_numbers(social_worker, "นาพละ") == []  # a neighbour subdistrict's village: not the worker's
    assert house_numbers(manager, "หมู่ 1") == ["1/1", "3/3"]  # the province's manager: หมู่ 1 of both subdistricts
    assert house_numbers(manager, "นาพละ") == ["3/3"]


def test_my_households_page_keeps_the_village_in_its_address(client, social_worker, homes):
    # given
    client.force_login(social_worker)
    # when the worker filters by a village's name (posted by the search form)
    response = client.post(reverse("households:household_list"), {"q": "", "village": "นาตาล่วง"})
    # then the address keeps the village (no one's personal data), and the page lists its household only
    assert response.status_code == 302
    assert "village=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "2/2" in page
    assert "1/1" not in page
    assert 'value="นาตาล่วง"' in page


def test_the_api_filters_households_by_village(client, social_worker, homes):
    client.force_login(social_worker)

    response = client.post("/api/v1/households/search", {"village": "หมู่ 2"}, content_type="application/json")

    assert response.status_code == 200
    assert [row["house_no"] for row in response.json()] == ["2/2"]
