"""The pure scoring engine's progress between two visits: dimensions improved, worse or the same, and the
indicators that changed, also across a changed indicator set."""

from __future__ import annotations

from pocketbook.assessments.scoring import FAIL, PASS, compare, score
from pocketbook.assessments.tests.scoring_facts import adult, household


def test_progress_compares_dimensions_and_lists_changed_indicators(tpmap):
    before = score(tpmap, household(adult(exercises=False), tidy_house=False))
    after = score(tpmap, household(adult(exercises=True), hygienic_food=False, household_water_enough=False))
    progress = compare(
        dimensions_before=before.dimensions,
        dimensions_after=after.dimensions,
        indicators_before=before.indicators_json(),
        indicators_after=after.indicators_json(),
    )
    assert progress.dimensions == {
        "health": "same", "living": "same", "education": "same", "income": "same", "access": "same"
    }  # fmt: skip
    assert [(c.code, c.before, c.after, c.direction) for c in progress.changed] == [
        ("bmn-04", PASS, FAIL, "worse"),
        ("bmn-07", FAIL, PASS, "improved"),
        ("bmn-10", PASS, FAIL, "worse"),
        ("bmn-11", FAIL, PASS, "improved"),
    ]
    assert (progress.failed_dimensions_before, progress.failed_dimensions_after) == (2, 2)


def test_progress_improved_and_worse_dimensions_and_a_changed_set():
    progress = compare(
        dimensions_before={"health": "fail", "income": "pass", "old": "fail"},
        dimensions_after={"health": "pass", "income": "fail", "access": "pass"},
        indicators_before={"x": {"dimension": "old", "status": "fail"}},
        indicators_after={"y": {"dimension": "access", "status": "na"}},
    )
    assert progress.dimensions == {"health": "improved", "income": "worse", "access": "same"}
    assert [(c.code, c.before, c.after) for c in progress.changed] == [("y", None, "na"), ("x", "fail", None)]
    assert [c.direction for c in progress.changed] == ["same", "improved"]
