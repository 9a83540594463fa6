"""The case pages: every action through the browser's forms, Thai pages, bad input without a 500 or a half-save."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from pocketbook.cases import reply_links, services
from pocketbook.cases.models import Assistance, Case, Need, PlanItem, Referral, ReferralLinkUse
from pocketbook.core.tests.pdf import pdf_text, thai_normalised

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def be(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year + 543}"


@pytest.fixture
def case(household, social_worker):
    return services.case_open(household=household, title="ดูแลผู้สูงอายุ", actor=social_worker)


def test_open_a_case_from_the_suggested_needs(client, failing_household, social_worker):
    services.needs_suggest_for_households([failing_household.pk])
    need = Need.objects.get()
    client.force_login(social_worker)
    page = client.get(reverse("cases:case_open", args=[failing_household.pk]))
    assert page.status_code == 200
    assert "เปิดเคส" in page.content.decode()
    response = client.post(
        reverse("cases:case_open", args=[failing_household.pk]), {"title": "อาหาร", "needs": [need.pk]}
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("cases:case_detail", args=[case.pk])
    assert list(case.needs.all()) == [need]


def test_case_page_shows_every_section_in_thai(client, case, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    for text in ("แผน", "การส่งต่อ", "ความช่วยเหลือ", "การติดตาม", "ปิดเคส", "เส้นเวลา"):
        assert text in page, text


def test_plan_item_add_with_a_bad_date_says_so_and_saves_nothing(client, case, social_worker):
    client.force_login(social_worker)
    response = client.post(reverse("cases:plan_item_add", args=[case.pk]), {"action": "เยี่ยม", "due_on": "31/2/2568"})
    assert response.status_code == 302
    assert PlanItem.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert "msg--error" in page


def test_plan_item_edit_conflict_shows_the_other_change(client, case, social_worker, manager):
    item = services.plan_item_add(case=case, action="เยี่ยม", actor=social_worker)
    services.plan_item_update(item=item, version=1, action="เยี่ยมบ้าน (แก้แล้ว)", actor=manager)
    client.force_login(social_worker)
    response = client.post(
        reverse("cases:plan_item_edit", args=[item.pk]), {"action": "ของฉัน", "status": "done", "version": 1}
    )
    assert response.status_code == 200
    assert 'data-testid="conflict"' in response.content.decode()
    item.refresh_from_db()
    assert (item.action, item.version) == ("เยี่ยมบ้าน (แก้แล้ว)", 2)
    # saving again with the version now shown wins
    response = client.post(
        reverse("cases:plan_item_edit", args=[item.pk]), {"action": "ของฉัน", "status": "done", "version": 2}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.action, item.status) == ("ของฉัน", "done")


def test_referral_form_warns_outside_the_area_and_asks_for_confirmation(client, case, social_worker):
    from pocketbook.cases.tests.factories import AgencyFactory

    far = AgencyFactory(areas=["50"])
    client.force_login(social_worker)
    url = reverse("cases:referral_create", args=[case.pk])
    response = client.post(url, {"agency": far.pk, "request": "ช่วย"})
    assert response.status_code == 200
    assert Referral.objects.count() == 0
    assert "ไม่ครอบคลุม" in response.content.decode()
    response = client.post(url, {"agency": far.pk, "request": "ช่วย", "confirm_outside_area": "on"})
    assert response.status_code == 302
    assert Referral.objects.get().outside_area_confirmed is True


def test_the_letter_is_a_thai_pdf_with_the_be_date(client, case, social_worker, agency, tmp_path):
    referral = services.referral_create(case=case, agency=agency, request="ขอรับการตรวจสุขภาพที่บ้าน", actor=social_worker)
    client.force_login(social_worker)
    response = client.get(reverse("cases:referral_letter", args=[referral.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.content)
    text = pdf_text(response.content, name="referral-letter")
    for expected in (
        "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง",
        "ขอส่งต่อครัวเรือน",
        agency.name[:20],
        "สมศรี ใจงาม",
        "ขอรับการตรวจสุขภาพที่บ้าน",
        str(TODAY().year + 543),
    ):
        assert thai_normalised(expected) in text, expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Sarabun" in fonts and "yes" in fonts


def test_reply_page_answers_without_login_and_logs_each_use(client, case, social_worker, agency):
    referral = services.referral_create(case=case, agency=agency, request="ตรวจ", actor=social_worker)
    url = reverse("cases:referral_reply", args=[reply_links.reply_token(referral)])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "สมศรี" in body and "ใจงาม" not in body and "บ้านทับเที่ยง" in body
    assert "1101700203" not in body
    response = client.post(url, {"status": "declined", "answered_by_name": "พยาบาล"})
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "sent"
    response = client.post(url, {"status": "accepted", "answered_by_name": "พยาบาลวิชาชีพ สมใจ"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.answered_by_name) == ("accepted", "พยาบาลวิชาชีพ สมใจ")
    assert list(ReferralLinkUse.objects.order_by("id").values_list("action", flat=True)) == [
        "viewed",
        "viewed",
        "answered",
    ]


def test_reply_link_refused_when_tampered_expired_or_revoked(client, case, social_worker, agency, settings):
    referral = services.referral_create(case=case, agency=agency, request="ตรวจ", actor=social_worker)
    token = reply_links.reply_token(referral)
    assert client.get(reverse("cases:referral_reply", args=[token[:-2] + "xx"])).status_code == 404
    settings.CASES_REPLY_LINK_DAYS = -1
    assert client.get(reverse("cases:referral_reply", args=[token])).status_code == 410
    settings.CASES_REPLY_LINK_DAYS = 60
    services.referral_revoke(referral=referral, reason="ส่งผิดหน่วยงาน", actor=social_worker)
    response = client.post(
        reverse("cases:referral_reply", args=[token]), {"status": "accepted", "answered_by_name": "x"}
    )
    assert response.status_code == 200 and 'data-testid="reply-closed"' in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "revoked"
    assert list(ReferralLinkUse.objects.order_by("id").values_list("action", flat=True)) == [
        "refused",
        "refused",
        "refused",
    ]


def test_assistance_over_budget_shows_the_figures_and_saves_nothing(client, case, social_worker, fund):
    client.force_login(social_worker)
    response = client.post(
        reverse("cases:assistance_record", args=[case.pk]),
        {"kind": "cash_grant", "amount": "20000", "fund": fund.pk, "given_on": be(TODAY())},
    )
    assert response.status_code == 200
    assert "10,000.00" in response.content.decode()
    assert Assistance.objects.count() == 0


def test_my_tasks_lists_overdue_first(client, case, social_worker, agency):
    services.plan_item_add(case=case, action="ล่าช้า", due_on=TODAY() - dt.timedelta(days=3), actor=social_worker)
    services.plan_item_add(case=case, action="ใกล้ถึง", due_on=TODAY() + dt.timedelta(days=2), actor=social_worker)
    client.force_login(social_worker)
    page = client.get(reverse("cases:my_tasks")).content.decode()
    assert page.index("ล่าช้า") < page.index("ใกล้ถึง")


def test_case_list_filters(client, case, social_worker):
    client.force_login(social_worker)
    assert "ดูแลผู้สูงอายุ" in client.get(reverse("cases:case_list")).content.decode()
    assert "ดูแลผู้สูงอายุ" not in client.get(reverse("cases:case_list"), {"stage": "plan"}).content.decode()
    assert "ดูแลผู้สูงอายุ" not in client.get(reverse("cases:case_list"), {"area": "9202"}).content.decode()
    bad = client.get(reverse("cases:case_list"), {"worker": "9" * 40, "stage": "<x>", "page": "-1"})
    assert bad.status_code == 200


def test_agency_search_in_thai_ignores_spaces(client, social_worker, agency):
    client.force_login(social_worker)
    page = client.get(reverse("cases:agency_list"), {"q": "ส่งเสริม สุขภาพ"}).content.decode()
    assert agency.name in page
    assert agency.name not in client.get(reverse("cases:agency_list"), {"q": "โรงเรียน"}).content.decode()


def test_fund_page_shows_totals_per_fiscal_year(client, household, social_worker, fund):
    services.assistance_record(
        household=household, kind="goods", amount="2500.50", fund=fund, given_on=TODAY(), actor=social_worker
    )
    client.force_login(social_worker)
    page = client.get(reverse("cases:fund_list")).content.decode()
    assert "2,500.50" in page and "7,499.50" in page


def test_close_as_helped_through_the_page(client, case, social_worker):
    client.force_login(social_worker)
    response = client.post(reverse("cases:case_close", args=[case.pk]), {"status": "helped"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "helped"


def test_my_cases_never_counts_the_whole_table(client, manager, volunteer, monkeypatch):
    # given 32 open cases in the province and a list that counts up to 30 (1,000 in production)
    from pocketbook.core import paging
    from pocketbook.households.tests.factories import HouseholdFactory

    monkeypatch.setattr(paging, "CAP", 30)
    for number in range(32):
        Case.objects.create(household=HouseholdFactory(volunteer=volunteer), title=f"เคส {number}")
    client.force_login(manager)
    # when the manager lists every open case
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:case_list"), {"worker": "", "status": "open"}).content.decode()
    # then the page says "more than 30", offers pages within the cap, and no query counts beyond the cap
    assert "มีมากกว่า 30 เคส" in page
    assert len(re.findall('data-testid="case-row"', page)) == 25
    assert "1 / 2+" in page
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"] and "cases_case" in query["sql"]]
    # the list's count stops at 31 rows; the menu's count reads the manager's own cases (one indexed query)
    assert len(counts) == 2
    assert "LIMIT 31" in counts[0]
    assert '"cases_case"."worker_id" = ' in counts[1] and "households_household" not in counts[1]


def test_my_cases_names_the_village_not_its_code(client, case, social_worker):
    # given the case of a household of หมู่ 1 บ้านทับเที่ยง
    client.force_login(social_worker)
    # when
    page = client.get(reverse("cases:case_list")).content.decode()
    # then the row reads as a person would say it
    assert "หมู่ 1 บ้านทับเที่ยง" in page
    assert ">92010101 ·" not in page


def test_my_cases_filter_by_village_name_or_number_within_the_workers_areas(client, social_worker, manager):
    # given a case in หมู่ 1 ทับเที่ยง, one in หมู่ 2 นาตาล่วง, one in หมู่ 1 of the neighbour subdistrict นาพละ
    from pocketbook.households.tests.factories import HouseholdFactory

    for area_code, title in (("92010101", "ในทับเที่ยง"), ("92010102", "ในนาตาล่วง"), ("92010401", "ในนาพละ")):
        services.case_open(household=HouseholdFactory(area_code=area_code), title=title, actor=manager)

    def listed(user, village):
        client.force_login(user)
        page = client.get(reverse("cases:case_list"), {"worker": "", "village": village}).content.decode()
        return sorted(title for title in ("ในทับเที่ยง", "ในนาตาล่วง", "ในนาพละ") if title in page)

    # then
    assert listed(social_worker, "นาตาล่วง") == ["ในนาตาล่วง"]
    assert listed(social_worker, "หมู่ 1") == ["ในทับเที่ยง"]
    assert listed(social_worker, "นาพละ") == []  # not the worker's subdistrict
    assert listed(manager, "หมู่ 1") == ["ในทับเที่ยง", "ในนาพละ"]
    assert listed(manager, "920104") == ["ในนาพละ"]


def test_the_cases_api_filters_by_village(client, case, social_worker):
    client.force_login(social_worker)

    found = client.get("/api/v1/cases", {"worker": "", "village": "ทับเที่ยง"}).json()
    elsewhere = client.get("/api/v1/cases", {"worker": "", "village": "นาตาล่วง"}).json()

    assert [row["id"] for row in found] == [case.pk]
    assert elsewhere == []
