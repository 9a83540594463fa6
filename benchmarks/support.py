"""What several benchmarks share: a throw-away PostgreSQL database of their own."""

from __future__ import annotations

import os

PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def postgres_database_create(name: str) -> str | None:
    """Create (or recreate) database `name` and return its URL; None, with a printed reason, without a server."""
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    except Exception as error:  # no server: report and skip
        print(f"   PostgreSQL not available ({error}); skipping it", flush=True)
        return None
    return f"{PG_SERVER}/{name}"


def postgres_database_drop(name: str) -> None:
    """Drop database `name` if it exists."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
