"""An indicator set as plain data, read from a dict (a YAML/JSON file or the database) and checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pocketbook.assessments.scoring import rules

REQUIRED_THRESHOLDS = ("vulnerable_income_per_person_per_year", "young_child_max_age", "elderly_min_age")


class SpecError(ValueError):
    """An indicator set that cannot be used; `problems` lists (path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


@dataclass(frozen=True, slots=True)
class DimensionSpec:
    key: str
    name_th: str
    name_en: str


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One indicator: what it says, which dimension it belongs to and how it is judged (a rule kind + params)."""

    code: str
    number: int
    dimension: str
    text_th: str
    text_en: str
    rule: str
    params: Mapping[str, Any]
    applies_to_th: str = ""
    applies_to_en: str = ""
    question_th: str = ""
    question_en: str = ""
    help_th: str = ""
    help_en: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorSetSpec:
    """A versioned indicator set: dimensions, indicators and the set's thresholds."""

    code: str
    name_th: str
    name_en: str
    dimensions: tuple[DimensionSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def dimension_keys(self) -> tuple[str, ...]:
        return tuple(dimension.key for dimension in self.dimensions)

    def indicator(self, code: str) -> IndicatorSpec:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)


def _text(data: Mapping[str, Any], key: str, path: str, problems: list[tuple[str, str]], required: bool) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append((f"{path}.{key}", "must be text"))
        return ""
    if required and not value.strip():
        problems.append((f"{path}.{key}", "is required"))
    return value.strip()


def _date(value: Any, path: str, problems: list[tuple[str, str]]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append((path, "must be a date YYYY-MM-DD"))
        return None


def parse_set(data: Any) -> IndicatorSetSpec:
    """Build and check an indicator set from plain data; raise SpecError listing every problem."""
    problems: list[tuple[str, str]] = []
    if not isinstance(data, Mapping):
        raise SpecError([("", "the file must hold a mapping with code, dimensions and indicators")])
    code = _text(data, "code", "set", problems, True)
    name_th = _text(data, "name_th", "set", problems, True)
    name_en = _text(data, "name_en", "set", problems, True)
    thresholds = data.get("thresholds") or {}
    if not isinstance(thresholds, Mapping):
        problems.append(("thresholds", "must be a mapping of names to numbers"))
        thresholds = {}
    for name in REQUIRED_THRESHOLDS:
        if not isinstance(thresholds.get(name), int | float) or isinstance(thresholds.get(name), bool):
            problems.append((f"thresholds.{name}", "is required and must be a number"))
    dimensions = _dimensions(data.get("dimensions"), problems)
    indicators = _indicators(data.get("indicators"), {d.key for d in dimensions}, thresholds, problems)
    valid_from = _date(data.get("valid_from"), "valid_from", problems)
    valid_until = _date(data.get("valid_until"), "valid_until", problems)
    if problems:
        raise SpecError(problems)
    return IndicatorSetSpec(
        code=code,
        name_th=name_th,
        name_en=name_en,
        dimensions=dimensions,
        indicators=indicators,
        thresholds=dict(thresholds),
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _dimensions(raw: Any, problems: list[tuple[str, str]]) -> tuple[DimensionSpec, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(("dimensions", "must be a non-empty list"))
        return ()
    dimensions: list[DimensionSpec] = []
    for index, item in enumerate(raw):
        path = f"dimensions[{index}]"
        if not isinstance(item, Mapping):
            problems.append((path, "must be a mapping with key, name_th and name_en"))
            continue
        key = _text(item, "key", path, problems, True)
        if key in {d.key for d in dimensions}:
            problems.append((f"{path}.key", f"{key} appears twice"))
        name_th = _text(item, "name_th", path, problems, True)
        dimensions.append(DimensionSpec(key, name_th, _text(item, "name_en", path, problems, True)))
    return tuple(dimensions)


def _indicators(
    raw: Any, dimension_keys: set[str], thresholds: Mapping[str, Any], problems: list[tuple[str, str]]
) -> tuple[IndicatorSpec, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(("indicators", "must be a non-empty list"))
        return ()
    indicators: list[IndicatorSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        path = f"indicators[{index}]"
        if not isinstance(item, Mapping):
            problems.append((path, "must be a mapping"))
            continue
        code = _text(item, "code", path, problems, True)
        if code in seen:
            problems.append((f"{path}.code", f"{code} appears twice"))
        seen.add(code)
        number = item.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.append((f"{path}.number", "must be a whole number from 1"))
            number = 0
        dimension = _text(item, "dimension", path, problems, True)
        if dimension and dimension not in dimension_keys:
            problems.append((f"{path}.dimension", f"{dimension} is not one of the set's dimensions"))
        rule = _text(item, "rule", path, problems, True)
        params = item.get("params") or {}
        if not isinstance(params, Mapping):
            problems.append((f"{path}.params", "must be a mapping"))
            params = {}
        kind = rules.RULES.get(rule)
        if rule and kind is None:
            problems.append((f"{path}.rule", f"unknown rule kind {rule}; known: {', '.join(sorted(rules.RULES))}"))
        elif kind is not None:
            problems.extend((f"{path}.params.{where}", message) for where, message in kind.check(params, thresholds))
        indicators.append(
            IndicatorSpec(
                code=code,
                number=number,
                dimension=dimension,
                text_th=_text(item, "text_th", path, problems, True),
                text_en=_text(item, "text_en", path, problems, True),
                rule=rule,
                params=dict(params),
                applies_to_th=_text(item, "applies_to_th", path, problems, False),
                applies_to_en=_text(item, "applies_to_en", path, problems, False),
                question_th=_text(item, "question_th", path, problems, False),
                question_en=_text(item, "question_en", path, problems, False),
                help_th=_text(item, "help_th", path, problems, False),
                help_en=_text(item, "help_en", path, problems, False),
            )
        )
    return tuple(indicators)
