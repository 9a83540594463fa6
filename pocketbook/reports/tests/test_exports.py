"""Exports of the lists: scope, masking, neutralising, dates, audit, refusal, expiry, owner-only download."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from pocketbook.audit.models import AccessLog, ObjectChange
from pocketbook.cases.services import assistance_record, case_open, referral_create
from pocketbook.cases.tests.factories import AgencyFactory, make_assessment
from pocketbook.core import crypto
from pocketbook.core.exports import cell, neutralise
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id
from pocketbook.incidents.tests.factories import IncidentFactory
from pocketbook.reports.export_files import export_path, export_write, exports_expire
from pocketbook.reports.export_models import ExportJob, ExportStatus
from pocketbook.reports.exports import ExportRefused, export_start
from pocketbook.volunteers.tests.factories import ParticipantFactory, ProjectFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

OTHER_PROVINCE_VILLAGE = "50010101"


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"


def _export(user: Any, list_key: str, file_format: str = "csv", *, iso: bool = False, **filters: str) -> ExportJob:
    """Start an export as the page would and write it at once (the task's work)."""
    job = export_start(actor=user, list_key=list_key, file_format=file_format, filters=filters, iso_dates=iso)
    return export_write(job_id=job.pk)


def _csv(job: ExportJob) -> list[list[str]]:
    return list(csv.reader(io.StringIO(export_path(job).read_text(encoding="utf-8-sig"))))


def _xlsx(job: ExportJob) -> list[list[Any]]:
    sheet = load_workbook(export_path(job), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _post_export(client: Any, list_key: str, file_format: str = "csv", **filters: str) -> Any:
    data = {"list": list_key, "format": file_format, **{f"f_{name}": value for name, value in filters.items()}}
    return client.post(reverse("reports:export_create"), data)


# --- the cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_cell_starting_like_a_formula_is_neutralised(start):
    # given
    text = start + "SUM(A1:A9)"
    # when
    written = neutralise(text)
    # then
    assert written == "'" + text


def test_plain_text_numbers_and_negative_amounts_are_written_as_they_are():
    # given / when / then
    assert neutralise("สมชาย") == "สมชาย"
    assert cell(Decimal("-150.00"), buddhist_era=True) == Decimal("-150.00")
    assert cell("-150", buddhist_era=True) == "'-150"


def test_dates_are_buddhist_era_in_thai_and_iso_otherwise():
    # given
    day = dt.date(2026, 12, 5)
    moment = dt.datetime(2026, 12, 5, 3, 4, tzinfo=dt.UTC)
    # when / then
    assert cell(day, buddhist_era=True) == "05/12/2569"
    assert cell(day, buddhist_era=False) == "2026-12-05"
    assert cell(moment, buddhist_era=True) == "05/12/2569 10:04"
    assert cell(moment, buddhist_era=False) == "2026-12-05T10:04:00+07:00"


# --- through the page --------------------------------------------------------------------------


def test_social_worker_exports_households_to_csv_from_the_page(
    client, social_worker, django_capture_on_commit_callbacks
):
    # given
    HouseholdFactory(house_no="12/3", address='=HYPERLINK("http://evil")')
    client.force_login(social_worker)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_export(client, "households")
    # then
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_detail", args=[job.public_id])
    assert (job.status, job.rows_total, job.rows_done, job.user) == (ExportStatus.DONE, 1, 1, social_worker)
    rows = _csv(job)
    assert rows[0][:4] == ["เลขที่ครัวเรือน", "รหัสครัวเรือน", "รหัสพื้นที่", "บ้านเลขที่"]
    assert rows[1][3:5] == ["12/3", '\'=HYPERLINK("http://evil")']
    assert len(rows) == 2


def test_the_job_page_shows_the_download_link_and_the_owner_downloads(client, social_worker):
    # given
    HouseholdFactory(house_no="7")
    job = _export(social_worker, "households")
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
    job = _export(social_worker, "households")
    client.force_login(neighbour_social_worker)
    # when
    page = client.get(reverse("reports:export_detail", args=[job.public_id]))
    download = client.get(reverse("reports:export_download", args=[job.public_id]))
    # then
    assert (page.status_code, download.status_code) == (404, 404)


def test_an_expired_link_answers_410_with_a_thai_message_and_the_file_is_deleted(client, social_worker):
    # given
    job = _export(social_worker, "households")
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
    job = _export(social_worker, "households")
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
    responses = [_post_export(client, key) for key in ("households", "members", "cases", "incidents", "volunteers")]
    # then
    assert [response.status_code for response in responses] == [403] * 5
    assert ExportJob.objects.count() == 0
    assert ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(ExportJob)).count() == 0
    assert not Path(settings.EXPORTS_DIR).exists() or list(Path(settings.EXPORTS_DIR).iterdir()) == []


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_written(client):
    # given / when
    response = _post_export(client, "households")
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


# --- scope, masking, dates, audit ---------------------------------------------------------------


def test_a_worker_of_another_province_gets_none_of_the_rows(other_province_worker):
    # given
    HouseholdFactory()
    member = MemberFactory()
    HouseholdFactory(area_code=OTHER_PROVINCE_VILLAGE, house_no="99")
    # when
    households = _export(other_province_worker, "households")
    members = _export(other_province_worker, "members")
    # then
    assert [row[3] for row in _csv(households)[1:]] == ["99"]
    assert members.rows_done == 0
    assert member.first_name not in export_path(members).read_text(encoding="utf-8-sig")


def test_members_export_masks_ids_for_those_who_may_unmask_and_writes_be_dates(social_worker):
    # given
    MemberFactory(first_name="สมหญิง", national_id=make_national_id("110170020345"), birth_date=dt.date(1980, 5, 17))
    # when
    job = _export(social_worker, "members", "xlsx")
    # then
    header, row = _xlsx(job)
    assert header[8] == "เลขประจำตัวประชาชน"
    assert row[4] == "สมหญิง"
    assert row[7] == "17/05/2523"
    assert row[8] == "x-xxxx-xxxxx-xx-" + make_national_id("110170020345")[-1]
    assert "1101700203" not in "".join(str(value) for value in row)


def test_an_export_through_the_api_or_in_english_writes_iso_dates_and_english_headers(social_worker):
    # given
    MemberFactory(birth_date=dt.date(1980, 5, 17))
    # when
    api_job = _export(social_worker, "members", iso=True)
    with translation.override("en"):
        english_job = _export(social_worker, "members")
    # then
    assert _csv(api_job)[1][7] == "1980-05-17"
    assert _csv(english_job)[0][:2] == ["household number", "area code"]
    assert _csv(english_job)[1][7] == "1980-05-17"


def test_every_export_is_audited_with_who_which_filters_and_how_many_rows(social_worker):
    # given
    MemberFactory()
    MemberFactory()
    # when
    job = _export(social_worker, "members", area="920101")
    # then
    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(ExportJob), object_id=str(job.pk)
    ).order_by("id")
    assert [change.action for change in changes] == ["create", "update"]
    finished = changes[1].after
    assert (changes[1].user, finished["list_key"], finished["filters"]) == (
        social_worker,
        "members",
        {"area": "920101"},
    )
    assert (finished["rows_done"], finished["status"]) == (2, "done")
    access = AccessLog.objects.get(object_id=str(job.pk))
    assert (access.user, access.purpose) == (social_worker, "export members: 2 rows")


def test_writing_a_job_twice_changes_nothing_the_second_time(social_worker):
    # given
    MemberFactory()
    job = _export(social_worker, "members")
    audit_rows = ObjectChange.objects.count()
    # when
    again = export_write(job_id=job.pk)
    # then
    assert (again.status, again.rows_done) == (ExportStatus.DONE, 1)
    assert ObjectChange.objects.count() == audit_rows


# --- the filters on screen ----------------------------------------------------------------------


def test_the_households_page_buttons_carry_its_search_and_the_export_follows_it(client, social_worker):
    # given
    wanted = MemberFactory(first_name="มานี").household
    MemberFactory(first_name="ปิติ")
    client.force_login(social_worker)
    token = crypto.encrypt("มานี")
    # when
    page = client.get(reverse("households:household_list") + "?s=" + token)
    job = _export(social_worker, "households", s=token)
    # then
    html = page.content.decode()
    assert 'data-testid="export-households"' in html
    assert 'data-testid="export-members"' in html
    assert 'name="f_s"' in html
    assert "มานี" not in html.split('data-testid="export-households"')[1].split("</form>")[0]
    assert [int(row[0]) for row in _csv(job)[1:]] == [wanted.pk]


def test_the_case_list_buttons_carry_its_filters(client, social_worker):
    # given
    client.force_login(social_worker)
    # when
    page = client.get(reverse("cases:case_list") + "?status=closed&worker=&area=920101")
    # then
    html = page.content.decode()
    form = html.split('data-testid="export-cases"')[1].split("</form>")[0]
    assert 'name="f_status" value="closed"' in form
    assert 'name="f_area" value="920101"' in form
    assert 'name="f_worker" value=""' in form
    assert 'data-testid="export-referrals"' in html
    assert 'data-testid="export-assistance"' in html


def test_an_analyst_sees_only_the_dashboards_table_exports(client, analyst):
    # given
    client.force_login(analyst)
    # when
    page = client.get(reverse("reports:index"), follow=True)
    # then: the tables of aggregates, never a list of people
    offered = re.findall(r'<input type="hidden" name="list" value="([a-z_]+)">', page.content.decode())
    assert offered == ["households_dimensions", "households_indicators"]


# --- each list ----------------------------------------------------------------------------------


def test_assessments_export_follows_the_area_and_the_viewers_scope(social_worker):
    # given
    household = HouseholdFactory()
    assessment = make_assessment(household, {"H1": ("health", "fail")}, on=dt.date(2026, 3, 1))
    make_assessment(HouseholdFactory(area_code=OTHER_PROVINCE_VILLAGE), {"H1": ("health", "pass")})
    # when
    job = _export(social_worker, "assessments", area="92")
    # then
    rows = _csv(job)
    assert [(int(row[0]), row[3]) for row in rows[1:]] == [(assessment.pk, "01/03/2569")]


def test_cases_referrals_and_assistance_export(social_worker):
    # given
    household = HouseholdFactory()
    case = case_open(household=household, title="+ขอเงินช่วยเหลือ", actor=social_worker, worker=social_worker)
    referral_create(
        case=case, agency=AgencyFactory(), request="ตรวจสุขภาพ", actor=social_worker, consent_override_reason="ด่วน"
    )
    assistance_record(
        household=household, kind="goods", amount=Decimal("3000"), given_on=dt.date(2026, 11, 2), actor=social_worker
    )
    # when
    cases = _export(social_worker, "cases", status="open", worker="me")
    referrals = _export(social_worker, "referrals")
    assistance = _export(social_worker, "assistance", "xlsx")
    # then
    assert [(int(row[0]), row[3]) for row in _csv(cases)[1:]] == [(case.pk, "'+ขอเงินช่วยเหลือ")]
    assert [int(row[1]) for row in _csv(referrals)[1:]] == [case.pk]
    rows = _xlsx(assistance)
    assert (rows[1][1], rows[1][6], rows[1][9]) == (household.pk, 3000, "02/11/2569")


def test_the_cases_export_follows_the_pages_village_and_its_encrypted_search(client, social_worker):
    # given three open cases: two in หมู่ 1, one of them about a named person, and one in หมู่ 2
    wanted = case_open(
        household=HouseholdFactory(area_code="92010101"), title="ช่วยนางสมศรี", actor=social_worker, worker=social_worker
    )
    case_open(household=HouseholdFactory(area_code="92010101"), title="ซ่อมบ้าน", actor=social_worker)
    case_open(household=HouseholdFactory(area_code="92010102"), title="ช่วยนางสมศรี", actor=social_worker)
    client.force_login(social_worker)
    # when the worker filters My cases by village and by a name, then presses CSV
    filters = {"status": "open", "worker": "", "village": "92010101", "q": "สมศรี"}
    page = client.post(reverse("cases:case_list"), filters, HTTP_HX_REQUEST="true")
    form = page.content.decode().split('data-testid="export-cases"')[1].split("</form>")[0]
    posted = dict(re.findall(r'name="(f_[a-z]+)" value="([^"]*)"', form))
    job = _export(social_worker, "cases", **{name.removeprefix("f_"): value for name, value in posted.items()})
    # then the file holds what the screen showed, and the name travelled only encrypted
    assert [int(row[0]) for row in _csv(job)[1:]] == [wanted.pk]
    assert "สมศรี" not in form
    assert "สมศรี" not in json.dumps(ExportJob.objects.get(pk=job.pk).filters, ensure_ascii=False)


def test_incidents_export_has_no_reporter_and_follows_scope(ess_operator, other_province_worker):
    # given
    incident = IncidentFactory(reporter_name="นายแจ้ง เหตุ", reporter_phone="0812345678")
    # when
    mine = _export(ess_operator, "incidents")
    theirs = _export(other_province_worker, "incidents")
    # then
    rows = _csv(mine)
    assert [row[0] for row in rows[1:]] == [incident.number]
    text = export_path(mine).read_text(encoding="utf-8-sig")
    assert "นายแจ้ง" not in text and "0812345678" not in text
    assert theirs.rows_done == 0


def test_volunteers_export_masks_national_ids(social_worker):
    # given
    volunteer = VolunteerFactory(first_name="อาสาดี")
    volunteer.national_id_last_digit = "7"
    volunteer.save(update_fields=["national_id_last_digit"])
    # when
    job = _export(social_worker, "volunteers")
    # then
    rows = _csv(job)
    assert [(row[2], row[4]) for row in rows[1:]] == [("อาสาดี", "x-xxxx-xxxxx-xx-7")]


def test_participants_export_is_the_projects_own_and_keeps_the_search_encrypted(social_worker):
    # given
    project = ProjectFactory()
    ParticipantFactory(project=project, first_name="สุดา")
    ParticipantFactory(project=project, first_name="ประยุทธ")
    ParticipantFactory(project=ProjectFactory(), first_name="สุดา")
    # when
    everyone = _export(social_worker, "participants", project=str(project.pk))
    searched = _export(social_worker, "participants", project=str(project.pk), q="สุดา")
    # then
    assert sorted(row[4] for row in _csv(everyone)[1:]) == ["ประยุทธ", "สุดา"]
    assert [row[4] for row in _csv(searched)[1:]] == ["สุดา"]
    assert "สุดา" not in str(ExportJob.objects.get(pk=searched.pk).filters)


# --- the API ------------------------------------------------------------------------------------


def test_the_api_starts_an_export_with_iso_dates_and_the_owner_downloads_it(
    client, social_worker, django_capture_on_commit_callbacks
):
    # given
    MemberFactory(birth_date=dt.date(1980, 5, 17))
    client.force_login(social_worker)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/exports",
            {"list": "members", "format": "csv", "filters": {"area": "920101"}},
            content_type="application/json",
        )
    detail = client.get(f"/api/v1/exports/{created.json()['id']}")
    download = client.get(detail.json()["download_url"])
    # then
    assert created.status_code == 201
    assert (detail.json()["status"], detail.json()["rows_done"], detail.json()["filters"]) == (
        "done",
        1,
        {"area": "920101"},
    )
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1][7] == "1980-05-17"
    assert ExportJob.objects.get().buddhist_era is False


def test_the_api_refuses_an_analyst_and_hides_others_exports(client, analyst, social_worker, neighbour_social_worker):
    # given
    job = _export(social_worker, "households")
    client.force_login(analyst)
    # when
    refused = client.post("/api/v1/exports", {"list": "members"}, content_type="application/json")
    client.force_login(neighbour_social_worker)
    hidden = client.get(f"/api/v1/exports/{job.public_id}")
    hidden_file = client.get(f"/api/v1/exports/{job.public_id}/download")
    # then
    assert refused.status_code == 403
    assert ExportJob.objects.count() == 1
    assert (hidden.status_code, hidden_file.status_code) == (404, 404)


def test_the_api_answers_410_for_an_expired_export(client, social_worker):
    # given
    job = _export(social_worker, "households")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(social_worker)
    # when
    detail = client.get(f"/api/v1/exports/{job.public_id}")
    download = client.get(f"/api/v1/exports/{job.public_id}/download")
    # then
    assert (detail.json()["status"], detail.json()["download_url"]) == ("expired", None)
    assert download.status_code == 410


def test_the_expire_command_deletes_expired_files(social_worker):
    # given
    job = _export(social_worker, "households")
    fresh = _export(social_worker, "households")
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
    job = _export(social_worker, "households")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    # when someone starts another export (its tasks run when the transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = export_start(actor=social_worker, list_key="households", file_format="csv", filters={})
    # then the expired file is gone, the new one written
    assert not (Path(django_settings.EXPORTS_DIR) / f"{job.public_id}.csv").exists()
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.EXPIRED
    assert export_path(ExportJob.objects.get(pk=fresh.pk)).exists()


# --- the other list pages offer their buttons ----------------------------------------------------


def test_the_board_the_registry_and_a_project_offer_their_exports(client, manager):
    # given
    project = ProjectFactory()
    client.force_login(manager)
    # when
    board = client.get(reverse("incidents:board")).content.decode()
    registry = client.get(reverse("volunteers:volunteer_list") + "?status=active").content.decode()
    project_page = client.get(reverse("volunteers:project_detail", args=[project.pk])).content.decode()
    # then
    assert 'name="f_state" value="open"' in board.split('data-testid="export-incidents"')[1].split("</form>")[0]
    assert 'name="f_status" value="active"' in registry.split('data-testid="export-volunteers"')[1].split("</form>")[0]
    participants_form = project_page.split('data-testid="export-participants"')[1].split("</form>")[0]
    assert f'name="f_project" value="{project.pk}"' in participants_form


def test_an_xlsx_export_past_excels_row_limit_fails_with_a_message_and_no_file(client, social_worker, monkeypatch):
    # given a limit of one row (a sheet holds 1,048,575 below its header)
    monkeypatch.setattr("pocketbook.reports.export_files.XLSX_MAX_ROWS", 1)
    HouseholdFactory()
    HouseholdFactory()
    client.force_login(social_worker)
    # when
    job = _export(social_worker, "households", "xlsx")
    page = client.get(reverse("reports:export_detail", args=[job.public_id])).content.decode()
    # then
    assert (job.status, job.file_name, job.rows_total) == (ExportStatus.FAILED, "", 2)
    assert "กรุณาส่งออกเป็น CSV" in page
    folder = Path(django_settings.EXPORTS_DIR)
    assert not folder.exists() or list(folder.iterdir()) == []
