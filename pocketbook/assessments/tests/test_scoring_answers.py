"""The pure scoring engine's answer checks: missing answers, wrong kinds and implausible numbers named by their
path, whom a member question applies to, and the choice and at-most operators."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from pocketbook.assessments.scoring import (
    FAIL,
    HouseholdFacts,
    MemberFacts,
    MissingAnswer,
    check_answers,
    members_asked,
    parse_set,
    score,
)
from pocketbook.assessments.tests.factories import VISIT
from pocketbook.assessments.tests.scoring_facts import adult, born, household, result_of


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
