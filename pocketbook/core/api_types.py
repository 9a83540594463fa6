"""Field types the API's schemas share: dates, times, phones, coordinates and ids read one strict way.

Pydantic's lax mode reads 0, "0" or -0.0 as a date (1970-01-01, a Unix time), true as the number 1 and a
time without an offset as naive; these types take only what a client means: a date as YYYY-MM-DD text,
a time as ISO text (read in settings.TIME_ZONE when it has no offset), a phone in digits, a coordinate
as a number. Each refusal is a `PydanticCustomError` whose message is already in the request's language.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from pocketbook.core.numbers import parse_decimal
from pocketbook.core.validators import HOTLINE_PHONE, HOUSEHOLD_PHONE, phone_digits

_PLACES = Decimal("0.000001")
# Years a record's date could mean, in the Christian Era: a Unix time, 0001 or 9999 is refused here; services keep
# their own, narrower rules (a birth or a visit in the future, an age over 130) and say them better.
API_YEARS = range(1800, 3000)
# Years of a plan (a training's days, a volunteer's term, a due date), which no rule of the past bounds: a Buddhist
# Era year (2443 onwards) sent by mistake lands outside.
PLAN_YEARS = range(1900, 2201)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?")

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _date_message() -> str:
    return _("Send a date as YYYY-MM-DD, for example 2024-06-15.")


def _datetime_message() -> str:
    return _("Send a date and time, for example 2024-06-15T14:30:00+07:00.")


def _check_year(year: int, kind: str, years: range = API_YEARS) -> None:
    if year not in years:
        raise PydanticCustomError(
            kind, _("Send a Christian Era year from %(first)s to %(last)s.") % {"first": years[0], "last": years[-1]}
        )


def _read_date(value: Any, years: range = API_YEARS) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_parsing", _date_message()) from None
    else:
        raise PydanticCustomError("date_parsing" if isinstance(value, str) else "date_type", _date_message())
    _check_year(day.year, "date_parsing", years)
    return day


def _read_datetime(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and _ISO_DATETIME.fullmatch(value.strip()):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("datetime_parsing", _datetime_message()) from None
    else:
        raise PydanticCustomError(
            "datetime_parsing" if isinstance(value, str) else "datetime_type", _datetime_message()
        )
    _check_year(moment.year, "datetime_parsing")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _read_phone(value: Any, *, shortest: int, longest: int, message: StrOrPromise) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", str(message))
    try:
        return phone_digits(value, shortest=shortest, longest=longest, message=message)
    except ValidationError as error:
        raise PydanticCustomError("phone", " ".join(str(m) for m in error.messages)) from None


def _read_household_phone(value: Any) -> Any:
    return None if value is None else _read_phone(value, shortest=9, longest=12, message=HOUSEHOLD_PHONE)


def _read_hotline_phone(value: Any) -> Any:
    if value is None:
        return None
    _read_phone(value, shortest=3, longest=15, message=HOTLINE_PHONE)
    return value.strip()


def _read_coordinate(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise PydanticCustomError("decimal_type", _("Send a number, for example 12.5."))
    try:  # a phone's GPS gives up to 15 places: they are rounded to the 6 stored (about 10 cm)
        degrees = parse_decimal(value, max_digits=18, decimal_places=15)
    except ValidationError as error:
        message = " ".join(str(m) for m in error.messages)
        if error.code == "max_decimal_places":
            message = _("Send the coordinate with at most 6 decimal places, for example 13.756331.")
        raise PydanticCustomError("decimal_parsing", message) from None
    return degrees.quantize(_PLACES, rounding=ROUND_HALF_EVEN)


# A date as "YYYY-MM-DD" text with a year from 1800 to 2999; numbers (Unix times) and other forms answer 422.
ApiDate = Annotated[
    dt.date,
    BeforeValidator(_read_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2024-06-15"]}),
]
# A planned date: the same, with a year from 1900 to 2200.
ApiPlanDate = Annotated[
    dt.date,
    BeforeValidator(lambda value: _read_date(value, PLAN_YEARS)),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2024-06-15"]}),
]
# A moment as ISO text; without an offset it is read in settings.TIME_ZONE (Asia/Bangkok). Numbers answer 422.
ApiDateTime = Annotated[
    dt.datetime,
    BeforeValidator(_read_datetime),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2024-06-15T14:30:00+07:00"]}),
]
# A household's or volunteer's phone, as the forms read it: 9 to 12 digits, stored as digits (a leading + kept).
ApiPhone = Annotated[
    str,
    BeforeValidator(_read_household_phone),
    WithJsonSchema({"type": "string", "maxLength": 20, "examples": ["0812345678"]}),
]
# A reporter's phone, as the hotline form reads it: 3 to 15 digits with spaces or dashes, stored as written.
ApiHotlinePhone = Annotated[
    str,
    BeforeValidator(_read_hotline_phone),
    WithJsonSchema({"type": "string", "maxLength": 40, "examples": ["081-234-5678", "191"]}),
]
# Coordinates rounded to the 6 places the models store; a boolean, NaN or more than 15 places answer 422.
ApiLatitude = Annotated[
    Decimal,
    BeforeValidator(_read_coordinate),
    Field(ge=-90, le=90),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}], "minimum": -90, "maximum": 90}),
]
ApiLongitude = Annotated[
    Decimal,
    BeforeValidator(_read_coordinate),
    Field(ge=-180, le=180),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}], "minimum": -180, "maximum": 180}),
]
# A row's id given as a filter or a reference: a whole number from 1; "-0", 0 or negatives answer 422.
ApiId = Annotated[int, Field(ge=1)]
