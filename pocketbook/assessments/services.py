"""Every write of the assessments app: load an indicator set, keep a draft, submit an assessment."""

from __future__ import annotations

import datetime as dt
import logging
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.assessments import listeners, loading, selectors
from pocketbook.assessments.bulk_scoring import results_digest
from pocketbook.assessments.facts import VISIT_FACTS, household_facts, snapshot_members
from pocketbook.assessments.messages import answer_problem_text
from pocketbook.assessments.models import Assessment, AssessmentDraft, Indicator, IndicatorSet
from pocketbook.assessments.scoring import IndicatorSetSpec, check_answers, questions, score
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.core.dates import format_date
from pocketbook.core.numbers import parse_decimal
from pocketbook.households.models import MAX_MONTHLY_INCOME, Household
from pocketbook.households.timeline import timeline_record

logger = logging.getLogger(__name__)
ASSESSMENT_SUBMITTED = "assessment_submitted"


# --- indicator sets ----------------------------------------------------------------------------


@transaction.atomic
def indicator_set_load(
    *, spec: IndicatorSetSpec, actor: User | None, make_current: bool = False
) -> tuple[IndicatorSet, bool]:
    """Store a checked indicator set; return it and whether it was new. The same set again changes nothing.

    A set already used by assessments is never changed: a revised set needs a new code.
    """
    existing = IndicatorSet.objects.filter(code=spec.code).first()
    if existing is not None:
        same = loading.set_fields(spec) == _stored_fields(existing) and loading.indicator_rows(spec) == _stored_rows(
            existing
        )
        if not same:
            if existing.assessments.exists():
                raise ValidationError(
                    {
                        "code": _(
                            "The set %(code)s is already used by assessments and cannot change. "
                            "Give the revised set a new code."
                        )
                        % {"code": spec.code}
                    }
                )
            existing.delete()
            existing = None
    created = existing is None
    if existing is None:
        indicator_set = loading.write_set(IndicatorSet, Indicator, spec, current=make_current)
        record_change(obj=indicator_set, action=Action.CREATE, actor=actor)
    else:
        indicator_set = existing
        if make_current and not indicator_set.is_current:
            before = _snapshot(indicator_set)
            IndicatorSet.objects.filter(is_current=True).update(is_current=False)
            indicator_set.is_current = True
            indicator_set.save(update_fields=["is_current", "updated_at"])
            record_change(obj=indicator_set, action=Action.UPDATE, actor=actor, before=before)
    return indicator_set, created


def _snapshot(obj: Any) -> dict[str, Any]:
    return snapshot(obj)


def _stored_fields(indicator_set: IndicatorSet) -> dict[str, Any]:
    return {
        "name_th": indicator_set.name_th,
        "name_en": indicator_set.name_en,
        "valid_from": indicator_set.valid_from,
        "valid_until": indicator_set.valid_until,
        "dimensions": indicator_set.dimensions,
        "thresholds": indicator_set.thresholds,
    }


def _stored_rows(indicator_set: IndicatorSet) -> list[dict[str, Any]]:
    return [loading.indicator_row(i, i.position) for i in indicator_set.indicators.order_by("position")]


# --- drafts ------------------------------------------------------------------------------------


@transaction.atomic
def draft_save(
    *, household: Household, actor: User | None, indicator_set: IndicatorSet, step: int, data: dict[str, Any]
) -> AssessmentDraft:
    """Keep the New assessment form's answers so far on the server (one draft per household and person)."""
    _require_may_assess(actor)
    draft, _created = AssessmentDraft.objects.update_or_create(
        household=household, author=actor, defaults={"indicator_set": indicator_set, "step": step, "data": data}
    )
    return draft


@transaction.atomic
def draft_discard(*, household: Household, actor: User | None) -> None:
    """Throw away the person's draft for this household."""
    AssessmentDraft.objects.filter(household=household, author=actor).delete()


# --- assessments -------------------------------------------------------------------------------


def _require_may_assess(actor: User | None) -> User:
    if actor is None or not actor.has_perm("assessments.add_assessment"):
        raise PermissionDenied
    return actor


def _require_in_scope(household: Household, actor: User | None) -> None:
    """Refuse a household outside the actor's areas exactly like a missing one."""
    if not Household.objects.for_user(actor, "view").filter(pk=household.pk).exists():
        raise Household.DoesNotExist


def _check_visit_facts(member_answers: dict[str, dict[str, Any]], member_ids: set[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, facts in member_answers.items():
        if key not in member_ids:
            errors[f"answers.members.{key}"] = [_("This person is not a current member of the household.")]
            continue
        if not isinstance(facts, dict):
            errors[f"answers.members.{key}"] = [_("Give this member's answers as a mapping.")]
            continue
        if facts.get("monthly_income") not in (None, ""):
            try:
                income = parse_decimal(facts["monthly_income"], minimum=0, maximum=MAX_MONTHLY_INCOME)
            except ValidationError as error:
                errors[f"answers.members.{key}.monthly_income"] = [
                    _("Enter the income as a number of baht.")
                    if error.code == "invalid"
                    else _("Income must be between 0 and 10,000,000 baht a month.")
                ]
            else:
                facts["monthly_income"] = str(income)
        for flag in ("is_studying", "has_occupation_and_income"):
            if flag in facts and not isinstance(facts[flag], bool):
                errors[f"answers.members.{key}.{flag}"] = [_("Answer yes or no.")]
    return errors


def _non_finite_paths(value: Any, path: str) -> list[str]:
    """The paths of NaN and infinite numbers anywhere in the answers (JSON cannot store them)."""
    if isinstance(value, float) and not math.isfinite(value):
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _non_finite_paths(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _non_finite_paths(item, f"{path}.{index}")]
    return []


def _check_date(*, household: Household, assessed_on: dt.date, latest: Assessment | None) -> None:
    if assessed_on > timezone.localdate():
        raise ValidationError(
            {"assessed_on": _("The visit date is in the future. If you typed a Buddhist Era year, check it.")}
        )
    if assessed_on < dt.date(2000, 1, 1):
        raise ValidationError({"assessed_on": _("The visit date is too long ago. Check the year.")})
    if latest is not None and assessed_on < latest.assessed_on:
        raise ValidationError(
            {
                "assessed_on": _(
                    "The last assessment of this household was on %(date)s. A new one cannot be dated before it."
                )
                % {"date": format_date(latest.assessed_on)}
            }
        )


@transaction.atomic
def assessment_submit(
    *,
    household: Household,
    assessed_on: dt.date,
    answers: dict[str, Any],
    actor: User | None,
    indicator_set: IndicatorSet | None = None,
    gps_lat: Decimal | None = None,
    gps_lng: Decimal | None = None,
) -> Assessment:
    """Score a visit's answers, store the assessment with its results, and put it on the household's timeline.

    `answers` is {"household": {question: answer}, "members": {member id: {fact or question: answer}}};
    member facts not given come from the member records. Raises ValidationError naming each bad answer.
    """
    assessor = _require_may_assess(actor)
    _require_in_scope(household, actor)
    indicator_set = indicator_set or selectors.indicator_set_current()
    spec = selectors.indicator_set_spec(indicator_set)
    latest = Assessment.objects.select_for_update().filter(household=household, is_latest=True).first()
    _check_date(household=household, assessed_on=assessed_on, latest=latest)
    household_answers = answers.get("household") or {}
    member_answers = answers.get("members") or {}
    if not isinstance(household_answers, dict) or not isinstance(member_answers, dict):
        raise ValidationError({"answers": _("Give the answers as household and members mappings.")})
    members = selectors.members_for_assessment(viewer=assessor, household=household)
    errors = {path: [_("Enter a number.")] for path in _non_finite_paths(answers, "answers")}
    errors |= _check_visit_facts(member_answers, {str(m.pk) for m in members})
    if errors:
        raise ValidationError(errors)
    known = {q.key for _i, q in questions(spec)}
    stored = {
        "household": {k: v for k, v in household_answers.items() if k in known or k == "welfare_card"},
        "members": snapshot_members(
            members,
            {
                k: {f: v for f, v in facts.items() if f in known or f in VISIT_FACTS}
                for k, facts in member_answers.items()
            },
        ),
    }
    for facts in stored["members"].values():
        facts["monthly_income"] = str(Decimal(str(facts["monthly_income"] or 0)))
    facts = household_facts(assessed_on=assessed_on, answers=stored)
    problems = check_answers(spec, facts)
    if problems:
        logger.info("assessment refused for household %s: %s", household.pk, [p.path for p in problems])
        raise ValidationError({f"answers.{p.path}": [answer_problem_text(p.problem, p.limits)] for p in problems})
    result = score(spec, facts, previous_failed_dimensions=latest.failed_dimensions if latest else None)
    if latest is not None:
        latest.is_latest = False
        latest.save(update_fields=["is_latest", "updated_at"])
    assessment = Assessment(
        household=household,
        indicator_set=indicator_set,
        assessed_on=assessed_on,
        assessor=actor if getattr(actor, "is_authenticated", False) else None,
        previous=latest,
        answers=stored,
        gps_lat=gps_lat,
        gps_lng=gps_lng,
        is_latest=True,
        **result_fields(result),
    )
    assessment.full_clean(exclude=["household", "indicator_set", "assessor", "previous"])
    assessment.save()
    timeline_record(
        household=household,
        kind=ASSESSMENT_SUBMITTED,
        params={
            "assessment_id": assessment.pk,
            "indicator_set": indicator_set.code,
            "failed_dimensions": result.failed_dimensions,
            "dimensions": dict(result.dimensions),
        },
        actor=actor,
        occurred_on=assessed_on,
    )
    record_change(obj=assessment, action=Action.CREATE, actor=actor)
    AssessmentDraft.objects.filter(household=household, author=actor).delete()
    listeners.assessment_submitted_notify(assessment)
    return assessment


def result_fields(result: Any) -> dict[str, Any]:
    """The Assessment fields that hold a ScoreResult."""
    indicators = result.indicators_json()
    return {
        "results_digest": results_digest(indicators, dict(result.dimensions), result.statuses_json()),
        "indicator_results": indicators,
        "dimension_results": dict(result.dimensions),
        "failed_dimensions": result.failed_dimensions,
        "income_per_person_per_year": result.income_per_person_per_year,
        "is_poor": result.poor,
        "is_targeted_poor": result.targeted_poor,
        "is_vulnerable": result.vulnerable,
        "vulnerable_reasons": list(result.vulnerable_reasons),
        "is_self_reliant": result.self_reliant,
    }
