"""Dates the Thai way: shown in the Buddhist Era with Thai month names, typed in BE or CE.

Dates are stored in the Gregorian calendar. In Thai they are shown as "2 มิถุนายน 2566"; in
English as "2 June 2023". A typed date may use a BE year (2566) or a CE year (2023); the parser
says which one it understood, so the person can see a mix-up before saving.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BE_OFFSET = 543
THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Years a person could mean: CE 1900–2100 or BE 2443–2643. Anything else is a typing error.
CE_YEARS = range(1900, 2101)
BE_YEARS = range(1900 + BE_OFFSET, 2101 + BE_OFFSET)


class DateInputError(ValueError):
    """A typed date that cannot be understood; the message is ready to show to the person."""


@dataclass(frozen=True)
class UnderstoodDate:
    """A parsed date and which era its year was written in ("BE" or "CE")."""

    date: dt.date
    era: str

    def explanation(self) -> str:
        """Say in the active language how the input was read, for example "2 มิถุนายน 2566 (ปี พ.ศ.)"."""
        if self.era == "BE":
            return f"{format_date(self.date)} ({_('Buddhist Era year')})"
        # A CE year reads back in the active language's era, saying which year was typed.
        return _("%(date)s (read from the Christian Era year %(year)s)") % {
            "date": format_date(self.date),
            "year": self.date.year,
        }


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for index, name in enumerate(THAI_MONTHS, start=1):
        names[name] = index
    for index, name in enumerate(THAI_MONTHS_SHORT, start=1):
        names[name] = index
        names[name.replace(".", "")] = index
    for index, name in enumerate(ENGLISH_MONTHS, start=1):
        names[name.lower()] = index
        names[name[:3].lower()] = index
    return names


_MONTHS_BY_NAME = _month_names()
_NUMERIC_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([^\d\s]+)\s+(?:พ\.?ศ\.?\s*|ค\.?ศ\.?\s*)?(\d{1,4})$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_buddhist_year(year: int) -> int:
    """Return the Buddhist Era year of a Gregorian year."""
    return year + BE_OFFSET


def format_date(value: dt.date | dt.datetime | None, *, language: str | None = None, short: bool = False) -> str:
    """Show a date in the active language: BE with Thai month names in Thai, Gregorian in English."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    language = (language or translation.get_language() or "th")[:2]
    if language == "th":
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        return f"{value.day} {months[value.month - 1]} {to_buddhist_year(value.year)}"
    month = ENGLISH_MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} {value.year}"


def format_datetime(
    value: dt.datetime | None, *, language: str | None = None, short: bool = False, seconds: bool = False
) -> str:
    """Show a moment in Bangkok time: the date as `format_date` does, then HH:MM (HH:MM:SS where minutes count)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{format_date(local.date(), language=language, short=short)} {clock}"


def _year_and_era(year_text: str) -> tuple[int, str]:
    if len(year_text) != 4:
        raise DateInputError(_("Write the year with four digits, for example 2566 or 2023."))
    year = int(year_text)
    if year in BE_YEARS:
        return year - BE_OFFSET, "BE"
    if year in CE_YEARS:
        return year, "CE"
    raise DateInputError(
        _("The year %(year)s is neither a Buddhist Era year (2443–2643) nor a Christian Era year (1900–2100).")
        % {"year": year}
    )


def _build(year_text: str, month: int, day: int) -> UnderstoodDate:
    year, era = _year_and_era(year_text)
    try:
        return UnderstoodDate(dt.date(year, month, day), era)
    except ValueError:
        raise DateInputError(_("There is no such day in the calendar: check the day and the month.")) from None


def parse_date_input(text: str) -> UnderstoodDate:
    """Read a typed date: D/M/YYYY, YYYY-MM-DD or "2 มิถุนายน 2566"; the year may be BE or CE.

    Raises DateInputError with a message for the person when the input cannot be a date.
    """
    cleaned = " ".join((text or "").translate(_THAI_DIGITS).strip().split())
    if not cleaned:
        raise DateInputError(_("Enter a date."))
    if match := _ISO.match(cleaned):
        year_text, month, day = match.group(1), int(match.group(2)), int(match.group(3))
        return _build(year_text, month, day)
    if match := _NUMERIC_DMY.match(cleaned):
        day, month, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
        return _build(year_text, month, day)
    if match := _WORDS.match(cleaned):
        month_number = _MONTHS_BY_NAME.get(match.group(2).lower()) or _MONTHS_BY_NAME.get(match.group(2))
        if month_number is None:
            raise DateInputError(_("The month %(month)s is not a month name.") % {"month": match.group(2)})
        return _build(match.group(3), month_number, int(match.group(1)))
    raise DateInputError(_("Write the date as day/month/year, for example 2/6/2566."))


DATE_INPUT_HELP = gettext_lazy("day/month/year; the year may be Buddhist Era (2566) or Christian Era (2023)")


def fiscal_year(value: dt.date) -> int:
    """Return the Thai fiscal year (1 October – 30 September) of a date, as a Gregorian year."""
    return value.year + 1 if value.month >= 10 else value.year
