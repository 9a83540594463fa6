"""A real Chromium: typing a name in My cases' summary search sends it in no address the browser requests."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from pocketbook.cases import services
from pocketbook.core.tests.browser import shot, sign_in
from pocketbook.households.tests.factories import HouseholdFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "สมหญิง"


def test_the_summary_search_travels_in_no_address(browser_page, social_worker):
    # given two open cases of the social worker's area, one naming a person
    services.case_open(household=HouseholdFactory(), title=f"ดูแลนาง{NAME}", actor=social_worker)
    services.case_open(household=HouseholdFactory(), title="ซ่อมบ้าน", actor=social_worker)
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, "sw")
    page.goto("/cases/?worker=")
    # when the worker types the name in the summary search
    page.fill("input[name=q]", NAME)
    expect(page.locator("[data-testid=case-row]")).to_have_count(1)
    shot(page, "case-list-search-360")
    # then the list narrows, and no address the browser asked for or shows holds the name
    assert NAME in page.inner_text("#cs-rows")
    assert "ซ่อมบ้าน" not in page.inner_text("#cs-rows")
    for address in [*requested, page.url]:
        assert NAME not in address and quote(NAME) not in address, address
    assert any(address.endswith("/cases/") for address in requested)
