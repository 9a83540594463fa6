"""Score stored assessment rows in bulk: plain rows in, the rows to write out. No Django here.

Re-scoring runs this in worker processes: they import only this module and the pure scoring engine,
receive the stored answers still as JSON text, and send back ready-to-write rows for only the
households whose results changed, so the process that talks to the database does no scoring work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson

from pocketbook.assessments.facts import household_facts
from pocketbook.assessments.scoring import IndicatorSetSpec, MissingAnswer, score

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


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json_bytes(value: Any) -> bytes:
    # orjson: several times faster than the json module, which matters at hundreds of thousands of rows.
    return orjson.dumps(value, default=_json_default)


def dump_json(value: Any) -> str:
    """Encode as compact JSON (dates ISO, Decimals as strings, as Django's JSON encoder stores them)."""
    return _json_bytes(value).decode()


def _digest(indicators: bytes, dimensions: bytes, statuses: bytes) -> str:
    return hashlib.blake2b(b"\n".join((indicators, dimensions, statuses)), digest_size=16).hexdigest()


def results_digest(indicators: Any, dimensions: Any, statuses: Any) -> str:
    """Fingerprint an assessment's results (indicators, dimensions, statuses) stably across runs.

    The results are built in the set's order from plain values, so their JSON is deterministic; re-scoring
    hashes the very JSON it writes, and only ever compares with a digest made the same way.
    """
    return _digest(_json_bytes(indicators), _json_bytes(dimensions), _json_bytes(statuses))


@dataclass
class ScoredBatch:
    """What scoring one batch gives: how many rows it read, the rows to write, and the rows it could not score."""

    households: int
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    unscorable: list[tuple[int, str]] = field(default_factory=list)  # (assessment id, what is wrong)


def score_rows(spec: IndicatorSetSpec, rows: Sequence[StoredRow]) -> ScoredBatch:
    """Score each stored row under `spec`; keep (RESULT_COLUMNS..., id) of the rows whose digest changed.

    A row that cannot be scored (an answer the set needs is missing, or stored data is malformed) is
    listed in `unscorable` and left as it is, so one bad row does not stop the rest.
    """
    batch = ScoredBatch(len(rows))
    for pk, assessed_on, answers, previous_failed, stored_digest in rows:
        try:
            update = _score_row(spec, pk, assessed_on, answers, previous_failed, stored_digest)
        except MissingAnswer as error:
            batch.unscorable.append((pk, f"missing answer {error.path}"))
            continue
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            batch.unscorable.append((pk, f"{type(error).__name__}: {error}"[:200]))
            continue
        if update is not None:
            batch.updates.append(update)
    return batch


def _score_row(
    spec: IndicatorSetSpec, pk: int, assessed_on: Any, answers: Any, previous_failed: int | None, stored_digest: str
) -> tuple[Any, ...] | None:
    if isinstance(answers, str | bytes):
        answers = orjson.loads(answers)
    if isinstance(assessed_on, str):
        assessed_on = dt.date.fromisoformat(assessed_on)
    facts = household_facts(assessed_on=assessed_on, answers=answers)
    result = score(spec, facts, previous_failed_dimensions=previous_failed)
    indicators = _json_bytes(result.indicators_json())
    dimensions = _json_bytes(dict(result.dimensions))
    digest = _digest(indicators, dimensions, _json_bytes(result.statuses_json()))
    if digest == stored_digest:
        return None
    return (
        indicators.decode(), dimensions.decode(), result.failed_dimensions, str(result.income_per_person_per_year),
        result.poor, result.targeted_poor, result.vulnerable, dump_json(list(result.vulnerable_reasons)),
        result.self_reliant, digest, pk,
    )  # fmt: skip


# --- in a worker process: the set is handed over once, then batches of rows ---------------------

_worker_spec: IndicatorSetSpec | None = None


def worker_start(spec: IndicatorSetSpec) -> None:
    """Keep the indicator set for this worker process's batches (a process pool's initializer)."""
    global _worker_spec
    _worker_spec = spec


def worker_score(rows: Sequence[StoredRow]) -> ScoredBatch:
    """Score one batch in a worker process (after `worker_start`)."""
    if _worker_spec is None:
        raise RuntimeError("worker_start was not called in this process")
    return score_rows(_worker_spec, rows)
