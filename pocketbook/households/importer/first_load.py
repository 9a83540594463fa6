"""A large first import into PostgreSQL: one transaction that builds the member table's costly indexes once.

Keeping a B-tree up to date row by row is cheap when rows arrive in key order and dear when they arrive in random
order: each new national-ID hash or name lands on a random page of a large index, which costs a page read and a
full-page write-ahead-log image. Loading a million members that way spends most of its time there. When the member
table is empty and the file is large, the import instead:

- takes the member table for itself (ACCESS EXCLUSIVE: nobody reads or writes members until it ends),
- drops the indexes over random-order columns (the ID hash ones, the unique one included, and the name ones)
  and the member table's foreign keys (a trigger call per row, where adding them back is one join),
- writes every chunk as before (each chunk in a savepoint, so a refused chunk is retried household by household),
  answering "who already holds this ID?" from what it wrote, since nobody else can write members meanwhile,
- recreates the indexes and keys from their exact definitions (CREATE UNIQUE INDEX checks the one-active-member-
  per-ID rule again over the whole table, ADD FOREIGN KEY every member's household) and refreshes the statistics,
- commits. Any failure rolls everything back, the dropped indexes included: nothing is half-written.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from pocketbook.households.models import Household, Member

# Below this many rows the ordinary chunked import is fast enough and keeps the tables open to others.
FIRST_LOAD_MIN_ROWS = 50_000
# Member columns whose values arrive in random order: their indexes are built after the load.
RANDOM_ORDER_COLUMNS = frozenset({"national_id_hash", "first_name", "last_name"})


class NotFirstLoad(Exception):
    """Someone added members between the check and the lock: import the ordinary way."""


def is_worthwhile(*, estimated_rows: int) -> bool:
    """True when a first load would pay: PostgreSQL, a large file, no member yet, and no caller's transaction.

    A first load is its own transaction: inside a caller's, the rows it wrote earlier may hold constraint checks
    that forbid changing the tables, and a failure would take the caller's work with it.
    """
    if connection.vendor != "postgresql" or estimated_rows < FIRST_LOAD_MIN_ROWS or connection.in_atomic_block:
        return False
    return not Member.objects.exists()


def _random_order_index_names() -> list[str]:
    indexes: list[Any] = [*Member._meta.indexes, *Member._meta.constraints]
    return [index.name for index in indexes if RANDOM_ORDER_COLUMNS & set(getattr(index, "fields", ()) or ())]


class FirstLoad:
    """Drops the member table's random-order indexes inside the caller's transaction and builds them again."""

    def __init__(self) -> None:
        self.definitions: list[str] = []
        self.foreign_keys: list[tuple[str, str]] = []
        # True when no household had a key as the load began: the writer then knows the keys from what it writes.
        self.no_keyed_households = False

    def start(self) -> None:
        """Lock the member table, check it is still empty and drop the indexes; call inside transaction.atomic()."""
        member_table = connection.ops.quote_name(Member._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {member_table} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {member_table})")  # noqa: S608 - the model's table
            if cursor.fetchone()[0]:
                raise NotFirstLoad
        self.no_keyed_households = not Household.objects.exclude(household_key="").exists()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = %s AND indexname = ANY(%s)",
                [Member._meta.db_table, _random_order_index_names()],
            )
            found = cursor.fetchall()
            self.definitions = [definition for _name, definition in found]
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            # The member table's foreign keys: checked once over the whole table when added back (one join)
            # instead of by a trigger per row.
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'f'",
                [Member._meta.db_table],
            )
            self.foreign_keys = cursor.fetchall()
            for name, _definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {member_table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
            # Sorting for the index builds at the end: in memory rather than in temporary files.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")

    def finish(self) -> None:
        """Build the dropped indexes again and refresh the statistics the search plans rely on."""
        member_table = connection.ops.quote_name(Member._meta.db_table)
        with connection.cursor() as cursor:
            for definition in self.definitions:
                cursor.execute(definition)
            for name, definition in self.foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {member_table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                )
            for model in (Household, Member):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
