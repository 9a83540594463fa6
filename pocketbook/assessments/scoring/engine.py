"""Score a household under an indicator set: pure functions over plain facts, no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pocketbook.assessments.scoring.facts import HouseholdFacts
from pocketbook.assessments.scoring.rules import FAIL, NOT_APPLICABLE, PASS, RULES, Question
from pocketbook.assessments.scoring.spec import IndicatorSetSpec, IndicatorSpec

VULNERABILITY_REASONS = ("young_children", "elderly", "disabled", "bedridden", "low_income")


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    code: str
    dimension: str
    status: str  # "pass", "fail" or "na"
    reason: str
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """Everything scoring says about one household at one visit."""

    indicators: tuple[IndicatorResult, ...]
    dimensions: Mapping[str, str]  # dimension key -> "pass" or "fail"
    failed_dimensions: int
    income_per_person_per_year: Decimal
    poor: bool
    targeted_poor: bool
    vulnerable: bool
    vulnerable_reasons: tuple[str, ...]
    self_reliant: bool

    @property
    def failed_indicators(self) -> list[IndicatorResult]:
        return [result for result in self.indicators if result.status == FAIL]

    def indicators_json(self) -> dict[str, dict[str, Any]]:
        """The per-indicator results as JSON-able data, keyed by indicator code."""
        return {
            r.code: {"dimension": r.dimension, "status": r.status, "reason": r.reason, "params": dict(r.params)}
            for r in self.indicators
        }

    def statuses_json(self) -> dict[str, Any]:
        return {
            "poor": self.poor,
            "targeted_poor": self.targeted_poor,
            "vulnerable": self.vulnerable,
            "vulnerable_reasons": list(self.vulnerable_reasons),
            "self_reliant": self.self_reliant,
        }


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """An answer that is missing or of the wrong kind; `path` is household.KEY or members.MEMBER.KEY."""

    path: str
    problem: str  # "required", "boolean", "number", "negative", "range", "choice"
    indicator: str
    limits: tuple[float | None, float | None] = (None, None)  # the plausible range, for "range"


def score(
    spec: IndicatorSetSpec, facts: HouseholdFacts, *, previous_failed_dimensions: int | None = None
) -> ScoreResult:
    """Judge every indicator, then each dimension and the household's statuses.

    `previous_failed_dimensions` is the number of failed dimensions at the household's previous
    assessment (None when there was none); it decides "self-reliant". Raises MissingAnswer.
    """
    ages = facts.ages()
    thresholds = spec.thresholds
    results = []
    failed_by_dimension = dict.fromkeys(spec.dimension_keys, False)
    for indicator in spec.indicators:
        judgement = RULES[indicator.rule].judge(indicator.params, facts, ages, thresholds)
        results.append(
            IndicatorResult(indicator.code, indicator.dimension, judgement.status, judgement.reason, judgement.params)
        )
        if judgement.status == FAIL:
            failed_by_dimension[indicator.dimension] = True
    dimensions = {key: (FAIL if failed else PASS) for key, failed in failed_by_dimension.items()}
    failed_dimensions = sum(failed_by_dimension.values())
    income = facts.income_per_person_per_year()
    poor = failed_dimensions > 0
    reasons = _vulnerability(spec, facts, ages, income)
    return ScoreResult(
        indicators=tuple(results),
        dimensions=dimensions,
        failed_dimensions=failed_dimensions,
        income_per_person_per_year=income,
        poor=poor,
        targeted_poor=poor and _holds_welfare_card(facts),
        vulnerable=bool(reasons),
        vulnerable_reasons=reasons,
        self_reliant=failed_dimensions == 0 and previous_failed_dimensions == 0,
    )


def _holds_welfare_card(facts: HouseholdFacts) -> bool:
    return facts.answers.get("welfare_card") is True or any(m.facts.get("welfare_card") is True for m in facts.members)


def _vulnerability(
    spec: IndicatorSetSpec, facts: HouseholdFacts, ages: Mapping[str, int | None], income: Decimal
) -> tuple[str, ...]:
    thresholds = spec.thresholds
    child_age, elderly_age = thresholds["young_child_max_age"], thresholds["elderly_min_age"]
    found = set()
    for member in facts.members:
        age = ages[member.key]
        if age is not None and age <= child_age:
            found.add("young_children")
        if age is not None and age >= elderly_age:
            found.add("elderly")
        if member.facts.get("disability") is True:
            found.add("disabled")
        if member.facts.get("bedridden") is True:
            found.add("bedridden")
    if facts.members and income <= Decimal(str(thresholds["vulnerable_income_per_person_per_year"])):
        found.add("low_income")
    return tuple(reason for reason in VULNERABILITY_REASONS if reason in found)


def questions(spec: IndicatorSetSpec) -> list[tuple[IndicatorSpec, Question]]:
    """Every question the set asks, with the indicator that asks it, in the set's order."""
    return [
        (indicator, question)
        for indicator in spec.indicators
        for question in RULES[indicator.rule].questions(indicator.params)
    ]


def members_asked(spec: IndicatorSetSpec, indicator: IndicatorSpec, facts: HouseholdFacts) -> list[str]:
    """The keys of the members a per-member question of this indicator is asked of."""
    kind = RULES[indicator.rule]
    return [member.key for member in kind.applicable_members(indicator.params, facts, facts.ages())]


def check_answers(spec: IndicatorSetSpec, facts: HouseholdFacts) -> list[AnswerProblem]:
    """List every answer that is missing or of the wrong kind (empty when the visit can be scored)."""
    problems: list[AnswerProblem] = []
    ages = facts.ages()
    for member in facts.members:
        if member.monthly_income is not None and member.monthly_income < 0:
            problems.append(AnswerProblem(f"members.{member.key}.monthly_income", "negative", ""))
    for indicator, question in questions(spec):
        if question.scope == "household":
            problem = _answer_problem(question, facts.answers.get(question.key))
            if problem:
                limits = (question.minimum, question.maximum)
                problems.append(AnswerProblem(f"household.{question.key}", problem, indicator.code, limits))
            continue
        kind = RULES[indicator.rule]
        for member in kind.applicable_members(indicator.params, facts, ages):
            problem = _answer_problem(question, member.facts.get(question.key))
            if problem:
                path, limits = f"members.{member.key}.{question.key}", (question.minimum, question.maximum)
                problems.append(AnswerProblem(path, problem, indicator.code, limits))
    return problems


def _answer_problem(question: Question, answer: Any) -> str | None:
    if answer is None or answer == "":
        return "required"
    if question.kind == "boolean":
        return None if isinstance(answer, bool) else "boolean"
    if question.kind == "choice":
        return None if answer in question.choices else "choice"
    if not _finite_number(answer):
        return "number"
    if question.minimum is not None and answer < question.minimum:
        return "negative" if question.minimum == 0 else "range"
    if question.maximum is not None and answer > question.maximum:
        return "range"
    return None


def _finite_number(answer: Any) -> bool:
    if isinstance(answer, bool) or not isinstance(answer, int | float | Decimal):
        return False
    return isinstance(answer, int) or Decimal(str(answer)).is_finite()


__all__ = ["FAIL", "NOT_APPLICABLE", "PASS", "AnswerProblem", "IndicatorResult", "ScoreResult", "score"]
