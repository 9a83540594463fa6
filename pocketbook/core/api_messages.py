"""Pydantic's built-in validation messages in the request's language.

Pydantic writes its messages in English ("Input should be less than or equal to 90"). The API answers in the
request's language, Thai first, so each built-in error type has a translatable message here, filled from the
error's own context. A message the project wrote itself (a `PydanticCustomError`, a service's ValidationError)
is already in the request's language and is left as it is. English requests keep Pydantic's own wording.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, cast

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic_core import PydanticKnownError
from pydantic_core.core_schema import ErrorType

from pocketbook.core.numbers import grouped

# Pydantic error type -> message; %(name)s placeholders are keys of the error's `ctx`.
MESSAGES: dict[str, Promise] = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field is not part of the request; remove it."),
    "none_required": gettext_lazy("Leave this field empty (null)."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
    "json_type": gettext_lazy("Send JSON text."),
    "model_type": gettext_lazy("Send a JSON object, for example {}."),
    "model_attributes_type": gettext_lazy("Send a JSON object, for example {}."),
    "dict_type": gettext_lazy("Send a JSON object, for example {}."),
    "mapping_type": gettext_lazy("Send a JSON object, for example {}."),
    "list_type": gettext_lazy("Send a list, for example []."),
    "tuple_type": gettext_lazy("Send a list, for example []."),
    "set_type": gettext_lazy("Send a list, for example []."),
    "frozen_set_type": gettext_lazy("Send a list, for example []."),
    "iterable_type": gettext_lazy("Send a list, for example []."),
    "too_short": gettext_lazy("Send at least %(min_length)s items."),
    "too_long": gettext_lazy("Send at most %(max_length)s items."),
    "string_type": gettext_lazy("Send text."),
    "string_unicode": gettext_lazy("Send text."),
    "string_too_short": gettext_lazy("Use at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Use at most %(max_length)s characters."),
    "string_pattern_mismatch": gettext_lazy("This does not have the expected form (%(pattern)s)."),
    "string_not_ascii": gettext_lazy("Use only Latin letters, digits and signs."),
    "bool_type": gettext_lazy("Send true or false."),
    "bool_parsing": gettext_lazy("Send true or false."),
    "int_type": gettext_lazy("Send a whole number."),
    "int_parsing": gettext_lazy("Send a whole number, for example 12."),
    "int_parsing_size": gettext_lazy("This number is too large."),
    "int_from_float": gettext_lazy("Send a whole number, without decimals."),
    "float_type": gettext_lazy("Send a number."),
    "float_parsing": gettext_lazy("Send a number, for example 12.5."),
    "finite_number": gettext_lazy("Send a real number, not NaN or infinity."),
    "decimal_type": gettext_lazy("Send a number."),
    "decimal_parsing": gettext_lazy("Send a number, for example 12.5."),
    "decimal_max_digits": gettext_lazy("Use at most %(max_digits)s digits."),
    "decimal_max_places": gettext_lazy("Use at most %(decimal_places)s decimal places."),
    "decimal_whole_digits": gettext_lazy("Use at most %(whole_digits)s digits before the decimal point."),
    "greater_than": gettext_lazy("Must be greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Must be at least %(ge)s."),
    "less_than": gettext_lazy("Must be less than %(lt)s."),
    "less_than_equal": gettext_lazy("Must be at most %(le)s."),
    "multiple_of": gettext_lazy("Must be a multiple of %(multiple_of)s."),
    "literal_error": gettext_lazy("Choose one of %(expected)s."),
    "enum": gettext_lazy("Choose one of %(expected)s."),
    "union_tag_invalid": gettext_lazy("Choose one of %(expected_tags)s."),
    "union_tag_not_found": gettext_lazy("This field is required."),
    "date_type": gettext_lazy("Send a date as YYYY-MM-DD, for example 2024-06-15."),
    "date_parsing": gettext_lazy("Send a date as YYYY-MM-DD, for example 2024-06-15."),
    "date_from_datetime_parsing": gettext_lazy("Send a date as YYYY-MM-DD, for example 2024-06-15."),
    "date_from_datetime_inexact": gettext_lazy("Send a date without a time, for example 2024-06-15."),
    "date_past": gettext_lazy("The date must be in the past."),
    "date_future": gettext_lazy("The date must be in the future."),
    "time_type": gettext_lazy("Send a time as HH:MM, for example 14:30."),
    "time_parsing": gettext_lazy("Send a time as HH:MM, for example 14:30."),
    "datetime_type": gettext_lazy("Send a date and time, for example 2024-06-15T14:30:00+07:00."),
    "datetime_parsing": gettext_lazy("Send a date and time, for example 2024-06-15T14:30:00+07:00."),
    "datetime_object_invalid": gettext_lazy("Send a date and time, for example 2024-06-15T14:30:00+07:00."),
    "datetime_from_date_parsing": gettext_lazy("Send a date and time, for example 2024-06-15T14:30:00+07:00."),
    "timezone_naive": gettext_lazy("Send the time without a time zone."),
    "timezone_aware": gettext_lazy("Send the time with its time zone, for example +07:00."),
    "uuid_type": gettext_lazy("Send an identifier (UUID)."),
    "uuid_parsing": gettext_lazy("Send an identifier (UUID), for example 1b4e28ba-2fa1-11d2-883f-0016d3cca427."),
    "url_type": gettext_lazy("Send a web address."),
    "url_parsing": gettext_lazy("Send a web address, for example https://example.org/."),
    "url_scheme": gettext_lazy("Send a web address that starts with %(expected_schemes)s."),
}
# Raised by the project's own validators: their text is already in the request's language.
OWN_TEXT = {"value_error", "assertion_error"}


def field_message(error: dict[str, Any]) -> str:
    """Say what is wrong with one field of a Pydantic error list, in the active language."""
    message = str(error.get("msg", ""))
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind in OWN_TEXT and "error" in context:
        return str(context["error"])
    if (translation.get_language() or "").startswith("en") or not _is_built_in(kind, context, message):
        return message
    template = MESSAGES.get(kind)
    if template is None:
        return _("This value is not valid (%(detail)s).") % {"detail": message}
    try:
        return str(template) % {key: _shown(key, value) for key, value in context.items()}
    except (KeyError, TypeError, ValueError):
        return _("This value is not valid (%(detail)s).") % {"detail": message}


def _is_built_in(kind: str, context: dict[str, Any], message: str) -> bool:
    """Tell Pydantic's own wording from a message the project wrote under the same error type."""
    try:
        return PydanticKnownError(cast(ErrorType, kind), context or None).message() == message
    except (KeyError, TypeError, ValueError):
        return False


def _shown(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal) and math.isfinite(value):
        return grouped(Decimal(str(value)))
    if key in {"expected", "expected_tags", "expected_schemes"}:
        # Pydantic joins the choices in English: "'a', 'b' or 'c'".
        head, separator, last = str(value).rpartition(" or ")
        if separator:
            return _("%(choices)s or %(last)s") % {"choices": head, "last": last}
    return str(value)
