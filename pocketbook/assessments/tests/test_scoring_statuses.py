"""The pure scoring engine's statuses: targeted poor, vulnerable (dependants, and income at the 100,000 baht
line), self-reliant, and the result as JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pocketbook.assessments.scoring import FAIL, MemberFacts, score
from pocketbook.assessments.tests.scoring_facts import adult, born, household, three_adults


def test_targeted_poor_needs_a_failed_dimension_and_a_welfare_card(tpmap):
    carded_poor = household(adult(welfare_card=True), tidy_house=False)
    carded_not_poor = household(adult(welfare_card=True))
    poor_without_card = household(adult(), tidy_house=False)
    assert score(tpmap, carded_poor).targeted_poor is True
    assert score(tpmap, carded_not_poor).targeted_poor is False
    assert score(tpmap, poor_without_card).targeted_poor is False
    assert score(tpmap, household(adult(), tidy_house=False, welfare_card=True)).targeted_poor is True


@pytest.mark.parametrize(
    ("member", "reasons"),
    [
        (MemberFacts("c", "child", born(5), 0, {"is_studying": True, "exercises": True}), ("young_children",)),
        (MemberFacts("c", "child", born(6), 0, {"is_studying": True, "exercises": True}), ("young_children",)),
        (MemberFacts("c", "child", born(7), 0, {"is_studying": True, "exercises": True}), ()),
        (adult("e", age=59), ()),
        (adult("e", age=60, cared_for=True), ("elderly",)),
        (adult("e", age=61, cared_for=True), ("elderly",)),
        (adult("d", disability=True, cared_for=True), ("disabled",)),
        (adult("b", bedridden=True), ("bedridden",)),
    ],
)
def test_vulnerable_household_dependants(tpmap, member, reasons):
    result = score(tpmap, household(adult("a", income=50000), member))
    assert result.vulnerable_reasons == reasons
    assert result.vulnerable is bool(reasons)


def test_vulnerable_by_income_at_or_below_the_set_threshold(tpmap):
    at = household(adult(income=Decimal("8333.33")))  # 99,999.96 a year
    above = household(adult(income=Decimal("8333.34")))  # 100,000.08
    assert score(tpmap, at).vulnerable_reasons == ("low_income",)
    assert score(tpmap, above).vulnerable is False


def test_self_reliant_needs_no_failed_dimension_now_and_at_the_previous_visit(tpmap):
    facts = household(adult())
    assert score(tpmap, facts, previous_failed_dimensions=0).self_reliant is True
    assert score(tpmap, facts, previous_failed_dimensions=1).self_reliant is False
    assert score(tpmap, facts, previous_failed_dimensions=None).self_reliant is False
    assert score(tpmap, household(adult(), tidy_house=False), previous_failed_dimensions=0).self_reliant is False


def test_results_serialise_to_json(tpmap):
    result = score(tpmap, household(adult(), tidy_house=False))
    assert result.indicators_json()["bmn-11"] == {
        "dimension": "living", "status": FAIL, "reason": "answered_no", "params": {}
    }  # fmt: skip
    assert result.statuses_json() == {
        "poor": True,
        "targeted_poor": False,
        "vulnerable": False,
        "vulnerable_reasons": [],
        "self_reliant": False,
    }
    assert [r.code for r in result.failed_indicators] == ["bmn-11"]


@pytest.mark.parametrize(
    ("monthly_total", "per_person", "vulnerable"),
    [("24999.99", "99999.96", True), ("25000.00", "100000.00", True), ("25000.01", "100000.04", False)],
)
def test_the_100000_baht_vulnerable_line_at_its_exact_value_and_one_step_either_side(
    tpmap, monthly_total, per_person, vulnerable
):
    result = score(tpmap, three_adults(monthly_total))

    assert result.income_per_person_per_year == Decimal(per_person)
    assert result.vulnerable_reasons == (("low_income",) if vulnerable else ())
    assert result.vulnerable is vulnerable
