"""The services of cases: needs, cases, plan, referrals, funds and assistance, follow-up; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pocketbook.audit.models import ObjectChange
from pocketbook.cases import services
from pocketbook.cases.models import Assistance, Case, CaseEvent, Need, PlanItem, Referral
from pocketbook.cases.tests.factories import AgencyFactory, make_assessment
from pocketbook.households.models import Consent, HouseholdEvent
from pocketbook.households.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_a_failed_indicator_becomes_one_suggested_need_and_is_not_suggested_again(failing_household):
    # when needs are suggested twice for the same standing failure
    first = services.needs_suggest_for_households([failing_household.pk])
    second = services.needs_suggest_for_households([failing_household.pk])
    # then one need, suggested once
    need = Need.objects.get(household=failing_household)
    assert (first.suggested, second.suggested) == (1, 0)
    assert (need.indicator_code, need.dimension, need.status, need.source) == (
        "bmn-04",
        "health",
        "suggested",
        "assessment",
    )
    assert need.indicator.code == "bmn-04"
    assert need.suggested_help.startswith("Food-safety") or need.suggested_help.startswith("ให้ความรู้")


def test_a_dismissed_need_is_not_suggested_again_while_the_failure_stands(failing_household, social_worker):
    services.needs_suggest_for_households([failing_household.pk])
    need = Need.objects.get(household=failing_household)
    services.need_dismiss(need=need, reason="ครัวเรือนปรับปรุงแล้ว", actor=social_worker)
    make_assessment(failing_household, {"bmn-04": ("health", "fail")})
    report = services.needs_suggest_for_households([failing_household.pk])
    assert report.suggested == 0
    assert Need.objects.filter(household=failing_household).count() == 1


def test_a_need_whose_indicator_passes_later_is_met_at_that_assessment(failing_household):
    services.needs_suggest_for_households([failing_household.pk])
    later = make_assessment(failing_household, {"bmn-04": ("health", "pass")}, on=TODAY())
    report = services.needs_suggest_for_households([failing_household.pk])
    need = Need.objects.get(household=failing_household)
    assert (report.met, need.status, need.met_assessment_id, need.met_on) == (1, "met", later.pk, TODAY())
    # and a new failure after that is a new need
    make_assessment(failing_household, {"bmn-04": ("health", "fail")}, on=TODAY())
    assert services.needs_suggest_for_households([failing_household.pk]).suggested == 1


def test_dismissing_needs_a_reason_and_writes_nothing_without(failing_household, social_worker):
    services.needs_suggest_for_households([failing_household.pk])
    need = Need.objects.get(household=failing_household)
    with pytest.raises(ValidationError) as error:
        services.need_dismiss(need=need, reason="  ", actor=social_worker)
    assert error.value.message_dict == {"reason": ["Reason is required."]}
    need.refresh_from_db()
    assert need.status == "suggested"


def test_open_a_case_with_needs_writes_timeline_household_timeline_and_audit(failing_household, social_worker):
    services.needs_suggest_for_households([failing_household.pk])
    need = Need.objects.get(household=failing_household)
    case = services.case_open(household=failing_household, title="อาหารไม่ปลอดภัย", needs=[need], actor=social_worker)
    need.refresh_from_db()
    assert (case.status, case.stage, case.worker, case.volunteer) == (
        "open",
        "new",
        social_worker,
        failing_household.volunteer,
    )
    assert (need.case, need.status) == (case, "accepted")
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == ["opened"]
    assert HouseholdEvent.objects.get(household=failing_household, kind="case_opened").params["case_id"] == case.pk
    assert (
        ObjectChange.objects.filter(content_type__model="case", object_id=str(case.pk), action="create").count() == 1
    )
    assert case.attention_on == TODAY() + dt.timedelta(days=30)


def test_one_open_case_per_household(household, social_worker):
    services.case_open(household=household, title="หนึ่ง", actor=social_worker)
    with pytest.raises(ValidationError) as error:
        services.case_open(household=household, title="สอง", actor=social_worker)
    assert error.value.message_dict == {"household": ["This household already has an open case."]}
    assert Case.objects.count() == 1


def test_wrong_role_and_wrong_area_are_refused_and_write_nothing(household, analyst, other_province_worker, volunteer):
    for actor in (analyst, other_province_worker, volunteer):
        with pytest.raises(PermissionDenied):
            services.case_open(household=household, title="x", actor=actor)
    assert Case.objects.count() == 0
    assert ObjectChange.objects.filter(content_type__model="case").count() == 0


def test_closing_with_open_plan_items_asks_for_a_reason_and_reopening_is_recorded(household, social_worker):
    case = services.case_open(household=household, title="ซ่อมบ้าน", actor=social_worker)
    services.plan_item_add(case=case, action="ประสาน อบต.", due_on=TODAY(), actor=social_worker)
    with pytest.raises(ValidationError) as error:
        services.case_close(case=case, status="helped", actor=social_worker)
    assert error.value.message_dict == {"note": ["1 plan items are still open: say why the case closes anyway."]}
    case.refresh_from_db()
    assert case.status == "open"
    services.case_close(case=case, status="helped", note="ได้รับการช่วยเหลือครบ", actor=social_worker)
    case.refresh_from_db()
    assert (case.status, case.stage, case.attention_on) == ("helped", "closed", None)
    services.case_reopen(case=case, reason="ปัญหากลับมา", actor=social_worker)
    case.refresh_from_db()
    assert (case.status, case.stage) == ("open", "plan")
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds == ["opened", "plan_item_added", "closed", "reopened"]


def test_closed_needs_an_outcome(household, social_worker):
    case = services.case_open(household=household, title="x", actor=social_worker)
    with pytest.raises(ValidationError) as error:
        services.case_close(case=case, status="closed", actor=social_worker)
    assert list(error.value.message_dict) == ["outcome"]
    services.case_close(case=case, status="closed", outcome="moved_away", actor=social_worker)
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "moved_away")


def test_plan_item_optimistic_locking_refuses_the_second_stale_save(household, social_worker, manager):
    case = services.case_open(household=household, title="x", actor=social_worker)
    item = services.plan_item_add(case=case, action="เยี่ยมบ้าน", actor=social_worker)
    first = PlanItem.objects.get(pk=item.pk)
    second = PlanItem.objects.get(pk=item.pk)
    services.plan_item_update(item=first, version=1, status="in_progress", actor=social_worker)
    with pytest.raises(services.PlanItemConflict) as conflict:
        services.plan_item_update(item=second, version=1, action="อย่างอื่น", actor=manager)
    item.refresh_from_db()
    assert (item.action, item.status, item.version) == ("เยี่ยมบ้าน", "in_progress", 2)
    assert conflict.value.current.version == 2


def test_referral_needs_consent_or_an_override_reason(household, social_worker, agency):
    Consent.objects.filter(household=household).update(purposes=["pocketbook"])
    case = services.case_open(household=household, title="x", actor=social_worker)
    with pytest.raises(ValidationError) as error:
        services.referral_create(case=case, agency=agency, request="ตรวจสุขภาพ", actor=social_worker)
    assert list(error.value.message_dict) == ["consent_override_reason"]
    assert Referral.objects.count() == 0
    referral = services.referral_create(
        case=case,
        agency=agency,
        request="ตรวจสุขภาพ",
        consent_override_reason="ผู้สูงอายุป่วยหนัก เร่งด่วน",
        actor=social_worker,
    )
    assert referral.consent_override_reason == "ผู้สูงอายุป่วยหนัก เร่งด่วน"
    assert ObjectChange.objects.get(content_type__model="referral").after["consent_override_reason"] == (
        "ผู้สูงอายุป่วยหนัก เร่งด่วน"
    )


def test_referral_to_an_agency_outside_the_area_warns_first(household, social_worker):
    far = AgencyFactory(areas=["50"])
    case = services.case_open(household=household, title="x", actor=social_worker)
    with pytest.raises(ValidationError) as error:
        services.referral_create(case=case, agency=far, request="ช่วย", actor=social_worker)
    assert list(error.value.message_dict) == ["confirm_outside_area"]
    referral = services.referral_create(
        case=case, agency=far, request="ช่วย", confirm_outside_area=True, actor=social_worker
    )
    assert referral.outside_area_confirmed is True


def test_referral_answers_follow_the_workflow(household, social_worker, agency):
    case = services.case_open(household=household, title="x", actor=social_worker)
    referral = services.referral_create(case=case, agency=agency, request="ตรวจ", actor=social_worker)
    case.refresh_from_db()
    assert (case.stage, case.attention_on) == ("referred", TODAY() + dt.timedelta(days=14))
    with pytest.raises(ValidationError) as error:
        services.referral_answer(referral=referral, status="declined", answered_by_name="พยาบาล")
    assert list(error.value.message_dict) == ["reason"]
    services.referral_answer(referral=referral, status="accepted", answered_by_name="พยาบาลวิชาชีพ")
    services.referral_answer(referral=referral, status="done", answered_by_name="พยาบาลวิชาชีพ", note="ตรวจแล้ว")
    referral.refresh_from_db()
    assert (referral.status, referral.agency_note) == ("done", "ตรวจแล้ว")
    with pytest.raises(ValidationError):
        services.referral_answer(referral=referral, status="accepted", answered_by_name="x")


def test_assistance_beyond_the_remaining_budget_is_refused_with_the_figures(household, social_worker, fund):
    case = services.case_open(household=household, title="x", actor=social_worker)
    services.assistance_record(
        household=household,
        case=case,
        kind="cash_grant",
        amount="7,000",
        fund=fund,
        given_on=TODAY(),
        actor=social_worker,
    )
    with pytest.raises(ValidationError) as error:
        services.assistance_record(
            household=household,
            case=case,
            kind="cash_grant",
            amount="3000.01",
            fund=fund,
            given_on=TODAY(),
            actor=social_worker,
        )
    message = error.value.message_dict["amount"][0]
    assert (
        "10,000.00" in message and "7,000.00" in message and "3,000.00 remaining" in message and "3,000.01" in message
    )
    assert Assistance.objects.count() == 1


def test_reversal_is_a_counter_entry_that_frees_the_budget(household, social_worker, fund):
    entry = services.assistance_record(
        household=household, kind="goods", amount="10000", fund=fund, given_on=TODAY(), actor=social_worker
    )
    counter = services.assistance_reverse(assistance=entry, reason="บันทึกผิดครัวเรือน", actor=social_worker)
    assert (counter.amount, counter.reverses, counter.fiscal_year) == (Decimal("-10000.00"), entry, entry.fiscal_year)
    assert services.fund_used(fund=fund, fiscal_year=entry.fiscal_year) == Decimal("0")
    with pytest.raises(ValidationError):
        services.assistance_reverse(assistance=entry, reason="again", actor=social_worker)
    with pytest.raises(ValidationError):
        services.assistance_reverse(assistance=counter, reason="again", actor=social_worker)
    assert Assistance.objects.count() == 2


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "Write the amount in baht as a number, for example 1500 or 1500.50."),
        ("-5", "The amount must be more than 0 baht."),
        ("0", "The amount must be more than 0 baht."),
        ("1.005", "The amount may have at most two decimals (satang)."),
        ("NaN", "Write the amount in baht as a number, for example 1500 or 1500.50."),
        ("1e400", "Write the amount in baht as a number, for example 1500 or 1500.50."),
        ("5,00", "Write the amount in baht as a number, for example 1500 or 1500.50."),
        ("12345678901", "The amount is too large."),
    ],
)
def test_bad_amounts_are_refused_naming_the_field(household, social_worker, amount, message):
    with pytest.raises(ValidationError) as error:
        services.assistance_record(
            household=household, kind="goods", amount=amount, given_on=TODAY(), actor=social_worker
        )
    assert error.value.message_dict == {"amount": [message]}
    assert Assistance.objects.count() == 0


@pytest.mark.parametrize("typed", ["5000", "5,000", "5000.00", "๕๐๐๐", "๕,๐๐๐", " 5 000 "])
def test_amounts_are_read_as_thai_users_write_them(household, social_worker, typed):
    # when an amount is recorded as the worker typed it
    entry = services.assistance_record(
        household=household, kind="goods", amount=typed, given_on=TODAY(), actor=social_worker
    )
    # then it is 5000 baht
    assert entry.amount == Decimal("5000.00")


def test_follow_up_moves_the_case_to_follow_up_and_sets_the_next_attention(household, social_worker):
    case = services.case_open(household=household, title="x", actor=social_worker)
    services.followup_record(
        case=case, visited_on=TODAY(), note="ดีขึ้น", next_visit_on=TODAY() + dt.timedelta(days=5), actor=social_worker
    )
    case.refresh_from_db()
    assert (case.stage, case.attention_on, case.last_contact_on) == (
        "follow_up",
        TODAY() + dt.timedelta(days=5),
        TODAY(),
    )
    with pytest.raises(ValidationError) as error:
        services.followup_record(case=case, visited_on=TODAY() + dt.timedelta(days=1), note="x", actor=social_worker)
    assert list(error.value.message_dict) == ["visited_on"]


def test_volunteer_sees_only_the_cases_of_own_households(household, social_worker, volunteer):
    mine = services.case_open(household=household, title="x", actor=social_worker)
    other = services.case_open(household=HouseholdFactory(), title="y", actor=social_worker)
    assert list(Case.objects.for_user(volunteer)) == [mine]
    assert set(Case.objects.for_user(social_worker)) == {mine, other}


def test_budget_cannot_go_below_what_was_given(household, social_worker, manager, fund):
    entry = services.assistance_record(
        household=household, kind="goods", amount="500", fund=fund, given_on=TODAY(), actor=social_worker
    )
    with pytest.raises(ValidationError) as error:
        services.fund_budget_set(fund=fund, fiscal_year=entry.fiscal_year, amount="100", actor=manager)
    assert list(error.value.message_dict) == ["amount"]
    with pytest.raises(PermissionDenied):
        services.fund_budget_set(fund=fund, fiscal_year=entry.fiscal_year, amount="100", actor=social_worker)
