"""A real Chromium: names typed in the training searches travel in no address the browser requests."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from pocketbook.core.tests.browser import shot, sign_in
from pocketbook.volunteers.tests.factories import ParticipantFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "มานี"


def _no_address_holds(addresses: list[str], text: str) -> None:
    for address in addresses:
        assert text not in address and quote(text) not in address, address


def test_the_participants_and_check_in_searches_travel_in_no_address(browser_page, social_worker):
    # given a training session with two participants
    session = SessionFactory()
    ParticipantFactory(project=session.project, first_name="สมใจ", last_name="อาสา", role="volunteer")
    ParticipantFactory(project=session.project, first_name=NAME, last_name="ใจดี", role="speaker")
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, "sw")
    # when the worker searches the project's participants by name
    page.goto(f"/volunteers/training/{session.project.pk}/")
    page.fill("#participants input[name=q]", NAME)
    page.click("#participants form[role=search] button[type=submit]")
    page.wait_for_load_state()
    # then only that participant is listed, and the search box still shows the name
    expect(page.locator("#participants tbody tr")).to_have_count(1)
    assert f"{NAME} ใจดี" in page.inner_text("#participants tbody")
    assert page.input_value("#participants input[name=q]") == NAME
    shot(page, "training-participants-search-360")
    # when the check-in page's tick list is searched
    page.goto(f"/volunteers/training/sessions/{session.pk}/check-in/")
    page.fill("input[type=search][name=q]", NAME)
    expect(page.locator("#vo-ticks li")).to_have_count(1)
    assert NAME in page.inner_text("#vo-ticks")
    # then no address the browser asked for, or shows, holds the name
    _no_address_holds([*requested, page.url], NAME)
    assert any("/check-in/list" in address for address in requested)


def test_a_typed_date_is_read_back_without_travelling_in_an_address(browser_page, social_worker):
    # given the volunteer form's "volunteer since" date (a past date only)
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, "sw")
    page.goto("/volunteers/new/")
    # when a date is typed, then one in the future
    page.fill("input[name=started_on]", "2/6/2566")
    expect(page.locator("input[name=started_on] + .date-feedback")).to_contain_text("2 มิถุนายน 2566")
    page.fill("input[name=started_on]", "1/1/2600")
    expect(page.locator("input[name=started_on] + .date-feedback")).to_contain_text("อนาคต")
    # then the read-back was posted: no address holds the date
    _no_address_holds(requested, "2566")
    _no_address_holds(requested, "2600")
    assert not any("/dates/understood/" in address and "?" in address for address in requested)
