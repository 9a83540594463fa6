"""What the operator board exports: the incidents of the operator's areas, open ones unless asked otherwise.

No reporter's name, phone or LINE id and no description leave through an export: the incident number leads
back to the record for those who may open it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.models import User
from pocketbook.core.exports import Column, ListExport, choice_label, yes_no
from pocketbook.incidents import selectors
from pocketbook.incidents.choices import CLOSED_STATUSES, OPEN_STATUSES, Channel, IncidentType, Priority, Status
from pocketbook.incidents.models import Incident

STATES = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES, "all": ()}


def filters_from(query: Mapping[str, str]) -> dict[str, str]:
    """Which incidents (open, closed or all; open by default, as on the board) and the area."""
    state = str(query.get("state", "open"))
    filters = {"state": state if state in STATES else "open"}
    if area := str(query.get("area", "")).strip()[:8]:
        filters["area"] = area
    return filters


def incident_rows(viewer: User, filters: Mapping[str, str]) -> QuerySet[Incident, tuple[Any, ...]]:
    """One row per incident, in the board's order (overdue first, then priority and age)."""
    area = filters.get("area", "")
    return selectors.incident_list(
        viewer=viewer,
        statuses=STATES.get(filters.get("state", "open"), OPEN_STATUSES),
        area_code=area if area.isdigit() else "",
    ).values_list(
        "number",
        "incident_type",
        "priority",
        "channel",
        "status",
        "area_code",
        "unit__name",
        "received_at",
        "acknowledged_at",
        "dispatched_at",
        "on_scene_at",
        "closed_at",
        "is_overdue",
    )


INCIDENTS = ListExport(
    key="incidents",
    label=_("Incidents"),
    permission="incidents.view_incident",
    columns=(
        Column(_("number")),
        Column(_("type"), choice_label(IncidentType)),
        Column(_("priority"), choice_label(Priority)),
        Column(_("channel"), choice_label(Channel)),
        Column(_("status"), choice_label(Status)),
        Column(_("area code")),
        Column(_("unit")),
        Column(_("received")),
        Column(_("acknowledged")),
        Column(_("dispatched")),
        Column(_("on scene")),
        Column(_("closed")),
        Column(_("overdue"), yes_no),
    ),
    rows=incident_rows,
    filters_from=filters_from,
    personal=False,
    order=70,
)
