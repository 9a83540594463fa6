"""Forms of the case pages: they parse and show errors; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pocketbook.core.forms import ThaiDateField

from .choices import AssistanceKind, CaseOutcome, CaseStatus, PlanItemStatus, ReferralStatus
from .models import Agency, Case, Fund, Need

DIMENSION_CHOICES = [
    ("", _("(no dimension)")),
    ("health", _("health")),
    ("living", _("living conditions")),
    ("education", _("education")),
    ("income", _("income")),
    ("access", _("access to public services")),
]


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class CaseOpenForm(forms.Form):
    title = forms.CharField(label=_("Summary"), max_length=200)
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs to work on"), queryset=Need.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, needs: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["needs"]).queryset = Need.objects.filter(
            pk__in=[need.pk for need in needs]
        ).select_related("indicator")


class CaseCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How the case ends"), choices=[c for c in CaseStatus.choices if c[0] != CaseStatus.OPEN]
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *CaseOutcome.choices], required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NeedAddForm(forms.Form):
    description = forms.CharField(label=_("Need"), max_length=400)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=DIMENSION_CHOICES, required=False)


class PlanItemForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=300)
    need = forms.ModelChoiceField(label=_("Need"), queryset=Need.objects.none(), required=False)
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    due_on = ThaiDateField(label=_("Due on"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=PlanItemStatus.choices, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31)

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            cast(forms.ModelChoiceField, self.fields["need"]).queryset = Need.objects.filter(
                household_id=case.household_id, met_on__isnull=True
            )


class ReferralForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.filter(is_active=True))
    need = forms.ModelChoiceField(label=_("Need"), queryset=Need.objects.none(), required=False)
    request = forms.CharField(
        label=_("What we ask of the agency"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent_override_reason = forms.CharField(
        label=_("Reason for sending without the household's consent"), max_length=500, required=False
    )
    confirm_outside_area = forms.BooleanField(
        label=_("Send although the agency does not cover the area"), required=False
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            cast(forms.ModelChoiceField, self.fields["need"]).queryset = Need.objects.filter(
                household_id=case.household_id, met_on__isnull=True
            )


class ReplyForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (ReferralStatus.ACCEPTED, _("We accept")),
            (ReferralStatus.DECLINED, _("We decline")),
            (ReferralStatus.DONE, _("Done")),
        ],
        widget=forms.RadioSelect,
    )
    answered_by_name = forms.CharField(label=_("Your name and position"), max_length=200)
    reason = forms.CharField(label=_("Reason for declining"), max_length=500, required=False)
    note = forms.CharField(
        label=_("What was done"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssistanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was given"), choices=AssistanceKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = forms.CharField(
        label=_("Amount (baht)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none(), required=False)
    given_on = ThaiDateField(label=_("Date"), past_only=True)

    def __init__(self, *args: Any, funds: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if funds is not None:
            cast(forms.ModelChoiceField, self.fields["fund"]).queryset = funds


class FollowUpForm(forms.Form):
    visited_on = ThaiDateField(label=_("Visited on"), past_only=True)
    note = forms.CharField(label=_("What you saw"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    next_visit_on = ThaiDateField(label=_("Next visit on"), required=False)


class BudgetForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    amount = forms.CharField(label=_("Budget (baht)"), max_length=20)
