"""An export job from the page to the file: written by its task, shown and downloaded by its owner only, refused
to those who may not export (nothing written), expired, swept away, and failing past Excel's row limit."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pocketbook.audit.models import ObjectChange
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory
from pocketbook.reports.export_files import export_path, export_write, exports_expire
from pocketbook.reports.export_models import ExportJob, ExportStatus
from pocketbook.reports.exports import ExportRefused, export_start
from pocketbook.reports.tests.exporting import csv_rows, export_now, post_export

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


def test_social_worker_exports_households_to_csv_from_the_page(
    client, social_worker, django_capture_on_commit_callbacks
):
    # given
    HouseholdFactory(house_no="12/3", address='=HYPERLINK("http://evil")')
    client.force_login(social_worker)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = post_export(client, "households")
    # then
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_detail", args=[job.public_id])
    assert (job.status, job.rows_total, job.rows_done, job.user) == (ExportStatus.DONE, 1, 1, social_worker)
    rows = csv_rows(job)
    assert rows[0][:4] == ["เลขที่ครัวเรือน", "รหัสครัวเรือน", "รหัสพื้นที่", "บ้านเลขที่"]
    assert rows[1][3:5] == ["12/3", '\'=HYPERLINK("http://evil")']
    assert len(rows) == 2


def test_the_job_page_shows_the_download_link_and_the_owner_downloads(client, social_worker):
    # given
    HouseholdFactory(house_no="7")
    job = export_now(social_worker, "households")
    client.force_login(social_worker)
    # when
    page = client.get(reverse("reports:export_detail", args=[job.public_id]))
    download = client.get(reverse("reports:export_download", args=[job.public_id]))
    # then
    assert page.status_code == 200
    assert reverse("reports:export_download", args=[job.public_id]) in page.content.decode()
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="households-')
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].split(",")[3] == "7"


def test_someone_else_gets_404_for_the_job_and_its_file(client, social_worker, neighbour_social_worker):
    # given
    job = export_now(social_worker, "households")
    client.force_login(neighbour_social_worker)
    # when
    page = client.get(reverse("reports:export_detail", args=[job.public_id]))
    download = client.get(reverse("reports:export_download", args=[job.public_id]))
    # then
    assert (page.status_code, download.status_code) == (404, 404)


def test_an_expired_link_answers_410_with_a_thai_message_and_the_file_is_deleted(client, social_worker):
    # given
    job = export_now(social_worker, "households")
    path = export_path(job)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(social_worker)
    # when
    before_cleanup = client.get(reverse("reports:export_download", args=[job.public_id]))
    expired = exports_expire()
    after_cleanup = client.get(reverse("reports:export_download", args=[job.public_id]))
    # then
    assert before_cleanup.status_code == 410
    assert "ไฟล์ส่งออกนี้หมดอายุและถูกลบแล้ว" in before_cleanup.content.decode()
    assert expired == 1
    assert not path.exists()
    assert ExportJob.objects.get().status == ExportStatus.EXPIRED
    assert after_cleanup.status_code == 410


def test_expiring_twice_changes_nothing_the_second_time(social_worker):
    # given
    job = export_now(social_worker, "households")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    exports_expire()
    # when
    again = exports_expire()
    # then
    assert again == 0


def test_an_analyst_is_refused_and_nothing_is_written(client, analyst, settings):
    # given
    HouseholdFactory()
    client.force_login(analyst)
    # when
    responses = [post_export(client, key) for key in ("households", "members", "cases", "incidents", "volunteers")]
    # then
    assert [response.status_code for response in responses] == [403] * 5
    assert ExportJob.objects.count() == 0
    assert ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(ExportJob)).count() == 0
    assert not Path(settings.EXPORTS_DIR).exists() or list(Path(settings.EXPORTS_DIR).iterdir()) == []


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_written(client):
    # given / when
    response = post_export(client, "households")
    # then
    assert response.status_code == 302
    assert "/login" in response["Location"] or "accounts" in response["Location"]
    assert ExportJob.objects.count() == 0


def test_an_unknown_list_or_format_is_refused(social_worker):
    # given / when / then
    with pytest.raises(ExportRefused):
        export_start(actor=social_worker, list_key="nothing", file_format="csv", filters={})
    with pytest.raises(ExportRefused):
        export_start(actor=social_worker, list_key="households", file_format="pdf", filters={})
    assert ExportJob.objects.count() == 0


def test_writing_a_job_twice_changes_nothing_the_second_time(social_worker):
    # given
    MemberFactory()
    job = export_now(social_worker, "members")
    audit_rows = ObjectChange.objects.count()
    # when
    again = export_write(job_id=job.pk)
    # then
    assert (again.status, again.rows_done) == (ExportStatus.DONE, 1)
    assert ObjectChange.objects.count() == audit_rows


def test_the_expire_command_deletes_expired_files(social_worker):
    # given
    job = export_now(social_worker, "households")
    fresh = export_now(social_worker, "households")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    out = io.StringIO()
    # when
    call_command("expire_exports", stdout=out)
    # then
    assert out.getvalue() == "Expired exports: 1\n"
    assert not (Path(django_settings.EXPORTS_DIR) / f"{job.public_id}.csv").exists()
    assert export_path(fresh).exists()


def test_a_new_export_sweeps_the_expired_files_away(social_worker, django_capture_on_commit_callbacks):
    # given an export whose link has run out
    job = export_now(social_worker, "households")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    # when someone starts another export (its tasks run when the transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = export_start(actor=social_worker, list_key="households", file_format="csv", filters={})
    # then the expired file is gone, the new one written
    assert not (Path(django_settings.EXPORTS_DIR) / f"{job.public_id}.csv").exists()
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.EXPIRED
    assert export_path(ExportJob.objects.get(pk=fresh.pk)).exists()


def test_an_xlsx_export_past_excels_row_limit_fails_with_a_message_and_no_file(client, social_worker, monkeypatch):
    # given a limit of one row (a sheet holds 1,048,575 below its header)
    monkeypatch.setattr("pocketbook.reports.export_files.XLSX_MAX_ROWS", 1)
    HouseholdFactory()
    HouseholdFactory()
    client.force_login(social_worker)
    # when
    job = export_now(social_worker, "households", "xlsx")
    page = client.get(reverse("reports:export_detail", args=[job.public_id])).content.decode()
    # then
    assert (job.status, job.file_name, job.rows_total) == (ExportStatus.FAILED, "", 2)
    assert "กรุณาส่งออกเป็น CSV" in page
    folder = Path(django_settings.EXPORTS_DIR)
    assert not folder.exists() or list(folder.iterdir()) == []
