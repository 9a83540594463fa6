"""The monthly summary of an area (รายงานสรุปประจำเดือน), for the office's meeting: households, poverty, help,
emergencies and volunteers of one month, with the charts.

Read from the reports' counters only (the `tally` tables, through the dashboards' own selectors), never from the
rows behind them, so it costs the same for a village and for the province. Figures of the current state (households
registered, failing, poor) are as of the day it is printed; the month's own flows (visits, cases opened and closed,
incidents received) are of the chosen month; times and SLA compliance are of the month's fiscal year to date. For
viewers who do not see people (analysts) every count of 1 to 4 is shown as "< 5" (`privacy`).
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.http import AnyUser
from pocketbook.cases.choices import CaseStatus
from pocketbook.core.dates import THAI_MONTHS, fiscal_year
from pocketbook.incidents.choices import Channel, IncidentType
from pocketbook.reports import charts, ess_counts, help_counts, privacy, scope, selectors
from pocketbook.reports.ops_figures import Row, ess_figures, help_figures, volunteer_figures
from pocketbook.reports.ops_support import shown, shown_column
from pocketbook.reports.periods import month_period
from pocketbook.reports.tallies import tally_read

BE_OFFSET = 543
FIRST_YEAR_BE, LAST_YEAR_BE = 2500, 2700
# WeasyPrint draws inline SVG apart from the page's stylesheet: the charts' text gets its font and size here.
SVG_PRINT_STYLE = (
    "<style>.chart-label, .chart-value, .chart-legend { font-family: Sarabun; font-size: %dpx; fill: #222; }</style>"
)
FULL_WIDTH_TEXT, HALF_WIDTH_TEXT = 13, 19  # in the charts' own units (560 across): about 10 pt printed


def printable(chart: SafeString | None, *, text_size: int = FULL_WIDTH_TEXT) -> SafeString | None:
    """A chart of `reports.charts` with its text styles inside the SVG, where WeasyPrint reads them."""
    if chart is None:
        return None
    opening_end = chart.index(">", chart.index("<svg")) + 1
    style = SVG_PRINT_STYLE % text_size
    return mark_safe(chart[:opening_end] + style + chart[opening_end:])  # noqa: S308 - both parts are safe


@dataclass(frozen=True)
class Month:
    """A calendar month; `year_be` and `name` as the printout writes it."""

    year: int
    month: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, monthrange(self.year, self.month)[1])

    @property
    def year_be(self) -> int:
        return self.year + BE_OFFSET

    @property
    def name(self) -> str:
        return f"{THAI_MONTHS[self.month - 1]} {self.year_be}"

    @property
    def fiscal_year_be(self) -> int:
        return fiscal_year(self.first_day) + BE_OFFSET


def month_from(year_be: str | None, month: str | None, *, today: dt.date | None = None) -> Month | None:
    """The month asked for (a BE year and a month number), the current month when both are absent, None when wrong."""
    today = today or timezone.localdate()
    if not year_be and not month:
        return Month(today.year, today.month)
    if not (year_be or "").isdigit() or not (month or "").isdigit():
        return None
    year, number = int(year_be or 0), int(month or 0)
    if not (FIRST_YEAR_BE <= year <= LAST_YEAR_BE and 1 <= number <= 12):
        return None
    return Month(year - BE_OFFSET, number)


def _bars(rows: list[Row], *, title: Any, suppress: bool, label_header: Any = "", half_width: bool = False) -> Any:
    """A bar chart of counts (small ones not drawn for viewers who do not see people), None when all are zero."""
    values = [int(row.value or 0) for row in rows]
    if not any(values):
        return None
    texts = shown_column(values, suppress=suppress)
    return printable(
        charts.bar_chart(
            [
                charts.ChartRow(row.label, None if text in (privacy.PRIMARY, privacy.SECONDARY) else value, text)
                for row, value, text in zip(rows, values, texts, strict=True)
            ],
            title=title,
            label_header=label_header,
        ),
        text_size=HALF_WIDTH_TEXT if half_width else FULL_WIDTH_TEXT,
    )


def _labelled(values: dict[str, int], prefix: str, choices: Any) -> list[Row]:
    return [
        Row(value, label, values.get(f"{prefix}{value}", 0))
        for value, label in choices.choices
        if values.get(f"{prefix}{value}", 0)
    ]


def _households(viewer: AnyUser, area: scope.ReportArea, month: Month, suppress: bool) -> dict[str, Any]:
    dashboard = selectors.households_dashboard(viewer=viewer, area=area, today=month.last_day)
    in_month = tally_read(topic="households", area_code=area.code, periods=(month_period(month.first_day),))
    assessed_in_month = sum(value for (_a, _p, key), value in in_month.items() if key == "assessed")
    dashboard["dimension_chart"] = printable(dashboard["dimension_chart"])
    dashboard["trend"]["chart"] = printable(dashboard["trend"]["chart"])
    return {**dashboard, "assessed_in_month": shown(assessed_in_month, suppress=suppress)}


def _poverty(viewer: AnyUser, area: scope.ReportArea, k: int, suppress: bool) -> dict[str, Any]:
    figures, item_names, _seen = selectors.poverty_report(viewer=viewer, area=area, k=k, weights="dimensions")
    visible = selectors.poverty_visible(figures, suppress=suppress)
    contributions = figures.contributions()
    chart = None
    if visible and figures.poor:
        chart = charts.bar_chart(
            [
                charts.ChartRow(item_names.get(j, j), round(100 * contributions.get(j, 0.0), 1))
                for j in figures.censored
            ],
            title=_("Contribution of each dimension to M0 (%)"),
            unit="%",
            max_value=100,
            label_header=_("Dimension"),
        )
    return {
        "k": k,
        "figures": figures,
        "visible": visible,
        "households": shown(figures.households, suppress=suppress),
        "poor": shown(figures.poor, suppress=suppress),
        "chart": printable(chart),
    }


def _help(area: scope.ReportArea, month: Month, suppress: bool) -> dict[str, Any]:
    year = help_figures(area_code=area.code, year=month.fiscal_year_be, today=month.last_day)
    period = month_period(month.first_day)
    counters = tally_read(topic=help_counts.TOPIC, area_code=area.code, periods=(period,))
    values = {key: value for (_a, _p, key), value in counters.items()}
    closed = [row for row in _labelled(values, "closed:", CaseStatus) if row.key != CaseStatus.OPEN]
    return {
        "opened": shown(values.get("opened", 0), suppress=suppress),
        "closed_total": shown(sum(int(row.value or 0) for row in closed), suppress=suppress),
        "closed": list(zip(closed, shown_column([int(r.value or 0) for r in closed], suppress=suppress), strict=True)),
        "open_cases": shown(year.open_cases, suppress=suppress),
        "referrals_overdue": shown(year.referrals_overdue, suppress=suppress),
        "assistance_entries": shown(year.assistance_entries, suppress=suppress),
        "assistance_baht": None if suppress and privacy.is_small(year.assistance_entries) else year.assistance_baht,
        "days_median": year.days_median if not (suppress and privacy.is_small(year.helped_cases)) else None,
        "fiscal_year": month.fiscal_year_be,
    }


def _ess(area: scope.ReportArea, month: Month, suppress: bool) -> dict[str, Any]:
    year = ess_figures(area_code=area.code, year=month.fiscal_year_be)
    period = month_period(month.first_day)
    counters = tally_read(topic=ess_counts.TOPIC, area_code=area.code, periods=(period,))
    values = {key: value for (_a, _p, key), value in counters.items()}
    by_type = _labelled(values, "type:", IncidentType)
    by_channel = _labelled(values, "channel:", Channel)
    steps = [
        {
            "label": step.label,
            "median": step.median if not (suppress and privacy.is_small(step.counted)) else None,
            "p90": step.p90 if not (suppress and privacy.is_small(step.counted)) else None,
            "compliance": step.compliance if not (suppress and privacy.is_small(step.met + step.late)) else None,
            "counted": shown(step.counted, suppress=suppress),
        }
        for step in year.steps
    ]
    return {
        "received": shown(values.get("received", 0), suppress=suppress),
        "open": shown(year.open, suppress=suppress),
        "open_overdue": shown(year.open_overdue, suppress=suppress),
        "by_channel": list(
            zip(by_channel, shown_column([int(r.value or 0) for r in by_channel], suppress=suppress), strict=True)
        ),
        "type_chart": _bars(
            by_type, title=_("Incidents received in the month by type"), suppress=suppress, label_header=_("Type")
        ),
        "month_chart": _bars(
            year.by_month,
            title=_("Incidents received by month of the fiscal year"),
            suppress=suppress,
            label_header=_("Month"),
            half_width=True,
        ),
        "steps": steps,
        "fiscal_year": month.fiscal_year_be,
    }


def _volunteers(area: scope.ReportArea, month: Month, suppress: bool) -> dict[str, Any]:
    figures = volunteer_figures(area_code=area.code, year=month.fiscal_year_be, today=month.first_day)
    return {
        "visits_done": shown(figures.visits_done_this_month, suppress=suppress),
        "due": shown(figures.due_this_month, suppress=suppress),
        "overdue": shown(figures.overdue, suppress=suppress),
        "participants": shown(figures.participants, suppress=suppress),
        "attended": shown(figures.attended, suppress=suppress),
        "attendance_percent": None
        if suppress and privacy.is_small(figures.participants)
        else figures.attendance_percent,
        "month_chart": _bars(
            figures.visits_by_month,
            title=_("Visits done by month of the fiscal year"),
            suppress=suppress,
            label_header=_("Month"),
            half_width=True,
        ),
        "fiscal_year": month.fiscal_year_be,
    }


def monthly_summary(*, viewer: AnyUser, area: scope.ReportArea, month: Month, k: int = 1) -> dict[str, Any]:
    """Everything the monthly summary prints, from the counters; `area` is already checked against the viewer."""
    suppress = not privacy.sees_people(viewer)
    return {
        "area": area,
        "month": month,
        "suppress": suppress,
        "households": _households(viewer, area, month, suppress),
        "poverty": _poverty(viewer, area, k, suppress),
        "help": _help(area, month, suppress),
        "ess": _ess(area, month, suppress),
        "volunteers": _volunteers(area, month, suppress),
    }
