"""A manager in a real Chromium drills down from Trang to a village, changes the poverty cut-off k, and prints the
pocketbook of a household of that village."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pocketbook.core.tests.browser import shot, sign_in
from pocketbook.core.tests.pdf import pdf_text, thai_skeleton
from pocketbook.geo.models import Village
from pocketbook.households.models import Household
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory
from pocketbook.reports.household_counts import rebuild_households, rebuild_poverty
from pocketbook.reports.tests.generated import generated_households

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assessed_province(manager):
    Village.objects.bulk_create(
        [
            Village(code="92010101", subdistrict_id="920101", number=1, name="บ้านทับเที่ยง"),
            Village(code="92010102", subdistrict_id="920101", number=2, name="บ้านนาตาล่วง"),
            Village(code="92010401", subdistrict_id="920104", number=1, name="บ้านนาพละ"),
        ],
        ignore_conflicts=True,  # a transactional test before may have left these villages
    )
    generated_households(11, households=120, fail_chance=0.3)
    rebuild_households()
    rebuild_poverty()
    # and one household of หมู่ 1 that gave consent, registered after the counts were made (its printout is opened)
    home = HouseholdFactory(area_code="92010101", house_no="99/1")
    MemberFactory(household=home, first_name="สมชาย", last_name="ทดสอบพิมพ์", relation="head")


def test_a_manager_drills_down_from_trang_to_a_village_changes_k_and_prints_a_households_pocketbook(
    browser_page, assessed_province
):
    page = browser_page
    # given
    sign_in(page, "mgr")
    # when: the menu's Reports entry opens the province's households (on a phone, the menu button shows the entries)
    page.click("[data-testid=menu-button]")
    page.click("nav.mainnav >> text=รายงาน")
    page.wait_for_selector("[data-testid=household-figures]")
    # then
    assert page.inner_text("[data-testid=report-breadcrumb]").strip() == "ตรัง"
    assert page.inner_text("[data-testid=figure-assessed]") == "120"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "reports-households-province-360")
    # when: down to the district, the subdistrict and the village
    for code in ("9201", "920101", "92010101"):
        page.click(f"[data-testid=drill-{code}]")
        page.wait_for_url(f"**/reports/households/?area={code}")
    # then
    assert page.inner_text("[data-testid=report-breadcrumb]").split() == [
        "ตรัง",
        "เมืองตรัง",
        "ทับเที่ยง",
        "หมู่",
        "1",
        "บ้านทับเที่ยง",
    ]
    shot(page, "reports-households-village-360")
    # when: the poverty tab keeps the village, and k goes to 2
    page.click("[data-testid=report-tab-poverty]")
    page.wait_for_url("**/reports/poverty/?area=92010101")
    page.select_option("[data-testid=k-select]", "2")
    page.click("[data-testid=poverty-apply]")
    # then
    page.wait_for_url("**/reports/poverty/?area=92010101&k=2&weights=dimensions")
    assert page.input_value("[data-testid=k-select]") == "2"
    assert page.inner_text("[data-testid=figure-M0]") != ""
    shot(page, "reports-poverty-village-360")
    # when: the manager lists the village's households and exports them as CSV
    page.click("[data-testid=menu-button]")  # the phone menu opens first
    page.click("nav.mainnav >> text=ครัวเรือนของฉัน")
    page.wait_for_load_state("load")  # htmx listens to the filter once the deferred scripts have run
    page.fill("[data-testid=village-filter]", "92010101")
    page.press("[data-testid=village-filter]", "Enter")
    page.wait_for_selector("[data-testid=export-households-csv]")
    # the buttons now carry the filter
    page.wait_for_selector("#hh-rows input[name=f_village][value='92010101']", state="attached")
    page.click("[data-testid=export-households-csv]")
    page.wait_for_selector("[data-testid=export-download]")
    shot(page, "reports-village-export-360")
    with page.expect_download() as download_info:
        page.click("[data-testid=export-download]")
    # then the file holds exactly the village's households, with Thai headers
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][2] == "รหัสพื้นที่"
    assert {row[2] for row in rows[1:]} == {"92010101"}
    assert len(rows) - 1 == Household.objects.filter(area_code="92010101").count()
    # when: from the village, the manager finds one of its households and prints its pocketbook
    page.click("[data-testid=menu-button]")  # the phone menu opens first
    page.click("nav.mainnav >> text=ครัวเรือนของฉัน")
    page.wait_for_load_state("load")  # htmx listens to the search box once the deferred scripts have run
    page.fill("#hh-q", "ทดสอบพิมพ์")
    page.press("#hh-q", "Enter")
    page.click("[data-testid=household-list] a.hh-card__link:has-text('ทดสอบพิมพ์')")
    page.wait_for_selector("[data-testid=action-print_pocketbook]")
    shot(page, "household-with-print-action-360")
    printout = page.request.get(page.get_attribute("[data-testid=action-print_pocketbook]", "href"))
    # then the browser receives the household's Thai pocketbook as a PDF
    assert printout.status == 200
    assert printout.headers["content-type"] == "application/pdf"
    text = thai_skeleton(pdf_text(printout.body(), name="browser-household-printout"))
    for expected in ("สมุดพกครอบครัว", "สมชาย ทดสอบพิมพ์", "บ้านเลขที่ 99/1", "บ้านทับเที่ยง", "ยังไม่ได้ประเมิน"):
        assert thai_skeleton(expected) in text, expected
    # and on a desktop screen, back up at the province with nested weights
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/reports/poverty/?area=92&k=2&weights=indicators")
    page.wait_for_selector("[data-testid=poverty-children]")
    shot(page, "reports-poverty-province-1280")
    page.goto("/reports/households/?area=92")
    shot(page, "reports-households-province-1280")
    # and the Printouts tab offers the province's monthly summary, which prints as a PDF
    page.click("[data-testid=report-tab-printouts]")
    page.wait_for_selector("[data-testid=monthly-printout]")
    shot(page, "reports-printouts-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "reports-printouts-360")
    query = page.evaluate("new URLSearchParams(new FormData(document.querySelector('main form'))).toString()")
    summary = page.request.get("/reports/printouts/monthly.pdf?" + query)
    assert (summary.status, summary.headers["content-type"]) == (200, "application/pdf")
    assert thai_skeleton("รายงานสรุปประจำเดือน: ตรัง") in thai_skeleton(pdf_text(summary.body(), name="browser-monthly"))
