"""Every read of the assessments app; reads of personal records always take the viewer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, QuerySet

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.assessments.messages import reason_text
from pocketbook.assessments.models import Assessment, AssessmentDraft, Indicator, IndicatorSet
from pocketbook.assessments.scoring import IndicatorSetSpec, Progress, compare
from pocketbook.audit.services import record_access
from pocketbook.households.choices import MemberStatus
from pocketbook.households.models import Household, Member

# --- indicator sets ----------------------------------------------------------------------------


def indicator_set_list() -> QuerySet[IndicatorSet]:
    """Every indicator set, the current one first (sets are reference data, not personal)."""
    return IndicatorSet.objects.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position"))
    )


def indicator_set_get(*, code: str) -> IndicatorSet:
    """One set by its code; raise IndicatorSet.DoesNotExist."""
    return indicator_set_list().get(code=code)


def indicator_set_current() -> IndicatorSet:
    """The set new assessments use; raise IndicatorSet.DoesNotExist when none is marked current."""
    return indicator_set_list().get(is_current=True)


@lru_cache(maxsize=32)
def _spec(indicator_set_id: int, updated_at: dt.datetime) -> IndicatorSetSpec:
    return indicator_set_list().get(pk=indicator_set_id).spec()


def indicator_set_spec(indicator_set: IndicatorSet) -> IndicatorSetSpec:
    """The set as the scoring engine reads it, cached until the set changes."""
    return _spec(indicator_set.pk, indicator_set.updated_at)


# --- members -----------------------------------------------------------------------------------


def members_for_assessment(*, viewer: User, household: Household) -> list[Member]:
    """The household's current members the viewer may see, in a stable order (the households app owns them)."""
    members = Member.objects.for_user(viewer, "view").filter(household=household, status=MemberStatus.ACTIVE)
    return list(members.order_by("id"))


def member_names(*, viewer: AnyUser, household_id: int) -> dict[str, str]:
    """Member id -> the name to show (first name, or a number for an anonymous household)."""
    names = {}
    members = Member.objects.for_user(viewer, "view").filter(household_id=household_id)
    for member in members.only("id", "first_name", "title"):
        names[str(member.pk)] = member.first_name or f"#{member.pk}"
    return names


# --- assessments -------------------------------------------------------------------------------


def assessment_list(
    *,
    viewer: AnyUser,
    household_id: int | None = None,
    area_code: str = "",
    indicator_set: str = "",
    latest_only: bool = False,
    poor: bool | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Assessment]:
    """Assessments the viewer may see (through the household's area), newest first, with optional filters."""
    assessments = Assessment.objects.for_user(viewer, "view").select_related("indicator_set", "assessor", "household")
    if household_id is not None:
        assessments = assessments.filter(household_id=household_id)
    if area_code:
        assessments = assessments.filter(household__area_code__startswith=area_code)
    if indicator_set:
        assessments = assessments.filter(indicator_set__code=indicator_set)
    if latest_only:
        assessments = assessments.filter(is_latest=True)
    if poor is not None:
        assessments = assessments.filter(is_poor=poor)
    if date_from is not None:
        assessments = assessments.filter(assessed_on__gte=date_from)
    if date_to is not None:
        assessments = assessments.filter(assessed_on__lte=date_to)
    return assessments.order_by("-assessed_on", "-id")


def assessment_get(*, viewer: AnyUser, pk: int) -> Assessment:
    """One assessment the viewer may see; raise Assessment.DoesNotExist when missing or out of their areas."""
    return (
        Assessment.objects.for_user(viewer, "view")
        .select_related("indicator_set", "assessor", "household", "previous")
        .get(pk=pk)
    )


def in_set_order(results: dict[str, Any], names: dict[str, str]) -> list[tuple[str, Any]]:
    """Dimension results in the indicator set's order (PostgreSQL's jsonb keeps keys sorted, not as written)."""
    known = [(key, results[key]) for key in names if key in results]
    return known + [(key, value) for key, value in results.items() if key not in names]


@dataclass(frozen=True)
class DimensionBadge:
    key: str
    name: str
    status: str  # "pass" or "fail"


@dataclass(frozen=True)
class StatusSummary:
    """What a household list shows: the five dimensions of the latest assessment and the visit date."""

    assessment_id: int
    assessed_on: dt.date
    dimensions: list[DimensionBadge]
    failed_dimensions: int
    poor: bool
    targeted_poor: bool
    vulnerable: bool
    self_reliant: bool


def latest_status_for(households: Iterable[Household | int]) -> dict[int, StatusSummary]:
    """The latest assessment's dimensions and date for each household (ids or objects), in one query."""
    ids = [h if isinstance(h, int) else h.pk for h in households]
    if not ids:
        return {}
    rows = Assessment.objects.filter(household_id__in=ids, is_latest=True).select_related("indicator_set")
    summaries = {}
    for row in rows.only(
        "id",
        "household_id",
        "assessed_on",
        "dimension_results",
        "failed_dimensions",
        "is_poor",
        "is_targeted_poor",
        "is_vulnerable",
        "is_self_reliant",
        "indicator_set__dimensions",
        "indicator_set__updated_at",
    ):
        names = row.indicator_set.dimension_names()
        summaries[row.household_id] = StatusSummary(
            assessment_id=row.pk,
            assessed_on=row.assessed_on,
            dimensions=[DimensionBadge(k, names.get(k, k), v) for k, v in in_set_order(row.dimension_results, names)],
            failed_dimensions=row.failed_dimensions,
            poor=row.is_poor,
            targeted_poor=row.is_targeted_poor,
            vulnerable=row.is_vulnerable,
            self_reliant=row.is_self_reliant,
        )
    return summaries


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator's result in words, for pages and the API."""

    code: str
    number: int
    dimension: str
    text: str
    status: str
    reason: str
    help: str


def result_lines(assessment: Assessment, names: dict[str, str]) -> list[IndicatorLine]:
    """Each indicator of the assessment's set with its result and reason in the active language.

    `names` maps member ids to what to call them (`member_names`, given the viewer).
    """
    indicators = {i.code: i for i in assessment.indicator_set.indicators.all()}
    lines = []
    for code, result in assessment.indicator_results.items():
        indicator = indicators.get(code)
        lines.append(
            IndicatorLine(
                code=code,
                number=indicator.number if indicator else 0,
                dimension=result["dimension"],
                text=indicator.text if indicator else code,
                status=result["status"],
                reason=reason_text(result, names),
                help=indicator.help if indicator else "",
            )
        )
    return lines


def assessment_progress(assessment: Assessment) -> Progress | None:
    """Compare an assessment with the household's previous one (None for the first)."""
    previous = assessment.previous
    if previous is None:
        return None
    return compare(
        dimensions_before=previous.dimension_results,
        dimensions_after=assessment.dimension_results,
        indicators_before=previous.indicator_results,
        indicators_after=assessment.indicator_results,
    )


@dataclass(frozen=True)
class Need:
    """A need suggested by a failed indicator; the cases app turns needs into plans."""

    assessment_id: int
    indicator_code: str
    dimension: str
    text: str
    reason: str
    suggested_help: str


def needs_for(assessment: Assessment, names: dict[str, str]) -> list[Need]:
    """One need per failed indicator of the assessment, with the suggested help from the indicator set."""
    return [
        Need(assessment.pk, line.code, line.dimension, line.text, line.reason, line.help)
        for line in result_lines(assessment, names)
        if line.status == "fail"
    ]


def household_panel(*, viewer: AnyUser, household: Household) -> dict[str, Any]:
    """What the household page's assessment panel shows: the latest assessment, the previous, progress, needs."""
    latest = (
        Assessment.objects.for_user(viewer, "view")
        .filter(household=household, is_latest=True)
        .select_related("indicator_set", "previous", "assessor")
        .prefetch_related("indicator_set__indicators")
        .first()
    )
    if latest is None:
        return {"assessment": None, "household": household}
    names = member_names(viewer=viewer, household_id=household.pk)
    dimension_names = latest.indicator_set.dimension_names()
    progress = assessment_progress(latest)
    previous = latest.previous
    rows = [
        {
            "key": key,
            "name": dimension_names.get(key, key),
            "now": status,
            "before": previous.dimension_results.get(key) if previous else None,
            "direction": progress.dimensions.get(key) if progress else None,
        }
        for key, status in in_set_order(latest.dimension_results, dimension_names)
    ]
    return {
        "household": household,
        "assessment": latest,
        "previous": previous,
        "dimensions": rows,
        "needs": needs_for(latest, names),
        "progress": progress,
    }


def household_pocketbook(*, viewer: AnyUser, household: Household) -> dict[str, Any]:
    """The households app's hook for its household page: the same as `household_panel`, plus what the viewer may do."""
    panel = household_panel(viewer=viewer, household=household)
    panel["can_assess"] = viewer.has_perm("assessments.add_assessment")
    panel["has_draft"] = (
        isinstance(viewer, User) and panel["can_assess"] and draft_get(household=household, author=viewer) is not None
    )
    return panel


def household_section(viewer: User, household: Household) -> dict[str, Any] | None:
    """The pocketbook section of the household page (registered in AssessmentsConfig.ready); None without access."""
    if not viewer.has_perm("assessments.view_assessment"):
        return None
    return household_pocketbook(viewer=viewer, household=household)


def household_badges(viewer: User, households: Sequence[Household]) -> dict[int, StatusSummary]:
    """The dimension badges of each household of a list page (registered in AssessmentsConfig.ready)."""
    if not viewer.has_perm("assessments.view_assessment"):
        return {}
    return latest_status_for(households)


def draft_get(*, household: Household, author: User) -> AssessmentDraft | None:
    """The person's draft for this household, or None."""
    return AssessmentDraft.objects.filter(household=household, author=author).select_related("indicator_set").first()


def assessment_open(*, viewer: AnyUser, pk: int) -> Assessment:
    """Fetch an assessment for its page and write the read to the access log (it holds members' facts)."""
    assessment = assessment_get(viewer=viewer, pk=pk)
    if assessment.household.has_consent:
        record_access(obj=assessment, actor=viewer, purpose="assessment page")
    return assessment


def latest_assessment(*, viewer: AnyUser, household: Household) -> Assessment | None:
    """The household's newest assessment (for the form's date check), or None (also out of the viewer's areas)."""
    return Assessment.objects.for_user(viewer, "view").filter(household=household, is_latest=True).first()
