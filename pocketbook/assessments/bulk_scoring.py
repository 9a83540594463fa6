"""Score stored assessment rows in bulk: plain rows in, the rows to write out. No Django here.

Re-scoring runs this in worker processes: they import only this module and the pure scoring engine,
receive the stored answers still as JSON text, and send back ready-to-write rows for only the
households whose results changed, so the process that talks to the database does no scoring work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pocketbook.assessments.facts import household_facts
from pocketbook.assessments.scoring import IndicatorSetSpec, score

# The result columns a re-scoring writes, in the order of the rows `score_rows` returns (then the id).
RESULT_COLUMNS = (
    "indicator_results",
    "dimension_results",
    "failed_dimensions",
    "income_per_person_per_year",
    "is_poor",
    "is_targeted_poor",
    "is_vulnerable",
    "vulnerable_reasons",
    "is_self_reliant",
    "results_digest",
)
JSON_COLUMNS = frozenset({"indicator_results", "dimension_results", "vulnerable_reasons"})

# A stored row: (id, assessed_on, answers as JSON text or decoded, previous failed dimensions or None, digest).
StoredRow = tuple[int, "dt.date | str", "str | dict[str, Any]", "int | None", str]


def results_digest(indicators: Any, dimensions: Any, statuses: Any) -> str:
    """Fingerprint an assessment's results (indicators, dimensions, statuses) stably across runs.

    The results are built in the set's order from plain values, so their repr is deterministic and much
    cheaper than JSON; it is only ever compared with a digest made by this same function.
    """
    return hashlib.blake2b(repr((indicators, dimensions, statuses)).encode(), digest_size=16).hexdigest()


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dump_json(value: Any) -> str:
    """Encode as compact JSON, Decimals as strings (as Django's JSON encoder stores them)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def score_rows(spec: IndicatorSetSpec, rows: Sequence[StoredRow]) -> list[tuple[Any, ...]]:
    """Score each stored row under `spec`; return (RESULT_COLUMNS..., id) for the rows whose digest changed."""
    updates = []
    for pk, assessed_on, answers, previous_failed, stored_digest in rows:
        if isinstance(answers, str):
            answers = json.loads(answers)
        if isinstance(assessed_on, str):
            assessed_on = dt.date.fromisoformat(assessed_on)
        result = score(
            spec, household_facts(assessed_on=assessed_on, answers=answers), previous_failed_dimensions=previous_failed
        )
        indicators = result.indicators_json()
        dimensions = dict(result.dimensions)
        digest = results_digest(indicators, dimensions, result.statuses_json())
        if digest == stored_digest:
            continue
        updates.append(
            (dump_json(indicators), dump_json(dimensions), result.failed_dimensions,
             str(result.income_per_person_per_year), result.poor, result.targeted_poor, result.vulnerable,
             dump_json(list(result.vulnerable_reasons)), result.self_reliant, digest, pk)
        )  # fmt: skip
    return updates


# --- in a worker process: the set is handed over once, then batches of rows ---------------------

_worker_spec: IndicatorSetSpec | None = None


def worker_start(spec: IndicatorSetSpec) -> None:
    """Keep the indicator set for this worker process's batches (a process pool's initializer)."""
    global _worker_spec
    _worker_spec = spec


def worker_score(rows: Sequence[StoredRow]) -> tuple[int, list[tuple[Any, ...]]]:
    """Score one batch in a worker process; return how many rows it read and the rows to write."""
    if _worker_spec is None:
        raise RuntimeError("worker_start was not called in this process")
    return len(rows), score_rows(_worker_spec, rows)
