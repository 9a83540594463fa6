"""Rule kinds: how an indicator is judged. An indicator names a kind and gives its parameters.

A new indicator set is data: it reuses these kinds with its own parameters (ages, thresholds, keys).
Each kind checks its parameters, lists the questions it needs and judges a household.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from pocketbook.assessments.scoring.facts import HouseholdFacts, MemberFacts

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "na"

# Keys a member record provides (filled from the household's members); any other key a member rule
# names is a question asked of each member it applies to during the visit.
MEMBER_RECORD_KEYS = frozenset(
    {
        "sex",
        "relation",
        "education",
        "is_studying",
        "occupation",
        "has_occupation_and_income",
        "disability",
        "disability_card",
        "chronic_illness",
        "bedridden",
        "pregnant",
        "welfare_card",
    }
)
OPERATORS = ("is_true", "is_false", "at_least", "at_most", "one_of")


class MissingAnswer(LookupError):
    """An answer the rule needs was not given; `path` says which (household.KEY or members.MEMBER.KEY)."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(path)


@dataclass(frozen=True, slots=True)
class Judgement:
    """The result of one indicator: pass, fail or not applicable, and the reason as a code with parameters."""

    status: str
    reason: str
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Question:
    """A question the visit must answer: of the household, or of each member a rule applies to."""

    key: str
    scope: str  # "household" or "member"
    kind: str  # "boolean", "number" or "choice"
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


def _number(value: Any) -> bool:
    """A finite number (NaN and the infinities are not numbers an answer or a rule may use)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return isinstance(value, int) or Decimal(str(value)).is_finite()


def _answer_bounds(kind: str, params: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """The plausible range of a number answer: `answer_range: [low, high]` in the rule, else from zero up."""
    if kind != "number":
        return None, None
    low, high = params.get("answer_range") or (0, None)
    return low, high


def _check_comparison(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not isinstance(params.get("key"), str) or not params.get("key"):
        problems.append(("key", "is required: the answer or fact to look at"))
    operator = params.get("op", "is_true")
    if operator not in OPERATORS:
        problems.append(("op", f"must be one of {', '.join(OPERATORS)}"))
    elif operator in ("at_least", "at_most") and not _number(params.get("value")):
        problems.append(("value", f"must be a number for {operator}"))
    elif operator == "one_of" and not (isinstance(params.get("value"), list) and params.get("value")):
        problems.append(("value", "must be a non-empty list for one_of"))
    if "answer_range" in params:
        bounds = params["answer_range"]
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(_number(b) for b in bounds)):
            problems.append(("answer_range", "must be [lowest, highest]: two numbers"))
        elif bounds[0] > bounds[1]:
            problems.append(("answer_range", "must not have its lowest above its highest"))
    return problems


def _question_kind(params: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    operator = params.get("op", "is_true")
    if operator in ("at_least", "at_most"):
        return "number", ()
    if operator == "one_of":
        return "choice", tuple(str(v) for v in params.get("choices", params["value"]))
    return "boolean", ()


def _compare(params: Mapping[str, Any], answer: Any) -> bool:
    operator = params.get("op", "is_true")
    if operator == "is_true":
        return answer is True
    if operator == "is_false":
        return answer is False
    if operator == "at_least":
        return _number(answer) and answer >= params["value"]
    if operator == "at_most":
        return _number(answer) and answer <= params["value"]
    return answer in params["value"]


def _matches(conditions: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """True when every condition holds: a list means "one of", anything else means "equal to"."""
    for key, wanted in conditions.items():
        value = facts.get(key)
        if isinstance(wanted, list):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True


def _matches_any(conditions: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """True when at least one condition holds (a list means "one of")."""
    for key, wanted in conditions.items():
        value = facts.get(key)
        if (value in wanted) if isinstance(wanted, list) else (value == wanted):
            return True
    return False


class RuleKind:
    """Base of the rule kinds; subclasses register themselves by `name`."""

    name: ClassVar[str]
    description: ClassVar[str]

    def check(self, params: Mapping[str, Any], thresholds: Mapping[str, Any]) -> list[tuple[str, str]]:
        raise NotImplementedError

    def questions(self, params: Mapping[str, Any]) -> list[Question]:
        return []

    def applicable_members(
        self, params: Mapping[str, Any], facts: HouseholdFacts, ages: Mapping[str, int | None]
    ) -> list[MemberFacts]:
        return []

    def judge(
        self,
        params: Mapping[str, Any],
        facts: HouseholdFacts,
        ages: Mapping[str, int | None],
        thresholds: Mapping[str, Any],
    ) -> Judgement:
        raise NotImplementedError


class HouseholdAnswer(RuleKind):
    """The household's answer to one question, compared: `key`, `op` (is_true, at_least ...), `value`."""

    name = "household_answer"
    description = "one answer of the household compared with a value"

    def check(self, params: Mapping[str, Any], thresholds: Mapping[str, Any]) -> list[tuple[str, str]]:
        return _check_comparison(params)

    def questions(self, params: Mapping[str, Any]) -> list[Question]:
        kind, choices = _question_kind(params)
        return [Question(params["key"], "household", kind, choices, *_answer_bounds(kind, params))]

    def judge(self, params, facts, ages, thresholds) -> Judgement:
        key = params["key"]
        if key not in facts.answers or facts.answers[key] is None:
            raise MissingAnswer(f"household.{key}")
        answer = facts.answers[key]
        passed = _compare(params, answer)
        operator = params.get("op", "is_true")
        if operator in ("is_true", "is_false"):
            reason = "answered_yes" if answer is True else "answered_no"
            return Judgement(PASS if passed else FAIL, reason, {})
        if operator == "one_of":
            return Judgement(PASS if passed else FAIL, "answer_accepted" if passed else "answer_not_accepted", {})
        reason = "value_meets" if passed else ("value_below" if operator == "at_least" else "value_above")
        return Judgement(PASS if passed else FAIL, reason, {"value": answer, "threshold": params["value"]})


class MembersAll(RuleKind):
    """Every member it applies to meets a condition; not applicable when it applies to nobody.

    Parameters: `min_age`/`max_age` (completed years, inclusive), `where` and `unless` (facts that
    include or leave out a member), and the condition `key`, `op`, `value`.
    """

    name = "members_all"
    description = "every member in an age range (and matching facts) meets a condition"

    def check(self, params: Mapping[str, Any], thresholds: Mapping[str, Any]) -> list[tuple[str, str]]:
        problems = _check_comparison(params)
        for bound in ("min_age", "max_age"):
            value = params.get(bound)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                problems.append((bound, "must be a whole number of years from 0"))
        low, high = params.get("min_age"), params.get("max_age")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            problems.append(("max_age", "must not be below min_age"))
        for name in ("where", "unless"):
            if name in params and not isinstance(params[name], Mapping):
                problems.append((name, "must be a mapping of fact names to values"))
        return problems

    def questions(self, params: Mapping[str, Any]) -> list[Question]:
        if params["key"] in MEMBER_RECORD_KEYS:
            return []
        kind, choices = _question_kind(params)
        return [Question(params["key"], "member", kind, choices, *_answer_bounds(kind, params))]

    def applicable_members(self, params, facts, ages) -> list[MemberFacts]:
        low, high = params.get("min_age"), params.get("max_age")
        where, unless = params.get("where"), params.get("unless")
        by_age = low is not None or high is not None
        chosen = []
        for member in facts.members:
            if by_age:
                age = ages[member.key]
                if age is None or (low is not None and age < low) or (high is not None and age > high):
                    continue
            if where and not _matches(where, member.facts):
                continue
            if unless and _matches_any(unless, member.facts):
                continue
            chosen.append(member)
        return chosen

    def judge(self, params, facts, ages, thresholds) -> Judgement:
        members = self.applicable_members(params, facts, ages)
        if not members:
            return Judgement(NOT_APPLICABLE, "no_member_applies", {})
        key = params["key"]
        failing = []
        for member in members:
            if key not in member.facts or member.facts[key] is None:
                if key in MEMBER_RECORD_KEYS and params.get("op", "is_true") in ("is_true", "is_false"):
                    answer: Any = False
                else:
                    raise MissingAnswer(f"members.{member.key}.{key}")
            else:
                answer = member.facts[key]
            if not _compare(params, answer):
                failing.append(member.label)
        if failing:
            return Judgement(FAIL, "members_do_not_meet", {"members": failing, "count": len(failing)})
        return Judgement(PASS, "all_members_meet", {"count": len(members)})


class IncomePerPerson(RuleKind):
    """Income per person per year at least a threshold: `threshold` names one of the set's thresholds,
    or `minimum` gives the amount."""

    name = "income_per_person"
    description = "the members' income per person per year is at least a threshold"

    def check(self, params: Mapping[str, Any], thresholds: Mapping[str, Any]) -> list[tuple[str, str]]:
        if "threshold" in params:
            if not _number(thresholds.get(params["threshold"])):
                return [("threshold", f"names {params['threshold']}, which is not a number in the set's thresholds")]
            return []
        if not _number(params.get("minimum")):
            return [("minimum", "give either threshold (a name in the set's thresholds) or minimum (a number)")]
        return []

    def judge(self, params, facts, ages, thresholds) -> Judgement:
        if not facts.members:
            return Judgement(NOT_APPLICABLE, "no_members", {})
        minimum = thresholds[params["threshold"]] if "threshold" in params else params["minimum"]
        income = facts.income_per_person_per_year()
        passed = income >= Decimal(str(minimum))
        return Judgement(
            PASS if passed else FAIL,
            "income_meets" if passed else "income_below",
            {"income": int(income), "threshold": minimum},
        )


RULES: dict[str, RuleKind] = {kind.name: kind for kind in (HouseholdAnswer(), MembersAll(), IncomePerPerson())}
