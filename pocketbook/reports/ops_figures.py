"""The figures of the Help, ESS and Volunteers dashboards, read from the tallies only (never the raw rows).

Each function reads one area (and its child areas for the table by area) for one fiscal year (BE): a handful
of indexed reads of the counters, whatever the size of the tables behind them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pocketbook.cases.choices import CaseStatus, ReferralStatus
from pocketbook.cases.models import Fund
from pocketbook.core.dates import THAI_MONTHS_SHORT
from pocketbook.geo.selectors import areas_get
from pocketbook.incidents.choices import Channel, IncidentType, SlaStep, Status
from pocketbook.reports import ess_counts
from pocketbook.reports.histograms import DAY_EDGES, MINUTE_EDGES, counts_from_keys, quantile
from pocketbook.reports.periods import CURRENT, fiscal_year_be_period, month_period, months_of_fiscal_year
from pocketbook.reports.tallies import tally_read
from pocketbook.volunteers.choices import ParticipantRole

Values = dict[str, int]


@dataclass
class Row:
    """One labelled figure of a table or a chart."""

    key: str
    label: str | Promise
    value: int | float | None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AreaRow:
    """One child area of the table by area: its code, name and figures by column key."""

    code: str
    name: str
    values: dict[str, int]


def _split(counters: Mapping[tuple[str, str, str], int]) -> dict[str, dict[str, Values]]:
    """{area: {period: {key: value}}} from tally_read's answer."""
    split: dict[str, dict[str, Values]] = defaultdict(lambda: defaultdict(dict))
    for (area, period, key), value in counters.items():
        split[area][period][key] = value
    return split


def _read(topic: str, area_code: str, periods: tuple[str, ...]) -> dict[str, Values]:
    return _split(tally_read(topic=topic, area_code=area_code, periods=periods)).get(area_code, {})


def _children(topic: str, area_code: str, periods: tuple[str, ...]) -> dict[str, dict[str, Values]]:
    return _split(tally_read(topic=topic, area_code=area_code, periods=periods, children=True))


def _area_rows(children: dict[str, dict[str, Values]], columns: Mapping[str, Any]) -> list[AreaRow]:
    """The child areas in code order, each with `columns[name](periods)` computed from its counters."""
    names = areas_get(list(children))
    rows = []
    for code in sorted(children):
        area = names.get(code)
        values = {name: compute(children[code]) for name, compute in columns.items()}
        rows.append(AreaRow(code=code, name=area.name if area else code, values=values))
    return rows


def month_label(period: str) -> str:
    """A month code "m2026-03" as "มี.ค. 69" (Thai short month, BE year in two digits)."""
    year, month = int(period[1:5]), int(period[6:8])
    return f"{THAI_MONTHS_SHORT[month - 1]} {str(year + 543)[-2:]}"


def _labelled(values: Values, prefix: str, choices: Any) -> list[Row]:
    """Rows `<prefix><choice>` in the choices' order, with their labels (zero rows left out)."""
    rows = []
    for value, label in choices.choices:
        count = values.get(f"{prefix}{value}", 0)
        if count:
            rows.append(Row(value, label, count))
    return rows


# --- ESS ----------------------------------------------------------------------------------------------------------

STEP_LABELS = {
    SlaStep.ACKNOWLEDGE.value: _("Acknowledge"),
    SlaStep.DISPATCH.value: _("Dispatch"),
    SlaStep.ON_SCENE.value: _("On scene"),
}


@dataclass
class Step:
    """One SLA step's timing: median and 90th percentile minutes, and how many were within target."""

    key: str
    label: str | Promise
    counted: int
    median: float | None
    p90: float | None
    met: int
    late: int

    @property
    def compliance(self) -> int | None:
        done = self.met + self.late
        return round(100 * self.met / done) if done else None


@dataclass
class EssFigures:
    year: int
    received: int
    open: int
    open_overdue: int
    open_by_status: list[Row]
    by_type: list[Row]
    by_channel: list[Row]
    by_hour: list[Row]
    by_month: list[Row]
    closed: list[Row]
    steps: list[Step]
    areas: list[AreaRow]


def ess_figures(*, area_code: str, year: int) -> EssFigures:
    """The ESS dashboard of an area for a fiscal year (BE)."""
    fiscal = fiscal_year_be_period(year)
    months = tuple(months_of_fiscal_year(year))
    here = _read(ess_counts.TOPIC, area_code, (CURRENT, fiscal, *months))
    now, in_year = here.get(CURRENT, {}), here.get(fiscal, {})
    steps = []
    for step, _field, name in ess_counts.STEPS:
        counts = counts_from_keys(in_year, name)
        steps.append(
            Step(
                key=step,
                label=STEP_LABELS[step],
                counted=sum(counts.values()),
                median=_rounded(quantile(counts, 0.5, MINUTE_EDGES)),
                p90=_rounded(quantile(counts, 0.9, MINUTE_EDGES)),
                met=in_year.get(f"sla:{step}:met", 0),
                late=in_year.get(f"sla:{step}:late", 0),
            )
        )
    children = _children(ess_counts.TOPIC, area_code, (CURRENT, fiscal))
    return EssFigures(
        year=year,
        received=in_year.get("received", 0),
        open=now.get("open", 0),
        open_overdue=now.get("open_overdue", 0),
        open_by_status=_labelled(now, "status:", Status),
        by_type=_labelled(in_year, "type:", IncidentType),
        by_channel=_labelled(in_year, "channel:", Channel),
        by_hour=[Row(str(hour), f"{hour:02d}", in_year.get(f"hour:{hour}", 0)) for hour in range(24)],
        by_month=[Row(month, month_label(month), here.get(month, {}).get("received", 0)) for month in months],
        closed=_labelled(in_year, "closed:", Status),
        steps=steps,
        areas=_area_rows(
            children,
            {
                "received": lambda periods: periods.get(fiscal, {}).get("received", 0),
                "open": lambda periods: periods.get(CURRENT, {}).get("open", 0),
                "open_overdue": lambda periods: periods.get(CURRENT, {}).get("open_overdue", 0),
            },
        ),
    )


def _rounded(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


# --- help ---------------------------------------------------------------------------------------------------------


@dataclass
class FundRow:
    key: str
    label: str
    entries: int
    baht: Decimal
    baht_by_year: list[Decimal]  # the years of HelpFigures.fund_years, oldest first


@dataclass
class HelpFigures:
    year: int
    open_cases: int
    opened: int
    closed: list[Row]
    referrals: list[Row]
    referrals_overdue: int
    funds: list[FundRow]
    fund_years: list[int]
    assistance_entries: int
    assistance_baht: Decimal
    helped_cases: int
    days_median: float | None
    days_p90: float | None
    areas: list[AreaRow]


def _overdue_referrals(current: Values, today: dt.date) -> int:
    """Referrals waiting for an answer that was due before today."""
    prefix = "referral_due:"
    return sum(
        value for key, value in current.items() if key.startswith(prefix) and key[len(prefix) :] < today.isoformat()
    )


def _baht(satang: int) -> Decimal:
    return (Decimal(satang) / 100).quantize(Decimal("0.01"))


def help_figures(*, area_code: str, year: int, today: dt.date | None = None) -> HelpFigures:
    """The Help dashboard of an area for a fiscal year (BE)."""
    today = today or timezone.localdate()
    fiscal = fiscal_year_be_period(year)
    years = [year - 2, year - 1, year]
    here = _read("cases", area_code, (CURRENT, *(fiscal_year_be_period(each) for each in years)))
    now, in_year = here.get(CURRENT, {}), here.get(fiscal, {})
    by_year = [here.get(fiscal_year_be_period(each), {}) for each in years]
    fund_keys = sorted({key.split(":")[1] for values in by_year for key in values if key.startswith("fund:")})
    fund_names = dict(
        Fund.objects.filter(pk__in=[int(key) for key in fund_keys if key.isdigit()]).values_list("pk", "name")
    )
    funds = [
        FundRow(
            key=key,
            label=fund_names.get(int(key), key) if key.isdigit() else str(_("Not from a fund")),
            entries=in_year.get(f"fund:{key}:entries", 0),
            baht=_baht(in_year.get(f"fund:{key}:satang", 0)),
            baht_by_year=[_baht(values.get(f"fund:{key}:satang", 0)) for values in by_year],
        )
        for key in fund_keys
    ]
    funds = [row for row in funds if row.entries or any(row.baht_by_year)]
    delays = counts_from_keys(in_year, "need_to_help_days")
    children = _children("cases", area_code, (CURRENT, fiscal))
    return HelpFigures(
        year=year,
        open_cases=now.get("open", 0),
        opened=in_year.get("opened", 0),
        closed=[row for row in _labelled(in_year, "closed:", CaseStatus) if row.key != CaseStatus.OPEN],
        referrals=_labelled(now, "referrals:", ReferralStatus),
        referrals_overdue=_overdue_referrals(now, today),
        funds=funds,
        fund_years=years,
        assistance_entries=in_year.get("assistance_entries", 0),
        assistance_baht=_baht(in_year.get("assistance_satang", 0)),
        helped_cases=sum(delays.values()),
        days_median=_rounded(quantile(delays, 0.5, DAY_EDGES)),
        days_p90=_rounded(quantile(delays, 0.9, DAY_EDGES)),
        areas=_area_rows(
            children,
            {
                "open_cases": lambda periods: periods.get(CURRENT, {}).get("open", 0),
                "referrals_waiting": lambda periods: periods.get(CURRENT, {}).get("referrals:sent", 0),
                "referrals_overdue": lambda periods: _overdue_referrals(periods.get(CURRENT, {}), today),
                "assistance_entries": lambda periods: periods.get(fiscal, {}).get("assistance_entries", 0),
            },
        ),
    )


# --- volunteers ---------------------------------------------------------------------------------------------------


@dataclass
class VolunteerFigures:
    year: int
    visits_done_this_month: int
    due_this_month: int
    overdue: int
    visits_by_month: list[Row]
    participants: int
    participants_by_role: list[Row]
    attended: int
    checkins: int
    areas: list[AreaRow]

    @property
    def attendance_percent(self) -> int | None:
        return round(100 * self.attended / self.participants) if self.participants else None


def _due(current: Values, this_month: str) -> tuple[int, int]:
    """(households due this month, households overdue from earlier months) from the visit_due:<month> keys."""
    due_now = overdue = 0
    for key, value in current.items():
        if key.startswith("visit_due:"):
            month = key[len("visit_due:") :]
            if month == this_month:
                due_now += value
            elif month < this_month:
                overdue += value
    return due_now, overdue


def volunteer_figures(*, area_code: str, year: int, today: dt.date | None = None) -> VolunteerFigures:
    """The Volunteers dashboard's counters of an area: visits against due, training of a fiscal year (BE)."""
    today = today or timezone.localdate()
    fiscal = fiscal_year_be_period(year)
    this_month = month_period(today)
    months = tuple(months_of_fiscal_year(year))
    here = _read("volunteers", area_code, (CURRENT, fiscal, this_month, *months))
    now, in_year = here.get(CURRENT, {}), here.get(fiscal, {})
    due_now, overdue = _due(now, this_month[1:])
    children = _children("volunteers", area_code, (CURRENT, fiscal))
    return VolunteerFigures(
        year=year,
        visits_done_this_month=here.get(this_month, {}).get("visits_done", 0),
        due_this_month=due_now,
        overdue=overdue,
        visits_by_month=[Row(m, month_label(m), here.get(m, {}).get("visits_done", 0)) for m in months],
        participants=in_year.get("training_participants", 0),
        participants_by_role=_labelled(in_year, "training_participants:", ParticipantRole),
        attended=in_year.get("training_attended", 0),
        checkins=in_year.get("training_checkins", 0),
        areas=_area_rows(
            children,
            {
                "visits_done": lambda periods: periods.get(fiscal, {}).get("visits_done", 0),
                "overdue": lambda periods: _due(periods.get(CURRENT, {}), this_month[1:])[1],
            },
        ),
    )
