"""Forms of the volunteers pages: they parse and check input; the services decide."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.core.forms import AmountField, PhoneField, ThaiDateField
from pocketbook.core.funding import funding_choices
from pocketbook.geo.forms import AreaField
from pocketbook.volunteers.choices import ParticipantRole, ProjectStatus, VolunteerStatus
from pocketbook.volunteers.services import VolunteerInput
from pocketbook.volunteers.training_services import ProjectInput

REQUIRED = _("This field is required.")


def _codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


class VolunteerForm(forms.Form):
    """A volunteer's details and the areas they serve."""

    title = forms.CharField(label=_("Title"), max_length=30, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, error_messages={"required": REQUIRED})
    last_name = forms.CharField(label=_("Last name"), max_length=100, error_messages={"required": REQUIRED})
    national_id = forms.CharField(
        label=_("National ID"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("13 digits. Left empty when editing, the stored ID is kept."),
    )
    phone = PhoneField(label=_("Phone"), required=False)
    line_id = forms.CharField(label=_("LINE ID"), max_length=50, required=False)
    home_area_code = AreaField(label=_("Home village"), deepest="village", shallowest="subdistrict")
    areas_served = forms.CharField(
        label=_("Areas served"),
        max_length=400,
        required=False,
        help_text=_("Village (8 digits) or subdistrict (6 digits) codes, separated by commas. Empty: the home area."),
    )
    started_on = ThaiDateField(label=_("Volunteer since"), required=False, past_only=True)
    term_ends_on = ThaiDateField(label=_("Term ends on"), required=False)
    skills = forms.CharField(
        label=_("Skills"),
        max_length=600,
        required=False,
        help_text=_("Separated by commas, e.g. first aid, elderly care"),
    )

    def to_input(self, *, user: User | None = None) -> VolunteerInput:
        data = self.cleaned_data
        areas = _codes(data["areas_served"]) or [data["home_area_code"]]
        return VolunteerInput(
            title=data["title"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            national_id=data["national_id"],
            phone=data["phone"],
            line_id=data["line_id"],
            home_area_code=data["home_area_code"],
            areas_served=areas,
            started_on=data["started_on"],
            term_ends_on=data["term_ends_on"],
            skills=[s.strip() for s in data["skills"].split(",") if s.strip()],
            user=user,
        )


class VolunteerStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=VolunteerStatus.choices)
    on = ThaiDateField(label=_("Since"), required=False, past_only=True)
    hand_over_to = forms.IntegerField(label=_("Hand the households over to"), required=False, widget=forms.Select)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"), error_messages={"required": _("Choose a file.")})


class VisitForm(forms.Form):
    """A short visit note, with the phone's position when it gives one."""

    visited_on = ThaiDateField(label=_("Date of the visit"), past_only=True, error_messages={"required": REQUIRED})
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": REQUIRED},
    )
    gps_lat = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
        widget=forms.HiddenInput(attrs={"data-gps": "lat"}),
    )
    gps_lng = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
        widget=forms.HiddenInput(attrs={"data-gps": "lng"}),
    )


class ProjectForm(forms.Form):
    """A training project's details and money."""

    title = forms.CharField(label=_("Title"), max_length=300, error_messages={"required": REQUIRED})
    objectives = forms.CharField(label=_("Objectives"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    organiser = forms.CharField(label=_("Organiser"), max_length=300, error_messages={"required": REQUIRED})
    chair = forms.CharField(label=_("Chair (opens the project)"), max_length=300, required=False)
    reporter = forms.CharField(label=_("Who gives the report"), max_length=300, required=False)
    venue = forms.CharField(label=_("Venue"), max_length=300, error_messages={"required": REQUIRED})
    area_code = AreaField(label=_("Area"), deepest="district", shallowest="province")
    starts_on = ThaiDateField(label=_("First day"), error_messages={"required": REQUIRED})
    ends_on = ThaiDateField(label=_("Last day"), error_messages={"required": REQUIRED})
    budget_fund = forms.ChoiceField(
        label=_("Paying fund"),
        required=False,
        choices=[],
        help_text=_("A fund of the office; otherwise write the budget source below."),
    )
    budget_source = forms.CharField(
        label=_("Budget source"), max_length=300, required=False, help_text=_("When no fund of the list pays.")
    )
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (BE)"),
        min_value=2500,
        max_value=2700,
        error_messages={
            "min_value": _("Give the fiscal year in the Buddhist Era, for example 2566."),
            "max_value": _("Give the fiscal year in the Buddhist Era, for example 2566."),
            "required": REQUIRED,
            "invalid": _("Give the fiscal year in the Buddhist Era, for example 2566."),
        },
    )
    planned_amount = AmountField(
        label=_("Planned (baht)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    spent_amount = AmountField(label=_("Spent (baht)"), min_value=0, max_digits=12, decimal_places=2, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices, initial=ProjectStatus.PLANNED)

    def __init__(self, *args: Any, viewer: AnyUser | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = funding_choices(viewer=viewer) if viewer is not None else []
        if sources:
            cast(forms.ChoiceField, self.fields["budget_fund"]).choices = [
                ("", _("— none: write the budget source —")),
                *((s.reference, s.name) for s in sources),
            ]
        else:  # no fund to choose (cases not installed, or none in the viewer's areas): free text only
            del self.fields["budget_fund"]

    def to_input(self) -> ProjectInput:
        data = self.cleaned_data
        return ProjectInput(
            title=data["title"],
            objectives=data["objectives"],
            organiser=data["organiser"],
            chair=data["chair"],
            reporter=data["reporter"],
            venue=data["venue"],
            area_code=data["area_code"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            budget_source=data["budget_source"],
            budget_fund=data.get("budget_fund") or "",
            fiscal_year=data["fiscal_year"],
            planned_amount=data["planned_amount"] or Decimal("0"),
            spent_amount=data["spent_amount"] or Decimal("0"),
            status=data["status"],
        )


class SessionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=300, error_messages={"required": REQUIRED})
    day = ThaiDateField(label=_("Day"), error_messages={"required": REQUIRED})
    starts = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}), error_messages={"required": REQUIRED}
    )
    ends = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}), error_messages={"required": REQUIRED}
    )
    speakers = forms.MultipleChoiceField(label=_("Speakers"), required=False, widget=forms.CheckboxSelectMultiple)


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
    volunteer = forms.IntegerField(
        label=_("Volunteer of the registry"),
        required=False,
        widget=forms.Select,
        help_text=_("For the volunteer role; the names are taken from the registry."),
    )
    title = forms.CharField(label=_("Title"), max_length=30, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    phone = PhoneField(label=_("Phone"), required=False)
