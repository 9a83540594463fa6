"""The import's own SQL: look-ups by lists of keys and hashes, COPY or executemany inserts, batched updates.

The per-row ORM would manage about 16,000 rows/s (PERFORMANCE.md); these go straight through the database driver.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from pocketbook.accounts.models import User
from pocketbook.geo.services import villages_ensure
from pocketbook.households.choices import MemberStatus
from pocketbook.households.importer.writer.columns import COMPARED, ChunkResult
from pocketbook.households.importer.writer.values import RowValues
from pocketbook.households.models import Household, Member


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


class TableAccess(RowValues):
    """The database half of Writer: reads and writes of whole chunks, in one statement each where it can."""

    actor: User | None
    villages: set[str]
    keys_in_memory: set[str] | None
    holders_in_memory: dict[bytes, int] | None

    # ------------------------------------------------------------ reads

    def _in_list(self, column: str) -> str:
        """`column` is one of a list given as one parameter (see `_list`), which the column's index serves."""
        if self.postgres:
            return f"{column} = ANY(%s)"
        return f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - a column name from this module

    def _list(self, values: list[Any]) -> Any:
        return values if self.postgres else json.dumps(values)

    def _existing_households(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        if self.keys_in_memory is not None:
            keys = [key for key in keys if key in self.keys_in_memory]
            if not keys:
                return {}
        names = ("id", "household_key", "area_code", "house_no", "phone", "has_consent")
        with connection.cursor() as cursor:
            cursor.execute(
                # "NOT household_key = ''" repeats the unique index's condition, so SQLite may use that index.
                f"SELECT {_columns(names)} FROM {_table(Household)} "  # noqa: S608
                f"WHERE {self._in_list('household_key')} AND NOT household_key = ''",
                [self._list(keys)],
            )
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            row["has_consent"] = bool(row["has_consent"])
        return {row["household_key"]: row for row in rows}

    def _existing_members(self, households: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
        if not households:
            return {}
        found: dict[int, list[dict[str, Any]]] = {}
        rows = Member.objects.filter(
            household_id__in=[h["id"] for h in households], status=MemberStatus.ACTIVE
        ).values("id", "household_id", "national_id_hash", *COMPARED)
        for row in rows:
            found.setdefault(row["household_id"], []).append(row)
        return found

    def _active_id_holders(self, hashes: list[str]) -> dict[str, tuple[int, str]]:
        if not hashes:
            return {}
        if self.holders_in_memory is not None:
            return self._holders_from_memory(hashes)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.national_id_hash, m.household_id, h.household_key FROM {_table(Member)} m "  # noqa: S608
                f"JOIN {_table(Household)} h ON h.id = m.household_id "
                f"WHERE m.status = %s AND {self._in_list('m.national_id_hash')}",
                [MemberStatus.ACTIVE.value, self._list(hashes)],
            )
            return {h: (household_id, key or "") for h, household_id, key in cursor.fetchall()}

    def _holders_from_memory(self, hashes: list[str]) -> dict[str, tuple[int, str]]:
        assert self.holders_in_memory is not None
        found = {h: household_id for h in hashes if (household_id := self.holders_in_memory.get(bytes.fromhex(h)))}
        if not found:
            return {}
        keys = dict(Household.objects.filter(pk__in=set(found.values())).values_list("id", "household_key"))
        return {h: (household_id, keys.get(household_id) or "") for h, household_id in found.items()}

    # ------------------------------------------------------------ writes

    def _ensure_villages(self, codes: Iterable[str], result: ChunkResult) -> None:
        missing = sorted(code for code in codes if code not in self.villages)
        if not missing:
            return
        created = villages_ensure(codes=missing, actor=self.actor)
        self.villages.update(missing)
        result.counts.villages_created += len(created)

    def _allocate_household_ids(self, count: int) -> list[int]:
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Household._meta.db_table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: the transaction is IMMEDIATE, so nobody else writes until it ends.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_table(Household)}")  # noqa: S608 - table name from the model
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))

    @contextmanager
    def _sending(self, model: Any, fields: Sequence[str]) -> Iterator[Callable[[list[tuple[Any, ...]]], None]]:
        """Insert rows given inside the block; on PostgreSQL they are on their way while the block goes on."""
        if not self.postgres:
            collected: list[tuple[Any, ...]] = []
            yield collected.extend
            self._insert(model, fields, collected)
            return
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {_table(model)} ({_columns(fields)}) FROM STDIN") as copy,
        ):
            write_row = copy.write_row

            def send(rows: list[tuple[Any, ...]]) -> None:
                for row in rows:
                    write_row(row)

            yield send

    def _insert(self, model: Any, fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        table, columns = _table(model), _columns(fields)
        # The driver's own cursor is used below: wrap_database_errors turns its errors into Django's, which
        # write() catches to retry household by household.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["?"] * len(fields))
                connection.connection.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608

    def _update_members(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        sets = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in COMPARED)
        id_sets = (
            "national_id_encrypted = COALESCE(%s, national_id_encrypted), "
            "national_id_hash = COALESCE(%s, national_id_hash), "
            "national_id_last_digit = COALESCE(%s, national_id_last_digit), updated_at = %s, "
            "import_run_id = COALESCE(%s, import_run_id)"
        )
        prepared = [self._prepare_update(row) for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {_table(Member)} SET {sets}, {id_sets} WHERE id = %s", prepared)  # noqa: S608

    def _prepare_update(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        values[4] = self._date(values[4])
        values[8] = self._decimal(values[8])
        values[-2] = self._time(values[-2])
        values.insert(-1, self.run_id)
        return tuple(values)

    def _update_households(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        prepared = [
            (area, house_no, phone, self._time(now), self.run_id, pk) for area, house_no, phone, now, pk in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {_table(Household)} SET area_code = %s, house_no = %s, phone = %s, updated_at = %s, "  # noqa: S608
                "import_run_id = COALESCE(%s, import_run_id) WHERE id = %s",
                prepared,
            )

    def _trace_households(self, household_ids: list[int]) -> None:
        """Point the households whose members alone changed at the run (their own details and time stay)."""
        if not household_ids or self.run_id is None:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_table(Household)} SET import_run_id = %s WHERE {self._in_list('id')}",  # noqa: S608
                [self.run_id, self._list(household_ids)],
            )


# SQLite's page cache during an import, in KiB: the member indexes' pages stay in memory between chunks instead of
# being read back from the file (its default is 2 MiB).
SQLITE_IMPORT_CACHE_KIB = 131_072


@contextmanager
def sqlite_page_cache() -> Iterator[None]:
    """On SQLite, give this connection a larger page cache while the import runs."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
