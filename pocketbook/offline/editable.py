"""The household and member fields a phone may change offline: their values, their checks and how people read them.

A member is changed offline with the fields of the online member form, checked at sync by that form itself
(`member_form`), so the phone and the office page agree with the online page on every rule. Values travel as
canonical JSON (dates ISO, amounts as "7000.00", booleans, strings), and `conflict_rows` shows both sides of a
conflict as users read them: amounts with thousands separators, choices by their labels, dates in the Buddhist
Era, yes/no, and "—" for empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import models
from django.forms import CheckboxInput, RadioSelect
from django.template.defaultfilters import floatformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pocketbook.core.dates import format_date
from pocketbook.households import national_id
from pocketbook.households.choices import Title
from pocketbook.households.forms import TITLE_OTHER, MemberForm
from pocketbook.households.inputs import MemberInput
from pocketbook.households.models import MEMBER_INPUT_FIELDS, Household, Member

HOUSEHOLD_FIELDS = ("house_no", "address", "phone")
EMPTY = "—"
# The member form's fields in the order of the online page; the look-alike override is asked online only, where
# the match is seen.
_PHONE_ORDER = ("title_choice", "title", "first_name", "last_name", "sex", "birth_date", "relation", "national_id",
                "no_id_reason")  # fmt: skip
_FORM_ONLY_ONLINE = ("duplicate_override_reason",)


def _canonical(value: Any) -> Any:
    """A model value as JSON the phone keeps and compares: ISO dates, amounts to the satang, "" for none."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return value


def household_values(household: Household) -> dict[str, Any]:
    """The household fields a volunteer may change offline, as canonical JSON."""
    return {name: _canonical(getattr(household, name)) for name in HOUSEHOLD_FIELDS}


def member_values(member: Member | MemberInput) -> dict[str, Any]:
    """The member fields a volunteer may change offline (those of the online member form), as canonical JSON."""
    return {name: _canonical(getattr(member, name)) for name in MEMBER_INPUT_FIELDS}


def _plain_amount(text: str) -> str:
    """ "7000.00" as a person types it: "7000"; "7000.50" stays."""
    return text[:-3] if text.endswith(".00") else text


def member_form_values(values: dict[str, Any]) -> dict[str, Any]:
    """Canonical member values as the member form's fields hold them (the title split into list and free text)."""
    data = {name: value for name, value in values.items() if name != "title"}
    title = values.get("title") or ""
    data["title_choice"] = title if title in Title.values else (TITLE_OTHER if title else "")
    data["title"] = "" if title in Title.values else title
    if data.get("monthly_income"):
        data["monthly_income"] = _plain_amount(str(data["monthly_income"]))
    if data.get("birth_date"):
        data["birth_date"] = MemberForm.base_fields["birth_date"].widget.format_value(
            dt.date.fromisoformat(str(data["birth_date"]))
        )
    data["national_id"] = ""
    return data


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in {"on", "true", "1", "yes"})


def member_form(*, member: Member, changes: dict[str, Any]) -> MemberForm:
    """The online member form, bound to the member's values with the phone's changes over them."""
    values = member_form_values(member_values(member))
    for name, value in changes.items():
        if name in values:
            values[name] = value
    form = MemberForm(anonymous=not member.household.has_consent, editing=True)
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = values.get(name, "")
        if isinstance(field.widget, CheckboxInput):
            if _is_true(value):
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value).strip()
    return MemberForm(data, anonymous=not member.household.has_consent, editing=True)


def member_form_spec(*, household_has_consent: bool = True) -> list[dict[str, Any]]:
    """The member form's fields for the phone to draw: name, label, kind, choices and help, in form order."""
    form = MemberForm(anonymous=not household_has_consent, editing=True)
    names = [name for name in _PHONE_ORDER if name in form.fields]
    names += [name for name in form.fields if name not in names and name not in _FORM_ONLY_ONLINE]
    spec = []
    for name in names:
        field = form.fields[name]
        choices = [[str(value), str(label)] for value, label in getattr(field, "choices", [])]
        spec.append(
            {
                "name": name,
                "label": str(field.label),
                "kind": _kind(name, field, choices),
                "choices": [choice for choice in choices if choice[0] != ""],
                "help": str(field.help_text) if name in ("national_id", "birth_date") else "",
                "placeholder": str(field.widget.attrs.get("placeholder", "")),
            }
        )
    return spec


def _kind(name: str, field: Any, choices: list[list[str]]) -> str:
    if isinstance(field.widget, CheckboxInput):
        return "boolean"
    if isinstance(field.widget, RadioSelect):
        return "radio"
    if choices:
        return "choice"
    if name == "birth_date":
        return "date"
    if name == "monthly_income":
        return "money"
    return "text"


# --- reading values as people do ---------------------------------------------------------------


def _model_field(model: type[models.Model], name: str) -> models.Field:
    # A phone edits the record's own fields, never a relation's reverse side: get_field gives a Field.
    return cast(models.Field, model._meta.get_field(name))


def field_label(model: type[models.Model], name: str) -> str:
    """The field's name as the pages say it ("เลขประจำตัวประชาชน" for the ID typed on the phone)."""
    if name == "national_id":
        return _("National ID")
    return str(capfirst(_model_field(model, name).verbose_name))


def display_value(model: type[models.Model], name: str, value: Any) -> str:
    """One canonical value as users read it: "7,000", "หัวหน้าครัวเรือน", "2 มีนาคม 2513", "ใช่", or "—"."""
    field = _model_field(model, name)
    if isinstance(field, models.BooleanField):
        return _("Yes") if _is_true(value) else _("No")
    if value in (None, ""):
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField):
        try:
            return format_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if isinstance(field, models.DecimalField):
        try:
            return floatformat(Decimal(str(value)), "-2g")
        except ArithmeticError:
            return str(value)
    return str(value)


@dataclass(frozen=True)
class ConflictRow:
    """One field of a conflict: its label and both sides as users read them; `differs` when they are not equal."""

    name: str
    label: str
    phone: str
    office: str
    differs: bool

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "phone": self.phone, "office": self.office,
                "differs": self.differs}  # fmt: skip


def conflict_rows(
    *,
    model: type[models.Model],
    phone: dict[str, Any],
    office: dict[str, Any],
    phone_id_last_digit: str = "",
    office_id_last_digit: str = "",
) -> list[ConflictRow]:
    """The phone's changed fields beside the office's values now, in the form's order, differences first."""
    rows = [
        ConflictRow(
            name,
            field_label(model, name),
            display_value(model, name, phone[name]),
            display_value(model, name, office.get(name, "")),
            _canonical_equal(phone[name], office.get(name, "")) is False,
        )
        for name in (*HOUSEHOLD_FIELDS, *MEMBER_INPUT_FIELDS)
        if name in phone and name in office
    ]
    if phone_id_last_digit:
        office_id = national_id.mask(office_id_last_digit) if office_id_last_digit else EMPTY
        rows.append(ConflictRow("national_id", field_label(model, "national_id"),
                                national_id.mask(phone_id_last_digit), office_id, True))  # fmt: skip
    return sorted(rows, key=lambda row: not row.differs)


def _canonical_equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return _is_true(left) == _is_true(right)
    return str(left).strip() == str(right).strip()
