"""A real Chromium on a 360-pixel phone: walk the New assessment form to the result, with a mistake on the way."""

import pytest

from pocketbook.assessments.models import Assessment
from pocketbook.assessments.tests.factories import couple_household
from pocketbook.core.tests.browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_all(page, value):
    for radio in page.locator(f"input[type=radio][value={value}]").all():
        radio.check()


def test_volunteer_assesses_a_household_step_by_step_on_a_phone(browser_page, volunteer):
    # given a couple in the volunteer's subdistrict
    home, _head, _spouse = couple_household()
    page = browser_page
    sign_in(page, "vol")
    # when the volunteer opens the household page and starts a new assessment
    page.goto(f"/households/{home.pk}/")
    page.click("[data-testid=new-assessment]")
    assert "ขั้นที่ 1 จาก 6" in page.inner_text("[data-testid=step-title]")
    page.fill("input[name=assessed_on]", "")
    shot(page, "assessment-step-members")
    page.click("[data-testid=next]")
    # then the empty date is refused in Thai
    assert "กรุณากรอกวันที่เยี่ยมบ้าน" in page.inner_text("main")
    page.fill("input[name=assessed_on]", "15/6/2567")
    page.click("[data-testid=next]")
    # the health step: skipping a question is refused beside it
    assert "สุขภาพ" in page.inner_text("[data-testid=step-title]")
    page.click("[data-testid=next]")
    assert page.locator(".field--error").count() == 4
    shot(page, "assessment-step-health-errors")
    answer_all(page, "yes")
    page.click("[data-testid=next]")
    answer_all(page, "yes")
    page.locator("input[name=h_tidy_house][value=no]").check()
    page.click("[data-testid=next]")
    answer_all(page, "yes")
    page.click("[data-testid=next]")
    page.click("[data-testid=next]")
    page.click("[data-testid=next]")
    # then the result page shows the failed dimension in plain Thai
    page.wait_for_selector("[data-testid=result-summary]")
    text = page.inner_text("main")
    assert "ผลการประเมิน" in text
    assert "ครัวเรือนจัดบ้านเรือนเป็นระเบียบเรียบร้อย สะอาด และถูกสุขลักษณะ" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "assessment-result")
    assert Assessment.objects.get().dimension_results["living"] == "fail"
    # and the household page shows the panel
    page.goto(f"/households/{home.pk}/")
    assert page.locator("[data-testid=dimension-row]").count() == 5
    shot(page, "household-with-assessment")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/assessments/{Assessment.objects.get().pk}/")
    assert page.locator("[data-testid=dimension-row]").count() == 5
    shot(page, "assessment-result-desktop")
