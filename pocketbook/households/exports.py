"""What the households list exports: its households, and the members of those households.

Both follow the page's filters (the search, carried encrypted in `s`; "all" or only the volunteer's own) and
the viewer's areas (`household_list`); national IDs are always masked, whoever exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.models import User
from pocketbook.core.exports import Column, ListExport, choice_label, yes_no
from pocketbook.core.search import search_decrypted
from pocketbook.households import national_id, selectors
from pocketbook.households.choices import HouseholdStatus, MemberStatus, Relation, Sex
from pocketbook.households.models import Household, Member

FILTERS = ("s", "all", "area", "status", "village")


def filters_from(query: Mapping[str, str]) -> dict[str, str]:
    """The list page's filters an export keeps: the encrypted search, all-or-mine, area, status and village."""
    return {name: str(query.get(name, "")) for name in FILTERS if query.get(name)}


def _households(viewer: User, filters: Mapping[str, str]) -> QuerySet[Household]:
    """The households the list shows under these filters (a volunteer sees their own unless "all")."""
    is_volunteer = viewer.has_role("volunteer") and not viewer.is_superuser
    status = filters.get("status", "")
    return selectors.household_list(
        viewer=viewer,
        search=search_decrypted(filters.get("s", "")),
        area_code=filters.get("area", ""),
        status=status if status in HouseholdStatus.values else "",
        mine_only=is_volunteer and filters.get("all") != "1",
        village=filters.get("village", ""),
    ).prefetch_related(None)


def household_rows(viewer: User, filters: Mapping[str, str]) -> QuerySet[Household, tuple[Any, ...]]:
    """One row per household, in the list's order."""
    return _households(viewer, filters).values_list(
        "id", "household_key", "area_code", "house_no", "address", "phone", "status", "has_consent", "created_at"
    )


def member_rows(viewer: User, filters: Mapping[str, str]) -> QuerySet[Member, tuple[Any, ...]]:
    """One row per current member of the listed households, household by household."""
    household_ids = _households(viewer, filters).order_by().values("id")
    return (
        Member.objects.for_user(viewer, "view")
        .filter(household_id__in=household_ids, status=MemberStatus.ACTIVE)
        .order_by("household_id", "id")
        .values_list(
            "household_id",
            "household__area_code",
            "household__house_no",
            "title",
            "first_name",
            "last_name",
            "sex",
            "birth_date",
            "national_id_last_digit",
            "relation",
            "monthly_income",
            "has_disability",
            "is_bedridden",
            "has_welfare_card",
        )
    )


HOUSEHOLDS = ListExport(
    key="households",
    label=_("Households"),
    permission="households.view_household",
    columns=(
        Column(_("household number")),
        Column(_("household key")),
        Column(_("area code")),
        Column(_("house number")),
        Column(_("address")),
        Column(_("phone")),
        Column(_("status"), choice_label(HouseholdStatus)),
        Column(_("consent given"), yes_no),
        Column(_("registered")),
    ),
    rows=household_rows,
    filters_from=filters_from,
    order=10,
)

MEMBERS = ListExport(
    key="members",
    label=_("Members"),
    permission="households.view_member",
    columns=(
        Column(_("household number")),
        Column(_("area code")),
        Column(_("house number")),
        Column(_("title")),
        Column(_("first name")),
        Column(_("last name")),
        Column(_("sex"), choice_label(Sex)),
        Column(_("date of birth")),
        Column(_("national ID"), national_id.mask),
        Column(_("relation to the head"), choice_label(Relation)),
        Column(_("monthly income (baht)")),
        Column(_("has a disability"), yes_no),
        Column(_("bedridden"), yes_no),
        Column(_("holds the state welfare card"), yes_no),
    ),
    rows=member_rows,
    filters_from=filters_from,
    order=20,
    place="households",
)
