"""Re-score the latest assessment of every household under a set, in batches: bulk read, score in Python, bulk write.

Used after an administrator corrects a set's threshold (some are unconfirmed figures) and by the benchmark.
The stored answers are scored again under the set's current indicators and thresholds; no ORM objects are
built per row, and a digest of the stored results lets unchanged households be skipped without decoding them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from pocketbook.assessments.facts import household_facts
from pocketbook.assessments.models import Assessment, IndicatorSet
from pocketbook.assessments.scoring import IndicatorSetSpec, score

COLUMNS = (
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
READ_FIELDS = ("id", "assessed_on", "answers", "previous__failed_dimensions", "results_digest")
WRITE_CHUNK = 500


@dataclass(frozen=True)
class RescoreReport:
    households: int
    changed: int


def _dump(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def results_digest(indicators: Any, dimensions: Any, statuses: Any) -> str:
    """A short fingerprint of an assessment's results (indicators, dimensions, statuses), stable across runs.

    The results are built in the set's order from plain values, so their repr is deterministic and much
    cheaper than JSON; it is only ever compared with a digest made by this same function.
    """
    return hashlib.blake2b(repr((indicators, dimensions, statuses)).encode(), digest_size=16).hexdigest()


def _batches(indicator_set: IndicatorSet, batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    last_id = 0
    rows = Assessment.objects.filter(indicator_set=indicator_set, is_latest=True).order_by("id")
    while True:
        batch = list(rows.filter(id__gt=last_id).values_list(*READ_FIELDS)[:batch_size])
        if not batch:
            return
        yield batch
        last_id = batch[-1][0]


def _score_batch(spec: IndicatorSetSpec, batch: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    updates = []
    for pk, assessed_on, answers, previous_failed, stored_digest in batch:
        if isinstance(answers, str):
            answers = json.loads(answers)
        if isinstance(assessed_on, str):
            assessed_on = dt.date.fromisoformat(assessed_on)
        facts = household_facts(assessed_on=assessed_on, answers=answers)
        result = score(spec, facts, previous_failed_dimensions=previous_failed)
        indicators = result.indicators_json()
        dimensions = dict(result.dimensions)
        digest = results_digest(indicators, dimensions, result.statuses_json())
        if digest == stored_digest:
            continue
        updates.append(
            (_dump(indicators), _dump(dimensions), result.failed_dimensions, str(result.income_per_person_per_year),
             result.poor, result.targeted_poor, result.vulnerable, _dump(list(result.vulnerable_reasons)),
             result.self_reliant, digest, pk)
        )  # fmt: skip
    return updates


def _write(updates: list[tuple[Any, ...]]) -> None:
    table = Assessment._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{column} = %s" for column in COLUMNS)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", updates)  # noqa: S608 - constants
            return
        # PostgreSQL: one UPDATE ... FROM (VALUES ...) per chunk instead of one statement per row
        types = {"failed_dimensions": "smallint", "income_per_person_per_year": "numeric", "results_digest": "text"}
        for column in ("is_poor", "is_targeted_poor", "is_vulnerable", "is_self_reliant"):
            types[column] = "boolean"
        casts = [("jsonb" if column in JSON_COLUMNS else types[column]) for column in COLUMNS]
        row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ", %s::bigint)"
        assignments = ", ".join(f"{column} = v.{column}" for column in COLUMNS)
        names = ", ".join((*COLUMNS, "id"))
        for start in range(0, len(updates), WRITE_CHUNK):
            chunk = updates[start : start + WRITE_CHUNK]
            values = ", ".join([row_sql] * len(chunk))
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM (VALUES {values}) AS v({names}) WHERE t.id = v.id",  # noqa: S608
                [value for row in chunk for value in row],
            )


def rescore_latest(*, indicator_set: IndicatorSet, spec: IndicatorSetSpec, batch_size: int = 2000) -> RescoreReport:
    """Score every household's latest assessment under `indicator_set` again; write the rows whose results changed."""
    households = changed = 0
    for batch in _batches(indicator_set, batch_size):
        updates = _score_batch(spec, batch)
        households += len(batch)
        if updates:
            _write(updates)
            changed += len(updates)
    return RescoreReport(households=households, changed=changed)
