"""One reading of numbers typed by people or sent by programs: Thai digits, thousands commas, no NaN.

Every money or count field of the forms, the API and the importer reads its value through
`parse_decimal`, so "5,000", "๕๐๐๐" and 5000 mean the same everywhere, and NaN, infinities and
numbers too long to store are refused with a message that says what to write instead.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# 5,000 and 1,250,000.50: commas only between groups of three digits, so "5,00" stays a mistake.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")

INVALID = _("Write a number in digits, for example 5000 or 5,000.")


def normalise_number_text(text: str) -> str:
    """Thai digits to Arabic ones, thousands commas and spaces out; anything else is left for the check."""
    value = text.translate(THAI_DIGITS).strip().replace(" ", "").replace("\u00a0", "")
    if _GROUPED.fullmatch(value):
        value = value.replace(",", "")
    return value


# A number as it arrives from a form, an API body, a file or code: typed text ("5,000", "๕๐๐๐") or a number.
NumberInput = str | int | float | Decimal | None


def parse_decimal(
    value: NumberInput,
    *,
    max_digits: int = 12,
    decimal_places: int = 2,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
) -> Decimal:
    """Read `value` (text, int, float or Decimal) as a finite Decimal within bounds, or raise ValidationError.

    Text may use Thai digits and thousands commas. NaN, infinities, exponents of text, more decimal
    places or digits than the field stores, and values outside [minimum, maximum] are refused.
    """
    if isinstance(value, bool):
        raise ValidationError(INVALID, code="invalid")
    amount: Decimal | None
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value)) if value == value and value not in (float("inf"), float("-inf")) else None
    elif isinstance(value, str):
        text = normalise_number_text(value)
        amount = Decimal(text) if _PLAIN.fullmatch(text) else None
    else:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(INVALID, code="invalid")
    _check_size(amount, max_digits=max_digits, decimal_places=decimal_places)
    if minimum is not None and amount < minimum:
        raise ValidationError(
            _("This must be at least %(limit)s."), code="min_value", params={"limit": grouped(minimum)}
        )
    if maximum is not None and amount > maximum:
        raise ValidationError(
            _("This must be at most %(limit)s. Check the number."),
            code="max_value",
            params={"limit": grouped(maximum)},
        )
    return amount


def _check_size(amount: Decimal, *, max_digits: int, decimal_places: int) -> None:
    try:
        _sign, digits, exponent = amount.as_tuple()
    except InvalidOperation:  # pragma: no cover - a finite Decimal always has a tuple
        raise ValidationError(INVALID, code="invalid") from None
    assert isinstance(exponent, int)
    places = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    if places > decimal_places:
        raise ValidationError(
            _("Use at most %(places)s decimal places."), code="max_decimal_places", params={"places": decimal_places}
        )
    if whole > max_digits - decimal_places:
        raise ValidationError(_("This number is too long. Check it."), code="max_whole_digits")


def grouped(limit: Decimal | int) -> str:
    """Write a number with thousands separators and no trailing zeros: 10,000,000 or 12.5."""
    return f"{Decimal(limit):,f}".rstrip("0").rstrip(".") if "." in f"{Decimal(limit):f}" else f"{int(limit):,}"


def _read_api_amount(value: Any) -> Any:
    if value is None:
        return None
    try:
        return parse_decimal(value)
    except ValidationError as error:
        raise PydanticCustomError("decimal_parsing", " ".join(str(m) for m in error.messages)) from None


# An amount in an API body: 5000, 5000.5, "5,000" or "๕๐๐๐"; NaN, infinities and overlong numbers answer 422.
ApiAmount = Annotated[
    Decimal,
    BeforeValidator(_read_api_amount),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}], "examples": [5000, "5,000"]}),
]
