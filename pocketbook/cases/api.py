"""Cases over the API: /cases, /needs, /referrals, /agencies, /funds, /assistance; area-scoped like the pages.

Assistance amounts are null for roles that may not see them (volunteers).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja.errors import HttpError

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.cases.api_schemas import (
    AgencyOut,
    AssistanceIn,
    AssistanceOut,
    BudgetOut,
    CaseCloseIn,
    CaseFiltersIn,
    CaseIn,
    CaseOut,
    NeedIn,
    NeedOut,
    Page,
    PlanItemIn,
    PlanItemOut,
    PlanItemPatch,
    ReasonIn,
    ReferralAnswerIn,
    ReferralIn,
    ReferralOut,
    agency_out,
    assistance_out,
    case_out,
    need_out,
    plan_item_out,
    referral_out,
)
from pocketbook.core.api import require_permission
from pocketbook.core.patch import patch_merge
from pocketbook.households.models import Household
from pocketbook.incidents.models import Incident

from . import selectors, services
from .models import Agency, Case, Fund, Need

router = Router(tags=["cases"])


def _scoped(model: Any, request: HttpRequest, pk: int | None, action: str = "view") -> Any:
    if pk is None:
        return None
    return get_object_or_404(model.objects.for_user(request.user, action), pk=pk)


# --- cases ------------------------------------------------------------------------------------


@router.get("/cases", response=list[CaseOut], summary="Cases in your areas, needing attention first")
def case_list(request: AuthenticatedHttpRequest, filters: Query[CaseFiltersIn]):
    require_permission(request, "cases.view_case")
    found = selectors.case_list(
        viewer=request.user,
        filters=selectors.CaseFilters(
            status=filters.status,
            stage=filters.stage,
            area_code=filters.area_code,
            worker=filters.worker,
            village=filters.village,
        ),
    )
    return [case_out(case) for case in found[filters.offset : filters.offset + filters.limit]]


@router.get("/cases/{case_id}", response=CaseOut, summary="One case")
def case_detail(request: AuthenticatedHttpRequest, case_id: int):
    return case_out(selectors.case_get(viewer=request.user, pk=case_id))


@router.post("/cases", response={201: CaseOut}, summary="Open a case for a household")
def case_open(request: AuthenticatedHttpRequest, payload: CaseIn):
    require_permission(request, "cases.add_case")
    household = _scoped(Household, request, payload.household_id)
    needs = list(Need.objects.for_user(request.user, "view").filter(pk__in=payload.need_ids, household=household))
    if len(needs) != len(set(payload.need_ids)):
        raise ValidationError(
            {"need_ids": _("One of these needs is not a need of this household, or is not yours to see.")}
        )
    incident = _scoped(Incident, request, payload.incident_id)
    case = services.case_open(
        household=household, title=payload.title, needs=needs, incident=incident, actor=request.user
    )
    return Status(201, case_out(case))


@router.post("/cases/{case_id}/close", response=CaseOut, summary="Close a case")
def case_close(request: AuthenticatedHttpRequest, case_id: int, payload: CaseCloseIn):
    case = selectors.case_get(viewer=request.user, pk=case_id, action="change")
    return case_out(
        services.case_close(
            case=case, status=payload.status, outcome=payload.outcome, note=payload.note, actor=request.user
        )
    )


@router.post("/cases/{case_id}/reopen", response=CaseOut, summary="Re-open a closed case")
def case_reopen(request: AuthenticatedHttpRequest, case_id: int, payload: ReasonIn):
    case = selectors.case_get(viewer=request.user, pk=case_id, action="change")
    return case_out(services.case_reopen(case=case, reason=payload.reason, actor=request.user))


@router.get("/cases/{case_id}/plan", response=list[PlanItemOut], summary="A case's plan")
def plan_list(request: AuthenticatedHttpRequest, case_id: int):
    case = selectors.case_get(viewer=request.user, pk=case_id)
    return [plan_item_out(item) for item in case.plan_items.all()]


@router.post("/cases/{case_id}/plan", response={201: PlanItemOut}, summary="Add a plan item")
def plan_item_add(request: AuthenticatedHttpRequest, case_id: int, payload: PlanItemIn):
    case = selectors.case_get(viewer=request.user, pk=case_id, action="change")
    item = services.plan_item_add(
        case=case,
        action=payload.action,
        need=_scoped(Need, request, payload.need_id),
        agency=_scoped_agency(payload.agency_id),
        due_on=payload.due_on,
        actor=request.user,
    )
    return Status(201, plan_item_out(item))


def _scoped_agency(pk: int | None) -> Agency | None:
    return None if pk is None else get_object_or_404(Agency, pk=pk)


@router.patch("/plan-items/{item_id}", response=PlanItemOut, summary="Change a plan item (optimistic locking)")
def plan_item_update(request: AuthenticatedHttpRequest, item_id: int, payload: PlanItemPatch):
    item = selectors.plan_item_get(viewer=request.user, pk=item_id, action="change")
    sent = payload.dict(exclude_unset=True)
    if "agency_id" in sent:
        sent["agency"] = _scoped_agency(sent.pop("agency_id"))
    data = patch_merge(services.PlanItemInput.from_item(item), sent, nullable=("agency", "due_on"))
    # The service is told only the fields the request set, and names them on the case's timeline.
    changes = {name: getattr(data, name) for name in services.PLAN_ITEM_FIELDS if name in sent}
    try:
        item = services.plan_item_update(item=item, version=payload.version, actor=request.user, **changes)
    except services.PlanItemConflict as conflict:
        raise HttpError(409, str(conflict)) from None
    return plan_item_out(item)


# --- needs ------------------------------------------------------------------------------------


@router.get("/needs", response=list[NeedOut], summary="Standing needs of a household")
def need_list(request: AuthenticatedHttpRequest, household_id: int):
    require_permission(request, "cases.view_need")
    household = _scoped(Household, request, household_id)
    return [need_out(need) for need in selectors.household_needs(viewer=request.user, household=household)]


@router.post("/needs", response={201: NeedOut}, summary="Add a need by hand")
def need_add(request: AuthenticatedHttpRequest, payload: NeedIn):
    require_permission(request, "cases.add_need")
    household = _scoped(Household, request, payload.household_id)
    case = _scoped(Case, request, payload.case_id, "change")
    need = services.need_add(
        household=household,
        description=payload.description,
        dimension=payload.dimension,
        case=case,
        actor=request.user,
    )
    return Status(201, need_out(need))


@router.post("/needs/{need_id}/dismiss", response=NeedOut, summary="Dismiss a suggested need")
def need_dismiss(request: AuthenticatedHttpRequest, need_id: int, payload: ReasonIn):
    need = selectors.need_get(viewer=request.user, pk=need_id, action="change")
    return need_out(services.need_dismiss(need=need, reason=payload.reason, actor=request.user))


# --- referrals --------------------------------------------------------------------------------


@router.get("/referrals", response=list[ReferralOut], summary="Referrals of a case")
def referral_list(request: AuthenticatedHttpRequest, case_id: int):
    case = selectors.case_get(viewer=request.user, pk=case_id)
    require_permission(request, "cases.view_referral")
    return [referral_out(referral) for referral in case.referrals.all()]


@router.post("/referrals", response={201: ReferralOut}, summary="Refer a case to an agency")
def referral_create(request: AuthenticatedHttpRequest, payload: ReferralIn):
    case = selectors.case_get(viewer=request.user, pk=payload.case_id, action="change")
    referral = services.referral_create(
        case=case,
        agency=get_object_or_404(Agency, pk=payload.agency_id),
        request=payload.request,
        need=_scoped(Need, request, payload.need_id),
        consent_override_reason=payload.consent_override_reason,
        confirm_outside_area=payload.confirm_outside_area,
        actor=request.user,
    )
    return Status(201, referral_out(referral))


@router.post("/referrals/{referral_id}/answer", response=ReferralOut, summary="Record an agency's answer")
def referral_answer(request: AuthenticatedHttpRequest, referral_id: int, payload: ReferralAnswerIn):
    referral = selectors.referral_get(viewer=request.user, pk=referral_id, action="change")
    return referral_out(
        services.referral_answer(
            referral=referral,
            status=payload.status,
            answered_by_name=payload.answered_by_name,
            reason=payload.reason,
            note=payload.note,
            actor=request.user,
        )
    )


@router.post("/referrals/{referral_id}/revoke", response=ReferralOut, summary="Revoke a referral")
def referral_revoke(request: AuthenticatedHttpRequest, referral_id: int, payload: ReasonIn):
    referral = selectors.referral_get(viewer=request.user, pk=referral_id, action="change")
    return referral_out(services.referral_revoke(referral=referral, reason=payload.reason, actor=request.user))


# --- directory, funds, assistance -------------------------------------------------------------


class AgencyFilters(Page):
    q: str = Field("", max_length=100, description="Thai or English; spaces are ignored")
    service: str = ""
    area_code: str = Field("", max_length=8)


@router.get("/agencies", response=list[AgencyOut], summary="Search the agency directory")
def agency_list(request: AuthenticatedHttpRequest, filters: Query[AgencyFilters]):
    require_permission(request, "cases.view_agency")
    found = selectors.agency_search(text=filters.q, service=filters.service, area_code=filters.area_code)
    return [agency_out(agency) for agency in found[filters.offset : filters.offset + filters.limit]]


@router.get("/funds", response=list[BudgetOut], summary="Funds: budget, given and remaining per fiscal year")
def fund_list(request: AuthenticatedHttpRequest):
    require_permission(request, "cases.view_fund")
    return [
        BudgetOut(
            fund_id=line.fund.pk,
            fund=line.fund.name,
            fiscal_year=line.fiscal_year,
            budget=line.budget,
            used=line.used,
            remaining=line.remaining,
        )
        for line in selectors.fund_totals(viewer=request.user)
    ]


@router.get("/assistance", response=list[AssistanceOut], summary="Assistance a household received")
def assistance_list(request: AuthenticatedHttpRequest, household_id: int):
    require_permission(request, "cases.view_assistance")
    household = _scoped(Household, request, household_id)
    rows, _total = selectors.household_assistance(viewer=request.user, household=household)
    amounts = request.user.has_perm("cases.view_assistance_amount")
    return [assistance_out(entry, amounts=amounts) for entry in rows]


@router.post("/assistance", response={201: AssistanceOut}, summary="Record assistance (within the fund's budget)")
def assistance_record(request: AuthenticatedHttpRequest, payload: AssistanceIn):
    require_permission(request, "cases.add_assistance")
    household = _scoped(Household, request, payload.household_id)

    entry = services.assistance_record(
        household=household,
        kind=payload.kind,
        amount=payload.amount,
        given_on=payload.given_on,
        fund=_scoped(Fund, request, payload.fund_id),
        case=_scoped(Case, request, payload.case_id, "change"),
        description=payload.description,
        actor=request.user,
    )
    return Status(201, assistance_out(entry, amounts=True))


@router.post("/assistance/{assistance_id}/reverse", response={201: AssistanceOut}, summary="Reverse an entry")
def assistance_reverse(request: AuthenticatedHttpRequest, assistance_id: int, payload: ReasonIn):
    entry = selectors.assistance_get(viewer=request.user, pk=assistance_id, action="change")
    counter = services.assistance_reverse(assistance=entry, reason=payload.reason, actor=request.user)
    return Status(201, assistance_out(counter, amounts=True))
