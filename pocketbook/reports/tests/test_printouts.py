"""The printouts: each renders to a Thai A4 PDF (pages to PNG, text read back), and each has its access matrix.

Anonymous visitors sign in first; a wrong role and a wrong area are refused exactly as the screen they print
(and nothing is logged); the right area gets the PDF; an analyst never receives a name, an ID or an address.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from pocketbook.assessments import services as assessment_services
from pocketbook.assessments.tests.factories import answers_for, couple_household
from pocketbook.audit.models import AccessLog
from pocketbook.cases import services as case_services
from pocketbook.core.tests.pdf import pdf_pages_png, pdf_text, thai_skeleton
from pocketbook.households.tests.factories import MemberFactory, make_national_id
from pocketbook.incidents import services as incident_services
from pocketbook.incidents.tests.factories import ResponderFactory
from pocketbook.reports.household_counts import rebuild_households, rebuild_poverty
from pocketbook.reports.printouts.household import ACCESS_PURPOSE, DATES_PER_TABLE, DimensionCell, dimension_history
from pocketbook.reports.topics import topics_all

pytestmark = pytest.mark.django_db

NATIONAL_ID = make_national_id("110170020345")
TODAY = timezone.localdate


def _pdf(response, name: str) -> tuple[str, int]:
    """The response's PDF as normalised text and its number of pages (each page rendered to a PNG)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages_png(response.content, name=name)
    assert pages and all(page.stat().st_size > 1000 for page in pages)
    return pdf_text(response.content, name=name), len(pages)


def _has(text: str, *expected: str) -> None:
    """Each phrase is in the text (compared without the Thai marks and spaces `pdftotext -layout` displaces)."""
    skeleton = thai_skeleton(text)
    for item in expected:
        assert thai_skeleton(item) in skeleton, item


# --- the household's pocketbook -------------------------------------------------------------------------------


@pytest.fixture
def booked(volunteer, social_worker, agency, fund):
    """A household of หมู่ 1 ทับเที่ยง assessed twice (living failing, then passing), with a case, a plan and a grant."""
    home, _head, _spouse = couple_household(
        area_code="92010101", house_no="77/1", address="ถนนพิเศษสุข", volunteer=volunteer
    )
    MemberFactory(household=home, first_name="สมปอง", last_name="ใจงาม", relation="child", national_id=NATIONAL_ID)
    members = list(home.members.all())
    for day, tidy in ((dt.date(2026, 6, 1), False), (dt.date(2026, 10, 1), True)):
        answers = answers_for(*members, household={"tidy_house": tidy})
        assessment_services.assessment_submit(household=home, assessed_on=day, answers=answers, actor=volunteer)
    case = case_services.case_open(household=home, title="ซ่อมบ้านให้ถูกสุขลักษณะ", actor=social_worker)
    case_services.plan_item_add(case=case, action="ประสานช่างชุมชนซ่อมหลังคา", actor=social_worker, agency=agency)
    case_services.assistance_record(
        household=home,
        case=case,
        kind="housing_repair",
        amount=Decimal("3000"),
        given_on=TODAY(),
        actor=social_worker,
        fund=fund,
    )
    return home


def _household_url(home) -> str:
    return reverse("reports:household_printout", args=[home.pk])


def test_the_pocketbook_prints_members_dimensions_by_date_needs_plan_and_help(client, social_worker, booked):
    # given
    client.force_login(social_worker)
    # when
    response = client.get(_household_url(booked))
    # then: a Thai A4 book with the members (ID masked), both assessments' dimensions and the help
    text, pages = _pdf(response, "printout-household")
    assert pages == 2
    _has(
        text,
        "สมุดพกครอบครัว",
        "สมชาย",
        "x-xxxx-xxxxx-xx-" + NATIONAL_ID[-1],
        "1 มิ.ย. 2569",
        "1 ต.ค. 2569",
        "ความเป็นอยู่",
        "ไม่ผ่าน (1)",
        "ซ่อมบ้านให้ถูกสุขลักษณะ",
        "ประสานช่างชุมชนซ่อมหลังคา",
        "3,000.00",
    )
    assert NATIONAL_ID not in text.replace("-", "").replace(" ", "")
    # and the read is logged as the household page logs it
    assert list(AccessLog.objects.filter(user=social_worker).values_list("purpose", flat=True)) == [ACCESS_PURPOSE]


def test_more_assessments_than_fit_across_a4_go_on_in_a_second_table():
    # given seven assessments, the living dimension failing two indicators in the last one
    names = {"health": "สุขภาพ", "living": "ความเป็นอยู่"}
    indicator_set = SimpleNamespace(dimension_names=lambda: names)
    visits = [
        SimpleNamespace(
            indicator_set=indicator_set,
            dimension_results={"health": "pass", "living": "fail" if number == 6 else "pass"},
            indicator_results={
                "bmn-01": {"dimension": "living", "status": "fail" if number == 6 else "pass"},
                "bmn-02": {"dimension": "living", "status": "fail" if number == 6 else "pass"},
                "bmn-03": {"dimension": "health", "status": "pass"},
            },
            failed_dimensions=1 if number == 6 else 0,
        )
        for number in range(7)
    ]
    # when
    tables = dimension_history(visits)
    # then six dates, then one; each row a dimension, each cell its result and failed indicators
    assert [len(table["assessments"]) for table in tables] == [DATES_PER_TABLE, 1] == [6, 1]
    assert [row["name"] for row in tables[1]["rows"]] == ["สุขภาพ", "ความเป็นอยู่"]
    assert tables[1]["rows"][1]["cells"] == [DimensionCell("fail", 2)]
    assert tables[0]["rows"][1]["cells"] == [DimensionCell("pass", 0)] * 6
    assert tables[1]["failed_counts"] == [1]
    assert dimension_history([]) == []


def test_the_household_page_offers_the_printout(client, volunteer, booked):
    # given
    client.force_login(volunteer)
    # when
    page = client.get(reverse("households:household_detail", args=[booked.pk])).content.decode()
    # then
    assert f'href="{_household_url(booked)}" data-testid="action-print_pocketbook">พิมพ์สมุดพก</a>' in page


def test_a_volunteer_prints_the_plan_but_not_the_assistance_they_may_not_see(client, volunteer, booked):
    # given a volunteer, who sees the household's cases but not its assistance
    client.force_login(volunteer)
    # when
    text, _pages = _pdf(client.get(_household_url(booked)), "printout-household-volunteer")
    # then
    _has(text, "สมุดพกครอบครัว", "สมชาย", "ประสานช่างชุมชนซ่อมหลังคา")
    assert "3,000" not in text


def test_an_anonymous_visitor_signs_in_first_and_nothing_is_logged(client, booked):
    response = client.get(_household_url(booked))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(
    "role_fixture", ["analyst", "ess_operator", "neighbour_social_worker", "other_province_worker"]
)
def test_the_pocketbook_is_missing_for_a_wrong_role_or_area_and_nothing_is_logged(
    client, request, booked, role_fixture
):
    # given an analyst, an operator (no households), a social worker of the next subdistrict, another province's
    client.force_login(request.getfixturevalue(role_fixture))
    # when
    response = client.get(_household_url(booked))
    # then: as the household page answers them
    assert response.status_code == 404
    assert client.get(reverse("households:household_detail", args=[booked.pk])).status_code == 404
    assert AccessLog.objects.count() == 0


# --- the incident report --------------------------------------------------------------------------------------


@pytest.fixture
def handled(ess_operator):
    """An incident of ทับเที่ยง reported by name, acknowledged, dispatched and resolved."""
    incident = incident_services.incident_open(
        incident_type="domestic_violence",
        channel="hotline",
        area_code="920101",
        reporter_name="นางสมใจ ลับเฉพาะ",
        reporter_phone="0812345678",
        address_text="12 ถนนลับ",
        description="ได้ยินเสียงทะเลาะรุนแรง",
        actor=ess_operator,
    )
    incident_services.incident_acknowledge(incident=incident, actor=ess_operator)
    responder = ResponderFactory(user__first_name="ทีมเคลื่อนที่เร็ว")
    incident_services.incident_dispatch(incident=incident, responders=[responder], actor=ess_operator, note="ไปด่วน")
    incident.refresh_from_db()
    incident_services.incident_status_change(
        incident=incident, status="resolved", actor=ess_operator, outcome="แยกผู้เสียหายไปบ้านพักเด็กและครอบครัว"
    )
    incident.refresh_from_db()
    return incident


def _incident_url(incident) -> str:
    return reverse("reports:incident_printout", args=[incident.pk])


def test_the_incident_report_prints_the_facts_times_against_the_sla_dispatches_and_outcome(
    client, ess_operator, handled
):
    # given
    client.force_login(ess_operator)
    # when
    text, pages = _pdf(client.get(_incident_url(handled)), "printout-incident")
    # then
    assert pages == 1
    _has(
        text,
        "รายงานเหตุ",
        handled.number,
        "ความรุนแรงในครอบครัว",
        "นางสมใจ ลับเฉพาะ",
        "ได้ยินเสียงทะเลาะรุนแรง",
        "ทีมเคลื่อนที่เร็ว",
        "ภายในเวลาเป้าหมาย",
        "แยกผู้เสียหายไปบ้านพักเด็กและครอบครัว",
        str(handled.received_at.year + 543),
    )
    # and the reporter's read is logged as the incident page logs it
    assert list(AccessLog.objects.values_list("purpose", flat=True)) == ["incident reporter"]


def test_an_anonymous_reporter_stays_anonymous_in_the_report_and_nothing_is_logged(client, ess_operator):
    # given an incident whose reporter asked to stay anonymous (the name was typed all the same)
    incident = incident_services.incident_open(
        incident_type="drugs", channel="hotline", area_code="920101", reporter_name="นายลับ มาก", is_anonymous=True
    )
    client.force_login(ess_operator)
    # when
    text, _pages = _pdf(client.get(_incident_url(incident)), "printout-incident-anonymous")
    # then, as on the incident page
    _has(text, "ไม่ประสงค์ออกนาม")
    assert "นายลับ" not in text
    assert AccessLog.objects.count() == 0


def test_the_incident_page_offers_the_report(client, ess_operator, handled):
    client.force_login(ess_operator)
    page = client.get(reverse("incidents:incident_detail", args=[handled.pk])).content.decode()
    assert f'href="{_incident_url(handled)}" data-testid="action-print_report">' in page


def test_an_anonymous_visitor_signs_in_before_the_incident_report(client, handled):
    response = client.get(_incident_url(handled))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role_fixture", "status"), [("volunteer", 403), ("analyst", 403), ("district_neighbour_operator", 404)]
)
def test_the_incident_report_is_refused_as_the_incident_page_and_nothing_is_logged(
    client, request, handled, role_fixture, status
):
    # given a volunteer, an analyst (no incidents), an operator of another district
    client.force_login(request.getfixturevalue(role_fixture))
    before = AccessLog.objects.count()
    # when
    response = client.get(_incident_url(handled))
    # then
    assert response.status_code == status
    assert client.get(reverse("incidents:incident_detail", args=[handled.pk])).status_code == status
    assert AccessLog.objects.count() == before


# --- the monthly summary --------------------------------------------------------------------------------------


@pytest.fixture
def counted(booked, handled):
    """The household and the incident above, counted in the reports' tables."""
    rebuild_households()
    rebuild_poverty()
    for topic in topics_all():
        topic.rebuild()
    return booked, handled


def _monthly(client, **query: str):
    return client.get(reverse("reports:monthly_printout"), {"area": "92", "year": "2569", "month": "10", **query})


def test_a_manager_prints_the_monthly_summary_with_its_charts(client, manager, counted):
    # given
    client.force_login(manager)
    # when
    text, pages = _pdf(_monthly(client), "printout-monthly-manager")
    # then
    assert pages in (2, 3)
    _has(
        text,
        "รายงานสรุปประจำเดือน",
        "ตรัง",
        "ตุลาคม 2569",
        "ครัวเรือนที่ไม่ผ่านเกณฑ์แต่ละมิติ",  # the households chart's title
        "ความยากจนหลายมิติ",
        "M0",
        "เหตุที่รับแจ้งในเดือน",
        "อาสาสมัคร",
    )


def test_the_analyst_prints_the_summary_with_small_counts_hidden_and_no_person(client, analyst, counted):
    # given
    _booked, handled = counted
    client.force_login(analyst)
    # when
    text, _pages = _pdf(_monthly(client), "printout-monthly-analyst")
    # then
    assert "< 5" in text
    for personal in ("สมชาย", "สมปอง", "ถนนพิเศษสุข", "77/1", "สมใจ", "ถนนลับ", handled.number, NATIONAL_ID[-4:] + " "):
        assert personal not in text, personal


def test_the_monthly_summary_access(client, volunteer, other_province_worker, manager, counted):
    # anonymous: sign in first
    assert _monthly(client).status_code == 302
    # a role without reports: refused
    client.force_login(volunteer)
    assert _monthly(client).status_code == 403
    # an area outside the viewer's: missing
    client.force_login(other_province_worker)
    assert _monthly(client).status_code == 404
    # a month that is not one: back to the form, which keeps the area
    client.force_login(manager)
    wrong = _monthly(client, month="13")
    assert (wrong.status_code, wrong["Location"]) == (302, "/reports/printouts/?area=92")
    assert AccessLog.objects.count() == 0


def test_the_reports_have_a_printouts_tab_with_the_monthly_form(client, analyst):
    # given
    client.force_login(analyst)
    # when
    page = client.get(reverse("reports:printouts"), {"area": "9201"}).content.decode()
    # then
    assert 'data-testid="report-tab-printouts"' in page
    assert 'action="/reports/printouts/monthly.pdf"' in page
    assert '<option value="9201" selected>เมืองตรัง</option>' in page
