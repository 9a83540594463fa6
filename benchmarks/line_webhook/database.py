"""The benchmark's own database, created, settled, queried and dropped: PostgreSQL or an SQLite file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DATABASE = os.environ.get("BENCH_LINE_DATABASE", "pb_bench_line")  # on a shared server: a name of your own


def _admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


class Database:
    """The benchmark's own database: PostgreSQL `pb_bench_line`, or an SQLite file in the work folder."""

    def __init__(self, vendor: str, work: Path) -> None:
        self.vendor = vendor
        self.file = work / "bench.sqlite3"
        self.url = f"{_admin_url()}/{DATABASE}" if vendor == "postgresql" else f"sqlite:///{self.file}"

    def create(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(_admin_url() + "/postgres", autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
                connection.execute(f"CREATE DATABASE {DATABASE}")
        else:
            self.file.unlink(missing_ok=True)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(_admin_url() + "/postgres", autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)

    def settle(self) -> None:
        """Flush what the migration wrote (the geography) so its checkpoint does not land inside a measurement."""
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as connection:
                connection.execute("VACUUM ANALYZE")
                connection.execute("CHECKPOINT")
        else:
            import sqlite3

            with sqlite3.connect(self.file) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def query(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.url) as connection:
                return list(connection.execute(sql, params).fetchall())
        import sqlite3

        with sqlite3.connect(self.file, timeout=30) as connection:
            return list(connection.execute(sql.replace("%s", "?"), params).fetchall())

    def stored(self, prefix: str, events_per_body: int) -> dict[str, int]:
        """Count what a run stored: events, distinct ids, whole bodies, bodies only partly stored."""
        events, distinct = self.query(
            "SELECT count(*), count(DISTINCT webhook_event_id) FROM incidents_lineevent"
            " WHERE webhook_event_id LIKE %s",
            [prefix + "%"],
        )[0]
        per_body = self.query(
            "SELECT count(*) FROM incidents_lineevent WHERE webhook_event_id LIKE %s"
            " GROUP BY substr(webhook_event_id, 1, length(webhook_event_id) - 3)",
            [prefix + "%"],
        )
        partial = sum(1 for (count,) in per_body if count != events_per_body)
        return {"events": events, "distinct": distinct, "bodies": len(per_body), "partial": partial}
