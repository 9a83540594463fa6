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
from pocketbook.offline.models import SyncConflict, SyncedRecord
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
    # The worker claims the page once it is active; on a loaded machine its install (the precache) can outlast
    # the first wait, and then a reload is how a user's page comes under an active worker.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for attempt in range(600):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            break
        if attempt == 300:
            page.reload()
            page.wait_for_selector("html[data-offline-ready='1']")
        page.wait_for_timeout(100)
    assert page.evaluate("navigator.serviceWorker.controller !== null")


def answer_every_question(page, value: str) -> None:
    for radio in page.locator(f"form input[type=radio][value={value}]").all():
        radio.check()


def register_household(page, *, house_no: str, head_id: str = "") -> None:
    page.click("[data-testid=offline-register]")
    page.select_option("select[name=area_code]", HOME_VILLAGE)
    page.fill("input[name=house_no]", house_no)
    # consent is an act: neither answer and no purpose is ticked until the volunteer ticks them
    assert page.locator("input[name=consent_given]:checked").count() == 0
    assert page.locator("input[name=purposes]:checked").count() == 0
    page.click("[data-testid=offline-save]")
    assert page.locator("[data-field=consent_given] .errorlist li").inner_text() == "กรุณาตอบคำถามนี้"
    page.check("input[name=consent_given][value=yes]")
    page.check("input[name=purposes][value=pocketbook]")
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
    assert "8,500" in tables.nth(1).inner_text() and "7,000" in tables.nth(1).inner_text()
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
    # and neither waits for the office any more
    assert set(SyncConflict.objects.values_list("kind", "resolution", "resolved_by")) == {
        ("household_update", "phone", volunteer.pk),
        ("member_update", "office", volunteer.pk),
    }


def test_the_office_resolves_a_volunteers_conflicting_member_edit_on_its_own_screen(
    browser_page, live_server, volunteer, social_worker
):
    # given the head of a household in the volunteer's caseload, kept on the phone
    home, head, _spouse = couple_household(volunteer=volunteer)
    phone = browser_page
    go_offline_ready(phone)
    # when, offline, the volunteer changes the head's income and occupation with the member form
    phone.context.set_offline(True)
    phone.goto(f"/offline/#household/{home.pk}")
    phone.click("[data-testid=offline-edit-member] >> nth=0")
    phone.wait_for_selector("select[name=education_level]")
    phone.fill("input[name=monthly_income]", "๘,๕๐๐")
    phone.fill("input[name=occupation]", "ค้าขาย")
    phone.check("input[name=has_welfare_card]")
    shot(phone, "offline-member-form")
    phone.click("[data-testid=offline-save]")
    phone.wait_for_selector("[data-testid=offline-notice]")
    # and meanwhile the office changed the same two fields
    Member.objects.filter(pk=head.pk).update(
        monthly_income=Decimal("7000"), occupation="รับจ้าง", updated_at=timezone.now()
    )
    # when the signal returns and the outbox is sent
    phone.click("nav a[href='#outbox']")
    phone.context.set_offline(False)
    phone.click("[data-testid=send-now]")
    phone.wait_for_selector("[data-testid=outbox-item][data-status=conflict]")
    # then the phone shows both versions as people read them, and nothing was overwritten
    table = phone.inner_text("[data-testid=conflict]")
    assert "8,500" in table and "7,000" in table and "ค้าขาย" in table and "รับจ้าง" in table
    assert SyncConflict.objects.filter(status="open").count() == 1
    assert Member.objects.get(pk=head.pk).monthly_income == Decimal("7000")
    # when a social worker opens the conflicts from the menu on her phone
    office_context = phone.context.browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url
    )
    office = office_context.new_page()
    try:
        sign_in(office, "sw")
        office.click("[data-testid=menu-button]")
        link = office.locator("a[href='/offline/conflicts/']")
        assert link.locator("[data-testid=menu-count]").inner_text() == "1"
        link.click()
        office.wait_for_selector("[data-testid=office-conflict]")
        # then she sees each differing field with the office's value and the phone's, as people read them
        fields = office.locator("[data-testid=conflict-field]")
        shown = {
            fields.nth(i).get_attribute("data-field"): (
                fields.nth(i).locator("[data-testid=office-value]").inner_text(),
                fields.nth(i).locator("[data-testid=phone-value]").inner_text(),
            )
            for i in range(fields.count())
        }
        assert shown == {
            "occupation": ("รับจ้าง", "ค้าขาย"),
            "monthly_income": ("7,000", "8,500"),
            "has_welfare_card": ("ไม่ใช่", "ใช่"),
        }
        assert office.evaluate("document.documentElement.scrollWidth") <= 360
        shot(office, "office-conflicts-360")
        office.set_viewport_size({"width": 1280, "height": 800})
        shot(office, "office-conflicts-1280")
        office.set_viewport_size({"width": 360, "height": 740})
        # when she takes the phone's income and welfare card but keeps the office's occupation
        office.check("input[name=field_monthly_income][value=phone]")
        office.check("input[name=field_has_welfare_card][value=phone]")
        office.click("[data-testid=save-choice]")
        office.wait_for_selector("[data-testid=conflicts-empty]")
        shot(office, "office-conflicts-resolved")
    finally:
        office_context.close()
    # then the database holds the chosen values, and the conflict is closed
    head.refresh_from_db()
    assert (head.monthly_income, head.occupation, head.has_welfare_card) == (Decimal("8500"), "รับจ้าง", True)
    resolved = SyncConflict.objects.get()
    assert (resolved.resolution, resolved.resolved_by, resolved.taken_from_phone) == (
        "mixed",
        social_worker,
        ["has_welfare_card", "monthly_income"],
    )
    # and the volunteer's phone stops waiting on its record the next time it opens a page online
    phone.goto("/households/")
    phone.wait_for_selector("html[data-outbox-waiting='0']")
    assert SyncedRecord.objects.filter(client_id=resolved.client_id).count() == 1
