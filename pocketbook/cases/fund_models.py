"""Funds and their money: a fund's budget per fiscal year, and what other apps' activities spend of it.

Assistance (in `cases.models`) and training projects (through core.funding) are counted against these budgets;
`cases.models` re-exports these models.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pocketbook.cases.querysets import FundManager
from pocketbook.core.models import ScopedManager, TimeStampedModel
from pocketbook.geo.models import area_code_validator


class Fund(TimeStampedModel):
    """A fund that pays for assistance, e.g. กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง; budgets per fiscal year."""

    area_field = "area_code"

    name = models.CharField(_("name"), max_length=200)
    owner = models.CharField(_("owner"), max_length=200)
    area_code = models.CharField(
        _("area"), max_length=8, validators=[area_code_validator], help_text=_("The area the fund serves.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = FundManager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.name


class FundBudget(models.Model):
    """A fund's budget for one fiscal year (Buddhist Era: fiscal year 2567 runs 1 Oct 2566 – 30 Sep 2567)."""

    area_field = "fund__area_code"

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="budgets")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    amount = models.DecimalField(
        _("budget (baht)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["fund_id", "-fiscal_year"]
        verbose_name = _("fund budget")
        verbose_name_plural = _("fund budgets")
        constraints = [
            models.UniqueConstraint(fields=["fund", "fiscal_year"], name="cases_fundbudget_one_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="cases_fundbudget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.fiscal_year}"


class FundSpending(models.Model):
    """What another app's activity spends of a fund in a fiscal year (a training project of volunteers), counted
    against the year's budget beside the assistance. One row per spender: recording again replaces the amount."""

    area_field = "fund__area_code"

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="spending")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    amount = models.DecimalField(
        _("amount (baht)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    spender = models.CharField(_("spent by"), max_length=100, unique=True)  # e.g. "volunteers.trainingproject:12"
    label = models.CharField(_("for"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["fund_id", "-fiscal_year", "spender"]
        verbose_name = _("fund spending")
        verbose_name_plural = _("fund spending")
        indexes = [models.Index(fields=["fund", "fiscal_year"], name="cases_fundspending_year_idx")]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="cases_fundspending_not_negative")]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.fiscal_year}: {self.amount} ({self.spender})"
