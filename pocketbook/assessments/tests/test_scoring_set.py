"""The pure scoring engine's inputs: a household's facts (ages at the visit, income per person) and the TPMAP
indicator set file, parsed, or refused naming the place of each mistake."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from pocketbook.assessments.scoring import FAIL, SpecError, age_on, parse_set, questions, score
from pocketbook.assessments.tests.factories import VISIT, YES
from pocketbook.assessments.tests.scoring_facts import adult, household, result_of


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


def test_the_tpmap_set_has_17_indicators_in_five_dimensions(tpmap):
    assert tpmap.code == "bmn-2560-2564-tpmap17"
    assert tpmap.dimension_keys == ("health", "living", "education", "income", "access")
    assert [i.number for i in tpmap.indicators] == [1, 4, 5, 7, 8, 9, 10, 11, 15, 16, 17, 19, 20, 21, 22, 27, 28]
    counts = {key: sum(1 for i in tpmap.indicators if i.dimension == key) for key in tpmap.dimension_keys}
    assert counts == {"health": 4, "living": 4, "education": 4, "income": 3, "access": 2}


def test_the_set_asks_six_household_questions_and_four_member_questions(tpmap):
    asked = {(q.scope, q.key) for _, q in questions(tpmap)}
    assert asked == {("household", key) for key in YES} | {
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
