"""Every dashboard table exports to CSV and XLSX: the cells as on screen ("< 5" for analysts), the area kept.

Also: the Help dashboard offers the referrals and assistance lists to those who may export them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.cases.models import Case
from pocketbook.core.exports import exports_at
from pocketbook.reports.dashboard_exports import TABLES
from pocketbook.reports.export_files import export_path
from pocketbook.reports.export_models import ExportJob, ExportStatus
from pocketbook.reports.tests.exporting import csv_rows, export_now, xlsx_rows
from pocketbook.reports.tests.test_help_counts import helped_case  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


def test_an_analyst_gets_the_incidents_by_type_with_the_small_count_suppressed(analyst, incidents):
    # given three incidents of one type in the analyst's province (one a false alarm)
    # when
    csv_job = export_now(analyst, "ess_by_type", area="92")
    xlsx_job = export_now(analyst, "ess_by_type", "xlsx", area="92")
    # then
    assert (csv_job.status, xlsx_job.status) == (ExportStatus.DONE, ExportStatus.DONE)
    assert csv_rows(csv_job)[0] == ["ประเภท", "จำนวน"]
    assert [row[1] for row in csv_rows(csv_job)[1:]] == ["< 5"]
    assert [row[1] for row in xlsx_rows(xlsx_job)[1:]] == ["< 5"]
    text = export_path(csv_job).read_text(encoding="utf-8-sig")
    for personal in ("สมใจ", "ถนนลับ", incidents[0].number):
        assert personal not in text


def test_a_manager_gets_the_same_tables_with_the_real_counts_as_numbers(manager, incidents):
    # given / when
    by_type = export_now(manager, "ess_by_type", "xlsx", area="92")
    by_area = export_now(manager, "ess_areas", "xlsx", area="92")
    # then
    assert [row[1] for row in xlsx_rows(by_type)[1:]] == [3]
    assert xlsx_rows(by_area)[0][:3] == ["รหัสพื้นที่", "พื้นที่", "รับแจ้งปีนี้"]
    assert xlsx_rows(by_area)[1][:3] == ["9201", "เมืองตรัง", 3]


def test_the_households_tables_follow_the_screen(analyst, manager, assessed):
    # given three assessed households, two failing the living dimension
    # when
    analyst_dimensions = csv_rows(export_now(analyst, "households_dimensions", area="92"))
    manager_dimensions = csv_rows(export_now(manager, "households_dimensions", area="92"))
    manager_indicators = csv_rows(export_now(manager, "households_indicators", area="92"))
    # then
    assert analyst_dimensions[0] == ["มิติ", "ครัวเรือน", "%"]
    living = [row for row in manager_dimensions if row[0] == "ความเป็นอยู่"]
    assert living == [["ความเป็นอยู่", "2", "66.7"]]
    assert [row for row in analyst_dimensions if row[0] == "ความเป็นอยู่"] == [["ความเป็นอยู่", "< 5", ""]]
    assert manager_indicators[0] == ["ตัวชี้วัด", "มิติ", "ครัวเรือน", "%"]
    assert len(manager_indicators) > 1


@pytest.mark.parametrize("list_key", [table.key for table in TABLES])
def test_every_table_writes_a_file_in_the_viewers_area_and_none_outside(
    analyst, other_province_worker, incidents, assessed, list_key
):
    # given an analyst of Trang and an analyst of another province
    # when
    inside = export_now(analyst, list_key, "xlsx", area="92", year="2570")
    outside = export_now(other_province_worker, list_key, area="92")
    # then
    assert inside.status == ExportStatus.DONE and export_path(inside).exists()
    assert inside.filters == {"area": "92", "year": "2570"}
    assert (outside.status, outside.file_name) == (ExportStatus.FAILED, "")


@pytest.mark.parametrize(
    ("page", "tables"),
    [
        ("reports:households", ["households_dimensions", "households_indicators", "households_by_area"]),
        ("reports:help", ["help_referrals", "help_funds", "help_areas"]),
        ("reports:ess", ["ess_by_type", "ess_by_channel", "ess_by_month", "ess_by_hour", "ess_areas"]),
        ("reports:volunteers", ["volunteers_by_month", "volunteers_areas"]),
    ],
)
@pytest.mark.usefixtures("incidents", "assessed", "helped_case")
def test_each_dashboard_offers_its_tables_with_the_area_carried(client, analyst, page, tables):
    # given
    client.force_login(analyst)
    # when
    html = client.get(reverse(page), {"area": "92"}).content.decode()
    # then
    for key in tables:
        form = html.split(f'data-testid="export-{key}"')[1].split("</form>")[0]
        assert 'name="f_area" value="92"' in form
    assert 'data-testid="export-referrals"' not in html and 'data-testid="export-assistance"' not in html
    assert ExportJob.objects.count() == 0


def test_the_help_dashboard_offers_the_referrals_and_assistance_to_a_manager(client, manager):
    # given
    client.force_login(manager)
    # when
    html = client.get(reverse("reports:help"), {"area": "9201"}).content.decode()
    # then
    assert [export.key for export in exports_at("reports_help")] == ["referrals", "assistance"]
    for key in ("referrals", "assistance"):
        form = html.split(f'data-testid="export-{key}"')[1].split("</form>")[0]
        assert 'name="f_area" value="9201"' in form
    assert ExportJob.objects.count() == 0


@pytest.mark.usefixtures("helped_case")
def test_a_cases_page_exports_that_cases_referrals_and_assistance_only(client, social_worker, agency):
    # given the helped case (two referrals, a grant and its reversal) and another household's case in the same
    # village, with a referral of its own
    from pocketbook.assessments.tests.factories import couple_household
    from pocketbook.cases import services

    case = Case.objects.get(title="ค่าเทอม")
    home = couple_household(area_code=case.household.area_code, house_no="9/9", address="")[0]
    other = services.case_open(household=home, title="ซ่อมบ้าน", actor=social_worker)
    services.referral_create(
        case=other, agency=agency, request="วัสดุ", actor=social_worker, consent_override_reason="ไฟไหม้บ้าน"
    )
    client.force_login(social_worker)
    # when
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    referrals = csv_rows(export_now(social_worker, "referrals", case=str(case.pk)))
    assistance = xlsx_rows(export_now(social_worker, "assistance", "xlsx", case=str(case.pk)))
    # then
    for key in ("referrals", "assistance"):
        form = html.split(f'data-testid="export-{key}"')[1].split("</form>")[0]
        assert f'name="f_case" value="{case.pk}"' in form
    assert sorted(row[1] for row in referrals[1:]) == [str(case.pk)] * 2
    assert [row[3] for row in assistance[1:]] == [case.pk] * 2  # the grant and its reversal, not the 500
    assert sorted(row[6] for row in assistance[1:]) == [-1500, 1500]
