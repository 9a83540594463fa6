"""What each list's export holds: the viewer's scope and the list's filters, national IDs masked, no reporter on
incidents, dates in Thai or ISO, English headers, and the audit of every export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from pocketbook.audit.models import AccessLog, ObjectChange
from pocketbook.cases.services import assistance_record, case_open, referral_create
from pocketbook.cases.tests.factories import AgencyFactory, make_assessment
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id
from pocketbook.incidents.tests.factories import IncidentFactory
from pocketbook.reports.export_files import export_path
from pocketbook.reports.export_models import ExportJob
from pocketbook.reports.tests.exporting import OTHER_PROVINCE_VILLAGE, csv_rows, export_now, xlsx_rows
from pocketbook.volunteers.tests.factories import ParticipantFactory, ProjectFactory, VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exports_dir")]


def test_a_worker_of_another_province_gets_none_of_the_rows(other_province_worker):
    # given
    HouseholdFactory()
    member = MemberFactory()
    HouseholdFactory(area_code=OTHER_PROVINCE_VILLAGE, house_no="99")
    # when
    households = export_now(other_province_worker, "households")
    members = export_now(other_province_worker, "members")
    # then
    assert [row[3] for row in csv_rows(households)[1:]] == ["99"]
    assert members.rows_done == 0
    assert member.first_name not in export_path(members).read_text(encoding="utf-8-sig")


def test_members_export_masks_ids_for_those_who_may_unmask_and_writes_be_dates(social_worker):
    # given
    MemberFactory(first_name="สมหญิง", national_id=make_national_id("110170020345"), birth_date=dt.date(1980, 5, 17))
    # when
    job = export_now(social_worker, "members", "xlsx")
    # then
    header, row = xlsx_rows(job)
    assert header[8] == "เลขประจำตัวประชาชน"
    assert row[4] == "สมหญิง"
    assert row[7] == "17/05/2523"
    assert row[8] == "x-xxxx-xxxxx-xx-" + make_national_id("110170020345")[-1]
    assert "1101700203" not in "".join(str(value) for value in row)


def test_an_export_through_the_api_or_in_english_writes_iso_dates_and_english_headers(social_worker):
    # given
    MemberFactory(birth_date=dt.date(1980, 5, 17))
    # when
    api_job = export_now(social_worker, "members", iso=True)
    with translation.override("en"):
        english_job = export_now(social_worker, "members")
    # then
    assert csv_rows(api_job)[1][7] == "1980-05-17"
    assert csv_rows(english_job)[0][:2] == ["household number", "area code"]
    assert csv_rows(english_job)[1][7] == "1980-05-17"


def test_every_export_is_audited_with_who_which_filters_and_how_many_rows(social_worker):
    # given
    MemberFactory()
    MemberFactory()
    # when
    job = export_now(social_worker, "members", area="920101")
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


def test_assessments_export_follows_the_area_and_the_viewers_scope(social_worker):
    # given
    household = HouseholdFactory()
    assessment = make_assessment(household, {"H1": ("health", "fail")}, on=dt.date(2026, 3, 1))
    make_assessment(HouseholdFactory(area_code=OTHER_PROVINCE_VILLAGE), {"H1": ("health", "pass")})
    # when
    job = export_now(social_worker, "assessments", area="92")
    # then
    rows = csv_rows(job)
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
    cases = export_now(social_worker, "cases", status="open", worker="me")
    referrals = export_now(social_worker, "referrals")
    assistance = export_now(social_worker, "assistance", "xlsx")
    # then
    assert [(int(row[0]), row[3]) for row in csv_rows(cases)[1:]] == [(case.pk, "'+ขอเงินช่วยเหลือ")]
    assert [int(row[1]) for row in csv_rows(referrals)[1:]] == [case.pk]
    rows = xlsx_rows(assistance)
    assert (rows[1][1], rows[1][6], rows[1][9]) == (household.pk, 3000, "02/11/2569")


def test_incidents_export_has_no_reporter_and_follows_scope(ess_operator, other_province_worker):
    # given
    incident = IncidentFactory(reporter_name="นายแจ้ง เหตุ", reporter_phone="0812345678")
    # when
    mine = export_now(ess_operator, "incidents")
    theirs = export_now(other_province_worker, "incidents")
    # then
    rows = csv_rows(mine)
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
    job = export_now(social_worker, "volunteers")
    # then
    rows = csv_rows(job)
    assert [(row[2], row[4]) for row in rows[1:]] == [("อาสาดี", "x-xxxx-xxxxx-xx-7")]


def test_participants_export_is_the_projects_own_and_keeps_the_search_encrypted(social_worker):
    # given
    project = ProjectFactory()
    ParticipantFactory(project=project, first_name="สุดา")
    ParticipantFactory(project=project, first_name="ประยุทธ")
    ParticipantFactory(project=ProjectFactory(), first_name="สุดา")
    # when
    everyone = export_now(social_worker, "participants", project=str(project.pk))
    searched = export_now(social_worker, "participants", project=str(project.pk), q="สุดา")
    # then
    assert sorted(row[4] for row in csv_rows(everyone)[1:]) == ["ประยุทธ", "สุดา"]
    assert [row[4] for row in csv_rows(searched)[1:]] == ["สุดา"]
    assert "สุดา" not in str(ExportJob.objects.get(pk=searched.pk).filters)
