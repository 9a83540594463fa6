"""Thai national ID numbers: check, mask, encrypt and hash them.

The check digit is python-stdnum's (`stdnum.th.pin`). stdnum refuses numbers starting with 0 or 9
as an invalid component; the project's rule (DESIGN.md) accepts numbers starting with 0 — they are
issued to people without Thai registration status — and checks their check digit with stdnum's own
`calc_check_digit`. Numbers starting with 9 are not issued and stay refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.th import pin

from pocketbook.core import crypto

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MASK = "x-xxxx-xxxxx-xx-"


def normalize(text: str) -> str:
    """Strip spaces and dashes and turn Thai digits into Arabic ones."""
    return pin.compact((text or "").translate(_THAI_DIGITS).replace(".", ""))


def validate(text: str) -> str:
    """Return the 13 digits of a valid national ID or raise ValidationError with a message for the person."""
    if len(text) == 13 and text.isascii() and text.isdigit() and text[0] not in "09":
        # The common case, checked without stdnum's slower clean-up (the check digit is still stdnum's).
        if text[-1] == pin.calc_check_digit(text):
            return text
        raise ValidationError(_check_digit_message(text), code="checksum")
    number = normalize(text)
    try:
        return pin.validate(number)
    except InvalidLength:
        raise ValidationError(
            _("A national ID has 13 digits; this one has %(count)s.") % {"count": len(number)}, code="length"
        ) from None
    except InvalidFormat:
        raise ValidationError(_("A national ID has digits only."), code="format") from None
    except InvalidChecksum:
        raise ValidationError(_check_digit_message(number), code="checksum") from None
    except InvalidComponent:
        if number.startswith("0"):
            return _validate_zero_prefixed(number)
        raise ValidationError(
            _("No national ID starts with %(digit)s. Check the first digit.") % {"digit": number[0]}, code="component"
        ) from None
    except StdnumValidationError:
        raise ValidationError(_("This is not a valid national ID."), code="invalid") from None


def _validate_zero_prefixed(number: str) -> str:
    if len(set(number[:12])) == 1:
        raise ValidationError(_("This is not a valid national ID."), code="invalid")
    if number[-1] != pin.calc_check_digit(number):
        raise ValidationError(_check_digit_message(number), code="checksum")
    return number


def _check_digit_message(number: str) -> str:
    return _(
        "The last digit of this national ID does not match the other twelve (check digit). "
        "Check each digit against the card."
    )


def is_valid(text: str) -> bool:
    """True when `text` is a valid national ID under the project's rule."""
    try:
        validate(text)
    except ValidationError:
        return False
    return True


def mask(last_digit: str) -> str:
    """Show an ID as x-xxxx-xxxxx-xx-3, keeping only its check digit."""
    return MASK + last_digit if last_digit else ""


def display(number: str) -> str:
    """Show a full ID in its usual groups: 1-2345-67890-12-3."""
    return pin.format(number)


@dataclass(frozen=True)
class StoredId:
    """What the database keeps of one national ID."""

    encrypted: str
    lookup_hash: str
    last_digit: str


def protect(number: str) -> StoredId:
    """Encrypt a validated ID and compute its look-up hash."""
    return StoredId(encrypted=crypto.encrypt(number), lookup_hash=crypto.lookup_hash(number), last_digit=number[-1])


def lookup_hash(text: str) -> str | None:
    """The look-up hash of a typed ID, or None when it is not a valid ID (so nothing can match)."""
    try:
        return crypto.lookup_hash(validate(text))
    except ValidationError:
        return None


def reveal(encrypted: str) -> str:
    """Decrypt a stored ID."""
    return crypto.decrypt(encrypted)
