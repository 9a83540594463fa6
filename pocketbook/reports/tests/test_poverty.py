"""Alkire–Foster from the counters: the identities hold, and the figures equal a direct per-household computation."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pocketbook.assessments.selectors import indicator_set_current
from pocketbook.reports.household_counts import rebuild_poverty, set_layout
from pocketbook.reports.poverty import poverty_figures
from pocketbook.reports.tests.generated import generated_households

pytestmark = pytest.mark.django_db


def _direct(latest, layout, *, k, weights, prefix=""):
    """The textbook computation, household by household, with exact fractions."""
    scores = []
    deprivations = []
    for assessment in latest:
        if not assessment.household.area_code.startswith(prefix):
            continue
        failed = [c for c, r in assessment.indicator_results.items() if r["status"] == "fail"]
        if weights == "dimensions":
            deprived = {d: Fraction(1, 5) for d, r in assessment.dimension_results.items() if r == "fail"}
        else:
            sizes = {d: list(layout.indicator_dimension.values()).count(d) for d in layout.dimensions}
            deprived = {c: Fraction(1, 5 * sizes[layout.indicator_dimension[c]]) for c in failed}
        scores.append(sum(deprived.values(), Fraction(0)))
        deprivations.append(deprived)
    n = len(scores)
    poor = [i for i, c in enumerate(scores) if c >= Fraction(k, 5) and c > 0]
    q = len(poor)
    m0 = sum((scores[i] for i in poor), Fraction(0)) / n
    items = layout.dimensions if weights == "dimensions" else list(layout.indicator_dimension)
    censored = {j: sum(1 for i in poor if j in deprivations[i]) for j in items}
    return n, q, m0, censored


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("weights", ["dimensions", "indicators"])
def test_the_figures_from_counters_equal_the_direct_computation_for_every_k(seed, weights):
    # given
    latest = generated_households(seed)
    rebuild_poverty()
    layout = set_layout(indicator_set_current().pk)
    for k in range(1, 6):
        for prefix in ("", "9201", "920201"):
            # when
            figures = poverty_figures(area_code=prefix, k=k, weights=weights, layout=layout)
            # then
            n, q, m0, censored = _direct(latest, layout, k=k, weights=weights, prefix=prefix)
            assert (figures.households, figures.poor) == (n, q)
            assert pytest.approx(float(m0), abs=1e-12) == figures.M0
            assert figures.censored == censored


@pytest.mark.parametrize("seed", [4, 5, 6])
@pytest.mark.parametrize("weights", ["dimensions", "indicators"])
def test_the_identities_hold_m0_is_h_times_a_the_sum_of_weighted_headcounts_and_of_the_areas(seed, weights):
    # given
    generated_households(seed, households=80, fail_chance=0.3)
    rebuild_poverty()
    layout = set_layout(indicator_set_current().pk)
    for k in range(1, 6):
        # when
        province = poverty_figures(area_code="92", k=k, weights=weights, layout=layout)
        # then: M0 = H × A
        assert pytest.approx(province.H * province.A, abs=1e-12) == province.M0
        # M0 = Σ w_j h_j, and the contributions add up to 1 when anyone is poor
        weighted_sum = sum(province.weight(j) * province.censored_headcount(j) for j in province.censored)
        assert pytest.approx(weighted_sum, abs=1e-12) == province.M0
        if province.poor:
            assert sum(province.contributions().values()) == pytest.approx(1.0, abs=1e-12)
        # M0 = Σ over the districts of their M0 × their share of households
        shares = sum(child.M0 * child.households / province.households for child in province.children)
        assert pytest.approx(shares, abs=1e-12) == province.M0
        assert sum(child.households for child in province.children) == province.households
