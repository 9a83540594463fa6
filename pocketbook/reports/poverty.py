"""Alkire–Foster multidimensional poverty from the "poverty" counters: any cut-off k is a small sum.

For an area with n assessed households and cut-off k (poor when the deprivation score c_i ≥ k/5):
q poor, H = q/n, A = Σ c_i over the poor / q, M0 = H × A = Σ_j w_j h_j where h_j is the censored headcount of
dimension or indicator j (deprived and poor, over n) and w_j its weight; the contribution of j is w_j h_j / M0.
Scores are kept in whole units (household_counts.py), so every figure is an exact ratio of counters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pocketbook.reports.household_counts import CUTOFFS, DIMENSION_UNITS, POVERTY, SetLayout
from pocketbook.reports.tallies import tally_read

WEIGHTS = ("dimensions", "indicators")
_PREFIX = {"dimensions": "dim", "indicators": "ind"}


@dataclass
class PovertyFigures:
    """The Alkire–Foster figures of one area at one cut-off and weighting."""

    area: str
    households: int
    poor: int
    score_units: int  # Σ c_i over the poor, in units of 1/units_per_household
    units_per_household: int
    censored: dict[str, int] = field(default_factory=dict)  # j -> poor households deprived in j
    weighted: dict[str, int] = field(default_factory=dict)  # j -> Σ of j's weight units over those households
    children: list[PovertyFigures] = field(default_factory=list)

    @property
    def H(self) -> float:
        return self.poor / self.households if self.households else 0.0

    @property
    def A(self) -> float:
        return self.score_units / (self.units_per_household * self.poor) if self.poor else 0.0

    @property
    def M0(self) -> float:
        return self.score_units / (self.units_per_household * self.households) if self.households else 0.0

    def censored_headcount(self, j: str) -> float:
        """h_j: the share of all households that are poor and deprived in j."""
        return self.censored.get(j, 0) / self.households if self.households else 0.0

    def weight(self, j: str) -> float:
        """w_j, the weight of j as a share of the whole score (derived from the counters' units)."""
        if not self.censored.get(j):
            return 0.0
        return self.weighted[j] / self.censored[j] / self.units_per_household

    def contributions(self) -> dict[str, float]:
        """w_j h_j / M0 for each j (0 when nobody is poor)."""
        if not self.score_units:
            return dict.fromkeys(self.weighted, 0.0)
        return {j: units / self.score_units for j, units in self.weighted.items()}


def figures_from_counts(
    area: str, counts: Mapping[str, int], *, k: int, weights: str, layout: SetLayout
) -> PovertyFigures:
    """The figures of one area from its counters ({key: value} of the poverty topic, period "")."""
    if k not in CUTOFFS or weights not in WEIGHTS:
        raise ValueError(f"k must be 1..5 and weights one of {WEIGHTS}")
    prefix = f"{_PREFIX[weights]}:k{k}"
    if weights == "dimensions":
        items: Sequence[str] = layout.dimensions
        per_household = len(layout.dimensions)
        censored = {j: counts.get(f"{prefix}:cen:{j}", 0) for j in items}
        weighted = dict(censored)  # each dimension weighs one unit
    else:
        items = list(layout.indicator_dimension)
        per_household = DIMENSION_UNITS * len(layout.dimensions)
        censored = {j: counts.get(f"{prefix}:cen:{j}", 0) for j in items}
        weighted = {j: counts.get(f"{prefix}:cenw:{j}", 0) for j in items}
    return PovertyFigures(
        area=area,
        households=counts.get("n", 0),
        poor=counts.get(f"{prefix}:poor", 0),
        score_units=counts.get(f"{prefix}:score", 0),
        units_per_household=per_household,
        censored=censored,
        weighted=weighted,
    )


def poverty_figures(
    *, area_code: str, k: int, weights: str, layout: SetLayout, children: bool = True
) -> PovertyFigures:
    """The figures of an area (and of each child area) from the counters: two indexed reads."""
    own: dict[str, int] = {
        key: value for (_a, _p, key), value in tally_read(topic=POVERTY, area_code=area_code).items()
    }
    figures = figures_from_counts(area_code, own, k=k, weights=weights, layout=layout)
    if children and len(area_code) < 8:
        by_child: dict[str, dict[str, int]] = {}
        for (code, _period, key), value in tally_read(topic=POVERTY, area_code=area_code, children=True).items():
            by_child.setdefault(code, {})[key] = value
        figures.children = [
            figures_from_counts(code, counts, k=k, weights=weights, layout=layout)
            for code, counts in sorted(by_child.items())
            if counts.get("n")
        ]
    return figures
