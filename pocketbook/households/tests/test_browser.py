"""A real Chromium on a phone screen: register a household, add a member, find it, see the pocketbook."""

import pytest

from pocketbook.core.tests.browser import shot, sign_in
from pocketbook.households.models import Household
from pocketbook.households.tests.factories import make_national_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_volunteer_registers_a_household_adds_a_member_and_finds_it(browser_page, volunteer, villages):
    page = browser_page
    sign_in(page, "vol")
    # when: register
    page.goto("/households/new/")
    page.wait_for_selector(".area-picker__levels select")
    page.fill(".area-picker__search", "บ้านทับเที่ยง")
    page.click(".area-picker__result >> nth=0")
    page.fill("input[name=h-house_no]", "12/3")
    page.check("input[name=c-consent_given][value=yes]")  # consent is an act: nothing is chosen beforehand
    page.fill("input[name=c-given_by_name]", "นางมาลี รักดี")
    page.check("input[name=c-purposes][value=pocketbook]")
    shot(page, "register-360")
    page.click("[data-testid=save]")
    page.wait_for_load_state()
    shot(page, "after-register")
    page.wait_for_selector("[data-testid=add-member]")
    household = Household.objects.get()
    assert household.house_no == "12/3"
    # when: add the head with a wrong check digit, then the right one
    number = make_national_id("110170020345")
    page.click("[data-testid=add-member]")
    page.fill("input[name=first_name]", "มาลี")
    page.fill("input[name=last_name]", "รักดี")
    page.check("input[name=sex][value=F]")
    page.fill("input[name=birth_date]", "1/2/2525")
    page.select_option("select[name=relation]", "head")
    page.fill("input[name=national_id]", number[:-1] + str((int(number[-1]) + 1) % 10))
    page.fill("input[name=monthly_income]", "6500")
    page.click("[data-testid=save]")
    page.wait_for_selector(".field--error")
    shot(page, "member-error-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("input[name=national_id]", number)
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=member]")
    assert page.inner_text("[data-testid=household-title]") == "มาลี รักดี"
    assert page.inner_text("[data-testid=national-id-masked]") == "x-xxxx-xxxxx-xx-" + number[-1]
    shot(page, "household-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "household-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    # when: search My households by the ID
    page.goto("/households/")
    page.fill("#hh-q", number)
    page.wait_for_function("document.querySelectorAll('.hh-card').length === 1")
    shot(page, "list-360")
    assert "มาลี รักดี" in page.inner_text("#hh-rows")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
