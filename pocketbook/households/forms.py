"""Forms of the pocketbook pages: they parse and check input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pocketbook.core.forms import AmountField, PhoneField, ThaiDateField
from pocketbook.geo.forms import AreaField
from pocketbook.households import national_id
from pocketbook.households.choices import (
    ConsentPurpose,
    HouseholdStatus,
    MemberStatus,
    Relation,
    Sex,
    Title,
)
from pocketbook.households.models import MAX_AGE_YEARS, MEMBER_INPUT_FIELDS, Member
from pocketbook.households.services import ConsentInput, HouseholdInput, MemberInput

REQUIRED = _("This field is required.")


class HouseholdForm(forms.Form):
    """The household's place and contact details."""

    area_code = AreaField(label=_("Village"), deepest="village", shallowest="subdistrict")
    house_no = forms.CharField(label=_("House number"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = PhoneField(
        label=_("Phone"), required=False, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    gps_lat = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-gps": "lat"}),
    )
    gps_lng = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-gps": "lng"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=HouseholdStatus.choices, initial=HouseholdStatus.ACTIVE, required=False
    )

    def to_input(self) -> HouseholdInput:
        data = self.cleaned_data
        return HouseholdInput(
            area_code=data["area_code"],
            house_no=data["house_no"],
            address=data["address"],
            phone=data["phone"],
            gps_lat=data["gps_lat"],
            gps_lng=data["gps_lng"],
            status=data.get("status") or HouseholdStatus.ACTIVE,
        )


class ConsentForm(forms.Form):
    """Consent to keep the household's personal data."""

    consent_given = forms.TypedChoiceField(
        label=_("Did the household agree that its personal data is kept?"),
        choices=[("yes", _("Yes, consent given")), ("no", _("No: keep an anonymous record only"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Say whether the household agreed: choose one answer.")},
    )
    given_by_name = forms.CharField(label=_("Consent given by (name)"), max_length=200, required=False)
    purposes = forms.MultipleChoiceField(
        label=_("For these purposes"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent_given"):
            if not (data.get("given_by_name") or "").strip():
                self.add_error("given_by_name", _("Write who gave the consent."))
            if ConsentPurpose.POCKETBOOK not in (data.get("purposes") or []):
                self.add_error(
                    "purposes", _("Consent must at least cover recording the household in the family pocketbook.")
                )
        return data

    def to_input(self) -> ConsentInput | None:
        if not self.cleaned_data.get("consent_given"):
            return None
        return ConsentInput(given_by_name=self.cleaned_data["given_by_name"], purposes=self.cleaned_data["purposes"])


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    confirm = forms.BooleanField(
        label=_("I understand that the names, ID numbers, phone and address of this household will be erased."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


TITLE_OTHER = "other"


class MemberForm(forms.ModelForm):
    """One person of the household, all the facts the indicators need.

    The fields, their labels and their rules come from the `Member` model; this form adds only what
    the model does not store as typed: the title chosen from a list (or written), the national ID
    (kept encrypted) and the reason for adding a look-alike.
    """

    FLAG_FIELDS = (
        "has_disability",
        "has_disability_card",
        "chronic_illness",
        "is_bedridden",
        "is_pregnant",
        "has_welfare_card",
        "receives_elderly_allowance",
        "receives_disability_allowance",
        "receives_child_support",
    )
    PERSONAL_FIELDS = ("title_choice", "title", "first_name", "last_name", "national_id", "no_id_reason", "occupation")

    title_choice = forms.ChoiceField(
        label=_("Title"),
        choices=[("", "—"), *Title.choices, (TITLE_OTHER, _("another title (write it below)"))],
        required=False,
    )
    birth_date = ThaiDateField(
        label=_("Date of birth"), past_only=True, oldest_years=MAX_AGE_YEARS, error_messages={"required": REQUIRED}
    )
    national_id = forms.CharField(
        label=_("National ID (13 digits)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    duplicate_override_reason = forms.CharField(
        label=_("This is a different person because"), max_length=300, required=False
    )

    class Meta:
        model = Member
        fields = MEMBER_INPUT_FIELDS
        field_classes = {"monthly_income": AmountField}
        labels = {"title": _("Other title"), "no_id_reason": _("No ID? Why")}
        widgets = {"sex": forms.RadioSelect}
        error_messages = {
            "sex": {"required": REQUIRED},
            "relation": {"required": REQUIRED},
            "monthly_income": {"min_value": _("Income cannot be negative.")},
        }

    def __init__(
        self,
        *args: Any,
        anonymous: bool = False,
        editing: bool = False,
        household_has_head: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        self.editing = editing
        cast(forms.ChoiceField, self.fields["sex"]).choices = Sex.choices
        self.fields["title"].required = False
        if not household_has_head and not editing and not self.is_bound:
            self.initial.setdefault("relation", Relation.HEAD)
        title = self.initial.get("title") or ""
        if title and "title_choice" not in self.initial:
            self.initial["title_choice"] = title if title in Title.values else TITLE_OTHER
            if title in Title.values:
                self.initial["title"] = ""
        if anonymous:
            for name in self.PERSONAL_FIELDS:
                del self.fields[name]
        elif editing:
            self.fields["national_id"].help_text = _("Leave empty to keep the ID on record.")

    def clean_national_id(self) -> str:
        value = self.cleaned_data.get("national_id", "")
        if not value.strip():
            return ""
        try:
            return national_id.validate(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.anonymous:
            return data
        choice = data.get("title_choice") or ""
        if choice and choice != TITLE_OTHER:
            data["title"] = choice
        elif choice == TITLE_OTHER and not (data.get("title") or "").strip() and "title" not in self.errors:
            self.add_error("title", _("Write the title, or choose one from the list."))
        if not (data.get("first_name") or "").strip() and "first_name" not in self.errors:
            self.add_error("first_name", REQUIRED)
        if not (data.get("last_name") or "").strip() and "last_name" not in self.errors:
            self.add_error("last_name", REQUIRED)
        id_typed_wrong = "national_id" in self.errors
        if not self.editing and not id_typed_wrong and not data.get("national_id") and not data.get("no_id_reason"):
            self.add_error("no_id_reason", _("Give the national ID, or say why there is none."))
        if data.get("has_disability_card") and not data.get("has_disability"):
            self.add_error("has_disability", _("A disability card holder has a disability: tick this too."))
        return data

    def validate_unique(self) -> None:
        """One active membership per ID and one head per household are the service's to check, with the household."""

    def to_input(self) -> MemberInput:
        data = self.cleaned_data
        return MemberInput(
            sex=data["sex"],
            birth_date=data["birth_date"],
            relation=data["relation"],
            title=data.get("title", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            national_id=data.get("national_id", ""),
            no_id_reason=data.get("no_id_reason", "") if not data.get("national_id") else "",
            education_level=data["education_level"],
            is_studying=data["is_studying"],
            occupation=data.get("occupation", ""),
            monthly_income=data["monthly_income"],
            **{name: data[name] for name in self.FLAG_FIELDS},
        )


class MemberMoveForm(forms.Form):
    to_household = forms.IntegerField(
        label=_("Move to household"), widget=forms.RadioSelect, error_messages={"required": _("Choose a household.")}
    )
    reason = forms.CharField(
        label=_("Why does the person move?"),
        max_length=300,
        error_messages={"required": _("Say why the person moves.")},
    )
    moved_on = ThaiDateField(label=_("Moved on"), past_only=True, required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_household"].widget = forms.RadioSelect(choices=choices or [])


class MemberEndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[(MemberStatus.DIED, _("died")), (MemberStatus.LEFT, _("left the area"))],
        widget=forms.RadioSelect,
    )
    on = ThaiDateField(label=_("On"), past_only=True)


class HouseholdPhotoForm(forms.Form):
    """A photo of the home, taken with the phone's camera or chosen from its gallery."""

    file = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        error_messages={"required": _("Take or choose a photo."), "empty": _("The file is empty.")},
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    taken_on = ThaiDateField(label=_("Taken on"), past_only=True, required=False)
