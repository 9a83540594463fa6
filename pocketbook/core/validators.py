"""Validators shared by the models of every app: people's names."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Thai consonants, vowels and tone marks (not Thai digits), Latin letters with their accented forms.
_LETTERS = "\u0e01-\u0e4e\u0e5a\u0e5bA-Za-z\u00c0-\u024f\u1e00-\u1eff"
_LETTER = re.compile(f"[{_LETTERS}]")
_NAME_CHARACTER = re.compile(f"[{_LETTERS} .\\-'’()]")
_NAME = re.compile(f"(?=.*[{_LETTERS}])[{_LETTERS} .\\-'’()]+", re.S)


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
