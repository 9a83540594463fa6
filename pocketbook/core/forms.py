"""Form fields shared by every app: Thai dates typed in BE or CE."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pocketbook.core.dates import DATE_INPUT_HELP, DateInputError, format_date, parse_date_input
from pocketbook.core.numbers import INVALID as INVALID_NUMBER
from pocketbook.core.numbers import parse_decimal
from pocketbook.core.validators import phone_digits

# The read-back (core:date_understood) receives the field's rules under these names beside the typed text.
DATE_RULE_PARAMETERS = ("past_only", "oldest_years")


class ThaiDateInput(forms.TextInput):
    """A text box for a date, with live feedback on how it was understood."""

    template_name = "core/widgets/thai_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": _("dd/mm/yyyy, e.g. 2/6/2566"),
            "inputmode": "numeric",
            "autocomplete": "off",
            # Posted (a birth date is personal: never in an address), with only the field and its rules.
            "hx-post": reverse_lazy("core:date_understood"),
            "hx-trigger": "input changed delay:400ms, blur",
            "hx-sync": "this:replace",
            "hx-target": "next .date-feedback",
        }
        super().__init__({**defaults, **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # A post from inside a form would carry the whole form: the read-back needs the date and its rules only.
        context["widget"]["attrs"]["hx-params"] = ",".join([name, *DATE_RULE_PARAMETERS])
        return context

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return f"{value.day}/{value.month}/{value.year + 543}"
        return super().format_value(value)


class ThaiDateField(forms.Field):
    """A date typed as D/M/YYYY, YYYY-MM-DD or "2 มิถุนายน 2566"; the year in BE or CE.

    `past_only` refuses dates after today; `oldest_years` refuses dates more than that many years ago
    (a birth year typed in the wrong era usually lands in one of those).
    """

    widget = ThaiDateInput

    def __init__(self, *, past_only: bool = False, oldest_years: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", DATE_INPUT_HELP)
        self.past_only = past_only
        self.oldest_years = oldest_years
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            understood = parse_date_input(str(value))
        except DateInputError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        self.understood = understood
        return understood.date

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        """Send the field's rules with the live read-back, so it refuses what saving would refuse."""
        attrs = super().widget_attrs(widget)
        rules = {"past_only": "1" if self.past_only else "", "oldest_years": self.oldest_years or ""}
        if isinstance(widget, ThaiDateInput) and any(rules.values()):
            attrs["hx-vals"] = json.dumps({name: str(value) for name, value in rules.items() if value})
        return attrs

    def validate(self, value: dt.date | None) -> None:
        super().validate(value)
        if value is not None:
            date_rules_check(value, past_only=self.past_only, oldest_years=self.oldest_years)


def date_rules_check(value: dt.date, *, past_only: bool, oldest_years: int | None) -> None:
    """Refuse a date after today (`past_only`) or more than `oldest_years` ago; the form and the read-back share it."""
    today = timezone.localdate()
    if past_only and value > today:
        raise forms.ValidationError(
            _("%(date)s is in the future. If you typed a Buddhist Era year, check it (พ.ศ. = ค.ศ. + 543)."),
            params={"date": format_date(value)},
            code="future",
        )
    if oldest_years is not None and (today.year - value.year) > oldest_years:
        raise forms.ValidationError(
            _("%(date)s is more than %(years)s years ago. Check the year (พ.ศ. = ค.ศ. + 543)."),
            params={"date": format_date(value), "years": oldest_years},
            code="too_old",
        )


class PhoneField(forms.CharField):
    """A phone number as people type it ("081-234 5678", Thai digits), kept as its digits (`phone_digits`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return phone_digits(super().clean(value))


class AmountField(forms.DecimalField):
    """A number of baht (or any amount) typed as 5000, 5,000 or ๕๐๐๐; read by `core.numbers.parse_decimal`."""

    widget = forms.TextInput
    default_error_messages = {"invalid": INVALID_NUMBER}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # the stubs type DecimalField as IntegerField
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        places = self.decimal_places if self.decimal_places is not None else 2
        digits = self.max_digits if self.max_digits is not None else 12
        try:
            return parse_decimal(value, max_digits=digits, decimal_places=places)
        except forms.ValidationError as error:
            if error.code == "invalid":
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
            raise


MAX_DATABASE_ID = 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that answers "invalid choice" for ids no database could hold.

    Django guards `pk=` against integers beyond 64 bits but not `pk__in=`, which raises OverflowError.
    """

    def _check_values(self, value: Any) -> Any:
        for item in value:
            text = str(item).strip()
            if not text.isdigit() or int(text) > MAX_DATABASE_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)  # type: ignore[misc]  # private in the stubs, public in Django
