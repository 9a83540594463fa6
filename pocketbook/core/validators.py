"""Validators shared by the models, forms and API of every app: people's names, phone numbers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Thai consonants, vowels and tone marks (not Thai digits), Latin letters with their accented forms.
_LETTERS = "\u0e01-\u0e4e\u0e5a\u0e5bA-Za-z\u00c0-\u024f\u1e00-\u1eff"
_LETTER = re.compile(f"[{_LETTERS}]")
_NAME_CHARACTER = re.compile(f"[{_LETTERS} .\\-'’()]")
_NAME = re.compile(f"(?=.*[{_LETTERS}])[{_LETTERS} .\\-'’()]+", re.S)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def is_person_name(value: str) -> bool:
    """True when `person_name_validator` accepts a non-empty value (one regex: cheap enough per imported row)."""
    return _NAME.fullmatch(value) is not None


def person_name_validator(value: str) -> None:
    """Refuse a name without a Thai or Latin letter, or with emoji, digits or symbols in it."""
    if not value:
        return
    if not _LETTER.search(value):
        raise ValidationError(_("Write the name in Thai or Latin letters."), code="no_letters")
    if any(not _NAME_CHARACTER.fullmatch(character) for character in value):
        raise ValidationError(
            _("A name holds letters, spaces, dots and hyphens only: no emoji, digits or symbols."), code="symbols"
        )


# What people write between a phone number's digits: spaces, dashes, dots, brackets.
_PHONE_SEPARATORS = str.maketrans("", "", " -.()\u00a0")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_PHONE = re.compile(r"\+?[0-9]+")
HOUSEHOLD_PHONE = _("A phone number has 9 or 10 digits, for example 0812345678.")
HOTLINE_PHONE = _("Write the phone number in digits, for example 081-234-5678.")


def phone_digits(value: str, *, shortest: int = 9, longest: int = 12, message: StrOrPromise = HOUSEHOLD_PHONE) -> str:
    """Read a phone number as its digits (a leading + kept), or raise ValidationError.

    Spaces, dashes, dots and brackets between the digits are dropped and Thai digits read as Arabic
    ones; letters, emoji, slashes, invisible characters or a count of digits outside
    [shortest, longest] are refused. An empty value stays empty.
    """
    text = (value or "").strip().translate(_THAI_DIGITS).translate(_PHONE_SEPARATORS)
    if not text:
        return ""
    if not _PHONE.fullmatch(text) or not shortest <= len(text.lstrip("+")) <= longest:
        raise ValidationError(message, code="phone")
    return text
