"""Neighbours inside the province see and change nothing of the home household's case, on every page and endpoint.

The home household of ต.ทับเที่ยง (920101) has an open case with a need, a suggested need, a plan item, a referral,
assistance from the subdistrict's own fund and a follow-up. Volunteers, social workers and a manager of ต.นาพละ
(920104) and of อ.กันตัง (9202) try every page and endpoint of the cases app against them: each read answers 403
or 404, each write is refused and writes nothing, and the home social worker reaches every one of the same URLs.
The household still names the neighbour as its volunteer in charge (they moved away), so a volunteer is kept out
by the area alone. This is what fails if `User.covers` or the scoped querysets are widened to the province.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pocketbook.audit.models import ObjectChange
from pocketbook.cases import services
from pocketbook.cases.models import (
    Assistance,
    Case,
    CaseEvent,
    FollowUp,
    Fund,
    FundBudget,
    Need,
    PlanItem,
    Referral,
)
from pocketbook.cases.tests.factories import AgencyFactory
from tests.neighbours import (
    NEIGHBOURS_AND_MANAGER,
    OFFICE_NEIGHBOURS,
    answers,
    not_refused,
    own_household,
    page_date,
    read_statuses,
    refused,
    still_in_their_care,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_case(home, social_worker, manager):
    """The home household's open case with one of each record, and the fund of ต.ทับเที่ยง paying its assistance."""
    household, today = home["household"], timezone.localdate()
    fund = services.fund_create(name="กองทุนสวัสดิการตำบลทับเที่ยง", owner="อบต.ทับเที่ยง", area_code="920101", actor=manager)
    services.fund_budget_set(fund=fund, fiscal_year=services.fiscal_year_be(today), amount="50000", actor=manager)
    agency = AgencyFactory()
    case = services.case_open(household=household, title="ช่วยเหลือครอบครัวบ้านเดิม", actor=social_worker)
    need = services.need_add(
        household=household, description="ขาดรายได้", dimension="income", case=case, actor=social_worker
    )
    suggested = services.need_add(household=household, description="ไม่มีน้ำสะอาด", actor=social_worker)
    item = services.plan_item_add(case=case, action="ประสาน อบต.", need=need, agency=agency, actor=social_worker)
    referral = services.referral_create(
        case=case, agency=agency, request="ขอรับการตรวจสุขภาพ", need=need, consent_override_reason="ฉุกเฉิน",
        actor=social_worker,
    )  # fmt: skip
    assistance = services.assistance_record(
        household=household, case=case, kind="goods", amount="500", fund=fund, given_on=today, actor=social_worker
    )
    services.followup_record(case=case, visited_on=today, note="เยี่ยมบ้าน", actor=social_worker)
    return home | {
        "case": case, "need": need, "suggested": suggested, "item": item, "referral": referral,
        "assistance": assistance, "fund": fund, "agency": agency,
    }  # fmt: skip


def _state() -> tuple:
    """What a refused request must leave untouched."""
    return (
        list(Case.objects.order_by("pk").values_list("pk", "status", "stage", "worker_id", "volunteer_id")),
        list(Need.objects.order_by("pk").values_list("pk", "status", "case_id")),
        list(PlanItem.objects.order_by("pk").values_list("pk", "action", "status", "version")),
        list(Referral.objects.order_by("pk").values_list("pk", "status")),
        list(FundBudget.objects.order_by("pk").values_list("pk", "amount")),
        Assistance.objects.count(),
        FollowUp.objects.count(),
        Fund.objects.count(),
        CaseEvent.objects.count(),
        ObjectChange.objects.count(),
    )


def page_reads(records):
    case, referral = records["case"], records["referral"]
    return [
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:case_open", args=[case.household_id]),
        reverse("cases:plan_item_edit", args=[records["item"].pk]),
        reverse("cases:referral_create", args=[case.pk]),
        reverse("cases:referral_letter", args=[referral.pk]),
        reverse("cases:assistance_record", args=[case.pk]),
        f"/api/v1/cases/{case.pk}",
        f"/api/v1/cases/{case.pk}/plan",
        f"/api/v1/needs?household_id={case.household_id}",
        f"/api/v1/referrals?case_id={case.pk}",
        f"/api/v1/assistance?household_id={case.household_id}",
    ]


def page_writes(records):
    case, item, referral, fund = records["case"], records["item"], records["referral"], records["fund"]
    today, household_id = timezone.localdate(), case.household_id
    given = {"kind": "goods", "amount": "200", "given_on": today.isoformat()}
    return [
        ("post", reverse("cases:need_add", args=[case.pk]), {"description": "ขาดแคลนอาหาร", "dimension": "health"}),
        ("post", reverse("cases:need_dismiss", args=[records["suggested"].pk]), {"reason": "มีน้ำประปาแล้ว"}),
        ("post", reverse("cases:plan_item_add", args=[case.pk]), {"action": "พาไปโรงพยาบาล"}),
        ("post", reverse("cases:plan_item_edit", args=[item.pk]), {"action": "แก้ไข", "version": item.version}),
        ("post", reverse("cases:referral_create", args=[case.pk]),
         {"agency": records["agency"].pk, "request": "ขอความช่วยเหลือ", "consent_override_reason": "ฉุกเฉิน"}),
        ("post", reverse("cases:referral_revoke", args=[referral.pk]), {"reason": "ส่งผิดหน่วยงาน"}),
        ("post", reverse("cases:assistance_record", args=[case.pk]),
         {"kind": "goods", "amount": "300", "given_on": page_date(today), "fund": fund.pk}),
        ("post", reverse("cases:assistance_reverse", args=[records["assistance"].pk]), {"reason": "บันทึกซ้ำ"}),
        ("post", reverse("cases:followup_record", args=[case.pk]), {"visited_on": page_date(today), "note": "พบ"}),
        ("post", reverse("cases:case_take", args=[case.pk]), {}),
        ("post", reverse("cases:case_close", args=[case.pk]), {"status": "helped"}),
        ("post", reverse("cases:case_reopen", args=[case.pk]), {"reason": "กลับมาขอความช่วยเหลือ"}),
        ("post", reverse("cases:case_open", args=[household_id]), {"title": "กรณีใหม่"}),
        ("post", f"/api/v1/cases/{case.pk}/plan", {"action": "โทรติดตาม"}),
        ("patch", f"/api/v1/plan-items/{item.pk}", {"version": item.version, "action": "แก้ผ่าน API"}),
        ("post", "/api/v1/needs", {"household_id": household_id, "description": "ค่าเทอม", "case_id": case.pk}),
        ("post", f"/api/v1/needs/{records['suggested'].pk}/dismiss", {"reason": "ไม่ต้องการ"}),
        ("post", "/api/v1/referrals",
         {"case_id": case.pk, "agency_id": records["agency"].pk, "request": "ขอ", "consent_override_reason": "ด่วน"}),
        ("post", f"/api/v1/referrals/{referral.pk}/answer", {"status": "accepted", "answered_by_name": "ผอ."}),
        ("post", f"/api/v1/referrals/{referral.pk}/revoke", {"reason": "ยกเลิก"}),
        ("post", "/api/v1/assistance", {"household_id": household_id, "fund_id": fund.pk, "case_id": case.pk} | given),
        ("post", f"/api/v1/assistance/{records['assistance'].pk}/reverse", {"reason": "ผิด"}),
        ("post", f"/api/v1/cases/{case.pk}/close", {"status": "helped"}),
        ("post", f"/api/v1/cases/{case.pk}/reopen", {"reason": "เปิดใหม่"}),
        ("post", "/api/v1/cases", {"household_id": household_id, "title": "กรณีใหม่"}),
    ]  # fmt: skip


@pytest.mark.parametrize("neighbour", NEIGHBOURS_AND_MANAGER)
def test_a_neighbour_reads_nothing_of_the_home_case(client, home_case, social_worker, neighbour, request):
    # given: the home social worker reaches every URL (so a refusal below is the boundary, not a typo)
    urls = page_reads(home_case)
    assert read_statuses(client, social_worker, urls) == dict.fromkeys(urls, 200)
    user = request.getfixturevalue(neighbour)
    still_in_their_care(home_case["household"], user)
    # when the neighbour tries them
    statuses = read_statuses(client, user, urls)
    # then: not found (or forbidden to the role), never shown
    assert not_refused(statuses) == {}


@pytest.mark.parametrize("neighbour", NEIGHBOURS_AND_MANAGER)
def test_a_neighbour_finds_nothing_of_the_home_case_in_lists(client, home_case, social_worker, neighbour, request):
    case, fund = home_case["case"], home_case["fund"]
    detail = reverse("cases:case_detail", args=[case.pk])

    def seen(user):
        client.force_login(user)
        pages = [
            client.get(reverse("cases:case_list"), {"status": "", "worker": ""}),
            client.post(reverse("cases:case_list"), {"status": "", "worker": "", "q": "บ้านเดิม"}, follow=True),
            client.get(reverse("cases:my_tasks")),
            client.get(reverse("cases:fund_list")),
        ]
        found = {page.request["PATH_INFO"] for page in pages if detail in page.content.decode()}
        found |= {"fund page" for page in pages if fund.name in page.content.decode()}
        for path in ("/api/v1/cases?worker=&status=", "/api/v1/cases?worker=&area_code=920101"):
            response = client.get(path)
            found |= {path for row in (response.json() if response.status_code == 200 else []) if row["id"] == case.pk}
        funds = client.get("/api/v1/funds")
        found |= {"funds" for row in (funds.json() if funds.status_code == 200 else []) if row["fund_id"] == fund.pk}
        return found

    # given: the home social worker finds the case in the lists and the fund among the funds
    assert {"/cases/", "fund page", "funds", "/api/v1/cases?worker=&status="} <= seen(social_worker)
    user = request.getfixturevalue(neighbour)
    still_in_their_care(home_case["household"], user)
    # then the neighbour finds neither
    assert seen(user) == set()


@pytest.mark.parametrize("neighbour", NEIGHBOURS_AND_MANAGER)
def test_a_neighbour_changes_nothing_of_the_home_case(client, home_case, social_worker, neighbour, request):
    # given
    user = request.getfixturevalue(neighbour)
    still_in_their_care(home_case["household"], user)
    before = _state()
    client.force_login(user)
    # when
    statuses = answers(client, page_writes(home_case))
    # then: every write is refused, and nothing was written
    assert not_refused(statuses) == {}
    assert _state() == before
    # and the home social worker's same requests reach the case: none is refused as missing or forbidden
    client.force_login(social_worker)
    assert refused(answers(client, page_writes(home_case))) == {}
    assert _state() != before


def test_a_manager_of_another_district_cannot_set_the_budget_of_the_home_subdistricts_fund(
    client, home_case, manager, district_neighbour_manager
):
    """Managers set budgets (the other roles are refused by their role, whatever the area)."""
    # given
    fund = home_case["fund"]
    budget = {"fund": fund.pk, "fiscal_year": "2570", "amount": "90000"}
    before = _state()
    client.force_login(district_neighbour_manager)
    # when
    response = client.post(reverse("cases:fund_list"), budget)
    # then: as missing, nothing written
    assert response.status_code == 404
    assert _state() == before
    # and the province's manager sets it with the same form
    client.force_login(manager)
    assert client.post(reverse("cases:fund_list"), budget).status_code == 302
    assert FundBudget.objects.filter(fund=fund, fiscal_year=2570).values_list("amount", flat=True).get() == 90000


@pytest.mark.parametrize("neighbour", OFFICE_NEIGHBOURS)
def test_a_neighbour_cannot_tie_the_home_records_to_their_own_household(client, home_case, neighbour, request):
    """Their own household and case, with the home household's need, case or fund: refused as missing."""
    # given: the neighbour's own household with an open case
    user = request.getfixturevalue(neighbour)
    own = own_household(user)
    own_case = services.case_open(household=own, title="กรณีของเรา", actor=user)
    today = timezone.localdate().isoformat()
    given = {"household_id": own.pk, "kind": "goods", "amount": "100", "given_on": today}
    mixed = [
        ("post", f"/api/v1/cases/{own_case.pk}/plan", {"action": "ติดตาม", "need_id": home_case["need"].pk}),
        ("post", "/api/v1/needs", {"household_id": own.pk, "description": "อาหาร", "case_id": home_case["case"].pk}),
        ("post", "/api/v1/assistance", given | {"fund_id": home_case["fund"].pk}),
        ("post", "/api/v1/assistance", given | {"case_id": home_case["case"].pk}),
        ("post", "/api/v1/referrals", {"case_id": own_case.pk, "agency_id": home_case["agency"].pk, "request": "ขอ",
                                       "need_id": home_case["need"].pk, "consent_override_reason": "ด่วน"}),
    ]  # fmt: skip
    before = _state()
    client.force_login(user)
    # when
    statuses = answers(client, mixed)
    page = client.post(
        reverse("cases:assistance_record", args=[own_case.pk]),
        {"kind": "goods", "amount": "100", "given_on": page_date(timezone.localdate()), "fund": home_case["fund"].pk},
    )
    # then
    assert not_refused(statuses) == {}
    assert page.status_code == 200 and "fund" in page.context["form"].errors
    assert _state() == before
    # and without the home household's records the same requests are accepted
    own_records = [
        ("post", f"/api/v1/cases/{own_case.pk}/plan", {"action": "ติดตาม"}),
        ("post", "/api/v1/needs", {"household_id": own.pk, "description": "อาหาร", "case_id": own_case.pk}),
        ("post", "/api/v1/assistance", given | {"case_id": own_case.pk}),
    ]
    assert set(answers(client, own_records).values()) == {201}


# --- the checks made with `covers`: who may work on the home case, and where a fund may serve ---------------------


@pytest.mark.parametrize(("neighbour", "field"), [
    ("neighbour_social_worker", "worker"), ("district_neighbour_social_worker", "worker"),
    ("neighbour_volunteer", "volunteer"), ("district_neighbour_volunteer", "volunteer"),
])  # fmt: skip
def test_a_neighbour_cannot_be_put_on_the_home_case(home_case, social_worker, neighbour, field, request):
    # given
    case, user = home_case["case"], request.getfixturevalue(neighbour)
    before = _state()
    # when the home social worker names the neighbour as the case's social worker or volunteer
    with pytest.raises(ValidationError) as refused:
        services.case_assign(case=case, actor=social_worker, **{field: user})
    # then: refused on that field, nothing written
    assert list(refused.value.message_dict) == [field]
    assert _state() == before


def test_a_neighbour_cannot_open_the_home_case_with_their_own_worker(home, social_worker, neighbour_social_worker):
    with pytest.raises(ValidationError) as refused:
        services.case_open(
            household=home["household"], title="กรณี", worker=neighbour_social_worker, actor=social_worker
        )
    assert list(refused.value.message_dict) == ["worker"]
    assert not Case.objects.exists()


def test_a_manager_of_another_district_cannot_set_up_a_fund_for_the_home_subdistrict(district_neighbour_manager):
    # given
    before = (Fund.objects.count(), ObjectChange.objects.count())
    # when
    with pytest.raises(ValidationError) as refused:
        services.fund_create(name="กองทุน", owner="อบต.", area_code="920101", actor=district_neighbour_manager)
    # then: refused, nothing written; their own district's is accepted
    assert list(refused.value.message_dict) == ["area_code"]
    assert (Fund.objects.count(), ObjectChange.objects.count()) == before
    assert services.fund_create(name="กองทุน", owner="อบต.", area_code="920201", actor=district_neighbour_manager).pk
