"""What the assessments export: every visit's results in the viewer's areas, offered on the households list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.models import User
from pocketbook.assessments import selectors
from pocketbook.assessments.models import Assessment
from pocketbook.core.exports import Column, ListExport, yes_no


def filters_from(query: Mapping[str, str]) -> dict[str, str]:
    """The area (code prefix) and whether only each household's latest assessment is wanted."""
    filters = {"area": str(query.get("area", "")).strip()[:8], "latest": str(query.get("latest", ""))}
    return {name: value for name, value in filters.items() if value}


def assessment_rows(viewer: User, filters: Mapping[str, str]) -> QuerySet[Assessment, tuple[Any, ...]]:
    """One row per assessment, newest first."""
    area = filters.get("area", "")
    return selectors.assessment_list(
        viewer=viewer, area_code=area if area.isdigit() else "", latest_only=filters.get("latest") == "1"
    ).values_list(
        "id",
        "household_id",
        "household__area_code",
        "assessed_on",
        "indicator_set__code",
        "failed_dimensions",
        "is_poor",
        "is_targeted_poor",
        "is_vulnerable",
        "is_self_reliant",
        "income_per_person_per_year",
        "is_latest",
    )


ASSESSMENTS = ListExport(
    key="assessments",
    label=_("Assessments"),
    permission="assessments.view_assessment",
    columns=(
        Column(_("assessment number")),
        Column(_("household number")),
        Column(_("area code")),
        Column(_("date of the visit")),
        Column(_("indicator set")),
        Column(_("failed dimensions")),
        Column(_("poor in at least one dimension"), yes_no),
        Column(_("targeted poor"), yes_no),
        Column(_("vulnerable household"), yes_no),
        Column(_("self-reliant"), yes_no),
        Column(_("income per person per year (baht)")),
        Column(_("latest of the household"), yes_no),
    ),
    rows=assessment_rows,
    filters_from=filters_from,
    order=30,
    place="households",
)
