"""What the cases pages export: the case list under its filters, and the referrals and assistance of the area.

Rows are scoped with `for_user` (the household's area) and carry no household name: the household number
leads back to the record for those who may open it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.models import User
from pocketbook.cases import selectors
from pocketbook.cases.choices import AssistanceKind, CaseOutcome, CaseStage, CaseStatus, ReferralStatus
from pocketbook.cases.models import Assistance, Case, Referral
from pocketbook.core.exports import Column, ListExport, choice_label
from pocketbook.core.search import search_decrypted


def case_filters_from(query: Mapping[str, str]) -> dict[str, str]:
    """The case list's filters as the page reads them: open cases and "mine" unless the page says otherwise."""
    return {
        "status": str(query.get("status", "open")),
        "stage": str(query.get("stage", "")),
        "area": str(query.get("area", "")).strip()[:8],
        "worker": str(query.get("worker", "me")),
        "s": str(query.get("s", "")),  # the summary search, encrypted as the page's links carry it
        "village": " ".join(str(query.get("village", "")).split())[:60],
    }


def case_rows(viewer: User, filters: Mapping[str, str]) -> QuerySet[Case, tuple[Any, ...]]:
    """One row per case of the list, in its order."""
    case_filters = selectors.CaseFilters(
        status=filters.get("status", ""),
        stage=filters.get("stage", ""),
        area_code=filters.get("area", ""),
        worker=filters.get("worker", ""),
        text=search_decrypted(filters.get("s", "")),
        village=filters.get("village", ""),
    )
    return selectors.case_list(viewer=viewer, filters=case_filters).values_list(
        "id",
        "household_id",
        "household__area_code",
        "title",
        "status",
        "stage",
        "outcome",
        "worker__username",
        "opened_on",
        "last_contact_on",
        "attention_on",
        "closed_at",
    )


def area_filters_from(query: Mapping[str, str]) -> dict[str, str]:
    """The area (code prefix) chosen on the page, and the case on a case's page, for referrals and assistance."""
    filters = {"area": str(query["area"]).strip()[:8]} if query.get("area") else {}
    case = str(query.get("case", "")).strip()
    return filters | ({"case": case} if case.isdigit() and len(case) <= 12 else {})


def referral_rows(viewer: User, filters: Mapping[str, str]) -> QuerySet[Referral, tuple[Any, ...]]:
    """One row per referral the viewer may see, newest first."""
    referrals = Referral.objects.for_user(viewer, "view")
    if area := filters.get("area", ""):
        referrals = referrals.filter(case__household__area_code__startswith=area)
    if case := filters.get("case", ""):
        referrals = referrals.filter(case_id=int(case))
    return referrals.order_by("-sent_at", "-id").values_list(
        "id",
        "case_id",
        "case__household__area_code",
        "agency__name",
        "status",
        "sent_at",
        "answer_due_on",
        "answered_at",
    )


def assistance_rows(viewer: User, filters: Mapping[str, str]) -> QuerySet[Assistance, tuple[Any, ...]]:
    """One row per assistance entry (reversals included, as negative amounts), newest first."""
    entries = Assistance.objects.for_user(viewer, "view")
    if area := filters.get("area", ""):
        entries = entries.filter(household__area_code__startswith=area)
    if case := filters.get("case", ""):
        entries = entries.filter(case_id=int(case))
    return entries.order_by("-given_on", "-id").values_list(
        "id",
        "household_id",
        "household__area_code",
        "case_id",
        "kind",
        "description",
        "amount",
        "fund__name",
        "fiscal_year",
        "given_on",
    )


CASES = ListExport(
    key="cases",
    label=_("Cases"),
    permission="cases.view_case",
    columns=(
        Column(_("case number")),
        Column(_("household number")),
        Column(_("area code")),
        Column(_("summary")),
        Column(_("status"), choice_label(CaseStatus)),
        Column(_("stage"), choice_label(CaseStage)),
        Column(_("outcome"), choice_label(CaseOutcome)),
        Column(_("social worker")),
        Column(_("opened on")),
        Column(_("last contact")),
        Column(_("needs attention on")),
        Column(_("closed at")),
    ),
    rows=case_rows,
    filters_from=case_filters_from,
    order=40,
)

REFERRALS = ListExport(
    key="referrals",
    label=_("Referrals"),
    permission="cases.view_referral",
    columns=(
        Column(_("referral number")),
        Column(_("case number")),
        Column(_("area code")),
        Column(_("agency")),
        Column(_("status"), choice_label(ReferralStatus)),
        Column(_("sent at")),
        Column(_("answer due on")),
        Column(_("answered at")),
    ),
    rows=referral_rows,
    filters_from=area_filters_from,
    order=50,
    place="cases",
    also_at=("reports_help", "case_referrals"),  # the Help dashboard (its area) and a case's page (that case)
)

ASSISTANCE = ListExport(
    key="assistance",
    label=_("Assistance"),
    permission="cases.view_assistance_amount",
    columns=(
        Column(_("entry number")),
        Column(_("household number")),
        Column(_("area code")),
        Column(_("case number")),
        Column(_("kind"), choice_label(AssistanceKind)),
        Column(_("description")),
        Column(_("amount (baht)")),
        Column(_("fund")),
        Column(_("fiscal year (BE)")),
        Column(_("date")),
    ),
    rows=assistance_rows,
    filters_from=area_filters_from,
    order=60,
    place="cases",
    also_at=("reports_help", "case_assistance"),
)
