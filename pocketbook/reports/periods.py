"""Period codes of the tallies: "" the current state, "fy2569" a fiscal year (BE), "m2026-03" a month."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pocketbook.core.dates import fiscal_year

CURRENT = ""
FISCAL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)


def month_period(day: dt.date) -> str:
    """The month's period code, e.g. "m2026-03"."""
    return f"m{day.year:04d}-{day.month:02d}"


def fiscal_year_period(day: dt.date) -> str:
    """The fiscal year's period code in the Buddhist Era, e.g. "fy2569" for 1 Oct 2025 – 30 Sep 2026."""
    return f"fy{fiscal_year(day) + 543}"


def fiscal_year_be_period(year_be: int) -> str:
    """The period code of a fiscal year already written in the Buddhist Era."""
    return f"fy{year_be}"


def periods_of(day: dt.date) -> tuple[str, str]:
    """The month and the fiscal year a day counts in."""
    return month_period(day), fiscal_year_period(day)


def local_day(moment: dt.datetime) -> dt.date:
    """The local (Asia/Bangkok) date of an aware datetime."""
    return timezone.localtime(moment).date()


def months_of_fiscal_year(year_be: int) -> list[str]:
    """The twelve month codes of a fiscal year (BE), October first."""
    start = year_be - 543 - 1
    return [month_period(dt.date(start if month >= 10 else start + 1, month, 1)) for month in FISCAL_MONTHS]


def current_fiscal_year_be(today: dt.date | None = None) -> int:
    """This fiscal year in the Buddhist Era."""
    return fiscal_year(today or timezone.localdate()) + 543
