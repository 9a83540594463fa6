"""Validators shared by the models of every app: people's names."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Thai consonants, vowels and tone marks (not Thai digits), Latin letters with their accented forms.
_LETTER = re.compile(r"[\u0E01-\u0E4E\u0E5A\u0E5BA-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_NAME_CHARACTER = re.compile(r"[\u0E01-\u0E4E\u0E5A\u0E5BA-Za-z\u00C0-\u024F\u1E00-\u1EFF .\-'’()]")


_LETTERS = "\u0E01-\u0E4E\u0E5A\u0E5BA-Za-z\u00C0-\u024F\u1E00-\u1EFF"
_NAME = re.compile(f"(?=.*[{_LETTERS}])[{_LETTERS} .\\-'’()]+", re.S)
    r"(?=.*[\u0E01-\u0E4E\u0E5A\u0E5BA-Za-z\u00C0-\u024F\u1E00-\u1EFF])[\u0E01-\u0E4E\u0E5A\u0E5BA-Za-z\u00C0-\u024F\u1E00-\u1EFF .\-'’()]+",
    re.S,
)


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
