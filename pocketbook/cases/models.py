"""Help for households: needs, cases with their plan, referrals to agencies, funds, assistance and follow-up.

Every record that names a household is scoped by the household's area code (`area_field`), so a user
sees it when one of their areas is a prefix of the household's code; a volunteer-only user further sees
only the households they look after (`CaseScopedQuerySet`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocketbook.cases.agency_models import Agency, AgencyArea, AgencyContact, AgencyServiceOffered, localized
from pocketbook.cases.fund_models import Fund, FundBudget, FundSpending
from pocketbook.cases.querysets import CaseScopedManager, ViaCaseManager, is_volunteer_only
from pocketbook.core.models import ScopedManager, TimeStampedModel

from .choices import (
    AssistanceKind,
    CaseEventKind,
    CaseOutcome,
    CaseStage,
    CaseStatus,
    NeedSource,
    NeedStatus,
    PlanItemStatus,
    ReferralStatus,
    ReplyAction,
)


class Case(TimeStampedModel):
    """The office's work with one household (optionally focused on one member), from opening to closing.

    `stage` and `attention_on` are derived from the plan, referrals, assistance and follow-ups and kept
    current by the services, so lists filter and sort on indexed columns: `attention_on` is the earliest
    date something is due (a plan item, an answer from an agency, the next visit, the day the case goes stale).
    """

    area_field = "household__area_code"
    # Free text may name a household's people: kept out of the audit copies (PDPA erasure).
    audit_personal_fields = ("title", "close_note")

    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="cases")
    member = models.ForeignKey(
        "households.Member",
        verbose_name=_("focus on member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    title = models.CharField(_("summary"), max_length=200)
    status = models.CharField(_("status"), max_length=15, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=15, choices=CaseOutcome.choices, blank=True)
    close_note = models.CharField(_("closing note"), max_length=500, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=CaseStage.choices, default=CaseStage.NEW)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("social worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_worked",
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_volunteered",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("emergency report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_contact_on = models.DateField(_("last contact"), default=timezone.localdate)
    attention_on = models.DateField(_("needs attention on"), null=True, blank=True)

    objects = CaseScopedManager()

    class Meta:
        ordering = ["attention_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("view_assistance_amount", "Can see assistance amounts")]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(status="open"), name="cases_one_open_case"),
            models.CheckConstraint(
                condition=Q(status="closed", outcome__gt="") | (~Q(status="closed") & Q(outcome="")),
                name="cases_case_outcome_when_closed",
            ),
        ]
        indexes = [
            # My cases: each filter (status, stage, worker) and its order (attention_on, id) read from an index,
            # so a page reads its 26 rows and stops, whatever the size of the table.
            models.Index(fields=["status", "attention_on", "id"], name="cases_case_attention_idx"),
            models.Index(fields=["status", "stage", "attention_on", "id"], name="cases_case_stage_idx"),
            models.Index(fields=["worker", "status", "attention_on", "id"], name="cases_case_worker_idx"),
            models.Index(fields=["volunteer", "status"], name="cases_case_volunteer_idx"),
            # every status: attention first, then the newest (PostgreSQL's ascending order puts NULLs last)
            models.Index(fields=["attention_on", "-id"], name="cases_case_any_status_idx"),
        ]

    def __str__(self) -> str:
        return str(_("Case %(number)s")) % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.attention_on is not None and self.attention_on < (today or timezone.localdate())


class Need(TimeStampedModel):
    """Something a household needs: from a failed indicator of its latest assessment, by hand, or from an incident.

    A need *stands* while `met_assessment` is empty; while it stands the same failure is not suggested
    again (even when dismissed). A later assessment where the indicator passes marks it met.
    """

    area_field = "household__area_code"
    # Free text may name a household's people: kept out of the audit copies (PDPA erasure).
    audit_personal_fields = ("description", "dismissed_reason")

    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="needs")
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.SET_NULL, null=True, blank=True, related_name="needs"
    )
    source = models.CharField(_("source"), max_length=12, choices=NeedSource.choices)
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.SUGGESTED)
    dimension = models.CharField(_("dimension"), max_length=40, blank=True)
    indicator_code = models.CharField(_("indicator"), max_length=40, blank=True)
    indicator = models.ForeignKey(
        "assessments.Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("description"), max_length=400, blank=True)
    dismissed_reason = models.CharField(_("reason for dismissing"), max_length=300, blank=True)
    met_assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CaseScopedManager()

    class Meta:
        ordering = ["household_id", "dimension", "indicator_code", "id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "indicator_code"],
                condition=~Q(indicator_code="") & Q(met_on__isnull=True),
                name="cases_need_one_standing_per_indicator",
            ),
        ]
        indexes = [models.Index(fields=["household", "status"], name="cases_need_household_idx")]

    def __str__(self) -> str:
        return self.text or str(_("Need %(number)s")) % {"number": self.pk}

    @property
    def text(self) -> str:
        if self.description:
            return self.description
        if self.indicator is not None:
            return localized(self.indicator.text_th, self.indicator.text_en)
        return self.indicator_code

    @property
    def suggested_help(self) -> str:
        if self.indicator is None:
            return ""
        return localized(self.indicator.help_th, self.indicator.help_en)

    @property
    def is_standing(self) -> bool:
        return self.met_on is None


class PlanItem(TimeStampedModel):
    """One step of a case's plan: an action for a need, who does it, by when; `version` guards concurrent edits."""

    area_field = "case__household__area_code"
    # Free text may name a household's people: kept out of the audit copies (PDPA erasure).
    audit_personal_fields = ("action",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_items")
    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_items"
    )
    action = models.CharField(_("action"), max_length=300)
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )
    version = models.PositiveIntegerField(default=1)

    objects = ViaCaseManager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        indexes = [models.Index(fields=["status", "due_on"], name="cases_planitem_due_idx")]

    def __str__(self) -> str:
        return self.action


class Referral(TimeStampedModel):
    """A case referred to an agency for a need: sent → accepted / declined → done, or revoked by the office.

    `reply_nonce` is part of the signed reply link: revoking or answering changes nothing about it, but
    issuing a new link replaces it, so only the newest link of a referral works.
    """

    area_field = "case__household__area_code"
    # Free text may name a household's people: kept out of the audit copies (PDPA erasure). The reason for sending
    # without consent is what the trail is for, so it stays there, and erasure takes the names out of it.
    audit_personal_fields = ("request", "decline_reason", "agency_note", "revoked_reason")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="referrals")
    request = models.TextField(_("what we ask of the agency"))
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answer_due_on = models.DateField(_("answer due on"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    agency_note = models.TextField(_("agency's note"), blank=True)
    answered_by_name = models.CharField(_("answered by"), max_length=200, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)
    consent_override_reason = models.CharField(_("reason for sending without consent"), max_length=500, blank=True)
    outside_area_confirmed = models.BooleanField(_("sent although the agency does not cover the area"), default=False)
    reply_nonce = models.CharField(max_length=32, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ViaCaseManager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["status", "answer_due_on"], name="cases_referral_due_idx")]

    def __str__(self) -> str:
        return str(_("Referral %(number)s")) % {"number": self.pk}

    @property
    def is_waiting(self) -> bool:
        return self.status == ReferralStatus.SENT

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_waiting and self.answer_due_on < (today or timezone.localdate())


class ReferralLinkUse(models.Model):
    """One use of a referral's reply link (no login): when, from where, what happened."""

    area_field = "referral__case__household__area_code"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, related_name="link_uses")
    action = models.CharField(_("what happened"), max_length=10, choices=ReplyAction.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    time = models.DateTimeField(_("time"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("reply link use")
        verbose_name_plural = _("reply link uses")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.action} {self.time:%Y-%m-%d %H:%M}"


class Assistance(TimeStampedModel):
    """What a household (or one member) received, in baht, from which fund and fiscal year.

    Entries are never deleted: a mistake is undone by a counter-entry (`reverses`) with the negative amount
    and a reason, so the totals stay the sum of the rows.
    """

    area_field = "household__area_code"
    # Free text may name a household's people: kept out of the audit copies (PDPA erasure).
    audit_personal_fields = ("description", "reversal_reason")

    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="assistance")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="assistance")
    member = models.ForeignKey(
        "households.Member",
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssistanceKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount (baht)"), max_digits=12, decimal_places=2)
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, null=True, blank=True, related_name="assistance"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    given_on = models.DateField(_("date"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal", editable=False
    )
    reversal_reason = models.CharField(_("reason for the reversal"), max_length=300, blank=True)

    objects = CaseScopedManager()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("assistance")
        verbose_name_plural = _("assistance")
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0)) | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="cases_assistance_sign",
            ),
        ]
        indexes = [models.Index(fields=["fund", "fiscal_year"], name="cases_assistance_fund_idx")]

    def __str__(self) -> str:
        return str(_("Assistance %(number)s")) % {"number": self.pk}

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class FollowUp(TimeStampedModel):
    """A follow-up visit of a case: what was seen, and when to visit next."""

    area_field = "case__household__area_code"
    # Free text may name a household's people: kept out of the audit copies (PDPA erasure).
    audit_personal_fields = ("note",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("visited on"))
    note = models.TextField(_("note"))
    next_visit_on = models.DateField(_("next visit on"), null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visited by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ViaCaseManager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return str(_("Follow-up %(number)s")) % {"number": self.pk}


class CaseEvent(models.Model):
    """One entry on a case's timeline: a kind, JSON parameters (ids and codes), who and when."""

    area_field = "case__household__area_code"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=CaseEventKind.choices)
    params = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    time = models.DateTimeField(_("time"), default=timezone.now)

    objects = ViaCaseManager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("case timeline entry")
        verbose_name_plural = _("case timeline")
        indexes = [models.Index(fields=["case", "time"], name="cases_event_time_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


__all__ = [
    "Agency",
    "AgencyArea",
    "AgencyContact",
    "AgencyServiceOffered",
    "Assistance",
    "Case",
    "CaseEvent",
    "FollowUp",
    "Fund",
    "FundBudget",
    "FundSpending",
    "Need",
    "PlanItem",
    "Referral",
    "ReferralLinkUse",
    "is_volunteer_only",
]
