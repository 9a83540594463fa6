"""Forms of the ESS pages: a hotline-1300 call, and the operator's and responder's actions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pocketbook.core.forms import BoundedModelMultipleChoiceField
from pocketbook.core.validators import HOTLINE_PHONE, phone_digits
from pocketbook.geo.forms import AreaField
from pocketbook.incidents.choices import (
    ESS_TYPES,
    HOTLINE_TYPES,
    STATUS_TRANSITIONS,
    IncidentType,
    Priority,
    Status,
)
from pocketbook.incidents.models import Incident, Responder, Unit

TYPE_CHOICES = [
    ("", _("— choose —")),
    (_("Hotline 1300 issue groups"), [(t.value, t.label) for t in HOTLINE_TYPES]),
    (_("ESS emergencies"), [(t.value, t.label) for t in ESS_TYPES]),
    (_("Other"), [(IncidentType.UNKNOWN.value, IncidentType.UNKNOWN.label)]),
]


class HotlineCallForm(forms.Form):
    """One hotline-1300 call, logged while the caller is on the line: type, caller, place, what happened."""

    incident_type = forms.ChoiceField(
        label=_("What is it about?"), choices=TYPE_CHOICES, error_messages={"required": _("Choose the type.")}
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("Automatic (from the type)")), *Priority.choices],
        required=False,
    )
    caller_name = forms.CharField(label=_("Caller's name"), max_length=200, required=False)
    caller_phone = forms.CharField(
        label=_("Caller's phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    is_anonymous = forms.BooleanField(label=_("The caller wants to stay anonymous"), required=False)
    area_code = AreaField(label=_("Where"), required=False, shallowest="province", deepest="village")
    address_text = forms.CharField(
        label=_("Address or landmark"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("What is happening"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the caller says is happening.")},
    )
    people_involved = forms.CharField(
        label=_("People involved"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_caller_phone(self) -> str:
        phone = self.cleaned_data["caller_phone"].strip()
        phone_digits(phone, shortest=3, longest=15, message=HOTLINE_PHONE)
        return phone


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("Write the note.")}
    )


class ResponderChoiceField(BoundedModelMultipleChoiceField):
    """Responders, each labelled with their unit and whether they are on a job now (`responder_label`)."""

    def label_from_instance(self, obj: Responder) -> str:
        return responder_label(obj)


class DispatchForm(forms.Form):
    responders = ResponderChoiceField(
        label=_("Responders"),
        queryset=Responder.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one responder.")},
    )
    note = forms.CharField(label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, responders: QuerySet[Responder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # in the selector's order: routed unit, free first
        cast(ResponderChoiceField, self.fields["responders"]).queryset = responders


def responder_label(responder: Responder) -> str:
    """ "Somchai · สภ.ปะเหลียน (routed unit) — free" : who, which unit, and whether on a job now."""
    unit = str(responder.unit)
    if getattr(responder, "routed_unit", 1) == 0:
        unit = str(_("%(unit)s (the incident's unit)")) % {"unit": unit}
    state = _("on a job now") if getattr(responder, "on_job", False) else _("free")
    return f"{responder.user} · {unit} — {state}"


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to mark it resolved."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, incident: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS[incident.status]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (s.value, s.label) for s in Status if s.value in allowed
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.RESOLVED and not data.get("outcome", "").strip():
            self.add_error("outcome", _("Say how it ended."))
        return data


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Number of the incident it duplicates"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "ESS-2569-000123", "autocomplete": "off"}),
        error_messages={"required": _("Write the other incident's number.")},
    )


class ReassignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), error_messages={"required": _("Choose a unit.")}
    )
    reason = forms.CharField(label=_("Why"), required=False, max_length=500)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class LocationForm(forms.Form):
    area_code = AreaField(label=_("Where it is"), shallowest="province", deepest="village")


class HouseholdLinkForm(forms.Form):
    household_id = forms.IntegerField(
        label=_("Household number"), min_value=1, error_messages={"required": _("Write the household's number.")}
    )


class CompleteForm(forms.Form):
    """A responder's finish: how it ended, and whether it was resolved, referred or a false alarm."""

    incident_status = forms.ChoiceField(
        label=_("Result"),
        choices=[(s.value, s.label) for s in (Status.RESOLVED, Status.REFERRED, Status.FALSE_ALARM)],
        initial=Status.RESOLVED,
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how it ended.")},
    )
