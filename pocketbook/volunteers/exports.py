"""What the volunteers pages export: the registry (national IDs masked) and a training project's participants."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.models import User
from pocketbook.core import crypto
from pocketbook.core.exports import Column, ListExport, choice_label
from pocketbook.core.search import SEARCH_MAX_LENGTH, search_decrypted
from pocketbook.households import national_id
from pocketbook.volunteers import selectors, training_selectors
from pocketbook.volunteers.choices import ParticipantRole, VolunteerStatus
from pocketbook.volunteers.models import Volunteer
from pocketbook.volunteers.training_models import Participant, TrainingProject


def volunteer_filters_from(query: Mapping[str, str]) -> dict[str, str]:
    """The registry's filters: the search (encrypted, as the page carries it), status and area."""
    return {name: str(query[name]) for name in ("s", "status", "area") if query.get(name)}


def volunteer_rows(viewer: User, filters: Mapping[str, str]) -> QuerySet[Volunteer, tuple[Any, ...]]:
    """One row per volunteer of the registry under the page's filters."""
    status = filters.get("status", "")
    area = filters.get("area", "")
    return (
        selectors.volunteer_list(
            viewer=viewer,
            search=search_decrypted(filters.get("s", "")),
            status=status if status in VolunteerStatus.values else "",
            area_code=area if area.isdigit() else "",
        )
        .prefetch_related(None)
        .order_by("home_area_code", "first_name", "last_name", "id")
        .values_list(
            "id",
            "title",
            "first_name",
            "last_name",
            "national_id_last_digit",
            "phone",
            "home_area_code",
            "status",
            "started_on",
            "term_ends_on",
            "caseload",
        )
    )


def participant_filters_from(query: Mapping[str, str]) -> dict[str, str]:
    """The project, the role, and the name searched (encrypted: names stay out of the job and the audit trail)."""
    filters = {name: str(query[name]) for name in ("project", "role") if query.get(name)}
    if text := str(query.get("q", "")).strip()[:SEARCH_MAX_LENGTH]:
        filters["s"] = crypto.encrypt(text)
    elif query.get("s"):
        filters["s"] = str(query["s"])
    return filters


def participant_rows(viewer: User, filters: Mapping[str, str]) -> QuerySet[Participant, tuple[Any, ...]]:
    """One row per participant of the project, as the project page lists them; nothing for a project not seen."""
    project_id = filters.get("project", "")
    try:
        project = training_selectors.project_get(viewer=viewer, pk=int(project_id))
    except (ValueError, TrainingProject.DoesNotExist):
        return Participant.objects.none().values_list("id")
    role = filters.get("role", "")
    return training_selectors.participant_list(
        viewer=viewer,
        project=project,
        search=search_decrypted(filters.get("s", "")),
        role=role if role in ParticipantRole.values else "",
    ).values_list(
        "id",
        "project_id",
        "role",
        "title",
        "first_name",
        "last_name",
        "organisation",
        "phone",
        "pre_test_score",
        "post_test_score",
        "certificate__number",
    )


VOLUNTEERS = ListExport(
    key="volunteers",
    label=_("Volunteers"),
    permission="volunteers.view_volunteer",
    columns=(
        Column(_("volunteer number")),
        Column(_("title")),
        Column(_("first name")),
        Column(_("last name")),
        Column(_("national ID"), national_id.mask),
        Column(_("phone")),
        Column(_("home area code")),
        Column(_("status"), choice_label(VolunteerStatus)),
        Column(_("volunteer since")),
        Column(_("term ends on")),
        Column(_("households in charge")),
    ),
    rows=volunteer_rows,
    filters_from=volunteer_filters_from,
    order=80,
)

PARTICIPANTS = ListExport(
    key="participants",
    label=_("Training participants"),
    permission="volunteers.view_participant",
    columns=(
        Column(_("participant number")),
        Column(_("project number")),
        Column(_("role"), choice_label(ParticipantRole)),
        Column(_("title")),
        Column(_("first name")),
        Column(_("last name")),
        Column(_("organisation")),
        Column(_("phone")),
        Column(_("pre-test score")),
        Column(_("post-test score")),
        Column(_("certificate number")),
    ),
    rows=participant_rows,
    filters_from=participant_filters_from,
    order=90,
)
