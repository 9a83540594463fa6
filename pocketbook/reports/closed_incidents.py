"""The closed-incident search of the ESS dashboard: the operator's closed incidents, newest closed first.

Scoped like every incident read (`Incident.objects.for_user`), filtered on indexed columns, and paged by a
cursor (the last row's closing time and id) read along `incidents_closed_idx`: no page counts the whole table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import AnyUser
from pocketbook.core.forms import ThaiDateField
from pocketbook.incidents.choices import CLOSED_STATUSES, Channel, IncidentType
from pocketbook.incidents.models import Incident

PAGE_SIZE = 50
CLOSED_CHOICES = [("", _("Any"))] + [(status.value, status.label) for status in CLOSED_STATUSES]


class ClosedIncidentFilters(forms.Form):
    """What an operator narrows the closed incidents by; every field optional."""

    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    incident_type = forms.ChoiceField(label=_("Type"), choices=[("", _("Any")), *IncidentType.choices], required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("Any")), *Channel.choices], required=False)
    status = forms.ChoiceField(label=_("Ended as"), choices=CLOSED_CHOICES, required=False)
    area = forms.RegexField(
        label=_("Area code"),
        regex=r"^(\d{2}|\d{4}|\d{6}|\d{8})$",
        required=False,
        error_messages={"invalid": _("An area code has 2, 4, 6 or 8 digits.")},
    )
    closed_from = ThaiDateField(label=_("Closed from"), required=False)
    closed_to = ThaiDateField(label=_("Closed until"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("closed_from"), data.get("closed_to")
        if start and end and end < start:
            self.add_error("closed_to", _("The end comes before the start."))
        return data


@dataclass
class ClosedPage:
    """One page of closed incidents and the cursor of the next page ("" when this is the last)."""

    incidents: list[Incident]
    next_cursor: str


def _cursor(incident: Incident) -> str:
    assert incident.closed_at is not None
    return f"{incident.closed_at.isoformat()}~{incident.pk}"


def _after_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    """The (closing time, id) a cursor stands for; None for a cursor that is not one (start from the top)."""
    moment, _sep, pk = (cursor or "").partition("~")
    parsed = parse_datetime(moment) if moment else None
    if parsed is None or not pk.isdigit() or timezone.is_naive(parsed):
        return None
    return parsed, int(pk)


def closed_incident_page(
    *, viewer: AnyUser, filters: dict[str, Any], cursor: str = "", page_size: int = PAGE_SIZE
) -> ClosedPage:
    """The viewer's closed incidents matching `filters` (cleaned ClosedIncidentFilters data), one page."""
    incidents = Incident.objects.for_user(viewer, "view").filter(
        closed_at__isnull=False, status__in=[status.value for status in CLOSED_STATUSES]
    )
    if filters.get("number"):
        incidents = incidents.filter(number=filters["number"].strip())
    for name, column in (("incident_type", "incident_type"), ("channel", "channel"), ("status", "status")):
        if filters.get(name):
            incidents = incidents.filter(**{column: filters[name]})
    if filters.get("area"):
        incidents = incidents.filter(area_code__startswith=filters["area"])
    zone = timezone.get_current_timezone()
    if filters.get("closed_from"):
        incidents = incidents.filter(closed_at__gte=dt.datetime.combine(filters["closed_from"], dt.time.min, zone))
    if filters.get("closed_to"):
        end = dt.datetime.combine(filters["closed_to"] + dt.timedelta(days=1), dt.time.min, zone)
        incidents = incidents.filter(closed_at__lt=end)
    after = _after_cursor(cursor)
    if after is not None:
        closed_at, pk = after
        incidents = incidents.filter(Q(closed_at__lt=closed_at) | Q(closed_at=closed_at, pk__lt=pk))
    rows = list(incidents.select_related("unit").order_by("-closed_at", "-id")[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    return ClosedPage(incidents=rows, next_cursor=_cursor(rows[-1]) if has_more else "")
