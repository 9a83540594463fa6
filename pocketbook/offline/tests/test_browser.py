"""A real Chromium on a 360-pixel phone loses its signal in the middle of the work, and nothing is lost."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from pocketbook.assessments.models import Assessment
from pocketbook.assessments.tests.factories import couple_household
from pocketbook.core.tests.browser import shot, sign_in
from pocketbook.households.models import Household, Member
from pocketbook.households.tests.factories import HOME_VILLAGE, make_national_id
from pocketbook.offline.models import SyncedRecord
from pocketbook.volunteers.caseloads import household_assign
from pocketbook.volunteers.tests.factories import VolunteerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SEND_AND_LOSE_THE_ANSWER = """async () => {
  const database = await idb.openDB("pocketbook-offline");
  const items = await database.getAll("outbox");
  const device = await database.get("meta", "device");
  database.close();
  const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
  const response = await fetch("/api/v1/offline/sync", {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-CSRFToken": token, "X-Pocketbook-Device": device},
    body: JSON.stringify({records: items.map((item) => ({id: item.id, kind: item.kind, payload: item.payload}))}),
  });
  return [response.status, await response.text()];
}"""


def go_offline_ready(page) -> None:
    """Sign in, open My households online, and wait until the service worker and the caseload are on the phone."""
    sign_in(page, "vol")
    page.goto("/households/")
    page.wait_for_selector("html[data-offline-ready='1']")
    # (polled from here: the pages' Content-Security-Policy forbids the evaluated polling of wait_for_function)
    for _attempt in range(300):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("navigator.serviceWorker.controller !== null")


def answer_every_question(page, value: str) -> None:
    for radio in page.locator(f"form input[type=radio][value={value}]").all():
        radio.check()


def register_household(page, *, house_no: str, head_id: str = "") -> None:
    page.click("[data-testid=offline-register]")
    page.select_option("select[name=area_code]", HOME_VILLAGE)
    page.fill("input[name=house_no]", house_no)
    page.check("input[name=consent]")
    page.fill("input[name=given_by_name]", "นางมาลี ใจงาม")
    page.fill("input[name=m1_first_name]", "มาลี")
    page.fill("input[name=m1_last_name]", "ใจงาม")
    page.check("input[name=m1_sex][value=F]")
    page.fill("input[name=m1_birth_date]", "1970-03-02")
    page.select_option("select[name=m1_relation]", "head")
    if head_id:
        page.fill("input[name=m1_national_id]", head_id)
    else:
        page.select_option("select[name=m1_no_id_reason]", "lost_documents")
    page.fill("input[name=m1_monthly_income]", "๕,๐๐๐")
    page.click("[data-testid=offline-add-member]")
    page.fill("input[name=m2_first_name]", "แก้ว")
    page.fill("input[name=m2_last_name]", "ใจงาม")
    page.check("input[name=m2_sex][value=F]")
    page.fill("input[name=m2_birth_date]", "2012-08-09")
    page.select_option("select[name=m2_relation]", "child")
    page.select_option("select[name=m2_no_id_reason]", "not_yet_registered")
    page.click("[data-testid=offline-save]")
    page.wait_for_selector("[data-testid=offline-notice]")


def test_offline_assessment_and_registration_are_sent_once_when_the_signal_returns(browser_page, volunteer):
    # given a household of the volunteer's caseload, kept on the phone after signing in online
    home, head, _spouse = couple_household(volunteer=volunteer)
    page = browser_page
    go_offline_ready(page)
    # when the signal drops and the volunteer opens the household page
    page.context.set_offline(True)
    page.goto(f"/households/{home.pk}/")
    page.wait_for_selector("[data-testid=offline-new-assessment]")
    assert home.house_no in page.inner_text("main")
    # and completes an assessment: skipping questions is refused beside them, as online
    page.click("[data-testid=offline-new-assessment]")
    page.click("[data-testid=offline-save]")
    page.wait_for_selector("[data-form-errors]:not([hidden])")
    assert page.locator(".field--error").count() > 5
    shot(page, "offline-assessment-errors")
    answer_every_question(page, "yes")
    page.fill(f"input[name=income_{head.pk}]", "15,000")
    page.click("[data-testid=offline-save]")
    page.wait_for_selector("[data-testid=offline-notice]")
    # and registers a household with two members
    page.click("a[href='#households']")
    register_household(page, house_no="77/7")
    # then both wait in the outbox
    assert page.inner_text("[data-testid=outbox-count]") == "รอส่ง (2)"
    shot(page, "offline-outbox-waiting")
    assert Assessment.objects.count() == 0
    # when the signal returns, the outbox is sent by itself
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("html[data-outbox-waiting='0']")
    # then each is stored exactly once
    assert Assessment.objects.filter(household=home).count() == 1
    assert Household.objects.filter(house_no="77/7").count() == 1
    new_home = Household.objects.get(house_no="77/7")
    assert new_home.volunteer == volunteer
    assert new_home.has_consent is True
    assert sorted(Member.objects.filter(household=new_home).values_list("first_name", "monthly_income")) == [
        ("มาลี", 5000),
        ("แก้ว", None),
    ]
    assert SyncedRecord.objects.count() == 2
    # and the household page shows the new assessment
    page.goto(f"/households/{home.pk}/")
    assert page.locator("[data-testid=dimension-row]").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "offline-back-online-household")


def test_a_refused_record_stays_in_the_outbox_with_its_reason(browser_page, volunteer):
    # given the volunteer's phone with its caseload, offline
    couple_household(volunteer=volunteer)
    page = browser_page
    go_offline_ready(page)
    page.context.set_offline(True)
    page.goto("/households/")
    page.wait_for_selector("[data-testid=offline-register]")
    # when a household is registered with a national ID whose check digit is wrong
    wrong = make_national_id("110170020345")[:-1] + str((int(make_national_id("110170020345")[-1]) + 1) % 10)
    register_household(page, house_no="88/8", head_id=wrong)
    page.click("nav a[href='#outbox']")
    page.context.set_offline(False)
    page.click("[data-testid=send-now]")
    page.wait_for_selector("[data-testid=outbox-item][data-status=refused]")
    # then nothing is stored, and the record stays with the Thai reason
    assert Household.objects.filter(house_no="88/8").count() == 0
    assert page.inner_text("[data-testid=outbox-count]") == "รอส่ง (1)"
    reason = page.inner_text("[data-testid=outbox-reason]")
    assert "สมาชิกคนที่ 1" in reason
    assert "หลักตรวจสอบ" in reason
    shot(page, "offline-outbox-refused")


def test_an_outbox_whose_answer_was_lost_is_stored_once(browser_page, volunteer):
    # given an assessment waiting in the outbox (made in the offline app; saving never sends by itself)
    home, _head, _spouse = couple_household(volunteer=volunteer)
    page = browser_page
    go_offline_ready(page)
    page.goto(f"/offline/#assess/{home.pk}")
    page.wait_for_selector("[data-testid=offline-save]")
    answer_every_question(page, "yes")
    page.click("[data-testid=offline-save]")
    page.wait_for_selector("[data-testid=offline-notice]")

    # when a first sending reaches the server but its answer is lost on the way back (the phone never reads it)
    status, answer = page.evaluate(SEND_AND_LOSE_THE_ANSWER)
    assert status == 200, answer
    assert json.loads(answer)["results"][0]["status"] == "stored"
    # then the record is stored, but the phone still holds it
    assert Assessment.objects.filter(household=home).count() == 1
    assert page.inner_text("[data-testid=outbox-count]") == "รอส่ง (1)"
    # when the phone sends it again with a good signal
    page.click("[data-testid=send-now]")
    page.wait_for_selector("html[data-outbox-waiting='0']")
    # then nothing is stored twice
    assert Assessment.objects.filter(household=home).count() == 1
    assert SyncedRecord.objects.count() == 1


def test_an_edit_someone_else_made_meanwhile_is_shown_beside_the_phones_and_the_volunteer_chooses(
    browser_page, volunteer, social_worker
):
    # given a household in the volunteer's care (with its visit schedule), kept on the phone
    home, head, _spouse = couple_household(volunteer=volunteer, phone="0811111111")
    household_assign(household=home, volunteer=VolunteerFactory(user=volunteer), actor=social_worker)
    page = browser_page
    go_offline_ready(page)
    # when, offline, the volunteer changes the household's phone and the head's income
    page.context.set_offline(True)
    page.goto(f"/offline/#household/{home.pk}")
    page.wait_for_selector("[data-testid=offline-next-visit]")
    assert "เยี่ยมทุก 90 วัน" in page.inner_text("[data-testid=offline-next-visit]")
    shot(page, "offline-household-next-visit")
    page.click(f"a[href='#edit/{home.pk}']")
    page.fill("input[name=phone]", "0833333333")
    page.click("[data-testid=offline-save]")
    page.wait_for_selector("[data-testid=offline-notice]")
    page.click("[data-testid=offline-edit-member] >> nth=0")
    page.fill("input[name=monthly_income]", "๘,๕๐๐")
    page.click("[data-testid=offline-save]")
    page.wait_for_selector("[data-testid=offline-notice]")
    # and meanwhile the office changed both
    Household.objects.filter(pk=home.pk).update(phone="0822222222", updated_at=timezone.now())
    Member.objects.filter(pk=head.pk).update(monthly_income=Decimal("7000"), updated_at=timezone.now())
    # when the signal returns and the outbox is sent
    page.click("nav a[href='#outbox']")
    page.context.set_offline(False)
    page.click("[data-testid=send-now]")
    page.wait_for_selector("[data-testid=outbox-item][data-status=conflict] >> nth=1")
    # then nothing was overwritten, and each record shows both versions side by side
    assert Household.objects.get(pk=home.pk).phone == "0822222222"
    assert Member.objects.get(pk=head.pk).monthly_income == Decimal("7000")
    tables = page.locator("[data-testid=conflict]")
    assert "0833333333" in tables.nth(0).inner_text() and "0822222222" in tables.nth(0).inner_text()
    assert "8500" in tables.nth(1).inner_text() and "7000.00" in tables.nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "offline-conflict")
    # when the volunteer keeps their phone number and takes the office's income
    page.click("[data-testid=keep-mine] >> nth=0")
    page.wait_for_selector("[data-testid=outbox-item] >> nth=1", state="detached")
    page.click("[data-testid=keep-theirs]")
    page.wait_for_selector("html[data-outbox-waiting='0']")
    # then the household has the volunteer's phone number, the head keeps the office's income, once each
    assert Household.objects.get(pk=home.pk).phone == "0833333333"
    assert Member.objects.get(pk=head.pk).monthly_income == Decimal("7000")
    assert SyncedRecord.objects.count() == 1
