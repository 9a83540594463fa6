"""The New assessment form's steps: the members first, then one step per dimension of the set."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pocketbook.assessments.models import Assessment
from pocketbook.assessments.scoring import RULES, HouseholdFacts, IndicatorSetSpec, IndicatorSpec
from pocketbook.core.dates import format_date
from pocketbook.core.forms import AmountField, ThaiDateField
from pocketbook.core.numbers import grouped
from pocketbook.households.models import MAX_MONTHLY_INCOME, Member

ANSWER_REQUIRED = _("Answer this question.")
YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]


def _thai_or_english(thai: str, english: str) -> str:
    return english if (get_language() or "th").startswith("en") and english else thai


def yes_no_initial(value: Any) -> str | None:
    if value is True:
        return YES
    if value is False:
        return NO
    return None


class YesNoField(forms.TypedChoiceField):
    """A required yes/no question shown as two large radio buttons; cleans to True or False."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": ANSWER_REQUIRED, "invalid_choice": _("Answer yes or no.")})
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == YES,
            widget=forms.RadioSelect(attrs={"class": "yesno"}),
            **kwargs,
        )


def _number_field(
    label: str, *, required: bool = True, minimum: Decimal | None = Decimal(0), maximum: Decimal | None = None
) -> forms.DecimalField:
    """A number typed as 2500, 2,500 or ๒๕๐๐, within the question's plausible range."""
    return AmountField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        decimal_places=2,
        max_digits=14,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": ANSWER_REQUIRED,
            "invalid": _("Enter a number, for example 2500."),
            # The limits are written as people read them ("7,000"), not as Decimal prints them ("7000").
            "min_value": _("This cannot be below zero.")
            if not minimum
            else _("This is less than %(limit)s. Check the number.") % {"limit": grouped(minimum)},
            "max_value": _("This is more than %(limit)s. Check the number.") % {"limit": grouped(maximum or 0)},
            "max_decimal_places": _("Use at most two decimal places."),
            "max_digits": _("This number is too long. Check it."),
            "max_whole_digits": _("This number is too long. Check it."),
        },
    )


class MembersStepForm(forms.Form):
    """Step 1: the visit date, the visit's GPS, and each member's income, schooling and work today."""

    assessed_on = ThaiDateField(
        label=_("Date of the visit"), past_only=True, error_messages={"required": _("Enter the date of the visit.")}
    )
    gps_lat = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        widget=forms.HiddenInput(attrs={"data-gps": "lat"}),
    )
    gps_lng = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        widget=forms.HiddenInput(attrs={"data-gps": "lng"}),
    )

    def __init__(
        self,
        *args: Any,
        members: list[Member],
        education_choices: list[tuple[str, Any]],
        latest: Assessment | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.latest = latest
        for member in members:
            pk = member.pk
            self.fields[f"income_{pk}"] = _number_field(
                str(_("Monthly income (baht)")), required=False, maximum=MAX_MONTHLY_INCOME
            )
            self.fields[f"work_{pk}"] = YesNoField(label=_("Has work and income"))
            self.fields[f"studying_{pk}"] = YesNoField(label=_("Studying now"))
            self.fields[f"education_{pk}"] = forms.ChoiceField(
                label=_("Highest education"), choices=[("", "—"), *education_choices], required=False
            )

    def clean_assessed_on(self) -> dt.date:
        value = self.cleaned_data["assessed_on"]
        if self.latest is not None and value < self.latest.assessed_on:
            raise forms.ValidationError(
                _("The last assessment of this household was on %(date)s. A new one cannot be dated before it."),
                params={"date": format_date(self.latest.assessed_on)},
            )
        return value

    def member_rows(self) -> list[dict[str, Any]]:
        """The fields of each member, for the template."""
        return [
            {
                "member": member,
                "fields": [self[f"{name}_{member.pk}"] for name in ("income", "work", "studying", "education")],
            }
            for member in self.members
        ]

    def draft_data(self) -> dict[str, Any]:
        """The cleaned answers as the draft keeps them (JSON)."""
        data = self.cleaned_data
        members = {}
        for member in self.members:
            income = data.get(f"income_{member.pk}")
            members[str(member.pk)] = {
                "monthly_income": str(income if income is not None else Decimal(0)),
                "has_occupation_and_income": data[f"work_{member.pk}"],
                "is_studying": data[f"studying_{member.pk}"],
                "education": data.get(f"education_{member.pk}", ""),
            }
        return {
            "assessed_on": data["assessed_on"].isoformat(),
            "gps_lat": str(data["gps_lat"]) if data.get("gps_lat") is not None else None,
            "gps_lng": str(data["gps_lng"]) if data.get("gps_lng") is not None else None,
            "members": members,
        }

    @staticmethod
    def initial_from(draft: dict[str, Any], members: list[Member], today: dt.date) -> dict[str, Any]:
        """Start values: the draft's, else the member records'."""
        initial: dict[str, Any] = {
            "assessed_on": dt.date.fromisoformat(draft["assessed_on"]) if draft.get("assessed_on") else today,
            "gps_lat": draft.get("gps_lat"),
            "gps_lng": draft.get("gps_lng"),
        }
        saved = draft.get("members") or {}
        for member in members:
            mine = saved.get(str(member.pk), {})
            income = member.monthly_income or Decimal(0)
            initial[f"income_{member.pk}"] = mine.get("monthly_income", member.monthly_income)
            initial[f"work_{member.pk}"] = yes_no_initial(
                mine.get("has_occupation_and_income", bool(member.occupation) and income > 0)
            )
            initial[f"studying_{member.pk}"] = yes_no_initial(mine.get("is_studying", member.is_studying))
            initial[f"education_{member.pk}"] = mine.get("education", member.education_level)
        return initial


class DimensionStepForm(forms.Form):
    """One dimension's questions: those of the household, and those of each member an indicator applies to."""

    def __init__(
        self,
        *args: Any,
        spec: IndicatorSetSpec,
        dimension: str,
        facts: HouseholdFacts,
        member_names: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[dict[str, Any]] = []
        self.targets: dict[str, tuple[str, str, str]] = {}  # field name -> (scope, member key, question key)
        ages = facts.ages()
        for indicator in spec.indicators:
            if indicator.dimension != dimension:
                continue
            self._add_indicator(indicator, facts, ages, member_names)

    def _add_indicator(
        self, indicator: IndicatorSpec, facts: HouseholdFacts, ages: dict[str, int | None], names: dict[str, str]
    ) -> None:
        kind = RULES[indicator.rule]
        question_text = _thai_or_english(indicator.question_th, indicator.question_en) or _thai_or_english(
            indicator.text_th, indicator.text_en
        )
        group: dict[str, Any] = {
            "number": indicator.number,
            "text": _thai_or_english(indicator.text_th, indicator.text_en),
            "applies_to": _thai_or_english(indicator.applies_to_th, indicator.applies_to_en),
            "fields": [],
            "asked": False,
        }
        for question in kind.questions(indicator.params):
            group["asked"] = True
            if question.scope == "household":
                name = f"h_{question.key}"
                self._add_field(name, question, question_text, ("household", "", question.key), group)
                continue
            for member in kind.applicable_members(indicator.params, facts, ages):
                label = f"{names.get(member.key, member.key)} ({_age_words(ages.get(member.key))}) — {question_text}"
                self._add_field(
                    f"m_{member.key}_{question.key}", question, label, ("member", member.key, question.key), group
                )
        self.groups.append(group)

    def _add_field(self, name: str, question: Any, label: str, target: tuple[str, str, str], group: dict) -> None:
        if name in self.fields:  # the same answer serves two indicators (e.g. "cared for")
            return
        if question.kind == "boolean":
            field: forms.Field = YesNoField(label=label)
        elif question.kind == "number":
            field = _number_field(
                label,
                minimum=Decimal(str(question.minimum)) if question.minimum is not None else None,
                maximum=Decimal(str(question.maximum)) if question.maximum is not None else None,
            )
        else:
            field = forms.ChoiceField(
                label=label,
                choices=[(c, c) for c in question.choices],
                widget=forms.RadioSelect,
                error_messages={"required": ANSWER_REQUIRED, "invalid_choice": _("Choose one of the listed answers.")},
            )
        self.fields[name] = field
        self.targets[name] = target
        group["fields"].append(self[name])

    def initial_from(self, draft: dict[str, Any]) -> None:
        """Fill the start values from the draft."""
        for name, (scope, member_key, key) in self.targets.items():
            if scope == "household":
                value = (draft.get("household") or {}).get(key)
            else:
                value = ((draft.get("members") or {}).get(member_key) or {}).get(key)
            self.initial[name] = yes_no_initial(value) if isinstance(value, bool) else value

    def merge_into(self, draft: dict[str, Any]) -> dict[str, Any]:
        """Lay the cleaned answers over the draft (JSON values)."""
        household = dict(draft.get("household") or {})
        members = {key: dict(value) for key, value in (draft.get("members") or {}).items()}
        for name, (scope, member_key, key) in self.targets.items():
            value = self.cleaned_data[name]
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            if scope == "household":
                household[key] = value
            else:
                members.setdefault(member_key, {})[key] = value
        return {**draft, "household": household, "members": members}


def _age_words(age: int | None) -> str:
    if age is None:
        return str(_("age unknown"))
    return str(_("%(age)s years")) % {"age": age}
