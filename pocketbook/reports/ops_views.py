"""The Help, ESS and Volunteers dashboards, the closed-incident search and the maps (reports-ops' pages).

Every dashboard reads the counters only (ops_figures), for the area in `?area=` (404 outside the viewer's
areas) and the fiscal year in `?year=`; a viewer without access to people sees small counts as "< 5".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.geo.selectors import areas_get
from pocketbook.reports import ops_figures, places
from pocketbook.reports.closed_incidents import ClosedIncidentFilters, closed_incident_page
from pocketbook.reports.map_points import household_points, incident_points
from pocketbook.reports.ops_support import (
    SMALL,
    AreaChoice,
    area_from_request,
    may_see_people,
    shown,
    shown_column,
    year_from_request,
)
from pocketbook.reports.svg_map import MapArea, circles_svg
from pocketbook.volunteers.selectors import coverage

AGGREGATES = "reports.view_aggregates"


def _require(request: AuthenticatedHttpRequest, *permissions: str) -> None:
    if not any(request.user.has_perm(permission) for permission in permissions):
        raise PermissionDenied


def _bars(rows: list[ops_figures.Row], *, people: bool) -> list[dict[str, Any]]:
    """Rows for a bar table: label, the value as shown, and the bar's width in % of the largest."""
    values = [int(row.value or 0) for row in rows]
    texts = shown_column(values, people=people)
    largest = max(values, default=0) or 1
    return [
        {
            "key": row.key,
            "label": row.label,
            "text": text,
            "width": 0 if text in ("< 5", "x") else round(100 * value / largest),
        }
        for row, value, text in zip(rows, values, texts, strict=True)
    ]


def _page(
    request: AuthenticatedHttpRequest, template: str, section: str, area: AreaChoice, **context: Any
) -> HttpResponse:
    return render(request, template, {"section": section, "area": area, **context})


@login_required
def help_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open cases, referrals by state and overdue, assistance by fund, time from need to help."""
    _require(request, AGGREGATES)
    area, year = area_from_request(request), year_from_request(request)
    figures = ops_figures.help_figures(area_code=area.code, year=year)
    people = may_see_people(request.user)
    return _page(
        request,
        "reports/ops/help.html",
        "help",
        area,
        year=year,
        figures=figures,
        people=people,
        open_cases=shown(figures.open_cases, people=people),
        referrals=_bars(figures.referrals, people=people),
        referrals_overdue=shown(figures.referrals_overdue, people=people),
        closed=_bars(figures.closed, people=people),
        funds=[
            {
                "label": fund.label,
                "entries": text,
                "baht_by_year": fund.baht_by_year
                if text not in ("< 5", "x")
                else [None for _year in fund.baht_by_year],
            }
            for fund, text in zip(
                figures.funds, shown_column([fund.entries for fund in figures.funds], people=people), strict=True
            )
        ],
        areas=_area_table(
            figures.areas,
            {
                "open_cases": _("Open cases"),
                "referrals_waiting": _("Referrals waiting"),
                "referrals_overdue": _("Overdue"),
                "assistance_entries": _("Assistance entries"),
            },
            people,
        ),
    )


def _area_table(rows: list[ops_figures.AreaRow], columns: dict[str, Any], people: bool) -> dict[str, Any]:
    """The table by child area: headings, and each area's cells as shown (small ones suppressed per column)."""
    cells = {column: shown_column([row.values[column] for row in rows], people=people) for column in columns}
    return {
        "headings": list(columns.values()),
        "rows": [
            {"code": row.code, "name": row.name, "cells": [cells[column][index] for column in columns]}
            for index, row in enumerate(rows)
        ],
    }


@login_required
def ess_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Incidents by type, channel, area and hour; minutes to each step; SLA compliance; open and overdue."""
    _require(request, AGGREGATES, "incidents.view_incident")
    area, year = area_from_request(request), year_from_request(request)
    figures = ops_figures.ess_figures(area_code=area.code, year=year)
    people = may_see_people(request.user) or request.user.has_perm("incidents.view_incident")
    return _page(
        request,
        "reports/ops/ess.html",
        "ess",
        area,
        year=year,
        figures=figures,
        received=shown(figures.received, people=people),
        open=shown(figures.open, people=people),
        open_overdue=shown(figures.open_overdue, people=people),
        by_type=_bars(figures.by_type, people=people),
        by_channel=_bars(figures.by_channel, people=people),
        by_hour=_bars(figures.by_hour, people=people),
        by_month=_bars(figures.by_month, people=people),
        open_by_status=_bars(figures.open_by_status, people=people),
        closed=_bars(figures.closed, people=people),
        areas=_area_table(
            figures.areas,
            {"received": _("Received this year"), "open": _("Open now"), "open_overdue": _("Overdue now")},
            people,
        ),
        may_search=request.user.has_perm("incidents.view_incident"),
    )


@login_required
def closed_incidents(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The operator's closed incidents, filtered and paged by cursor (no full count)."""
    _require(request, "incidents.view_incident")
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
        {
            "section": "ess",
            "form": form,
            "rows": rows,
            "next_url": f"?{next_query.urlencode()}" if page.next_cursor else "",
        },
    )


@login_required
def volunteers_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Coverage, visits done against due, training attendance."""
    _require(request, AGGREGATES)
    area, year = area_from_request(request), year_from_request(request)
    figures = ops_figures.volunteer_figures(area_code=area.code, year=year)
    people = may_see_people(request.user)
    rows, total = coverage(viewer=request.user, area_code=area.code) if area.code else ([], None)
    return _page(
        request,
        "reports/ops/volunteers.html",
        "volunteers",
        area,
        year=year,
        figures=figures,
        visits_done=shown(figures.visits_done_this_month, people=people),
        due=shown(figures.due_this_month, people=people),
        overdue=shown(figures.overdue, people=people),
        by_month=_bars(figures.visits_by_month, people=people),
        roles=_bars(figures.participants_by_role, people=people),
        participants=shown(figures.participants, people=people),
        attended=shown(figures.attended, people=people),
        coverage_rows=[
            {
                "name": row.name or row.area_code,
                "households": shown(row.households, people=people),
                "with_volunteer": shown(row.with_volunteer, people=people),
                "percent": row.percent,
            }
            for row in rows
        ],
        coverage_total=total,
        areas=_area_table(
            figures.areas, {"visits_done": _("Visits this year"), "overdue": _("Households overdue")}, people
        ),
    )


def map_areas(*, area_code: str, people: bool) -> list[MapArea]:
    """The child areas of the map with their centres, households and share failing."""
    found = places.place_list(area_code, children=True)
    names = areas_get([place.code for place in found])
    areas = []
    for place in found:
        suppressed = not people and 0 < place.households < SMALL
        areas.append(
            MapArea(
                code=place.code,
                name=names[place.code].name if place.code in names else place.code,
                centre=place.centre,
                households=place.households,
                share=None if suppressed else place.share_failing,
                households_shown=shown(place.households, people=people),
            )
        )
    return areas


@login_required
def map_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Households and incidents on a Leaflet map, and the same areas as circles that need no tiles."""
    _require(request, AGGREGATES, "households.view_household", "incidents.view_incident")
    area = area_from_request(request)
    people = may_see_people(request.user)
    areas = map_areas(area_code=area.code, people=people)
    return _page(
        request,
        "reports/ops/map.html",
        "map",
        area,
        svg=circles_svg(areas, title=_("Households and the share failing, by area")),
        map_areas=areas,
        unplaced=[item for item in areas if item.centre is None],
        map_tile_url=settings.MAP_TILE_URL,
        map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
        circles=[
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
    )


@login_required
def map_points(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The Leaflet map's points for this viewer and area (none of people's for an analyst)."""
    _require(request, AGGREGATES, "households.view_household", "incidents.view_incident")
    area = area_from_request(request)
    households, households_cut = household_points(viewer=request.user, area_code=area.code)
    incidents, incidents_cut = incident_points(viewer=request.user, area_code=area.code)
    return JsonResponse(
        {"households": households, "incidents": incidents, "truncated": households_cut or incidents_cut}
    )
