"""The pure scoring engine, indicator by indicator: a household that passes everything, every indicator of the
TPMAP set, the 38,000 baht poverty line at its exact value, and each comparison a rule makes at its edge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pocketbook.assessments.scoring import FAIL, NOT_APPLICABLE, PASS, MemberFacts, score
from pocketbook.assessments.scoring.rules import _compare
from pocketbook.assessments.tests.scoring_facts import adult, born, household, result_of, three_adults


def test_a_healthy_working_couple_passes_every_dimension(tpmap):
    # given two literate, working adults with enough income and all household answers yes
    facts = household(adult("a"), adult("b"))
    # when scored
    result = score(tpmap, facts)
    # then
    assert result.dimensions == {"health": PASS, "living": PASS, "education": PASS, "income": PASS, "access": PASS}
    assert result.failed_dimensions == 0
    assert (result.poor, result.targeted_poor, result.vulnerable, result.self_reliant) == (False, False, False, False)
    statuses = {r.code: r.status for r in result.indicators}
    assert [c for c, s in statuses.items() if s == NOT_APPLICABLE] == [
        "bmn-01", "bmn-15", "bmn-16", "bmn-17", "bmn-21", "bmn-27", "bmn-28"
    ]  # fmt: skip
    assert result_of(result, "bmn-07").params == {"count": 2}
    assert result_of(result, "bmn-04").reason == "answered_yes"


@pytest.mark.parametrize(("grams", "status"), [(2499, FAIL), (2500, PASS), (2501, PASS), (3100, PASS)])
def test_indicator_1_newborn_weight(tpmap, grams, status):
    baby = MemberFacts("n", "baby", dt.date(2024, 1, 20), 0, {"birth_weight_grams": grams})
    result = score(tpmap, household(adult(), baby))
    assert result_of(result, "bmn-01").status == status
    assert result.dimensions["health"] == status


def test_indicator_1_does_not_apply_to_a_one_year_old(tpmap):
    toddler = MemberFacts("t", "toddler", dt.date(2023, 6, 15), 0, {"is_studying": False})
    assert result_of(score(tpmap, household(adult(), toddler)), "bmn-01").status == NOT_APPLICABLE


@pytest.mark.parametrize(
    ("key", "code", "dimension"),
    [
        ("hygienic_food", "bmn-04", "health"),
        ("proper_medicine_use", "bmn-05", "health"),
        ("secure_durable_house", "bmn-08", "living"),
        ("drinking_water_enough", "bmn-09", "living"),
        ("household_water_enough", "bmn-10", "living"),
        ("tidy_house", "bmn-11", "living"),
    ],
)
def test_household_questions_fail_their_dimension_when_answered_no(tpmap, key, code, dimension):
    # given one household answer "no"
    result = score(tpmap, household(adult(), **{key: False}))
    # then that indicator and only its dimension fail
    assert result_of(result, code).status == FAIL
    assert result_of(result, code).reason == "answered_no"
    assert [k for k, v in result.dimensions.items() if v == FAIL] == [dimension]
    assert result.failed_dimensions == 1
    assert result.poor is True


def test_indicator_7_exercise_names_who_does_not_and_leaves_out_the_bedridden_and_young(tpmap):
    lazy = adult("b", exercises=False)
    bedridden = adult("c", age=70, exercises=False, bedridden=True, cared_for=True)
    five_year_old = MemberFacts("d", "child", born(5), 0, {"is_studying": True})
    result = score(tpmap, household(adult("a"), lazy, bedridden, five_year_old))
    assert result_of(result, "bmn-07").status == FAIL
    assert result_of(result, "bmn-07").params == {"members": ["member-b"], "count": 1}


@pytest.mark.parametrize(("age", "studying", "code", "status"), [
    (3, True, "bmn-15", PASS), (5, False, "bmn-15", FAIL), (2, False, "bmn-15", NOT_APPLICABLE),
    (6, True, "bmn-16", PASS), (14, False, "bmn-16", FAIL), (15, False, "bmn-16", NOT_APPLICABLE),
])  # fmt: skip
def test_indicators_15_and_16_children_in_care_and_school(tpmap, age, studying, code, status):
    child = MemberFacts("k", "child", born(age), 0, {"is_studying": studying, "exercises": True, "literate": True})
    assert result_of(score(tpmap, household(adult(), child)), code).status == status


def test_a_child_whose_studying_is_unknown_counts_as_not_studying(tpmap):
    child = MemberFacts("k", "child", born(8), 0, {"exercises": True})
    assert result_of(score(tpmap, household(adult(), child)), "bmn-16").status == FAIL


@pytest.mark.parametrize(
    ("education", "studying", "status"),
    [("lower_secondary", True, PASS), ("lower_secondary", False, FAIL), ("primary", False, NOT_APPLICABLE)],
)
def test_indicator_17_lower_secondary_leavers_go_on(tpmap, education, studying, status):
    teen = adult("t", age=16, education=education, is_studying=studying, has_occupation_and_income=False)
    assert result_of(score(tpmap, household(adult(), teen)), "bmn-17").status == status


def test_indicator_19_literacy_applies_from_15_to_59(tpmap):
    result = score(tpmap, household(adult("a", literate=False), adult("b", age=65, literate=False, cared_for=True)))
    assert result_of(result, "bmn-19").params == {"members": ["member-a"], "count": 1}


def test_indicator_20_work_leaves_out_students(tpmap):
    student = adult("s", age=19, is_studying=True, has_occupation_and_income=False)
    jobless = adult("j", age=30, has_occupation_and_income=False, income=0)
    assert result_of(score(tpmap, household(adult("a"), student)), "bmn-20").status == PASS
    result = score(tpmap, household(adult("a"), student, jobless))
    assert result_of(result, "bmn-20").status == FAIL
    assert result_of(result, "bmn-20").params["members"] == ["member-j"]


def test_indicator_21_and_27_the_elderly(tpmap):
    grandmother = adult("g", age=72, has_occupation_and_income=False, cared_for=False)
    result = score(tpmap, household(adult(), grandmother))
    assert result_of(result, "bmn-21").status == FAIL
    assert result_of(result, "bmn-27").status == FAIL
    assert result.dimensions["access"] == FAIL
    assert result.failed_dimensions == 2


@pytest.mark.parametrize(
    ("income", "status", "reason"), [("3166.66", FAIL, "income_below"), ("3166.67", PASS, "income_meets")]
)
def test_indicator_22_income_threshold(tpmap, income, status, reason):
    # 3,166.67 × 12 = 38,000.04 per person for a one-person household; 3,166.66 × 12 = 37,999.92
    result = score(tpmap, household(adult(income=Decimal(income))))
    assert result_of(result, "bmn-22").status == status
    assert result_of(result, "bmn-22").reason == reason


def test_indicator_28_applies_to_disabled_members_only(tpmap):
    disabled = adult("d", disability=True, cared_for=False)
    result = score(tpmap, household(adult(), disabled))
    assert result_of(result, "bmn-28").status == FAIL
    assert result_of(score(tpmap, household(adult())), "bmn-28").status == NOT_APPLICABLE


def test_a_household_with_no_members_has_income_not_applicable(tpmap):
    result = score(tpmap, household())
    assert result_of(result, "bmn-22").status == NOT_APPLICABLE
    assert result.failed_dimensions == 0
    assert result.vulnerable is False


@pytest.mark.parametrize(
    ("monthly_total", "per_person", "status"),
    [("9499.99", "37999.96", FAIL), ("9500.00", "38000.00", PASS), ("9500.01", "38000.04", PASS)],
)
def test_the_38000_baht_poverty_line_at_its_exact_value_and_one_step_either_side(
    tpmap, monthly_total, per_person, status
):
    result = score(tpmap, three_adults(monthly_total))

    assert result.income_per_person_per_year == Decimal(per_person)
    assert result_of(result, "bmn-22").status == status
    assert result.dimensions["income"] == status


@pytest.mark.parametrize(
    ("params", "answer", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({}, None, False),
        ({"op": "is_true"}, 1, False),
        ({"op": "is_false"}, False, True),
        ({"op": "is_false"}, True, False),
        ({"op": "is_false"}, None, False),
        ({"op": "is_false"}, 0, False),
        ({"op": "at_least", "value": 3}, 3, True),
        ({"op": "at_least", "value": 3}, 2, False),
        ({"op": "at_most", "value": 3}, 3, True),
        ({"op": "at_most", "value": 3}, 4, False),
        ({"op": "in", "value": ["a", "b"]}, "b", True),
        ({"op": "in", "value": ["a", "b"]}, "c", False),
    ],
)
def test_each_comparison_of_a_rule_at_its_edge(params, answer, expected):
    # given a rule's comparison (the default is "is true"); when / then: only exactly True/False count as yes/no
    assert _compare(params, answer) is expected
