"""The aggregate counters every dashboard reads: one row per (topic, area, period, key), kept by upserts.

    tally_add([TallyChange("households", "92010101", "", "registered", 1)])   # the village and every ancestor
    tally_read(topic="households", area_code="92", children=True)           # {(area, period, key): value}

Listeners call `tally_add` inside the caller's transaction (an assessment, an incident). It is one
`INSERT ... ON CONFLICT DO UPDATE SET value = value + excluded.value`, so two transactions adding to the
same new counter never raise UNIQUE: the second waits for the first and adds to it (PostgreSQL), or the
writers are serialised (SQLite). Rows are written in one sorted order, so two transactions cannot
deadlock on each other's counters. A statistic must never make an emergency or an assessment fail: a
database error in the counters is logged and rolled back to a savepoint, and `pocketbook rebuild_aggregates`
repairs the counters.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper

from pocketbook.reports.models import Tally

logger = logging.getLogger(__name__)

AREA_LEVELS = (8, 6, 4, 2, 0)  # village, subdistrict, district, province, country
BATCH = 5_000

UPSERT = (
    "INSERT INTO reports_tally (topic, area_code, parent_code, period, key, value) VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (topic, area_code, period, key) DO UPDATE SET value = reports_tally.value + excluded.value"
)
LEAVES_HEAD = (
    "INSERT INTO reports_tally (topic, area_code, parent_code, period, key, value) "
    "SELECT %s, leaf.area_code, CASE WHEN length(leaf.area_code) > 2 "
    "THEN substr(leaf.area_code, 1, length(leaf.area_code) - 2) ELSE '' END, leaf.period, leaf.key, leaf.value FROM ("
)
LEAVES_TAIL = ") AS leaf WHERE leaf.value <> 0"


@dataclass(frozen=True)
class TallyChange:
    """Add `delta` to the counter `key` of `topic` in `period` for `area_code` and each of its ancestors."""

    topic: str
    area_code: str
    period: str
    key: str
    delta: int


def area_parent(code: str) -> str:
    """The area one level up: a village's subdistrict, ..., a province's country ("")."""
    return code[: max(len(code) - 2, 0)]


def area_lineage(code: str) -> list[str]:
    """The area and every ancestor up to the country, from the area itself."""
    return [code[:length] for length in AREA_LEVELS if length <= len(code)]


def _rolled_up(changes: Iterable[TallyChange]) -> list[tuple[str, str, str, str, str, int]]:
    merged: Counter[tuple[str, str, str, str]] = Counter()
    for change in changes:
        if not change.delta:
            continue
        for code in area_lineage(change.area_code):
            merged[(change.topic, code, change.period, change.key)] += change.delta
    return [
        (topic, code, area_parent(code), period, key, value)
        for (topic, code, period, key), value in sorted(merged.items())
        if value
    ]


def tally_add(changes: Iterable[TallyChange]) -> None:
    """Add each delta to its counter at the given area AND every ancestor up to the country ("")."""
    rows = _rolled_up(changes)
    if not rows:
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint inside the caller's transaction
            cursor.executemany(UPSERT, rows)
    except DatabaseError:
        logger.exception("aggregate counters not updated (run `pocketbook rebuild_aggregates`): %s", rows[:3])


def tally_read(
    *, topic: str, area_code: str, periods: Sequence[str] = ("",), children: bool = False
) -> dict[tuple[str, str, str], int]:
    """The counters of one area (or of its child areas): {(area_code, period, key): value}."""
    rows = Tally.objects.filter(topic=topic, period__in=list(periods))
    rows = rows.filter(parent_code=area_code).exclude(area_code="") if children else rows.filter(area_code=area_code)
    return {
        (code, period, key): value
        for code, period, key, value in rows.values_list("area_code", "period", "key", "value")
    }


def _insert_leaves(cursor: CursorWrapper, leaves: list[tuple[str, str, str, str, str, int]]) -> None:
    """Insert distinct counters fast: COPY on PostgreSQL, executemany in batches elsewhere."""
    columns = "topic, area_code, parent_code, period, key, value"
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY reports_tally ({columns}) FROM STDIN") as copy:
            for row in leaves:
                copy.write_row(row)
        return
    for start in range(0, len(leaves), BATCH):
        cursor.executemany(
            f"INSERT INTO reports_tally ({columns}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608 - constants
            leaves[start : start + BATCH],
        )


def _roll_up_in_sql(cursor: CursorWrapper, topic: str) -> None:
    """Sum each level into the level above, from villages up to the country, in the database."""
    for length in AREA_LEVELS[1:]:
        cursor.execute(
            "INSERT INTO reports_tally (topic, area_code, parent_code, period, key, value) "
            "SELECT up.topic, up.code, substr(up.code, 1, %s), up.period, up.key, up.total FROM ("
            "SELECT topic, substr(area_code, 1, %s) AS code, period, key, SUM(value) AS total "
            "FROM reports_tally WHERE topic = %s AND length(area_code) = %s "
            "GROUP BY topic, substr(area_code, 1, %s), period, key) AS up WHERE true "
            "ON CONFLICT (topic, area_code, period, key) DO UPDATE SET value = reports_tally.value + excluded.value",
            [max(length - 2, 0), length, topic, length + 2, length],
        )


@transaction.atomic
def tally_replace_topic(topic: str, rows: Iterable[TallyChange]) -> int:
    """For rebuilds: delete the topic, insert its leaf rows, and roll them up to every ancestor set-based.

    Leaf rows may name villages or coarser areas and may repeat a counter (they are summed). Returns the
    number of counters the topic now has.
    """
    merged: Counter[tuple[str, str, str]] = Counter()
    for change in rows:
        if change.topic != topic:
            raise ValueError(f"a {change.topic!r} row given to the rebuild of {topic!r}")
        merged[(change.area_code, change.period, change.key)] += change.delta
    leaves = [
        (topic, code, area_parent(code), period, key, value) for (code, period, key), value in merged.items() if value
    ]
    Tally.objects.filter(topic=topic).delete()
    with connection.cursor() as cursor:
        _insert_leaves(cursor, leaves)
        _roll_up_in_sql(cursor, topic)
    return int(Tally.objects.filter(topic=topic).count())


@transaction.atomic
def tally_replace_topic_from_sql(topic: str, select_sql: str, params: Sequence[Any] = ()) -> int:
    """For large rebuilds: like `tally_replace_topic`, the leaf rows coming from a query, never through Python.

    `select_sql` returns (area_code, period, key, value) with at most one row per (area_code, period, key).
    """
    Tally.objects.filter(topic=topic).delete()
    sql = "".join((LEAVES_HEAD, select_sql, LEAVES_TAIL))  # the caller's own SQL, never user input
    with connection.cursor() as cursor:
        cursor.execute(sql, [topic, *params])
        _roll_up_in_sql(cursor, topic)
    return int(Tally.objects.filter(topic=topic).count())
