"""Template filters for Thai dates; loaded as builtins, so every template has them."""

from __future__ import annotations

import datetime as dt

from django import template

from pocketbook.core import dates
from pocketbook.core.models import Viewer

register = template.Library()


@register.filter
def thaidate(value: dt.date | dt.datetime | None) -> str:
    """`{{ day|thaidate }}` → "2 มิถุนายน 2566" in Thai, "2 June 2023" in English."""
    return dates.format_date(value)


@register.filter
def thaidate_short(value: dt.date | dt.datetime | None) -> str:
    """`{{ day|thaidate_short }}` → "2 มิ.ย. 2566"."""
    return dates.format_date(value, short=True)


@register.filter
def thaidatetime(value: dt.datetime | None) -> str:
    """`{{ moment|thaidatetime }}` → "2 มิถุนายน 2566 14:05" in Bangkok time."""
    return dates.format_datetime(value)


@register.filter
def thaidatetime_seconds(value: dt.datetime | None) -> str:
    """`{{ moment|thaidatetime_seconds }}` → "2 มิถุนายน 2566 14:05:09": for emergencies, where minutes count."""
    return dates.format_datetime(value, seconds=True)


@register.filter
def user_name(user: Viewer | None) -> str:
    """`{{ batch.actor|user_name }}` → the person's full name, else the login, else "—" (a deleted account)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
