"""The "households" and "poverty" topics: what each household's latest assessment and each visit add to the counters.

One function says what a household contributes (`assessment_counts`, `visit_counts`); the listeners add the
difference when an assessment comes in or a household moves, and the rebuild sums the same function over
every household, grouped first by what they share, so the two can never disagree.

households, period "":        registered, assessed, fail:<dim>, failed_dims:<n>, targeted_poor, vulnerable,
                              self_reliant, fail_ind:<indicator>
households, period "m2026-03": latest:<month of the latest assessment> → "assessed" (sums to "last 12 months")
households, period "fy2569":  visits, fail:<dim>, better:<dim>, same:<dim>, worse:<dim> (each visit against the
                              household's previous one, in the fiscal year of the later visit)
poverty, period "":           n, then for weights w in (dim, ind) and cut-off k in 1..5:
                              w:k<k>:poor, w:k<k>:score, w:k<k>:cen:<dim or indicator>, ind:k<k>:cenw:<indicator>
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Count as models_count

from pocketbook.assessments.models import Assessment, Indicator, IndicatorSet
from pocketbook.core.dates import fiscal_year
from pocketbook.households.choices import HouseholdStatus
from pocketbook.households.models import Household
from pocketbook.reports.tallies import TallyChange, tally_add, tally_replace_topic

HOUSEHOLDS = "households"
POVERTY = "poverty"
CUTOFFS = (1, 2, 3, 4, 5)
# Nested weights in whole units: each dimension weighs DIMENSION_UNITS (1/5 of the score), split equally
# among its indicators; 2520 is divisible by every indicator count from 1 to 10.
DIMENSION_UNITS = 2520
FAIL = "fail"

Count = tuple[str, str, str]  # (topic, period, key)


@dataclass(frozen=True)
class SetLayout:
    """An indicator set as the counters need it: its dimensions in order and each indicator's dimension."""

    dimensions: tuple[str, ...]
    indicator_dimension: dict[str, str]

    def indicator_units(self, code: str) -> int:
        """The indicator's nested weight in units (a dimension's units split equally among its indicators)."""
        dimension = self.indicator_dimension[code]
        size = sum(1 for d in self.indicator_dimension.values() if d == dimension)
        return DIMENSION_UNITS // size

    @property
    def total_units(self) -> int:
        return DIMENSION_UNITS * len(self.dimensions)


@lru_cache(maxsize=16)
def set_layout_at(indicator_set_id: int, updated_at: dt.datetime) -> SetLayout:
    """The layout of an indicator set as of its `updated_at` (cached)."""
    indicator_set = IndicatorSet.objects.get(pk=indicator_set_id)
    indicators = dict(Indicator.objects.filter(indicator_set_id=indicator_set_id).values_list("code", "dimension"))
    dimensions = tuple(d["key"] for d in indicator_set.dimensions) or tuple(dict.fromkeys(indicators.values()))
    return SetLayout(dimensions=dimensions, indicator_dimension=indicators)


_preloaded: dict[int, SetLayout] = {}  # filled for the length of a rebuild, so it asks once per set


def set_layout(indicator_set_id: int) -> SetLayout:
    """The layout of an indicator set (cached until the set changes)."""
    if indicator_set_id in _preloaded:
        return _preloaded[indicator_set_id]
    updated_at = IndicatorSet.objects.filter(pk=indicator_set_id).values_list("updated_at", flat=True).get()
    return set_layout_at(indicator_set_id, updated_at)


def month_period(day: dt.date) -> str:
    """The period of a month: "m2026-03"."""
    return f"m{day.year:04d}-{day.month:02d}"


def fiscal_period(day: dt.date) -> str:
    """The period of a fiscal year in BE: "fy2569"."""
    return f"fy{fiscal_year(day) + 543}"


def failed_keys(results: dict[str, Any]) -> tuple[str, ...]:
    """The keys whose result is "fail", sorted: dimension results are strings, indicator results dicts."""
    return tuple(
        sorted(
            key
            for key, value in results.items()
            if (value.get("status") if isinstance(value, dict) else value) == FAIL
        )
    )


@dataclass(frozen=True)
class LatestState:
    """What a household's latest assessment says, as the counters need it (households share these often)."""

    indicator_set_id: int
    failed_dimensions: tuple[str, ...]
    failed_indicators: tuple[str, ...]
    targeted_poor: bool
    vulnerable: bool
    self_reliant: bool
    month: str


@dataclass(frozen=True)
class VisitState:
    """One visit (assessment) against the household's previous one, for the trend by fiscal year."""

    period: str
    dimensions: tuple[str, ...]
    failed: tuple[str, ...]
    previous_failed: tuple[str, ...] | None  # None: the household's first visit


def latest_counts(state: LatestState) -> Counter[Count]:
    """The counters a household's latest assessment adds to (most by one; weighted scores by their units)."""
    counts = pattern_counts(state)
    counts[(HOUSEHOLDS, "", "assessed")] += 1
    counts[(HOUSEHOLDS, state.month, "assessed")] += 1
    for key, on in (
        ("targeted_poor", state.targeted_poor),
        ("vulnerable", state.vulnerable),
        ("self_reliant", state.self_reliant),
    ):
        if on:
            counts[(HOUSEHOLDS, "", key)] += 1
    return counts


def pattern_counts(state: LatestState) -> Counter[Count]:
    """The counters that depend only on what the household fails (not on its flags or the month)."""
    counts: Counter[Count] = Counter()
    for dimension in state.failed_dimensions:
        counts[(HOUSEHOLDS, "", f"fail:{dimension}")] += 1
    counts[(HOUSEHOLDS, "", f"failed_dims:{len(state.failed_dimensions)}")] += 1
    for code in state.failed_indicators:
        counts[(HOUSEHOLDS, "", f"fail_ind:{code}")] += 1
    counts[(POVERTY, "", "n")] += 1
    counts.update(_poverty_counts(state))
    return counts


def _poverty_counts(state: LatestState) -> Counter[Count]:
    """Alkire–Foster: for each cut-off k, whether poor, the deprivation score and the censored deprivations.

    Equal weights ("dim"): the score is the number of failed dimensions (units of 1/5), poor when ≥ k.
    Nested weights ("ind"): the score is in units of 1/(5 × DIMENSION_UNITS), poor when score × 5 ≥ k × total.
    """
    counts: Counter[Count] = Counter()
    layout = set_layout(state.indicator_set_id)
    dimension_score = len(state.failed_dimensions)
    known = [code for code in state.failed_indicators if code in layout.indicator_dimension]
    units = {code: layout.indicator_units(code) for code in known}
    indicator_score = sum(units.values())
    for k in CUTOFFS:
        if dimension_score and dimension_score >= k:
            counts[(POVERTY, "", f"dim:k{k}:poor")] += 1
            counts[(POVERTY, "", f"dim:k{k}:score")] += dimension_score
            for dimension in state.failed_dimensions:
                counts[(POVERTY, "", f"dim:k{k}:cen:{dimension}")] += 1
        if indicator_score and indicator_score * 5 >= k * layout.total_units:
            counts[(POVERTY, "", f"ind:k{k}:poor")] += 1
            counts[(POVERTY, "", f"ind:k{k}:score")] += indicator_score
            for code in known:
                counts[(POVERTY, "", f"ind:k{k}:cen:{code}")] += 1
                counts[(POVERTY, "", f"ind:k{k}:cenw:{code}")] += units[code]
    return counts


def visit_counts(state: VisitState) -> Counter[Count]:
    """The counters a visit adds to in its fiscal year: the visit, its failed dimensions, the change since the last."""
    counts: Counter[Count] = Counter()
    counts[(HOUSEHOLDS, state.period, "visits")] += 1
    for dimension in state.failed:
        counts[(HOUSEHOLDS, state.period, f"fail:{dimension}")] += 1
    if state.previous_failed is not None:
        counts[(HOUSEHOLDS, state.period, "revisits")] += 1
        for dimension in state.dimensions:
            before, after = dimension in state.previous_failed, dimension in state.failed
            change = "same" if before == after else ("better" if before else "worse")
            counts[(HOUSEHOLDS, state.period, f"{change}:{dimension}")] += 1
    return counts


def latest_state(assessment: Assessment) -> LatestState:
    """The latest state of one assessment."""
    return LatestState(
        indicator_set_id=assessment.indicator_set_id,
        failed_dimensions=failed_keys(assessment.dimension_results),
        failed_indicators=failed_keys(assessment.indicator_results),
        targeted_poor=assessment.is_targeted_poor,
        vulnerable=assessment.is_vulnerable,
        self_reliant=assessment.is_self_reliant,
        month=month_period(assessment.assessed_on),
    )


def visit_state(assessment: Assessment, previous: Assessment | None) -> VisitState:
    """The visit state of one assessment against the previous one."""
    return VisitState(
        period=fiscal_period(assessment.assessed_on),
        dimensions=set_layout(assessment.indicator_set_id).dimensions,
        failed=failed_keys(assessment.dimension_results),
        previous_failed=failed_keys(previous.dimension_results) if previous is not None else None,
    )


def _changes(area_code: str, counts: Counter[Count], sign: int = 1) -> list[TallyChange]:
    return [TallyChange(topic, area_code, period, key, sign * value) for (topic, period, key), value in counts.items()]


# --- kept current ------------------------------------------------------------------------------


def on_assessment_submitted(assessment: Assessment) -> None:
    """A new latest assessment: subtract the household's previous latest, add the new one and the visit."""
    household = assessment.household
    if household.status != HouseholdStatus.ACTIVE:
        return
    previous = assessment.previous
    counts = latest_counts(latest_state(assessment)) + visit_counts(visit_state(assessment, previous))
    if previous is not None:
        counts.subtract(latest_counts(latest_state(previous)))
    tally_add(_changes(household.area_code, counts))


def household_counts(household_id: int) -> Counter[Count]:
    """Everything one household adds to the counters (its registration, latest assessment and every visit)."""
    counts: Counter[Count] = Counter({(HOUSEHOLDS, "", "registered"): 1})
    assessments = list(Assessment.objects.filter(household_id=household_id).order_by("assessed_on", "id"))
    by_id = {a.pk: a for a in assessments}
    for assessment in assessments:
        counts.update(visit_counts(visit_state(assessment, by_id.get(assessment.previous_id or 0))))
        if assessment.is_latest:
            counts.update(latest_counts(latest_state(assessment)))
    return counts


def on_household_changed(household: Household, before_area_code: str | None, before_status: str | None) -> None:
    """A household registered, moved to another area or changed status: move its counts along."""
    was_counted = before_area_code is not None and before_status == HouseholdStatus.ACTIVE
    is_counted = household.status == HouseholdStatus.ACTIVE
    if (was_counted, before_area_code) == (is_counted, household.area_code) and was_counted == is_counted:
        return
    counts = household_counts(household.pk)
    changes = []
    if was_counted:
        changes += _changes(before_area_code or "", counts, -1)
    if is_counted:
        changes += _changes(household.area_code, counts)
    tally_add(changes)


def on_assessments_rescored(household_ids: Sequence[int]) -> None:
    """Re-scoring rewrote results already counted: rebuild both topics once the batch commits (set-based)."""
    transaction.on_commit(rebuild_all)


# --- rebuilt ------------------------------------------------------------------------------------


def _sum_states(grouped: Iterable[tuple[str, Any, int]], expand: Any) -> list[TallyChange]:
    """Expand each distinct state once, times the number of households of an area that share it."""
    cache: dict[Any, Counter[Count]] = {}
    totals: Counter[tuple[str, str, str, str]] = Counter()
    for area_code, state, number in grouped:
        counts = cache.get(state)
        if counts is None:
            counts = cache[state] = expand(state)
        for (topic, period, key), value in counts.items():
            totals[(topic, area_code, period, key)] += value * number
    return [TallyChange(topic, area, period, key, value) for (topic, area, period, key), value in totals.items()]


def _status_fails(column: str, key: str, *, nested: bool) -> tuple[str, list[str]]:
    """SQL true when a JSON result (an indicator's {"status"} or a dimension's string) is "fail", per database."""
    if connection.vendor == "postgresql":
        path = f"({column} -> %s ->> 'status')" if nested else f"({column} ->> %s)"
        return f"{path} = 'fail'", [key]
    json_path = f'$."{key}".status' if nested else f'$."{key}"'
    return f"json_extract({column}, %s) = 'fail'", [json_path]


def _mask(column: str, keys: Sequence[str], *, nested: bool) -> tuple[str, list[str]]:
    """SQL for a bit mask of the failed keys (bit i for keys[i])."""
    parts, params = [], []
    for bit, key in enumerate(keys):
        condition, condition_params = _status_fails(column, key, nested=nested)
        parts.append(f"(CASE WHEN {condition} THEN {1 << bit} ELSE 0 END)")
        params += condition_params
    return "(" + (" + ".join(parts) or "0") + ")", params


def _year_month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column}) * 100 + EXTRACT(MONTH FROM {column}))::int"
    return f"CAST(strftime('%%Y%%m', {column}) AS INTEGER)"


def _from_mask(keys: Sequence[str], mask: int) -> tuple[str, ...]:
    return tuple(sorted(key for bit, key in enumerate(keys) if mask & (1 << bit)))


def _ym_date(year_month: int) -> dt.date:
    return dt.date(year_month // 100, year_month % 100, 1)


LATEST = (
    "FROM assessments_assessment a JOIN households_household h ON h.id = a.household_id "
    "WHERE a.is_latest = %s AND h.status = %s"
)


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _pattern_groups() -> list[tuple[str, LatestState, int]]:
    """(area, what its households fail, how many): grouped by the database, one query per indicator set."""
    groups = []
    latest = Assessment.objects.filter(is_latest=True).order_by()
    for set_id in latest.values_list("indicator_set_id", flat=True).distinct():
        layout = set_layout(set_id)
        indicators = list(layout.indicator_dimension)
        mask_sql, mask_params = _mask("a.indicator_results", indicators, nested=True)
        rows = _fetch(
            f"SELECT h.area_code, {mask_sql}, COUNT(*) {LATEST} AND a.indicator_set_id = %s GROUP BY 1, 2",
            [*mask_params, True, HouseholdStatus.ACTIVE, set_id],
        )
        for area_code, mask, number in rows:
            failed = _from_mask(indicators, mask)
            dimensions = tuple(sorted({layout.indicator_dimension[code] for code in failed}))
            groups.append((area_code, LatestState(set_id, dimensions, failed, False, False, False, ""), number))
    return groups


def _month_rows() -> list[TallyChange]:
    """Assessed households by month of their latest visit, and the targeted poor, vulnerable, self-reliant."""
    rows = _fetch(
        f"SELECT h.area_code, {_year_month('a.assessed_on')}, COUNT(*), "
        "SUM(CASE WHEN a.is_targeted_poor THEN 1 ELSE 0 END), SUM(CASE WHEN a.is_vulnerable THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN a.is_self_reliant THEN 1 ELSE 0 END) {LATEST} GROUP BY 1, 2",
        [True, HouseholdStatus.ACTIVE],
    )
    changes = []
    for area_code, year_month, number, targeted, vulnerable, reliant in rows:
        month = month_period(_ym_date(int(year_month)))
        changes += [
            TallyChange(HOUSEHOLDS, area_code, "", "assessed", number),
            TallyChange(HOUSEHOLDS, area_code, month, "assessed", number),
            TallyChange(HOUSEHOLDS, area_code, "", "targeted_poor", int(targeted)),
            TallyChange(HOUSEHOLDS, area_code, "", "vulnerable", int(vulnerable)),
            TallyChange(HOUSEHOLDS, area_code, "", "self_reliant", int(reliant)),
        ]
    return changes


def _visit_groups() -> list[tuple[str, VisitState, int]]:
    """(area, visit against the previous one, how many), grouped by the database per indicator set."""
    groups = []
    for set_id in Assessment.objects.values_list("indicator_set_id", flat=True).order_by().distinct():
        dimensions = set_layout(set_id).dimensions
        current_sql, current_params = _mask("a.dimension_results", dimensions, nested=False)
        previous_sql, previous_params = _mask("p.dimension_results", dimensions, nested=False)
        rows = _fetch(
            f"SELECT h.area_code, {_year_month('a.assessed_on')}, {current_sql}, "  # noqa: S608 - no user input
            f"CASE WHEN p.id IS NULL THEN -1 ELSE {previous_sql} END, COUNT(*) "
            "FROM assessments_assessment a JOIN households_household h ON h.id = a.household_id "
            "LEFT JOIN assessments_assessment p ON p.id = a.previous_id "
            "WHERE h.status = %s AND a.indicator_set_id = %s GROUP BY 1, 2, 3, 4",
            [*current_params, *previous_params, HouseholdStatus.ACTIVE, set_id],
        )
        for area_code, year_month, mask, previous_mask, number in rows:
            previous = None if previous_mask == -1 else _from_mask(dimensions, previous_mask)
            state = VisitState(
                fiscal_period(_ym_date(int(year_month))), dimensions, _from_mask(dimensions, mask), previous
            )
            groups.append((area_code, state, number))
    return groups


def _registered() -> list[TallyChange]:
    rows = (
        Household.objects.filter(status=HouseholdStatus.ACTIVE)
        .values_list("area_code")
        .annotate(number=models_count("id"))
        .order_by()
    )
    return [TallyChange(HOUSEHOLDS, area_code, "", "registered", number) for area_code, number in rows]


@contextmanager
def _layouts_preloaded() -> Iterator[None]:
    _preloaded.clear()
    layouts = {set_id: set_layout(set_id) for set_id in IndicatorSet.objects.values_list("pk", flat=True)}
    _preloaded.update(layouts)
    try:
        yield
    finally:
        _preloaded.clear()


def rebuild_households() -> int:
    """Rebuild the households topic from every active household and assessment."""
    with _layouts_preloaded():
        patterns = _sum_states(_pattern_groups(), pattern_counts)
        visits = _sum_states(_visit_groups(), visit_counts)
    rows = [c for c in [*patterns, *visits] if c.topic == HOUSEHOLDS] + _month_rows() + _registered()
    return tally_replace_topic(HOUSEHOLDS, rows)


def rebuild_poverty() -> int:
    """Rebuild the poverty topic from every active household's latest assessment."""
    with _layouts_preloaded():
        latest = _sum_states(_pattern_groups(), _poverty_only)
    return tally_replace_topic(POVERTY, latest)


def _poverty_only(state: LatestState) -> Counter[Count]:
    return Counter({count: value for count, value in pattern_counts(state).items() if count[0] == POVERTY})


def rebuild_all() -> None:
    """Rebuild both topics (after a re-scoring batch)."""
    rebuild_households()
    rebuild_poverty()
