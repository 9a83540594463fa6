"""Exports of the dashboards' tables: analysts may export them, with the same small-cell suppression as on screen."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from pocketbook.reports.export_files import export_path, export_write
from pocketbook.reports.export_models import ExportJob, ExportStatus
from pocketbook.reports.exports import export_start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


def _export(user, **filters):
    job = export_start(actor=user, list_key="households_by_area", file_format="csv", filters=filters)
    return export_write(job_id=job.pk)


def _rows(job):
    return list(csv.reader(io.StringIO(export_path(job).read_text(encoding="utf-8-sig"))))


def test_an_analyst_exports_the_by_area_table_with_small_counts_suppressed(analyst, assessed):
    # given the analyst's dashboard of the province
    # when
    job = _export(analyst, area="92")
    # then
    rows = _rows(job)
    assert rows[0][:4] == ["รหัสพื้นที่", "พื้นที่", "ลงทะเบียน", "สำรวจแล้ว"]
    assert rows[1][:4] == ["9201", "เมืองตรัง", "< 5", "< 5"]
    text = export_path(job).read_text(encoding="utf-8-sig")
    for personal in ("สมชาย", "สมหญิง", "77/0", "ถนนพิเศษสุข"):
        assert personal not in text


def test_a_manager_exports_the_same_table_with_the_real_counts(manager, assessed):
    # given / when
    job = _export(manager, area="92")
    # then
    assert _rows(job)[1][:4] == ["9201", "เมืองตรัง", "3", "3"]


def test_an_area_outside_the_analysts_scope_writes_no_file(other_province_worker, assessed):
    # given / when
    job = _export(other_province_worker, area="92")
    # then
    assert (job.status, job.file_name) == (ExportStatus.FAILED, "")


def test_the_dashboard_offers_its_table_to_an_analyst_with_the_area_carried(client, analyst, assessed):
    # given
    client.force_login(analyst)
    # when
    html = client.get(reverse("reports:households") + "?area=92").content.decode()
    # then
    form = html.split('data-testid="export-households_by_area"')[1].split("</form>")[0]
    assert 'name="f_area" value="92"' in form
    assert 'data-testid="export-households"' not in html
    assert ExportJob.objects.count() == 0
