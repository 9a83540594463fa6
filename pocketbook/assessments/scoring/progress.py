"""Compare two assessments' stored results: per dimension improved / same / worse, and changed indicators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

IMPROVED, SAME, WORSE = "improved", "same", "worse"
_RANK = {"fail": 0, "na": 1, "pass": 1}


@dataclass(frozen=True, slots=True)
class IndicatorChange:
    code: str
    dimension: str
    before: str | None  # None: the indicator was not in the previous set
    after: str | None

    @property
    def direction(self) -> str:
        before, after = _RANK.get(self.before or "na", 1), _RANK.get(self.after or "na", 1)
        return IMPROVED if after > before else WORSE if after < before else SAME


@dataclass(frozen=True, slots=True)
class Progress:
    dimensions: Mapping[str, str]  # dimension key -> improved / same / worse
    changed: tuple[IndicatorChange, ...]
    failed_dimensions_before: int
    failed_dimensions_after: int


def compare(
    *,
    dimensions_before: Mapping[str, str],
    dimensions_after: Mapping[str, str],
    indicators_before: Mapping[str, Mapping[str, Any]],
    indicators_after: Mapping[str, Mapping[str, Any]],
) -> Progress:
    """Compare a previous assessment's results with a later one's (dimension keys of the later set)."""
    directions = {}
    for key, after in dimensions_after.items():
        before = dimensions_before.get(key)
        if before is None or before == after:
            directions[key] = SAME
        else:
            directions[key] = IMPROVED if after == "pass" else WORSE
    changed = []
    for code in list(indicators_after) + [c for c in indicators_before if c not in indicators_after]:
        after_result, before_result = indicators_after.get(code), indicators_before.get(code)
        after_status = after_result["status"] if after_result else None
        before_status = before_result["status"] if before_result else None
        if after_status != before_status:
            dimension = (after_result or before_result or {}).get("dimension", "")
            changed.append(IndicatorChange(code, dimension, before_status, after_status))
    return Progress(
        dimensions=directions,
        changed=tuple(changed),
        failed_dimensions_before=sum(1 for v in dimensions_before.values() if v == "fail"),
        failed_dimensions_after=sum(1 for v in dimensions_after.values() if v == "fail"),
    )
