"""Every read of the reports: the figures of one area of the viewer's scope, from the counters only.

Each function reads a fixed number of counter rows (the area, its children, a few periods), whatever the
number of households, and applies small-cell suppression for viewers who do not see people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import AnyUser
from pocketbook.assessments.models import Indicator, IndicatorSet
from pocketbook.assessments.selectors import indicator_set_current
from pocketbook.core.dates import fiscal_year
from pocketbook.reports import charts, privacy, scope
from pocketbook.reports.household_counts import HOUSEHOLDS, SetLayout, fiscal_period, month_period, set_layout_at
from pocketbook.reports.poverty import PovertyFigures, poverty_figures
from pocketbook.reports.tallies import tally_read

TREND_YEARS = 5


@dataclass(frozen=True)
class Labels:
    """Names of the current indicator set's dimensions and indicators, in the request's language."""

    layout: SetLayout
    dimensions: dict[str, str]
    indicators: dict[str, str]


def labels() -> Labels:
    """The current indicator set's layout and names (one query; the rest is cached until the set changes)."""
    current: tuple[int, dt.datetime | None] | None = (
        IndicatorSet.objects.filter(is_current=True).values_list("pk", "updated_at").first()
    )
    if current is None:
        current = (indicator_set_current().pk, None)  # raises IndicatorSet.DoesNotExist: no set loaded
    return _labels(current[0], current[1], (get_language() or "th").startswith("en"))


@lru_cache(maxsize=16)
def _labels(set_id: int, updated_at: dt.datetime | None, english: bool) -> Labels:
    indicator_set = IndicatorSet.objects.get(pk=set_id)
    dimensions = {d["key"]: d["name_en" if english else "name_th"] for d in indicator_set.dimensions}
    indicators = {
        code: f"{number}. {text_en if english else text_th}"
        for code, number, text_th, text_en in Indicator.objects.filter(indicator_set_id=set_id)
        .order_by("position")
        .values_list("code", "number", "text_th", "text_en")
    }
    return Labels(set_layout_at(set_id, updated_at), dimensions, indicators)


def _months_back(today: dt.date, count: int) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _step in range(count):
        out.append(month_period(dt.date(year, month, 1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _percent_shown(cell: privacy.Cell, whole: int) -> str:
    return "" if cell.suppressed else f"{_percent(cell.value or 0, whole):.1f}"


def households_dashboard(*, viewer: AnyUser, area: scope.ReportArea, today: dt.date | None = None) -> dict[str, Any]:
    """The households section of one area: headline figures, failing by dimension and indicator, areas, trend."""
    today = today or timezone.localdate()
    suppress = not privacy.sees_people(viewer)
    names = labels()
    months = _months_back(today, 12)
    current_fy = fiscal_year(today)
    years = [fiscal_period(dt.date(current_fy - back, 1, 1)) for back in range(TREND_YEARS - 1, -1, -1)]
    raw = tally_read(topic=HOUSEHOLDS, area_code=area.code, periods=("", *months, *years))
    own = {key: value for (_a, period, key), value in raw.items() if period == ""}
    assessed = own.get("assessed", 0)
    recent = sum(value for (_a, period, key), value in raw.items() if period in months and key == "assessed")
    headline = [
        ("registered", own.get("registered", 0)),
        ("assessed_12_months", recent),
        ("assessed", assessed),
        ("targeted_poor", own.get("targeted_poor", 0)),
        ("vulnerable", own.get("vulnerable", 0)),
        ("self_reliant", own.get("self_reliant", 0)),
    ]
    headline_cells = {key: privacy.suppress_one(value, suppress=suppress) for key, value in headline}
    dimension_keys = list(names.layout.dimensions)
    failing = [own.get(f"fail:{d}", 0) for d in dimension_keys]
    failing_cells = privacy.suppress_small(failing, suppress=suppress)
    dimension_rows = [
        {"key": d, "name": names.dimensions.get(d, d), "cell": cell, "percent": _percent_shown(cell, assessed)}
        for d, cell in zip(dimension_keys, failing_cells, strict=True)
    ]
    indicator_keys = list(names.layout.indicator_dimension)
    indicator_cells = privacy.suppress_small([own.get(f"fail_ind:{c}", 0) for c in indicator_keys], suppress=suppress)
    indicator_rows = [
        {
            "code": code,
            "name": names.indicators.get(code, code),
            "dimension": names.dimensions.get(names.layout.indicator_dimension[code], ""),
            "cell": cell,
            "percent": _percent_shown(cell, assessed),
        }
        for code, cell in zip(indicator_keys, indicator_cells, strict=True)
    ]
    return {
        "headline": headline_cells,
        "assessed": assessed,
        "dimension_rows": dimension_rows,
        "dimension_chart": _dimension_chart(dimension_rows, assessed),
        "indicator_rows": indicator_rows,
        "children": _household_children(area, dimension_keys, own, suppress),
        "dimension_names": [names.dimensions.get(d, d) for d in dimension_keys],
        "trend": _trend(raw, years, dimension_keys, names, suppress),
    }


def _dimension_chart(dimension_rows: list[dict[str, Any]], assessed: int) -> Any:
    rows = [
        charts.ChartRow(
            row["name"],
            None if row["cell"].suppressed else _percent(row["cell"].value, assessed),
            row["percent"] or row["cell"].shown,
        )
        for row in dimension_rows
    ]
    return charts.bar_chart(
        rows,
        title=_("Households failing each dimension (% of assessed)"),
        unit="%",
        max_value=100,
        label_header=_("Dimension"),
    )


def _household_children(
    area: scope.ReportArea, dimension_keys: list[str], own: dict[str, int], suppress: bool
) -> list[dict[str, Any]]:
    """One row per child area, each column suppressed against the area's own total (shown above it)."""
    if not area.has_children:
        return []
    by_child: dict[str, dict[str, int]] = {}
    for (code, _period, key), value in tally_read(topic=HOUSEHOLDS, area_code=area.code, children=True).items():
        by_child.setdefault(code, {})[key] = value
    codes = sorted(code for code, counts in by_child.items() if counts.get("registered") or counts.get("assessed"))
    columns = ["registered", "assessed", *(f"fail:{d}" for d in dimension_keys)]
    cells_by_column = {
        column: privacy.suppress_small(
            [by_child[code].get(column, 0) for code in codes], total=own.get(column, 0), suppress=suppress
        )
        for column in columns
    }
    names = scope.area_names(codes)
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "drill": len(code) < 8,
            "cells": [cells_by_column[column][index] for column in columns],
        }
        for index, code in enumerate(codes)
    ]


def _trend(
    raw: dict[tuple[str, str, str], int], years: list[str], dimension_keys: list[str], names: Labels, suppress: bool
) -> dict[str, Any]:
    """Failing per dimension by fiscal year, and better / same / worse per dimension against the previous visit."""
    by_year = {year: {key: value for (_a, period, key), value in raw.items() if period == year} for year in years}
    shown_years = [year for year in years if by_year[year].get("visits")]
    labels_be = [year[2:] for year in shown_years]
    series: dict[str, list[float | None]] = {}
    for d in dimension_keys:
        series[names.dimensions.get(d, d)] = [
            None
            if suppress and privacy.is_small(by_year[y].get(f"fail:{d}", 0))
            else _percent(by_year[y].get(f"fail:{d}", 0), by_year[y]["visits"])
            for y in shown_years
        ]
    changes = []
    for year in shown_years:
        for d in dimension_keys:
            values = [by_year[year].get(f"{change}:{d}", 0) for change in ("better", "same", "worse")]
            if sum(values):
                cells = privacy.suppress_small(values, total=sum(values), suppress=suppress)
                changes.append({"year": year[2:], "dimension": names.dimensions.get(d, d), "cells": cells})
    return {
        "years": labels_be,
        "visits": [privacy.suppress_one(by_year[y]["visits"], suppress=suppress) for y in shown_years],
        "chart": charts.line_chart(
            labels_be, series, title=_("Visits failing each dimension by fiscal year (%)"), unit="%"
        )
        if shown_years
        else None,
        "changes": changes,
    }


def poverty_report(
    *, viewer: AnyUser, area: scope.ReportArea, k: int, weights: str
) -> tuple[PovertyFigures, dict[str, str], dict[str, Any]]:
    """The Alkire–Foster figures of the area and its children, the names of j, and what a viewer may see."""
    names = labels()
    figures = poverty_figures(area_code=area.code, k=k, weights=weights, layout=names.layout)
    item_names = names.dimensions if weights == "dimensions" else names.indicators
    return figures, item_names, {"suppress": not privacy.sees_people(viewer)}


def poverty_visible(figures: PovertyFigures, *, suppress: bool) -> bool:
    """Whether the figures may be shown: not for 1..4 households or 1..4 poor to a viewer who sees no people."""
    return not suppress or not (privacy.is_small(figures.households) or privacy.is_small(figures.poor))
