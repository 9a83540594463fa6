"""The pure scoring engine: every rule kind, every indicator of the TPMAP set, statuses and progress."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from pocketbook.assessments.scoring import (
    FAIL,
    NOT_APPLICABLE,
    PASS,
    HouseholdFacts,
    MemberFacts,
    MissingAnswer,
    SpecError,
    age_on,
    check_answers,
    compare,
    members_asked,
    parse_set,
    questions,
    score,
)
from pocketbook.assessments.scoring.rules import _compare

DATA = Path(__file__).resolve().parents[1] / "data" / "bmn-2560-2564-tpmap17.yaml"
VISIT = dt.date(2024, 6, 15)
ALL_YES = {
    "hygienic_food": True,
    "proper_medicine_use": True,
    "secure_durable_house": True,
    "drinking_water_enough": True,
    "household_water_enough": True,
    "tidy_house": True,
}


@pytest.fixture(scope="module")
def raw_set():
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tpmap(raw_set):
    return parse_set(raw_set)


def born(age: int, *, on: dt.date = VISIT) -> dt.date:
    """A birth date giving `age` completed years on the visit date."""
    return dt.date(on.year - age, 1, 1)


def adult(key="a", age=40, income=20000, **facts):
    defaults = {"literate": True, "exercises": True, "has_occupation_and_income": True, "is_studying": False}
    return MemberFacts(key, f"member-{key}", born(age), income, {**defaults, **facts})


def household(*members, **answers):
    return HouseholdFacts(VISIT, {**ALL_YES, **answers}, tuple(members))


def result_of(result, code):
    return next(r for r in result.indicators if r.code == code)


# --- facts --------------------------------------------------------------------------------------


def test_age_counts_completed_years_at_the_visit():
    # given a birthday later in the year than the visit
    # then the person has not yet turned that age
    assert age_on(dt.date(2000, 6, 16), VISIT) == 23
    assert age_on(dt.date(2000, 6, 15), VISIT) == 24
    assert age_on(None, VISIT) is None


def test_income_per_person_per_year_shares_monthly_incomes_over_all_members():
    # given two earners and a child
    facts = household(adult("a", income=9000), adult("b", income=3000), adult("c", age=4, income=0))
    # then (9,000 + 3,000) × 12 / 3
    assert facts.income_per_person_per_year() == Decimal("48000.00")
    assert household().income_per_person_per_year() == Decimal(0)


# --- the set file -------------------------------------------------------------------------------


def test_the_tpmap_set_has_17_indicators_in_five_dimensions(tpmap):
    assert tpmap.code == "bmn-2560-2564-tpmap17"
    assert tpmap.dimension_keys == ("health", "living", "education", "income", "access")
    assert [i.number for i in tpmap.indicators] == [1, 4, 5, 7, 8, 9, 10, 11, 15, 16, 17, 19, 20, 21, 22, 27, 28]
    counts = {key: sum(1 for i in tpmap.indicators if i.dimension == key) for key in tpmap.dimension_keys}
    assert counts == {"health": 4, "living": 4, "education": 4, "income": 3, "access": 2}


def test_the_set_asks_six_household_questions_and_four_member_questions(tpmap):
    asked = {(q.scope, q.key) for _, q in questions(tpmap)}
    assert asked == {("household", key) for key in ALL_YES} | {
        ("member", "birth_weight_grams"),
        ("member", "exercises"),
        ("member", "literate"),
        ("member", "cared_for"),
    }


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.pop("code"), "set.code"),
        (lambda d: d["thresholds"].pop("elderly_min_age"), "thresholds.elderly_min_age"),
        (lambda d: d.__setitem__("dimensions", []), "dimensions"),
        (lambda d: d["indicators"][0].__setitem__("rule", "guess"), "indicators[0].rule"),
        (lambda d: d["indicators"][0].__setitem__("dimension", "wealth"), "indicators[0].dimension"),
        (lambda d: d["indicators"][1].__setitem__("code", "bmn-01"), "indicators[1].code"),
        (lambda d: d["indicators"][0].__setitem__("number", "one"), "indicators[0].number"),
        (lambda d: d["indicators"][0]["params"].__setitem__("op", "roughly"), "indicators[0].params.op"),
        (lambda d: d["indicators"][0]["params"].__setitem__("value", "heavy"), "indicators[0].params.value"),
        (lambda d: d["indicators"][3]["params"].__setitem__("min_age", -1), "indicators[3].params.min_age"),
        (lambda d: d["indicators"][8]["params"].__setitem__("min_age", 9), "indicators[8].params.max_age"),
        (lambda d: d["indicators"][14]["params"].__setitem__("threshold", "nope"), "indicators[14].params.threshold"),
        (lambda d: d["indicators"][0].pop("text_th"), "indicators[0].text_th"),
        (lambda d: d.__setitem__("valid_from", "soon"), "valid_from"),
    ],
)
def test_a_broken_set_is_refused_naming_the_place(raw_set, change, path):
    # given the shipped set with one mistake
    data = copy.deepcopy(raw_set)
    change(data)
    # when it is parsed
    with pytest.raises(SpecError) as error:
        parse_set(data)
    # then the problem names where it is
    assert path in [where for where, _ in error.value.problems]


def test_a_set_that_is_not_a_mapping_is_refused():
    with pytest.raises(SpecError):
        parse_set(["not", "a", "set"])


def test_income_rule_may_give_its_minimum_directly(raw_set):
    data = copy.deepcopy(raw_set)
    data["indicators"][14]["params"] = {"minimum": 50000}
    spec = parse_set(data)
    result = score(spec, household(adult(income=4000)))  # 48,000 a year
    assert result_of(result, "bmn-22").status == FAIL
    assert result_of(result, "bmn-22").params == {"income": 48000, "threshold": 50000}


# --- a household that passes everything ---------------------------------------------------------


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


# --- each indicator -----------------------------------------------------------------------------


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


# --- statuses -----------------------------------------------------------------------------------


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


# --- answers ------------------------------------------------------------------------------------


def test_missing_answers_are_listed_by_path(tpmap):
    # given a household with no answers and a 30-year-old with no literacy answer
    facts = HouseholdFacts(VISIT, {"tidy_house": "yes"}, (MemberFacts("m1", "x", born(30), 0, {}),))
    # when checked
    problems = {(p.path, p.problem) for p in check_answers(tpmap, facts)}
    # then
    assert ("household.hygienic_food", "required") in problems
    assert ("household.tidy_house", "boolean") in problems
    assert ("members.m1.literate", "required") in problems
    assert ("members.m1.exercises", "required") in problems
    assert ("members.m1.cared_for", "required") not in problems


def test_wrong_kinds_and_negative_numbers_are_problems(tpmap):
    baby = MemberFacts("n", "baby", dt.date(2024, 3, 1), -1, {"birth_weight_grams": -5})
    twin = MemberFacts("t", "twin", dt.date(2024, 3, 1), 0, {"birth_weight_grams": "heavy"})
    problems = {(p.path, p.problem) for p in check_answers(tpmap, household(adult(), baby, twin))}
    assert problems == {
        ("members.n.monthly_income", "negative"),
        ("members.n.birth_weight_grams", "range"),
        ("members.t.birth_weight_grams", "number"),
    }


@pytest.mark.parametrize(
    ("grams", "problem"),
    [
        (0, "range"),
        (499, "range"),
        (499.99, "range"),
        (500, None),
        (7000, None),
        (7000.01, "range"),
        (7001, "range"),
        (99_999, "range"),
        (float("nan"), "number"),
        (float("inf"), "number"),
        (Decimal("NaN"), "number"),
        (True, "number"),
    ],
)
def test_a_birth_weight_must_be_a_plausible_number_of_grams(tpmap, grams, problem):
    baby = MemberFacts("n", "baby", dt.date(2024, 3, 1), 0, {"birth_weight_grams": grams})

    problems = {(p.path, p.problem, p.limits) for p in check_answers(tpmap, household(adult(), baby))}

    expected = {("members.n.birth_weight_grams", problem, (500, 7000))} if problem else set()
    assert {p for p in problems if p[0].endswith("birth_weight_grams")} == expected


def test_a_complete_visit_has_no_problems(tpmap):
    assert check_answers(tpmap, household(adult(), adult("b", age=70, cared_for=True))) == []


def test_scoring_without_an_answer_raises_naming_it(tpmap):
    with pytest.raises(MissingAnswer) as error:
        score(tpmap, HouseholdFacts(VISIT, {}, (adult(),)))
    assert error.value.path == "household.hygienic_food"
    with pytest.raises(MissingAnswer) as error:
        score(tpmap, household(MemberFacts("m", "x", born(30), 0, {"exercises": True})))
    assert error.value.path == "members.m.literate"


def test_members_asked_lists_who_a_member_question_applies_to(tpmap):
    facts = household(adult("a"), adult("g", age=80), MemberFacts("c", "c", born(3), 0, {}))
    assert members_asked(tpmap, tpmap.indicator("bmn-27"), facts) == ["g"]
    assert members_asked(tpmap, tpmap.indicator("bmn-07"), facts) == ["a", "g"]


def test_choice_and_at_most_operators(raw_set):
    data = copy.deepcopy(raw_set)
    data["indicators"][1]["params"] = {"key": "toilet", "op": "one_of", "value": ["flush", "pour"]}
    data["indicators"][2]["params"] = {"key": "smokers", "op": "at_most", "value": 0}
    spec = parse_set(data)
    result = score(spec, household(adult(), toilet="pit", smokers=2))
    assert (result_of(result, "bmn-04").status, result_of(result, "bmn-04").reason) == (FAIL, "answer_not_accepted")
    assert result_of(result, "bmn-05").params == {"value": 2, "threshold": 0}
    assert result_of(result, "bmn-05").reason == "value_above"
    problems = {(p.path, p.problem) for p in check_answers(spec, household(adult(), toilet="bucket", smokers=True))}
    assert problems == {("household.toilet", "choice"), ("household.smokers", "number")}


# --- progress -----------------------------------------------------------------------------------


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


def three_adults(monthly_total: str):
    """Three adults, one earning `monthly_total` a month: the income per person per year is monthly_total × 4.

    A satang more a month is 0.04 baht more per person per year, so each line can be hit exactly.
    """
    return household(adult("a", income=Decimal(monthly_total)), adult("b", income=0), adult("c", income=0))


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
