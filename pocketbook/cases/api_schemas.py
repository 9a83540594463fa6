"""The cases API's schemas: what each endpoint takes and answers, and how a record becomes its answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from pocketbook.cases.models import Agency, Assistance, Case, Need, PlanItem, Referral
from pocketbook.core.api import MAX_OFFSET
from pocketbook.core.api_types import ApiDate, ApiId, ApiPlanDate


class Page(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CaseFiltersIn(Page):
    status: str = Field("", description="open, helped, self_resolved or closed")
    stage: str = Field("", description="new, plan, referred, assisting, follow_up or closed")
    area_code: str = Field("", max_length=8, description="Only households whose area code starts with this")
    worker: str = Field("", description='"me", or a user id')
    village: str = Field(
        "", max_length=60, description='A village of your areas: part of its name, its number ("หมู่ 3") or an area code'
    )


class CaseOut(Schema):
    id: int
    household_id: int
    member_id: int | None
    title: str
    status: str
    outcome: str
    stage: str
    worker_id: int | None
    volunteer_id: int | None
    incident_id: int | None
    opened_on: dt.date
    closed_at: dt.datetime | None
    attention_on: dt.date | None
    is_overdue: bool


class CaseIn(Schema):
    household_id: ApiId
    title: str = Field(..., max_length=200)
    need_ids: list[ApiId] = Field([], max_length=200)
    incident_id: ApiId | None = None


class CaseCloseIn(Schema):
    status: str = Field(..., description="helped, self_resolved or closed")
    outcome: str = Field("", description="with closed: moved_away, died, refused or other")
    note: str = Field("", max_length=500)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=500)


class NeedOut(Schema):
    id: int
    household_id: int
    case_id: int | None
    source: str
    status: str
    dimension: str
    indicator_code: str
    text: str
    suggested_help: str
    met_on: dt.date | None


class NeedIn(Schema):
    household_id: ApiId
    description: str = Field(..., max_length=400)
    dimension: str = ""
    case_id: ApiId | None = None


class PlanItemOut(Schema):
    id: int
    case_id: int
    need_id: int | None
    action: str
    agency_id: int | None
    due_on: dt.date | None
    status: str
    version: int


class PlanItemIn(Schema):
    action: str = Field(..., max_length=300)
    need_id: ApiId | None = None
    agency_id: ApiId | None = None
    due_on: ApiPlanDate | None = None


class PlanItemPatch(Schema):
    version: int = Field(..., description="The version you read; a newer one answers 409 and changes nothing")
    action: str | None = Field(None, max_length=300)
    agency_id: ApiId | None = None
    due_on: ApiPlanDate | None = None
    status: str | None = None


class ReferralOut(Schema):
    id: int
    case_id: int
    need_id: int | None
    agency_id: int
    request: str
    status: str
    sent_at: dt.datetime
    answer_due_on: dt.date
    is_overdue: bool
    answered_at: dt.datetime | None
    decline_reason: str
    agency_note: str
    consent_override_reason: str


class ReferralIn(Schema):
    case_id: ApiId
    agency_id: ApiId
    request: str = Field(..., max_length=2000)
    need_id: ApiId | None = None
    consent_override_reason: str = Field("", max_length=500)
    confirm_outside_area: bool = False


class ReferralAnswerIn(Schema):
    status: str = Field(..., description="accepted, declined or done")
    answered_by_name: str = Field(..., max_length=200)
    reason: str = Field("", max_length=500)
    note: str = Field("", max_length=2000)


class AgencyOut(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    address: str
    services: list[str]
    area_codes: list[str]
    contacts: list[dict[str, str]]


class BudgetOut(Schema):
    fund_id: int
    fund: str
    fiscal_year: int
    budget: Decimal
    used: Decimal
    remaining: Decimal


class AssistanceOut(Schema):
    id: int
    household_id: int
    case_id: int | None
    member_id: int | None
    kind: str
    description: str
    amount: Decimal | None = Field(description="null when your role may not see amounts")
    fund_id: int | None
    fiscal_year: int
    given_on: dt.date
    reverses_id: int | None


class AssistanceIn(Schema):
    household_id: ApiId
    kind: str
    amount: str = Field(..., max_length=20, description="baht, at most two decimals", examples=["1500.00"])
    given_on: ApiDate
    fund_id: ApiId | None = None
    case_id: ApiId | None = None
    description: str = Field("", max_length=300)


def case_out(case: Case) -> CaseOut:
    return CaseOut(
        id=case.pk,
        household_id=case.household_id,
        member_id=case.member_id,
        title=case.title,
        status=case.status,
        outcome=case.outcome,
        stage=case.stage,
        worker_id=case.worker_id,
        volunteer_id=case.volunteer_id,
        incident_id=case.incident_id,
        opened_on=case.opened_on,
        closed_at=case.closed_at,
        attention_on=case.attention_on,
        is_overdue=case.is_overdue(),
    )


def need_out(need: Need) -> NeedOut:
    return NeedOut(
        id=need.pk,
        household_id=need.household_id,
        case_id=need.case_id,
        source=need.source,
        status=need.status,
        dimension=need.dimension,
        indicator_code=need.indicator_code,
        text=need.text,
        suggested_help=need.suggested_help,
        met_on=need.met_on,
    )


def plan_item_out(item: PlanItem) -> PlanItemOut:
    return PlanItemOut(
        id=item.pk,
        case_id=item.case_id,
        need_id=item.need_id,
        action=item.action,
        agency_id=item.agency_id,
        due_on=item.due_on,
        status=item.status,
        version=item.version,
    )


def referral_out(referral: Referral) -> ReferralOut:
    return ReferralOut(
        id=referral.pk,
        case_id=referral.case_id,
        need_id=referral.need_id,
        agency_id=referral.agency_id,
        request=referral.request,
        status=referral.status,
        sent_at=referral.sent_at,
        answer_due_on=referral.answer_due_on,
        is_overdue=referral.is_overdue(),
        answered_at=referral.answered_at,
        decline_reason=referral.decline_reason,
        agency_note=referral.agency_note,
        consent_override_reason=referral.consent_override_reason,
    )


def agency_out(agency: Agency) -> AgencyOut:
    return AgencyOut(
        id=agency.pk,
        name=agency.name,
        name_en=agency.name_en,
        kind=agency.kind,
        address=agency.address,
        services=[s.service for s in agency.services.all()],
        area_codes=[a.area_code for a in agency.areas.all()],
        contacts=[{"kind": c.kind, "value": c.value, "person": c.person} for c in agency.contacts.all()],
    )


def assistance_out(entry: Assistance, *, amounts: bool) -> AssistanceOut:
    return AssistanceOut(
        id=entry.pk,
        household_id=entry.household_id,
        case_id=entry.case_id,
        member_id=entry.member_id,
        kind=entry.kind,
        description=entry.description,
        amount=entry.amount if amounts else None,
        fund_id=entry.fund_id,
        fiscal_year=entry.fiscal_year,
        given_on=entry.given_on,
        reverses_id=entry.reverses_id,
    )
