"""The pure scoring engine: indicator sets as data, households as facts, results as data. No ORM here."""

from pocketbook.assessments.scoring.engine import (
    AnswerProblem,
    IndicatorResult,
    ScoreResult,
    check_answers,
    members_asked,
    questions,
    score,
)
from pocketbook.assessments.scoring.facts import HouseholdFacts, MemberFacts, age_on
from pocketbook.assessments.scoring.progress import Progress, compare
from pocketbook.assessments.scoring.rules import FAIL, NOT_APPLICABLE, PASS, RULES, MissingAnswer, Question
from pocketbook.assessments.scoring.spec import DimensionSpec, IndicatorSetSpec, IndicatorSpec, SpecError, parse_set

__all__ = [
    "FAIL",
    "NOT_APPLICABLE",
    "PASS",
    "RULES",
    "AnswerProblem",
    "DimensionSpec",
    "HouseholdFacts",
    "IndicatorResult",
    "IndicatorSetSpec",
    "IndicatorSpec",
    "MemberFacts",
    "MissingAnswer",
    "Progress",
    "Question",
    "ScoreResult",
    "SpecError",
    "age_on",
    "check_answers",
    "compare",
    "members_asked",
    "parse_set",
    "questions",
    "score",
]
