"""The summary search of My cases (it may hold a person's name) never travels in an address: logs, history, Referer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.cases import services
from pocketbook.households.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

NAME = "สมหญิง"


@pytest.fixture
def cases(social_worker):
    return [
        services.case_open(household=HouseholdFactory(), title=f"ดูแลนาง{NAME}", actor=social_worker),
        services.case_open(household=HouseholdFactory(), title="ซ่อมบ้าน", actor=social_worker),
    ]


def test_a_posted_summary_search_redirects_to_an_address_without_the_text(client, social_worker, cases):
    # given
    client.force_login(social_worker)
    # when
    response = client.post(
        reverse("cases:case_list"), {"status": "open", "stage": "", "worker": "", "area": "", "q": NAME}
    )
    # then: the address keeps the other filters and an encrypted token, never the name
    assert response.status_code == 302
    location = response["Location"]
    assert NAME not in location
    assert "q=" not in location
    assert "status=open" in location
    page = client.get(location).content.decode()
    assert f"ดูแลนาง{NAME}" in page
    assert "ซ่อมบ้าน" not in page


def test_the_live_filter_is_posted_and_pushes_an_address_without_the_text(client, social_worker, cases):
    client.force_login(social_worker)

    response = client.post(
        reverse("cases:case_list"), {"status": "open", "worker": "", "q": NAME}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert f"ดูแลนาง{NAME}" in body
    assert "ซ่อมบ้าน" not in body
    assert NAME not in response["HX-Push-Url"]
    assert client.get(response["HX-Push-Url"]).content.decode().count('data-testid="case-row"') == 1


def test_a_summary_written_into_the_address_is_not_used(client, social_worker, cases):
    client.force_login(social_worker)

    page = client.get(reverse("cases:case_list"), {"worker": "", "q": "ซ่อมบ้าน"}).content.decode()

    assert page.count('data-testid="case-row"') == 2


def test_the_pager_links_carry_no_summary_text(client, social_worker):
    # given: more matching cases than fit one page
    from pocketbook.cases.view_helpers import PAGE_SIZE

    for number in range(PAGE_SIZE + 1):
        services.case_open(household=HouseholdFactory(), title=f"{NAME} {number}", actor=social_worker)
    client.force_login(social_worker)
    found = client.post(reverse("cases:case_list"), {"status": "open", "worker": "", "q": NAME})
    # when
    page = client.get(found["Location"]).content.decode()
    # then
    pager = page.split('class="pager"')[1].split("</nav>")[0]
    assert "page=2" in pager
    assert NAME not in pager
    assert "q=" not in pager
    assert page.count('data-testid="case-row"') == PAGE_SIZE
    assert 'method="post"' in page
