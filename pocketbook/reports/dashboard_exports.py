"""Exports of the dashboards' tables: the same cells as on screen, small counts suppressed the same way.

An analyst (aggregates only) may export these and nothing else. Each table's rows come from the very function
that fills the page (`households_dashboard`, and `ops_views.help_parts`, `ess_parts`, `volunteer_parts`), so a
cell shown as "< 5" or "*" on screen is written as "< 5" or "*" in the file; a count shown is written as a
number. Each table is offered beside itself: its `place` is its own key (`{% export_buttons key %}`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.models import User
from pocketbook.core.exports import ListExport
from pocketbook.reports import ops_figures, ops_views, privacy, scope, selectors
from pocketbook.reports.periods import current_fiscal_year_be

_COUNT = re.compile(r"\d{1,3}(,\d{3})*")
Table = tuple[list[str], list[Sequence[Any]]]  # header, rows


def _area_filters(query: Mapping[str, str]) -> dict[str, str]:
    """The dashboard's area (the drill-down kept in the URL)."""
    area = str(query.get("area", "")).strip()[:8]
    return {"area": area} if area else {}


def _area_year_filters(query: Mapping[str, str]) -> dict[str, str]:
    """The dashboard's area and fiscal year (BE), as the page reads them."""
    year = str(query.get("year", "")).strip()
    return _area_filters(query) | ({"year": year} if year.isdigit() and 2500 <= int(year) <= 2700 else {})


def _count(text: str) -> Any:
    """A count as shown ("1,234") written as a number; "< 5", "*" and "–" stay as they are."""
    return int(text.replace(",", "")) if _COUNT.fullmatch(text) else text


def _shown(cell: privacy.Cell) -> Any:
    return cell.shown if cell.suppressed else cell.value


def households_by_area_header(viewer: User, filters: Mapping[str, str]) -> list[str]:
    """Area code and name, registered, assessed, then one "failing" column per dimension of the current set."""
    names = selectors.labels()
    dimensions = [str(names.dimensions.get(d, d)) for d in names.layout.dimensions]
    return [
        gettext("area code"),
        gettext("Area"),
        gettext("registered"),
        gettext("assessed"),
        *(gettext("fail %(name)s") % {"name": name} for name in dimensions),
    ]


def households_by_area_rows(viewer: User, filters: Mapping[str, str]) -> list[Sequence[Any]]:
    """The dashboard's "by area" table of the chosen area (an area outside the viewer's scope: Http404)."""
    area = scope.report_area(viewer, filters.get("area", ""))
    dashboard = selectors.households_dashboard(viewer=viewer, area=area)
    return [
        [child["code"], child["name"], *(_shown(cell) for cell in child["cells"])] for child in dashboard["children"]
    ]


HOUSEHOLDS_BY_AREA = ListExport(
    key="households_by_area",
    label=_("Households by area"),
    permission="reports.view_aggregates",
    columns=(),
    rows=households_by_area_rows,
    filters_from=_area_filters,
    personal=False,
    order=200,
    place="reports_households",
    header=households_by_area_header,
)


def _table_export(key: str, label: Any, build: Callable[[User, Mapping[str, str]], Table], order: int) -> ListExport:
    """A dashboard table's export, offered beside the table (`{% export_buttons key %}`) to the dashboard's viewers."""
    return ListExport(
        key=key,
        label=label,
        permission="reports.view_aggregates",
        columns=(),
        rows=lambda viewer, filters: build(viewer, filters)[1],
        filters_from=_area_year_filters,
        personal=False,
        order=order,
        place=key,
        header=lambda viewer, filters: build(viewer, filters)[0],
    )


def _households(viewer: User, filters: Mapping[str, str]) -> dict[str, Any]:
    area = scope.report_area(viewer, filters.get("area", ""))
    return selectors.households_dashboard(viewer=viewer, area=area)


def _percent(text: Any) -> Any:
    return "" if text in (None, "") else text


def dimensions_table(viewer: User, filters: Mapping[str, str]) -> Table:
    """Households failing each dimension: count and %."""
    rows = _households(viewer, filters)["dimension_rows"]
    return (
        [gettext("Dimension"), gettext("Households"), "%"],
        [[str(row["name"]), _shown(row["cell"]), _percent(row["percent"])] for row in rows],
    )


def indicators_table(viewer: User, filters: Mapping[str, str]) -> Table:
    """Households failing each indicator: count and %."""
    rows = _households(viewer, filters)["indicator_rows"]
    return (
        [gettext("Indicator"), gettext("Dimension"), gettext("Households"), "%"],
        [[str(row["name"]), str(row["dimension"]), _shown(row["cell"]), _percent(row["percent"])] for row in rows],
    )


def trend_table(viewer: User, filters: Mapping[str, str]) -> Table:
    """Improved / same / worse per dimension between visits, by fiscal year."""
    rows = _households(viewer, filters)["trend"]["changes"]
    return (
        [gettext("Fiscal year"), gettext("Dimension"), gettext("improved"), gettext("same"), gettext("worse")],
        [[row["year"], str(row["dimension"]), *(_shown(cell) for cell in row["cells"])] for row in rows],
    )


def _ops_parts(dashboard: str, viewer: User, filters: Mapping[str, str]) -> dict[str, Any]:
    """An ops dashboard's tables as its page shows them to this viewer (area outside the scope: Http404)."""
    area = scope.report_area(viewer, filters.get("area", ""))
    year = int(filters["year"]) if filters.get("year", "").isdigit() else current_fiscal_year_be()
    dashboards: dict[str, tuple[Callable[..., Any], Callable[..., dict[str, Any]]]] = {
        "help": (ops_figures.help_figures, ops_views.help_parts),
        "ess": (ops_figures.ess_figures, ops_views.ess_parts),
        "volunteers": (ops_figures.volunteer_figures, ops_views.volunteer_parts),
    }
    figures_of, parts_of = dashboards[dashboard]
    figures = figures_of(area_code=area.code, year=year)
    return {"figures": figures, **parts_of(viewer, figures, not privacy.sees_people(viewer), area)}


def _bars_table(dashboard: str, name: str, what: Any) -> Callable[[User, Mapping[str, str]], Table]:
    def build(viewer: User, filters: Mapping[str, str]) -> Table:
        rows = _ops_parts(dashboard, viewer, filters)[name]
        return [str(what), gettext("Count")], [[str(row["label"]), _count(row["text"])] for row in rows]

    return build


def _areas_table(dashboard: str) -> Callable[[User, Mapping[str, str]], Table]:
    def build(viewer: User, filters: Mapping[str, str]) -> Table:
        table = _ops_parts(dashboard, viewer, filters)["areas"]
        return (
            [gettext("area code"), gettext("Area"), *(str(heading) for heading in table["headings"])],
            [[row["code"], str(row["name"]), *(_count(cell) for cell in row["cells"])] for row in table["rows"]],
        )

    return build


def funds_table(viewer: User, filters: Mapping[str, str]) -> Table:
    """Assistance by fund: entries this fiscal year, baht per fiscal year (hidden beside a suppressed count)."""
    parts = _ops_parts("help", viewer, filters)
    year = filters.get("year", "") or str(current_fiscal_year_be())
    return (
        [
            gettext("Fund"),
            gettext("Entries %(year)s") % {"year": year},
            *(str(y) for y in parts["figures"].fund_years),
        ],
        [
            [
                str(fund["label"]),
                _count(fund["entries"]),
                *("–" if baht is None else baht for baht in fund["baht_by_year"]),
            ]
            for fund in parts["funds"]
        ],
    )


def coverage_table(viewer: User, filters: Mapping[str, str]) -> Table:
    """Households with a volunteer, by area."""
    rows = _ops_parts("volunteers", viewer, filters)["coverage_rows"]
    return (
        [gettext("Area"), gettext("Households"), gettext("With a volunteer"), "%"],
        [[str(row["name"]), _count(row["households"]), _count(row["with_volunteer"]), row["percent"]] for row in rows],
    )


TABLES = (
    _table_export("households_dimensions", _("Households failing each dimension"), dimensions_table, 201),
    _table_export("households_indicators", _("Households failing per indicator"), indicators_table, 202),
    _table_export("households_trend", _("Trend by fiscal year"), trend_table, 203),
    _table_export("help_referrals", _("Referrals by state"), _bars_table("help", "referrals", _("State")), 210),
    _table_export(
        "help_closed", _("Cases closed this fiscal year"), _bars_table("help", "closed", _("Ended as")), 211
    ),
    _table_export("help_funds", _("Assistance by fund and fiscal year"), funds_table, 212),
    _table_export("help_areas", _("Help by area"), _areas_table("help"), 213),
    _table_export("ess_by_type", _("Incidents by type"), _bars_table("ess", "by_type", _("Type")), 220),
    _table_export("ess_by_channel", _("Incidents by channel"), _bars_table("ess", "by_channel", _("Channel")), 221),
    _table_export("ess_by_month", _("Incidents by month received"), _bars_table("ess", "by_month", _("Month")), 222),
    _table_export("ess_by_hour", _("Incidents by hour of the day"), _bars_table("ess", "by_hour", _("Hour")), 223),
    _table_export(
        "ess_open_by_status", _("Open incidents by status"), _bars_table("ess", "open_by_status", _("Status")), 224
    ),
    _table_export("ess_closed", _("How incidents ended"), _bars_table("ess", "closed", _("Ended as")), 225),
    _table_export("ess_areas", _("Incidents by area"), _areas_table("ess"), 226),
    _table_export("volunteers_by_month", _("Visits by month"), _bars_table("volunteers", "by_month", _("Month")), 230),
    _table_export(
        "volunteers_roles", _("Registered for training, by role"), _bars_table("volunteers", "roles", _("Role")), 231
    ),
    _table_export("volunteers_coverage", _("Coverage: households with a volunteer"), coverage_table, 232),
    _table_export("volunteers_areas", _("Volunteers by area"), _areas_table("volunteers"), 233),
)
