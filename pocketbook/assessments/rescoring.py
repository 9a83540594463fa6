"""Re-score the latest assessment of every household under a set: stream, score in worker processes, bulk write.

Used after an administrator corrects a set's threshold (some are unconfirmed figures) and by the benchmark.
The stored answers are scored again under the set's current indicators and thresholds, and only the
households whose results changed are written (a digest of the stored results tells them apart).

- Read: keyset pages by id of only the columns scoring needs, the answers left as JSON text.
- Score: in a pool of worker processes for large sets (`bulk_scoring`, no Django there), so the
  database work of this process overlaps the scoring; in this process for small ones.
- Write, one transaction per batch: PostgreSQL copies the changed rows into a temporary table and
  updates from it in one statement; SQLite runs one prepared UPDATE over the batch.

Batches commit one by one: a run that stops half-way leaves each household either fully re-scored or
untouched, and running again finishes the work (a second complete run changes nothing).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from pocketbook.accounts.models import User
from pocketbook.assessments import listeners
from pocketbook.assessments.bulk_scoring import (
    JSON_COLUMNS,
    RESULT_COLUMNS,
    ScoredBatch,
    StoredRow,
    results_digest,
    score_rows,
    worker_score,
    worker_start,
)
from pocketbook.assessments.models import Assessment, IndicatorSet
from pocketbook.assessments.scoring import IndicatorSetSpec
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change

__all__ = ["COLUMNS", "JSON_COLUMNS", "RescoreReport", "rescore_latest", "results_digest"]

logger = logging.getLogger(__name__)
COLUMNS = RESULT_COLUMNS
DEFAULT_BATCH_SIZE = 5000
# Below this many households, starting worker processes costs more than it saves.
POOL_MIN_HOUSEHOLDS = 20_000
MAX_WORKERS = 2
TEMP_TABLE = "pb_rescore_results"

Writer = Callable[[list[tuple[Any, ...]]], None]


@dataclass(frozen=True)
class RescoreReport:
    households: int
    changed: int
    workers: int = 1
    seconds: float = 0.0
    unscorable: tuple[tuple[int, str], ...] = ()  # (assessment id, what is wrong), left with their old results


def _latest_rows(indicator_set: IndicatorSet) -> Any:
    return (
        Assessment.objects.filter(indicator_set=indicator_set, is_latest=True)
        .order_by("id")
        .annotate(answers_text=Cast("answers", TextField()))
        .values_list("id", "assessed_on", "answers_text", "previous__failed_dimensions", "results_digest")
    )


def _read_batches(indicator_set: IndicatorSet, batch_size: int) -> Iterator[list[StoredRow]]:
    """Yield the latest assessments of the set in id order, `batch_size` at a time (keyset pages, no OFFSET)."""
    rows = _latest_rows(indicator_set)
    last_id = 0
    while True:
        batch = list(rows.filter(id__gt=last_id)[:batch_size])
        if not batch:
            return
        yield batch
        last_id = batch[-1][0]


def _workers_for(indicator_set: IndicatorSet, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    if (os.cpu_count() or 1) < 2:
        return 1
    large = Assessment.objects.filter(indicator_set=indicator_set, is_latest=True)[POOL_MIN_HOUSEHOLDS:][:1].exists()
    return MAX_WORKERS if large else 1


def _start_pool(spec: IndicatorSetSpec, workers: int) -> ProcessPoolExecutor | None:
    """Start `workers` scoring processes, or None to score here (one worker asked, or no processes available)."""
    if workers == 1:
        return None
    # Forked where the platform can: the workers start at once and never touch the inherited connections.
    # (Spawned ones would import the caller's main module again, which breaks scripts without a main guard.)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    try:
        return ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context(method), initializer=worker_start, initargs=(spec,)
        )
    except (OSError, ImportError, NotImplementedError) as error:  # no semaphores (/dev/shm) in some containers
        logger.warning("re-scoring in one process: cannot start %d scoring processes (%s)", workers, error)
        return None


def _scored_batches(
    spec: IndicatorSetSpec, batches: Iterator[list[StoredRow]], pool: ProcessPoolExecutor | None, workers: int
) -> Iterator[ScoredBatch]:
    """Score each batch, in the pool's processes when there is a pool (results in the order read)."""
    if pool is None:
        for batch in batches:
            yield score_rows(spec, batch)
        return
    # Reading stays in this thread (Django connections belong to their thread); keep every worker busy.
    pending: deque[Future[ScoredBatch]] = deque()
    for batch in batches:
        pending.append(pool.submit(worker_score, batch))
        if len(pending) > 2 * workers:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _sqlite_writer() -> Writer:
    assignments = ", ".join(f"{column} = %s" for column in RESULT_COLUMNS)
    sql = f"UPDATE {Assessment._meta.db_table} SET {assignments} WHERE id = %s"  # noqa: S608 - constant names

    def write(updates: list[tuple[Any, ...]]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, updates)

    return write


@contextmanager
def _postgresql_writer() -> Iterator[Writer]:
    """Copy each batch into a temporary table, then update the assessments from it in one statement."""
    table = Assessment._meta.db_table
    names = ", ".join((*RESULT_COLUMNS, "id"))
    assignments = ", ".join(f"{column} = v.{column}" for column in RESULT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP_TABLE}")
        # The same column types as the table, so COPY parses each value once, as its final type.
        cursor.execute(f"CREATE TEMPORARY TABLE {TEMP_TABLE} AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608

    def write(updates: list[tuple[Any, ...]]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {TEMP_TABLE} ({names}) FROM STDIN") as copy:
                for row in updates:
                    copy.write_row(row)
            cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {TEMP_TABLE} AS v WHERE t.id = v.id")  # noqa: S608
            cursor.execute(f"DELETE FROM {TEMP_TABLE}")  # noqa: S608

    try:
        yield write
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TEMP_TABLE}")


def _tell_listeners(updates: list[tuple[Any, ...]]) -> None:
    """Tell the re-scoring listeners which households this batch changed (one query, only when someone listens)."""
    if not listeners.assessments_rescored_listening():
        return
    assessment_ids = [row[-1] for row in updates]
    household_ids = Assessment.objects.filter(pk__in=assessment_ids).values_list("household_id", flat=True)
    listeners.assessments_rescored_notify(sorted(set(household_ids)))


@contextmanager
def _writer() -> Iterator[Writer]:
    if connection.vendor == "postgresql":
        with _postgresql_writer() as write:
            yield write
    else:
        yield _sqlite_writer()


def rescore_latest(
    *,
    indicator_set: IndicatorSet,
    spec: IndicatorSetSpec | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    actor: User | None = None,
) -> RescoreReport:
    """Score every household's latest assessment under `indicator_set` again; write the rows whose results changed.

    `workers` is the number of scoring processes (default: 2 for large sets on a machine with two cores or
    more, else 1, which scores in this process). The run is recorded as one change of the indicator set in
    the audit trail and one log line with the counts; the rows it rewrites are not audited one by one.
    """
    started = time.perf_counter()
    spec = spec if spec is not None else indicator_set.spec()
    workers = _workers_for(indicator_set, workers)
    pool = _start_pool(spec, workers)
    workers = workers if pool is not None else 1
    households = changed = 0
    unscorable: list[tuple[int, str]] = []
    # The pool is shut down (its processes ended) however the run ends.
    with _writer() as write, pool if pool is not None else nullcontext():
        batches = _read_batches(indicator_set, max(1, batch_size))
        for batch in _scored_batches(spec, batches, pool, workers):
            households += batch.households
            unscorable.extend(batch.unscorable)
            if batch.updates:
                with transaction.atomic():
                    write(batch.updates)
                    _tell_listeners(batch.updates)
                changed += len(batch.updates)
    record_change(obj=indicator_set, action=Action.UPDATE, actor=actor, before=None)
    report = RescoreReport(households, changed, workers, time.perf_counter() - started, tuple(unscorable))
    logger.info(
        "re-scored indicator set %s: %d households, %d changed, %d unscorable, %d worker process(es), %.1f s",
        indicator_set.code, report.households, report.changed, len(unscorable), report.workers, report.seconds,
    )  # fmt: skip
    if unscorable:
        logger.warning(
            "indicator set %s: %d assessments could not be re-scored and keep their results, first ones: %s",
            indicator_set.code, len(unscorable), "; ".join(f"assessment {pk}: {why}" for pk, why in unscorable[:20]),
        )  # fmt: skip
    return report
