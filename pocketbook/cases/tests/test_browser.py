"""A real Chromium on a phone screen: need → case → referral → letter → the agency answers by the QR link → assistance
→ closed as helped."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from pocketbook.assessments.loading import SHIPPED_SET, read_set_file, write_set
from pocketbook.assessments.models import Indicator, IndicatorSet
from pocketbook.cases import services
from pocketbook.cases.models import Assistance, Case, Need, Referral, ReferralLinkUse
from pocketbook.cases.reply_links import reply_token
from pocketbook.core.tests.browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def shipped_indicator_set(transactional_db):
    """The indicator set comes from a data migration; an earlier transactional test's flush may have emptied it."""
    if not IndicatorSet.objects.filter(is_current=True).exists():
        write_set(IndicatorSet, Indicator, read_set_file(SHIPPED_SET), current=True)


def printed_reply_address(text: str) -> str:
    """The reply address printed under the QR code; the letter may break it over lines anywhere."""
    start = text.index("http://")
    marker = text.index("/cases/reply/", start)
    token = ""
    for character in text[marker + len("/cases/reply/") :]:
        if character == "/":
            break
        if not character.isspace():
            token += character
    return text[start:marker] + "/cases/reply/" + token + "/"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_social_worker_takes_a_need_to_a_helped_case_with_the_agency_answering_by_qr(
    browser_page, failing_household, social_worker, agency, fund, tmp_path
):
    page = browser_page
    services.needs_suggest_for_households([failing_household.pk])  # as the assessment's listener does
    sign_in(page, "sw")
    # when: open a case from the failed indicator's need
    page.goto(f"/cases/open/{failing_household.pk}/")
    page.wait_for_selector("[data-testid=case-open-form]")
    assert page.is_checked("input[name=needs]")
    page.fill("input[name=title]", "อาหารไม่ถูกสุขลักษณะ")
    shot(page, "cases-open-360")
    assert fits_the_phone(page)
    page.click("[data-testid=open-case-submit]")
    page.wait_for_selector("[data-testid=case-title]")
    case = Case.objects.get()
    assert list(case.needs.values_list("indicator_code", flat=True)) == ["bmn-04"]
    # when: refer it
    page.click("[data-testid=refer]")
    page.select_option("select[name=agency]", str(agency.pk))
    page.select_option("select[name=need]", str(Need.objects.get().pk))
    page.fill("textarea[name=request]", "ขอให้ อสม. ให้ความรู้เรื่องอาหารปลอดภัย")
    shot(page, "cases-refer-360")
    page.click("[data-testid=send-referral]")
    page.wait_for_selector("[data-testid=referral]")
    referral = Referral.objects.get()
    assert page.inner_text("[data-testid=referral-status]") == "ส่งแล้ว รอตอบรับ"
    shot(page, "cases-case-360")
    assert fits_the_phone(page)
    # when: print the letter (the PDF the button opens), and read the reply address printed under the QR code
    letter = page.request.get(page.get_attribute("[data-testid=letter]", "href"))
    assert letter.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    url = printed_reply_address(text)
    # the printed address is the referral's own link: its signed payload (referral and nonce) is the same in a link
    # made now, whose signature differs only by the time it was made. (The letter may wrap the signature after a
    # "-", which pdftotext drops as if it were a hyphenated word, so the agency goes to the link made now.)
    expected_path = reverse("cases:referral_reply", args=[reply_token(referral)])
    payload = expected_path.split(":")[0]
    assert payload.replace("-", "") in "".join(text.split()).replace("-", "")
    url = url[: url.index("/cases/reply/")] + expected_path
    # then: the agency opens it on a phone without an account and accepts, then reports it done
    agency_context = page.context.browser.new_context(viewport={"width": 360, "height": 740})
    agency_page = agency_context.new_page()
    agency_page.goto(url)
    agency_page.wait_for_selector("[data-testid=reply-form]")
    assert agency_page.inner_text("[data-testid=reply-first-name]") == "สมศรี"
    assert "ใจงาม" not in agency_page.content()
    shot(agency_page, "cases-reply-360")
    assert agency_page.evaluate("document.documentElement.scrollWidth") <= 360
    agency_page.check("input[name=status][value=accepted]")
    agency_page.fill("input[name=answered_by_name]", "นางสาวสมใจ พยาบาลวิชาชีพ")
    agency_page.click("[data-testid=send-answer]")
    agency_page.wait_for_selector("[data-testid=reply-status]:has-text('รับเรื่องแล้ว')")
    agency_page.check("input[name=status][value=done]")
    agency_page.fill("input[name=answered_by_name]", "นางสาวสมใจ พยาบาลวิชาชีพ")
    agency_page.fill("textarea[name=note]", "ให้ความรู้ครอบครัวแล้ว")
    agency_page.click("[data-testid=send-answer]")
    agency_page.wait_for_selector("[data-testid=reply-closed]")
    agency_context.close()
    referral.refresh_from_db()
    assert (referral.status, referral.agency_note) == ("done", "ให้ความรู้ครอบครัวแล้ว")
    assert ReferralLinkUse.objects.filter(referral=referral, action="answered").count() == 2
    # when: the worker records assistance from the fund
    page.goto(f"/cases/{case.pk}/")
    page.click("[data-testid=assist]")
    page.select_option("select[name=kind]", "goods")
    page.fill("input[name=amount]", "1,200")
    page.select_option("select[name=fund]", str(fund.pk))
    today = timezone.localdate()
    page.fill("input[name=given_on]", f"{today.day}/{today.month}/{today.year + 543}")
    page.click("[data-testid=save-assistance]")
    page.wait_for_selector("[data-testid=assistance]")
    assert "1,200.00" in page.inner_text("[data-testid=assistance]")
    # and closes the case as helped
    page.select_option("[data-testid=close-form] select[name=status]", "helped")
    page.click("[data-testid=close-form] button[type=submit]")
    page.wait_for_selector(".cs-status--helped")
    shot(page, "cases-closed-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "cases-closed-1280")
    case.refresh_from_db()
    assert (case.status, case.stage) == ("helped", "closed")
    assert Assistance.objects.get().amount == 1200


def test_a_long_unbroken_need_and_case_title_wrap_on_the_phone(browser_page, failing_household, social_worker):
    # given: a need and a case whose texts have no place to break (a number, an address typed without spaces)
    unbroken = "1" * 60
    services.need_add(household=failing_household, description=unbroken, actor=social_worker)
    services.case_open(household=failing_household, title="ก" * 80, actor=social_worker)
    page = browser_page
    sign_in(page, "sw")

    # when: the household page and the case page at 360 px
    page.goto(f"/households/{failing_household.pk}/")
    page.wait_for_selector(f"text={unbroken}")
    shot(page, "household-long-need-360")
    household_fits = fits_the_phone(page)
    page.goto(f"/cases/{Case.objects.get().pk}/")
    page.wait_for_selector("[data-testid=case-title]")
    case_fits = fits_the_phone(page)

    # then: neither page scrolls sideways
    assert (household_fits, case_fits) == (True, True)
