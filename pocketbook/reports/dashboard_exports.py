"""Exports of the dashboards' tables: the same cells as on screen, small counts suppressed the same way.

An analyst (aggregates only) may export these and nothing else; the figures come from `households_dashboard`,
so a cell shown as "< 5" or "*" on screen is written as "< 5" or "*" in the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pocketbook.core.exports import ListExport
from pocketbook.reports import privacy, scope, selectors


def _area_filters(query: Mapping[str, str]) -> dict[str, str]:
    """The dashboard's area (the drill-down kept in the URL)."""
    area = str(query.get("area", "")).strip()[:8]
    return {"area": area} if area else {}


def _shown(cell: privacy.Cell) -> Any:
    return cell.shown if cell.suppressed else cell.value


def households_by_area_header(viewer: Any, filters: Mapping[str, str]) -> list[str]:
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


def households_by_area_rows(viewer: Any, filters: Mapping[str, str]) -> list[Sequence[Any]]:
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
