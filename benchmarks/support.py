"""What the benchmarks share: percentiles, timed requests, the machine's load, a worker process per database, a
throw-away PostgreSQL database of their own, and the command line of a benchmark module."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
ROOT = Path(__file__).resolve().parent.parent

Row = tuple[str, str, str, str, str]  # benchmark, measure, value, target, verdict


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile (the largest sample when there are fewer than 20), in the samples' unit."""
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def p95_ms(seconds: Sequence[float]) -> float:
    """The 95th percentile of samples taken in seconds, in milliseconds."""
    return p95(seconds) * 1000


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def timed_requests(client: Any, url: str, requests: int, *, warm: int = 5) -> dict[str, float]:
    """GET `url` `requests` times after `warm` untimed ones: p95 and median of the wall and CPU time, in ms.

    The CPU time is this process's: what the code costs, whatever the other engineers run meanwhile.
    """
    wall, cpu = [], []
    for _ in range(warm):
        client.get(url)
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
    return {
        "p95": p95(wall),
        "median": statistics.median(wall),
        "cpu_p95": p95(cpu),
        "cpu_median": statistics.median(cpu),
        "load_before": os.getloadavg()[0],
    }


def settle(connection: Any) -> None:
    """Start a timing from a quiet database: statistics known (as autovacuum would), SQLite's WAL flushed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def uptime() -> str:
    """The machine's load as `uptime` prints it (the machine is shared: wall times depend on it)."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5, check=False).stdout.strip()
    except OSError:
        return "load average: " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def run_worker(module: str, args: Sequence[Any], *, database_url: str, var_dir: Path, production: bool = False) -> Any:
    """Run `python -m benchmarks.<module> --worker ARGS` against its own database; return its last line's JSON.

    `production`: DEBUG off with throw-away keys (in DEBUG, Django keeps the text of every query in memory, which
    would count against a memory figure); otherwise DEBUG on, logging warnings only.
    """
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url, "POCKETBOOK_VAR_DIR": str(var_dir)}
    env.pop("POCKETBOOK_TESTING", None)
    if production:
        from cryptography.fernet import Fernet

        env.update(
            DEBUG="0",
            SECRET_KEY=Fernet.generate_key().decode() * 2,
            FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
            ALLOWED_HOSTS="localhost,testserver",
        )
    else:
        env.update(DEBUG="1", LOG_LEVEL="WARNING")
    completed = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", "--worker", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark worker failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def on_each_database(
    prefix: str, pg_database: str, measure: Callable[[str, str, Path], list[Row]], *, postgres_first: bool = False
) -> list[Row]:
    """Call `measure(label, database_url, folder)` on a temporary SQLite file, then (or first) on a PostgreSQL
    database of its own when a server answers (dropped afterwards); return all the rows."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        folder_path = Path(folder)
        targets = [("SQLite", f"sqlite:///{folder_path / 'bench.sqlite3'}")]
        postgres = postgres_database_create(pg_database)
        if postgres:
            targets.insert(0 if postgres_first else 1, ("PostgreSQL", postgres))
        try:
            for label, url in targets:
                rows.extend(measure(label, url, folder_path))
        finally:
            if postgres:
                postgres_database_drop(pg_database)
    return rows


def main(run: Callable[..., list[Row]], worker: Callable[..., Any]) -> None:
    """A benchmark module's command line: `--worker ARGS` runs the worker (the strings as given) and prints its
    JSON; otherwise the benchmark runs (`--quick` for smaller sizes) and prints its rows."""
    if len(sys.argv) >= 2 and sys.argv[1] == "--worker":
        print(json.dumps(worker(*sys.argv[2:])))
    else:
        for row in run(quick="--quick" in sys.argv):
            print("  ".join(row))


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
