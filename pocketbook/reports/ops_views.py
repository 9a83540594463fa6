"""The Help, ESS and Volunteers dashboards, the closed-incident search and the maps (reports-ops' pages).

Every dashboard reads the counters only (ops_figures), for the area in `?area=` (reports.views.report_context:
404 outside the viewer's areas, 403 without reports) and the fiscal year in `?year=`; a viewer without access
to people sees small counts as "< 5" (privacy.suppress_small).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.accounts.models import User
from pocketbook.geo.selectors import areas_get
from pocketbook.reports import ops_figures, places
from pocketbook.reports.closed_incidents import ClosedIncidentFilters, closed_incident_page
from pocketbook.reports.map_points import household_points, incident_points
from pocketbook.reports.ops_support import shown, shown_column, year_from_request
from pocketbook.reports.privacy import PRIMARY, SECONDARY, is_small
from pocketbook.reports.scope import ReportArea
from pocketbook.reports.svg_map import MapArea, circles_svg
from pocketbook.reports.views import report_context
from pocketbook.volunteers.selectors import coverage

Figures = TypeVar("Figures")  # a dashboard's counters (ops_figures.HelpFigures, ...), as its parts read them


def _bars(rows: list[ops_figures.Row], *, suppress: bool) -> list[dict[str, Any]]:
    """Rows for a bar table: label, the value as shown, and the bar's width in % of the largest."""
    values = [int(row.value or 0) for row in rows]
    texts = shown_column(values, suppress=suppress)
    largest = max(values, default=0) or 1
    return [
        {
            "key": row.key,
            "label": row.label,
            "text": text,
            "width": 0 if text in (PRIMARY, SECONDARY) else round(100 * value / largest),
        }
        for row, value, text in zip(rows, values, texts, strict=True)
    ]


def _area_table(rows: list[ops_figures.AreaRow], columns: dict[str, Any], suppress: bool) -> dict[str, Any]:
    """The table by child area: headings, and each area's cells as shown (small ones suppressed per column)."""
    cells = {column: shown_column([row.values[column] for row in rows], suppress=suppress) for column in columns}
    return {
        "headings": list(columns.values()),
        "rows": [
            {"code": row.code, "name": row.name, "cells": [cells[column][index] for column in columns]}
            for index, row in enumerate(rows)
        ],
    }


def _dashboard(
    request: AuthenticatedHttpRequest,
    key: str,
    figures_of: Callable[..., Figures],
    parts: Callable[[User, Figures, bool, ReportArea], dict[str, Any]],
) -> HttpResponse:
    """One dashboard: the area and fiscal year asked for, its figures from the counters, and the page's own parts
    (`parts(viewer, figures, suppress, area)`: the figures as shown, small counts suppressed), on
    reports/ops/<key>.html."""
    base = report_context(request, key)
    year = year_from_request(request)
    figures = figures_of(area_code=base["area"].code, year=year)
    context = {
        **base,
        "year": year,
        "figures": figures,
        **parts(request.user, figures, base["suppress"], base["area"]),
    }
    return render(request, f"reports/ops/{key}.html", context)


def help_parts(viewer: User, figures: ops_figures.HelpFigures, suppress: bool, _area: ReportArea) -> dict[str, Any]:
    """The Help dashboard's tables as shown (its exports write the same cells)."""
    entries = shown_column([fund.entries for fund in figures.funds], suppress=suppress)
    return {
        "open_cases": shown(figures.open_cases, suppress=suppress),
        "referrals": _bars(figures.referrals, suppress=suppress),
        "referrals_overdue": shown(figures.referrals_overdue, suppress=suppress),
        "closed": _bars(figures.closed, suppress=suppress),
        "funds": [
            {
                "label": fund.label,
                "entries": text,
                "baht_by_year": [None if text in (PRIMARY, SECONDARY) else baht for baht in fund.baht_by_year],
            }
            for fund, text in zip(figures.funds, entries, strict=True)
        ],
        "areas": _area_table(
            figures.areas,
            {
                "open_cases": _("Open cases"),
                "referrals_waiting": _("Referrals waiting"),
                "referrals_overdue": _("Overdue"),
                "assistance_entries": _("Assistance entries"),
            },
            suppress,
        ),
    }


@login_required
def help_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open cases, referrals by state and overdue, assistance by fund, time from need to help."""
    return _dashboard(request, "help", ops_figures.help_figures, help_parts)


def ess_parts(viewer: User, figures: ops_figures.EssFigures, suppress: bool, _area: ReportArea) -> dict[str, Any]:
    """The ESS dashboard's tables as shown (its exports write the same cells)."""
    return {
        "received": shown(figures.received, suppress=suppress),
        "open": shown(figures.open, suppress=suppress),
        "open_overdue": shown(figures.open_overdue, suppress=suppress),
        "by_type": _bars(figures.by_type, suppress=suppress),
        "by_channel": _bars(figures.by_channel, suppress=suppress),
        "by_hour": _bars(figures.by_hour, suppress=suppress),
        "by_month": _bars(figures.by_month, suppress=suppress),
        "open_by_status": _bars(figures.open_by_status, suppress=suppress),
        "closed": _bars(figures.closed, suppress=suppress),
        "areas": _area_table(
            figures.areas,
            {"received": _("Received this year"), "open": _("Open now"), "open_overdue": _("Overdue now")},
            suppress,
        ),
        "may_search": viewer.has_perm("incidents.view_incident"),
    }


@login_required
def ess_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Incidents by type, channel, area and hour; minutes to each step; SLA compliance; open and overdue."""
    return _dashboard(request, "ess", ops_figures.ess_figures, ess_parts)


@login_required
def closed_incidents(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The operator's closed incidents, filtered and paged by cursor (no full count)."""
    if not request.user.has_perm("incidents.view_incident"):
        raise PermissionDenied
    form = ClosedIncidentFilters(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = closed_incident_page(viewer=request.user, filters=filters, cursor=request.GET.get("cursor", ""))
    names = areas_get({incident.area_code for incident in page.incidents})
    rows = [
        (incident, names[incident.area_code].name if incident.area_code in names else "")
        for incident in page.incidents
    ]
    next_query = request.GET.copy()
    next_query["cursor"] = page.next_cursor
    return render(
        request,
        "reports/ops/closed_incidents.html",
        {"form": form, "rows": rows, "next_url": f"?{next_query.urlencode()}" if page.next_cursor else ""},
    )


def volunteer_parts(
    viewer: User, figures: ops_figures.VolunteerFigures, suppress: bool, area: ReportArea
) -> dict[str, Any]:
    """The Volunteers dashboard's tables as shown (its exports write the same cells)."""
    rows, total = coverage(viewer=viewer, area_code=area.code) if area.code else ([], None)
    return {
        "visits_done": shown(figures.visits_done_this_month, suppress=suppress),
        "due": shown(figures.due_this_month, suppress=suppress),
        "overdue": shown(figures.overdue, suppress=suppress),
        "by_month": _bars(figures.visits_by_month, suppress=suppress),
        "roles": _bars(figures.participants_by_role, suppress=suppress),
        "participants": shown(figures.participants, suppress=suppress),
        "attended": shown(figures.attended, suppress=suppress),
        "coverage_rows": [
            {
                "name": row.name or row.area_code,
                "households": shown(row.households, suppress=suppress),
                "with_volunteer": shown(row.with_volunteer, suppress=suppress),
                "percent": row.percent,
            }
            for row in rows
        ],
        "coverage_total": total,
        "areas": _area_table(
            figures.areas, {"visits_done": _("Visits this year"), "overdue": _("Households overdue")}, suppress
        ),
    }


@login_required
def volunteers_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Coverage, visits done against due, training attendance."""
    return _dashboard(request, "volunteers", ops_figures.volunteer_figures, volunteer_parts)


def map_areas(*, area_code: str, suppress: bool) -> list[MapArea]:
    """The child areas of the map with their centres, households and share failing."""
    found = places.place_list(area_code, children=True)
    names = areas_get([place.code for place in found])
    return [
        MapArea(
            code=place.code,
            name=names[place.code].name if place.code in names else place.code,
            centre=place.centre,
            households=place.households,
            share=None if suppress and is_small(place.households) else place.share_failing,
            households_shown=shown(place.households, suppress=suppress),
        )
        for place in found
    ]


@login_required
def map_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Households and incidents on a Leaflet map, and the same areas as circles that need no tiles."""
    base = report_context(request, "map")
    areas = map_areas(area_code=base["area"].code, suppress=base["suppress"])
    return render(
        request,
        "reports/ops/map.html",
        {
            **base,
            "svg": circles_svg(areas, title=_("Households and the share failing, by area")),
            "map_areas": areas,
            "map_tile_url": settings.MAP_TILE_URL,
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "circles": [
                {
                    "code": item.code,
                    "name": item.name,
                    "lat": item.centre.latitude,
                    "lng": item.centre.longitude,
                    "households": item.households_shown,
                    "size": item.households if item.share is not None else 0,
                    "share": None if item.share is None else round(100 * item.share),
                }
                for item in areas
                if item.centre is not None
            ],
        },
    )


@login_required
def map_points(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The Leaflet map's points for this viewer and area (none of people's for an analyst)."""
    area = report_context(request, "map")["area"]
    households, households_cut = household_points(viewer=request.user, area_code=area.code)
    incidents, incidents_cut = incident_points(viewer=request.user, area_code=area.code)
    return JsonResponse(
        {"households": households, "incidents": incidents, "truncated": households_cut or incidents_cut}
    )
