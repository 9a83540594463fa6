"""Indicator sets (reference data) and assessments (area-scoped through the household) for API clients."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from pocketbook.accounts.http import AnyUser, AuthenticatedHttpRequest
from pocketbook.assessments import selectors, services
from pocketbook.assessments.messages import PROGRESS_WORDS, STATUS_WORDS
from pocketbook.assessments.models import Assessment, IndicatorSet
from pocketbook.core.api import MAX_OFFSET, ObjectBody, require_permission
from pocketbook.core.api_types import ApiDate, ApiId, ApiLatitude, ApiLongitude
from pocketbook.households.selectors import household_get

router = Router(tags=["assessments"])


class DimensionOut(Schema):
    key: str
    name_th: str
    name_en: str


class IndicatorOut(Schema):
    code: str
    number: int
    dimension: str
    text_th: str
    text_en: str
    applies_to_th: str
    applies_to_en: str
    question_th: str
    question_en: str
    rule: str = Field(description="How it is judged: household_answer, members_all or income_per_person")
    params: dict[str, Any] = Field(description="The rule's parameters (ages, thresholds, answer keys)")


class IndicatorSetOut(Schema):
    code: str
    name_th: str
    name_en: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    is_current: bool = Field(description="Used for new assessments")
    dimensions: list[DimensionOut]
    thresholds: dict[str, Any]


class IndicatorSetDetailOut(IndicatorSetOut):
    indicators: list[IndicatorOut]


class AnswersIn(ObjectBody, Schema):
    household: dict[str, Any] = Field(
        default_factory=dict, description='Household questions by key, e.g. {"tidy_house": true}'
    )
    members: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description=(
            "By member id: per-member questions (literate, exercises, cared_for, birth_weight_grams) and this "
            "visit's corrections (monthly_income, is_studying, has_occupation_and_income, education)"
        ),
    )


class AssessmentIn(ObjectBody, Schema):
    household_id: ApiId
    assessed_on: ApiDate = Field(description="Date of the visit (Gregorian, YYYY-MM-DD)")
    answers: AnswersIn
    indicator_set: str = Field("", description="Code of the set; empty: the current set")
    gps_lat: ApiLatitude | None = None
    gps_lng: ApiLongitude | None = None


class StatusesOut(Schema):
    poor: bool
    targeted_poor: bool
    vulnerable: bool
    vulnerable_reasons: list[str]
    self_reliant: bool


class AssessmentOut(Schema):
    id: int
    household_id: int
    indicator_set: str
    assessed_on: dt.date
    assessor: str | None
    previous_id: int | None
    failed_dimensions: int
    dimensions: dict[str, str] = Field(description="Dimension key -> pass or fail")
    income_per_person_per_year: Decimal
    statuses: StatusesOut


class IndicatorResultOut(Schema):
    code: str
    number: int
    dimension: str
    text: str
    status: str = Field(description="pass, fail or na (not applicable)")
    status_text: str
    reason: str = Field(description="Why, in the request's language")


class ChangeOut(Schema):
    code: str
    before: str | None
    after: str | None
    direction: str = Field(description="improved, same or worse")


class ProgressOut(Schema):
    previous_id: int
    dimensions: dict[str, str] = Field(description="Dimension key -> improved, same or worse")
    dimensions_text: dict[str, str]
    changed: list[ChangeOut]


class NeedOut(Schema):
    indicator_code: str
    dimension: str
    text: str
    reason: str
    suggested_help: str


class AssessmentDetailOut(AssessmentOut):
    answers: dict[str, Any]
    gps_lat: Decimal | None
    gps_lng: Decimal | None
    indicators: list[IndicatorResultOut]
    progress: ProgressOut | None
    needs: list[NeedOut]


class AssessmentFilters(Schema):
    household_id: ApiId | None = None
    area_code: str = Field("", description="Only households whose area code starts with this")
    indicator_set: str = ""
    latest_only: bool = Field(False, description="Only each household's newest assessment")
    poor: bool | None = Field(None, description="Only poor (true) or not poor (false) households")
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _set_out(indicator_set: IndicatorSet, *, detail: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": indicator_set.code,
        "name_th": indicator_set.name_th,
        "name_en": indicator_set.name_en,
        "valid_from": indicator_set.valid_from,
        "valid_until": indicator_set.valid_until,
        "is_current": indicator_set.is_current,
        "dimensions": indicator_set.dimensions,
        "thresholds": indicator_set.thresholds,
    }
    if detail:
        data["indicators"] = [
            {field: getattr(i, field) for field in IndicatorOut.model_fields} for i in indicator_set.indicators.all()
        ]
    return data


def _assessment_fields(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "household_id": assessment.household_id,
        "indicator_set": assessment.indicator_set.code,
        "assessed_on": assessment.assessed_on,
        "assessor": assessment.assessor.get_username() if assessment.assessor else None,
        "previous_id": assessment.previous_id,
        "failed_dimensions": assessment.failed_dimensions,
        "dimensions": assessment.dimension_results,
        "income_per_person_per_year": assessment.income_per_person_per_year,
        "statuses": assessment.statuses,
    }


def _detail(assessment: Assessment, viewer: AnyUser) -> AssessmentDetailOut:
    names = selectors.member_names(viewer=viewer, household_id=assessment.household_id)
    lines = selectors.result_lines(assessment, names)
    progress = selectors.assessment_progress(assessment)
    return AssessmentDetailOut(
        **_assessment_fields(assessment),
        answers=assessment.answers,
        gps_lat=assessment.gps_lat,
        gps_lng=assessment.gps_lng,
        indicators=[
            IndicatorResultOut(
                code=line.code,
                number=line.number,
                dimension=line.dimension,
                text=line.text,
                status=line.status,
                status_text=str(STATUS_WORDS.get(line.status, line.status)),
                reason=line.reason,
            )
            for line in lines
        ],
        progress=ProgressOut(
            previous_id=assessment.previous_id or 0,
            dimensions=dict(progress.dimensions),
            dimensions_text={key: str(PROGRESS_WORDS[value]) for key, value in progress.dimensions.items()},
            changed=[
                ChangeOut(code=c.code, before=c.before, after=c.after, direction=c.direction) for c in progress.changed
            ],
        )
        if progress is not None
        else None,
        needs=[
            NeedOut(**{k: getattr(n, k) for k in NeedOut.model_fields}) for n in selectors.needs_for(assessment, names)
        ],
    )


@router.get("/indicator-sets", response=list[IndicatorSetOut], summary="Indicator sets, the current one first")
def indicator_set_list(request: HttpRequest):
    require_permission(request, "assessments.view_indicatorset")
    return [_set_out(s, detail=False) for s in selectors.indicator_set_list()]


@router.get("/indicator-sets/{code}", response=IndicatorSetDetailOut, summary="One indicator set with its indicators")
def indicator_set_detail(request: HttpRequest, code: str):
    require_permission(request, "assessments.view_indicatorset")
    return _set_out(selectors.indicator_set_get(code=code), detail=True)


@router.get("/assessments", response=list[AssessmentOut], summary="Assessments of households in your areas")
def assessment_list(request: HttpRequest, filters: Query[AssessmentFilters]):
    assessments = selectors.assessment_list(
        viewer=request.user,
        household_id=filters.household_id,
        area_code=filters.area_code,
        indicator_set=filters.indicator_set,
        latest_only=filters.latest_only,
        poor=filters.poor,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return [_assessment_fields(a) for a in assessments[filters.offset : filters.offset + filters.limit]]


@router.get(
    "/assessments/{assessment_id}",
    response=AssessmentDetailOut,
    summary="One assessment: results in words, progress since the previous one, needs",
)
def assessment_detail(request: HttpRequest, assessment_id: int):
    return _detail(selectors.assessment_open(viewer=request.user, pk=assessment_id), request.user)


@router.post(
    "/assessments",
    response={201: AssessmentDetailOut},
    summary="Submit a visit's answers: scored under the set, stored, put on the household timeline",
)
def assessment_create(request: AuthenticatedHttpRequest, payload: AssessmentIn):
    require_permission(request, "assessments.add_assessment")
    household = household_get(viewer=request.user, pk=payload.household_id)
    indicator_set = None
    if payload.indicator_set:
        try:
            indicator_set = selectors.indicator_set_get(code=payload.indicator_set)
        except IndicatorSet.DoesNotExist:
            raise ValidationError({"indicator_set": _("There is no indicator set with this code.")}) from None
    assessment = services.assessment_submit(
        household=household,
        assessed_on=payload.assessed_on,
        answers={"household": payload.answers.household, "members": payload.answers.members},
        actor=request.user,
        indicator_set=indicator_set,
        gps_lat=payload.gps_lat,
        gps_lng=payload.gps_lng,
    )
    return Status(201, _detail(selectors.assessment_get(viewer=request.user, pk=assessment.pk), request.user))
