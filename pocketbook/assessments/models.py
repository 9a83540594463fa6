"""Indicator sets (versioned data), their indicators, assessments (one per visit) and wizard drafts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pocketbook.assessments.scoring import DimensionSpec, IndicatorSetSpec, IndicatorSpec
from pocketbook.core.fields import latitude_field, longitude_field
from pocketbook.core.models import ScopedManager, TimeStampedModel


def _in_language(thai: str, english: str) -> str:
    return english if (get_language() or "th").startswith("en") and english else thai


class IndicatorSet(TimeStampedModel):
    """A versioned set of indicators (for example จปฐ. 2560–2564, TPMAP's 17) with its dimensions and thresholds."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_th = models.CharField(_("name in Thai"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    dimensions = models.JSONField(_("dimensions"), default=list, help_text=_("key, name_th and name_en of each"))
    thresholds = models.JSONField(_("thresholds"), default=dict, encoder=DjangoJSONEncoder)
    is_current = models.BooleanField(
        _("used for new assessments"), default=False, help_text=_("Only one set is used for new assessments.")
    )

    objects = models.Manager()

    class Meta:
        ordering = ["-is_current", "-valid_from", "code"]
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="assessments_one_current_set"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_th, self.name_en)

    def dimension_names(self) -> dict[str, str]:
        """Each dimension's name in the active language, in the set's order."""
        return {d["key"]: _in_language(d["name_th"], d["name_en"]) for d in self.dimensions}

    def spec(self) -> IndicatorSetSpec:
        """The set as the scoring engine reads it (indicators from the prefetch cache when there is one)."""
        return IndicatorSetSpec(
            code=self.code,
            name_th=self.name_th,
            name_en=self.name_en,
            dimensions=tuple(DimensionSpec(d["key"], d["name_th"], d["name_en"]) for d in self.dimensions),
            indicators=tuple(indicator.spec() for indicator in self.indicators.all()),
            thresholds=dict(self.thresholds),
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )


class Indicator(models.Model):
    """One indicator of a set: its text, dimension, who it applies to and how it is judged (rule + params)."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=40)
    number = models.PositiveSmallIntegerField(_("number"))
    dimension = models.CharField(_("dimension"), max_length=40)
    text_th = models.CharField(_("text in Thai"), max_length=400)
    text_en = models.CharField(_("text in English"), max_length=400)
    applies_to_th = models.CharField(_("applies to (Thai)"), max_length=300, blank=True)
    applies_to_en = models.CharField(_("applies to (English)"), max_length=300, blank=True)
    question_th = models.CharField(_("question in Thai"), max_length=400, blank=True)
    question_en = models.CharField(_("question in English"), max_length=400, blank=True)
    help_th = models.CharField(_("suggested help (Thai)"), max_length=400, blank=True)
    help_en = models.CharField(_("suggested help (English)"), max_length=400, blank=True)
    rule = models.CharField(_("how it is judged"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, encoder=DjangoJSONEncoder)

    objects = models.Manager()

    class Meta:
        ordering = ["indicator_set_id", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="assessments_indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return _in_language(self.text_th, self.text_en)

    @property
    def applies_to(self) -> str:
        return _in_language(self.applies_to_th, self.applies_to_en)

    @property
    def question(self) -> str:
        return _in_language(self.question_th, self.question_en) or self.text

    @property
    def help(self) -> str:
        return _in_language(self.help_th, self.help_en)

    def spec(self) -> IndicatorSpec:
        return IndicatorSpec(
            code=self.code,
            number=self.number,
            dimension=self.dimension,
            text_th=self.text_th,
            text_en=self.text_en,
            rule=self.rule,
            params=self.params,
            applies_to_th=self.applies_to_th,
            applies_to_en=self.applies_to_en,
            question_th=self.question_th,
            question_en=self.question_en,
            help_th=self.help_th,
            help_en=self.help_en,
        )


class Assessment(TimeStampedModel):
    """One visit's assessment of a household under one indicator set: the answers and the stored results.

    `answers` keeps the household answers and a snapshot of each member's facts (by member id, no
    names) so the assessment can be scored again under its own set. `is_latest` marks the
    household's newest assessment, for one-query badges and dashboards.
    """

    # The answers hold each member's facts (birth dates among them): left out of the audit trail's copies.
    audit_personal_fields = ("answers", "gps_lat", "gps_lng")

    area_field = "household__area_code"

    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="assessments")
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("indicator set"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("date of the visit"), db_index=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous assessment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    gps_lat = latitude_field()
    gps_lng = longitude_field()
    indicator_results = models.JSONField(
        _("results per indicator"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    dimension_results = models.JSONField(_("results per dimension"), default=dict, blank=True)
    failed_dimensions = models.PositiveSmallIntegerField(_("failed dimensions"), default=0)
    income_per_person_per_year = models.DecimalField(
        _("income per person per year"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    is_poor = models.BooleanField(_("poor in at least one dimension"), default=False)
    is_targeted_poor = models.BooleanField(_("targeted poor"), default=False)
    is_vulnerable = models.BooleanField(_("vulnerable household"), default=False)
    vulnerable_reasons = models.JSONField(_("why vulnerable"), default=list, blank=True)
    is_self_reliant = models.BooleanField(_("self-reliant"), default=False)
    is_latest = models.BooleanField(_("latest of the household"), default=True)
    results_digest = models.CharField(
        _("digest of the results"), max_length=32, blank=True, editable=False,
        help_text=_("Lets re-scoring skip households whose results did not change."),
    )  # fmt: skip

    objects = ScopedManager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(is_latest=True), name="assessments_one_latest")
        ]
        indexes = [
            models.Index(fields=["household", "assessed_on"], name="assessments_household_date_idx"),
            models.Index(fields=["indicator_set", "id"], name="assessments_set_idx"),
        ]

    def __str__(self) -> str:
        return str(_("Assessment %(number)s")) % {"number": self.pk}

    @property
    def statuses(self) -> dict[str, Any]:
        return {
            "poor": self.is_poor,
            "targeted_poor": self.is_targeted_poor,
            "vulnerable": self.is_vulnerable,
            "vulnerable_reasons": list(self.vulnerable_reasons),
            "self_reliant": self.is_self_reliant,
        }


class AssessmentDraft(TimeStampedModel):
    """The New assessment form's answers so far, kept on the server at every step (one per household and person)."""

    area_field = "household__area_code"

    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="+")
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    data = models.JSONField(_("answers so far"), default=dict, encoder=DjangoJSONEncoder)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("assessment draft")
        verbose_name_plural = _("assessment drafts")
        constraints = [models.UniqueConstraint(fields=["household", "author"], name="assessments_one_draft")]

    def __str__(self) -> str:
        return str(_("Draft assessment of household %(number)s")) % {"number": self.household_id}
