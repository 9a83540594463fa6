"""Demo data of cases: Trang's agencies, the provincial welfare fund with budgets for 2566–2569, and cases in every
state for the demo households, with referrals (some answered through the reply link) and assistance.

Idempotent: agencies are keyed, the fund is looked up by name, and cases are made only when the province has none.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from pocketbook.accounts.models import User
from pocketbook.accounts.roles import Role
from pocketbook.core.demo import DemoContext
from pocketbook.households.models import Household

from . import services
from .agencies_csv import agencies_load
from .choices import CaseStatus, ReplyAction
from .models import Agency, Case, Fund, FundBudget, Need, Referral, ReferralLinkUse

AGENCIES_FILE = Path(__file__).resolve().parent / "data" / "agencies_trang.csv"
FUND_NAME = "กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง"
BUDGETS = {2566: Decimal("1500000"), 2567: Decimal("1800000"), 2568: Decimal("2000000"), 2569: Decimal("2000000")}

# The states the demo shows, one case each, in this order over the households that have needs.
SCENARIOS = (
    "new",
    "plan",
    "referred",
    "accepted_by_link",
    "declined_by_link",
    "assisting",
    "follow_up",
    "helped",
    "self_resolved",
    "moved_away",
    "died",
    "refused",
)


def seed(context: DemoContext) -> None:
    """Add agencies, the provincial fund and its budgets, suggested needs and cases in every state."""
    admin = context.users.get(Role.ADMINISTRATOR.value)
    worker = context.users.get(Role.SOCIAL_WORKER.value)
    manager = context.users.get(Role.MANAGER.value)
    if admin is None or worker is None or manager is None:
        context.write("cases: the demo needs the administrator, social worker and manager; skipped.")
        return
    report = agencies_load(text=AGENCIES_FILE.read_text(encoding="utf-8"), actor=admin)
    fund = _fund(context.province_code, manager)
    households = list(
        Household.objects.filter(area_code__startswith=context.province_code).values_list("id", flat=True)
    )
    suggested = services.needs_suggest_for_households(households)
    made = 0
    if not Case.objects.filter(household__area_code__startswith=context.province_code).exists():
        made = _cases(worker, fund)
    context.write(
        f"cases: {report.created + report.updated} agencies, fund with budgets {min(BUDGETS)}–{max(BUDGETS)}, "
        f"{suggested.suggested} needs suggested, {made} cases."
    )


def _fund(province_code: str, manager: User) -> Fund:
    fund = Fund.objects.filter(name=FUND_NAME).first()
    if fund is None:
        fund = services.fund_create(
            name=FUND_NAME, owner="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตรัง", area_code=province_code, actor=manager
        )
    for year, amount in BUDGETS.items():
        if not FundBudget.objects.filter(fund=fund, fiscal_year=year).exists():
            services.fund_budget_set(fund=fund, fiscal_year=year, amount=amount, actor=manager)
    return fund


def _cases(worker: User, fund: Fund) -> int:
    """One case per scenario, on households of the worker's areas that have suggested needs."""
    area = worker.area_codes()[0]
    household_ids = list(
        Need.objects.filter(household__area_code__startswith=area, case__isnull=True, status="suggested")
        .values_list("household_id", flat=True)
        .distinct()
        .order_by("household_id")[: len(SCENARIOS)]
    )
    if len(household_ids) < len(SCENARIOS):
        household_ids += list(
            Household.objects.filter(area_code__startswith=area)
            .exclude(pk__in=household_ids)
            .values_list("id", flat=True)
            .order_by("id")[: len(SCENARIOS) - len(household_ids)]
        )
    agencies = {agency.key: agency for agency in Agency.objects.filter(key__gt="")}
    hospital = agencies.get("trang-hospital") or Agency.objects.first()
    today = timezone.localdate()
    made = 0
    for scenario, household_id in zip(SCENARIOS, household_ids, strict=False):
        household = Household.objects.get(pk=household_id)
        needs = list(Need.objects.filter(household=household, case__isnull=True, status="suggested")[:2])
        title = needs[0].text[:200] if needs else "ดูแลความเป็นอยู่ของครัวเรือน"
        case = services.case_open(household=household, title=title, needs=needs, actor=worker)
        made += 1
        if scenario == "new":
            continue
        need = needs[0] if needs else None
        services.plan_item_add(
            case=case,
            need=need,
            action="เยี่ยมบ้านและประเมินความต้องการ",
            actor=worker,
            due_on=today + dt.timedelta(days=3 if scenario == "plan" else -2),
        )
        if scenario == "plan":
            continue
        # No agency loaded (the directory is loaded before the demo): the case stays without a referral.
        if hospital is not None and scenario in ("referred", "accepted_by_link", "declined_by_link", "helped"):
            referral = services.referral_create(
                case=case,
                agency=hospital,
                need=need,
                request="ขอรับการตรวจสุขภาพและคำแนะนำ",
                actor=worker,
                consent_override_reason="" if services.household_consents_to_sharing(household) else "กรณีจำเป็นเร่งด่วน",
                confirm_outside_area=True,
            )
            _answer_by_link(referral, scenario)
        if scenario in ("assisting", "follow_up", "helped"):
            services.assistance_record(
                household=household,
                case=case,
                kind="cash_grant",
                amount="3000",
                fund=fund,
                given_on=_in_budget_years(today),
                description="เงินสงเคราะห์ครอบครัว",
                actor=worker,
            )
        if scenario in ("follow_up", "helped", "self_resolved"):
            services.followup_record(
                case=case,
                visited_on=today,
                note="ครอบครัวมีความเป็นอยู่ดีขึ้น",
                next_visit_on=today + dt.timedelta(days=5),
                actor=worker,
            )
        if scenario in ("helped", "self_resolved"):
            services.case_close(case=case, status=scenario, note="ดำเนินการตามแผนครบ", actor=worker)
        elif scenario in ("moved_away", "died", "refused"):
            services.case_close(
                case=case, status=CaseStatus.CLOSED, outcome=scenario, note="ปิดตามสถานการณ์", actor=worker
            )
    return made


def _in_budget_years(today: dt.date) -> dt.date:
    """A date inside the last budgeted fiscal year (which ends on 30 September, BE year - 543)."""
    return min(today, dt.date(max(BUDGETS) - 543, 9, 30))


def _answer_by_link(referral: Referral, scenario: str) -> None:
    """Answer as the agency does through the QR link (no user), and log the use as the reply page would."""
    answers = {
        "accepted_by_link": [("accepted", "", "")],
        "declined_by_link": [("declined", "อยู่นอกเขตบริการของหน่วยงาน", "")],
        "helped": [("accepted", "", ""), ("done", "", "ตรวจสุขภาพและให้ยาแล้ว")],
    }
    for status, reason, note in answers.get(scenario, []):
        services.referral_answer(
            referral=referral, status=status, answered_by_name="พยาบาลวิชาชีพ สมใจ", reason=reason, note=note
        )
        ReferralLinkUse.objects.create(referral=referral, action=ReplyAction.ANSWERED, detail=f"{status} (demo)")
