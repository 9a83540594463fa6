"""A real Chromium on a 360 px phone: a social worker exports the households list and its members, and reads them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pocketbook.core.tests.browser import shot, sign_in
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"


def test_a_social_worker_exports_the_households_list_and_reads_the_files(browser_page, social_worker, tmp_path):
    # given three households of the worker's subdistrict and one of another province
    for number in ("1", "2", "3"):
        MemberFactory(household=HouseholdFactory(house_no=number), first_name="สมศรี" + number)
    HouseholdFactory(area_code="50010101", house_no="99")
    page = browser_page
    sign_in(page, "sw")
    page.goto("/households/")
    shot(page, "exports-list-360")
    # when the worker exports the households as CSV
    page.click("[data-testid=export-households-csv]")
    page.wait_for_selector("[data-testid=export-download]")
    shot(page, "exports-job-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_download() as download_info:
        page.click("[data-testid=export-download]")
    # then the file holds the three households, with Thai headers
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][3] == "บ้านเลขที่"
    assert sorted(row[3] for row in rows[1:]) == ["1", "2", "3"]
    # when the worker goes back and exports the members as Excel
    page.goto("/households/")
    page.click("[data-testid=export-members-xlsx]")
    page.wait_for_selector("[data-testid=export-download]")
    with page.expect_download() as download_info:
        page.click("[data-testid=export-download]")
    # then the workbook holds the three members, IDs masked or empty, names as recorded
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    sheet = load_workbook(saved, read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sorted(row[4] for row in values[1:]) == ["สมศรี1", "สมศรี2", "สมศรี3"]
    assert page.locator("[data-testid=export-recent] li").count() == 1
    # and on a desktop the buttons sit under the list
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "exports-job-1280")
    page.goto("/households/")
    assert page.locator("[data-testid=export-households-csv]").is_visible()
    shot(page, "exports-list-1280")
