"""LINE webhook: acknowledgement under gunicorn driven by wrk, and sustained load with the worker answering.

What it does, on PostgreSQL and then on SQLite (bounded: about 4 minutes, `--quick` about 1):
1. creates its own database (PostgreSQL `pb_bench_line`, or an SQLite file; dropped at the end) and migrates it;
2. serves Pocketbook with gunicorn (gthread workers, DEBUG=0, CONN_MAX_AGE=60): each request only stores its
   events (the events' table is the worker's queue), nothing is processed inline;
3. has wrk (another process) POST real signed bodies — 1 event, then 10 events — each with new webhookEventIds,
   so every insert is real; then checks that no acknowledged event is missing and none is stored twice;
4. sustained: posts 200 events a second for 60 s (10 s quick) while `pocketbook db_worker` answers them through
   a fake LINE API in this process; reports the lag from acknowledgement to answer (median, p99) and checks
   every event was answered exactly once (replies counted per reply token, pushes per retry key);
5. does step 3 against a bare WSGI function that only checks the signature, for the ratio.

Needs wrk (`apt-get install -y wrk`; the benchmark tries that itself when it runs as root) and PostgreSQL on
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.line_webhook.database import Database
from benchmarks.line_webhook.fake_line import FakeLine
from benchmarks.line_webhook.processes import (
    BASE_DIR,
    WRK_THREADS,
    cpu_seconds,
    ensure_wrk,
    free_port,
    start_gunicorn,
    start_worker,
    stop,
    wait_ready,
    wrk_run,
)
from benchmarks.line_webhook.signed_bodies import LUA, SECRET, WEBHOOK_PATH, post, text_event, write_bodies
from pocketbook.incidents.channels.line.client import retry_key_for

TARGET_RPS, TARGET_P99_MS = 1_500, 50  # issue 9, 1-event bodies on PostgreSQL
TARGET_RPS_TEN = 1_000
SUSTAINED_RATE, TARGET_LAG_P99_S = 200, 2.0

Row = tuple[str, str, str, str, str]


def _app_env(var_dir: str, database: Database, fake_line_port: int = 0) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database.url,
        CONN_MAX_AGE="60",
        DEBUG="0",
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        LINE_CHANNEL_SECRET=SECRET,
        LINE_CHANNEL_ACCESS_TOKEN="bench-token",  # noqa: S106 - only the fake LINE API is called
        LINE_API_BASE_URL=f"http://127.0.0.1:{fake_line_port or 9}",
        LINE_DATA_API_BASE_URL=f"http://127.0.0.1:{fake_line_port or 9}",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        LOG_LEVEL="WARNING",
        POCKETBOOK_VAR_DIR=var_dir,
        DJANGO_SETTINGS_MODULE="pocketbook.settings",
    )
    env.pop("POCKETBOOK_TESTING", None)
    return env


def _scenario(
    wrk: str,
    port: int,
    work: Path,
    name: str,
    prefix: str,
    events: int,
    pool: int,
    seconds: int,
    server: subprocess.Popen[bytes] | None = None,
):
    """Run wrk over new signed bodies; with `server`, also the server's CPU time per acknowledged request."""
    data = work / f"{prefix}.txt"
    size = write_bodies(data, prefix, pool, events)
    script = work / f"{prefix}.lua"
    script.write_text(LUA % {"data": data, "threads": WRK_THREADS, "path": WEBHOOK_PATH}, encoding="utf-8")
    print(f"   {name}: {pool} signed bodies of {size} bytes, wrk {seconds} s", flush=True)
    cpu_before = cpu_seconds(server) if server else 0.0
    measured = wrk_run(wrk, port, script, seconds)
    answered = measured["requests"] - measured["non2xx"]
    cpu = (cpu_seconds(server) - cpu_before) if server else 0.0
    measured["cpu_ms"] = 1000 * cpu / answered if answered and server else float("nan")
    return measured, size


def _verdict(passed: bool) -> str:
    return "ok" if passed else "MISS"


def _rows(label: str, measured: dict[str, float], *, lost: int, duplicates: int, stored: int, rps_target: int):
    rps, p99 = measured["rps"], measured["p99_ms"]
    failures = measured["non2xx"] + measured["errors"]
    return [
        (label, "requests/s", f"{rps:.0f}", f">= {rps_target}", _verdict(rps >= rps_target)),
        (label, "p99 latency", f"{p99:.1f} ms", f"< {TARGET_P99_MS} ms", _verdict(p99 < TARGET_P99_MS)),
        (label, "non-2xx + socket errors", f"{failures:.0f}", "0", _verdict(failures == 0)),
        (label, "server CPU per request", f"{measured['cpu_ms']:.2f} ms", "report", "ok"),
        (label, "bodies posted again (pool used up)", f"{measured['resent']:.0f}", "report", "ok"),
        (
            label,
            "events lost / duplicated",
            f"{lost} / {duplicates} of {stored}",
            "0 / 0",
            _verdict(not lost + duplicates),
        ),
    ]


def _sustained(port: int, database: Database, fake: FakeLine, seconds: int) -> list[Row]:
    """Post SUSTAINED_RATE one-event bodies a second for `seconds`, the worker answering; lag and exactly-once."""
    from concurrent.futures import ThreadPoolExecutor

    label = f"sustained {SUSTAINED_RATE} events/s"
    total = SUSTAINED_RATE * seconds
    print(f"   {label} for {seconds} s with the worker ({total} events)", flush=True)
    tokens: list[str] = []
    statuses: list[int] = []
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = []
        for number in range(total):
            due = started + number / SUSTAINED_RATE
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            event = text_event(f"S{number:07d}E00", number)
            event["timestamp"] = int(time.time() * 1000)  # fresh: answered by reply, as in life
            tokens.append(event["replyToken"])
            body = json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False).encode()
            futures.append(pool.submit(post, port, body))
        statuses = [future.result() for future in futures]
    sent_for = time.monotonic() - started
    backlog = _waiting(database)  # keeping up: no more than the last moments' events are left
    deadline = time.monotonic() + 120
    waiting = total
    while time.monotonic() < deadline:
        waiting = _waiting(database)
        if not waiting:
            break
        time.sleep(0.5)
    rows = database.query(
        "SELECT received_at, answered_at FROM incidents_lineevent WHERE webhook_event_id LIKE %s", ["S%"]
    )
    lags = sorted(_seconds(answered) - _seconds(received) for received, answered in rows if answered is not None)
    median = lags[len(lags) // 2] if lags else float("nan")
    p99 = lags[min(len(lags) - 1, int(0.99 * len(lags)))] if lags else float("nan")
    acknowledged = sum(1 for status in statuses if status == 200)
    replied_once = sum(1 for token in tokens if fake.replies[token] == 1)
    # Only this run's pushes (the wrk runs' old events, parked before it, may still be pushed to by a worker).
    keys = [retry_key_for(f"S{number:07d}E00", "answer") for number in range(total)]
    twice = sum(1 for token in tokens if fake.replies[token] > 1) + sum(1 for key in keys if fake.pushes[key] > 1)
    pushed = sum(1 for key in keys if fake.pushes[key])
    replied_and_pushed = sum(
        1 for token, key in zip(tokens, keys, strict=True) if fake.replies[token] and fake.pushes[key]
    )
    twice += replied_and_pushed
    unanswered = total - replied_once - pushed
    worked_for = time.monotonic() - started
    answered = f"{unanswered} / {twice} (replies {replied_once}, pushes {pushed}; {waiting} still queued)"
    rate = (replied_once + pushed) / worked_for  # the sending time included: keeping up gives about the rate
    throughput = f"{rate:.0f} answers/s over {worked_for:.0f} s"
    sent = f"{acknowledged} of {total} ({total / sent_for:.0f}/s)"
    return [
        (label, "acknowledged (sent at)", sent, "all", _verdict(acknowledged == total)),
        (label, "lag ack → answer median", f"{median:.2f} s", "report", "ok"),
        (
            label,
            "lag ack → answer p99",
            f"{p99:.2f} s",
            f"< {TARGET_LAG_P99_S:.0f} s",
            _verdict(p99 < TARGET_LAG_P99_S),
        ),
        (label, "worker throughput (with the final drain)", throughput, "report", "ok"),
        (
            label,
            "backlog when sending stopped",
            f"{backlog} events",
            f"< {int(SUSTAINED_RATE * TARGET_LAG_P99_S)}",
            _verdict(backlog < SUSTAINED_RATE * TARGET_LAG_P99_S),
        ),
        (
            label,
            "unanswered / answered twice",
            answered,
            "0 / 0",
            _verdict(not unanswered and not twice and not waiting),
        ),
    ]


def _waiting(database: Database) -> int:
    """The sustained run's events not answered yet."""
    return database.query(
        "SELECT count(*) FROM incidents_lineevent WHERE webhook_event_id LIKE %s"
        " AND status IN ('received', 'answering')",
        ["S%"],
    )[0][0]


def _wait_worker_ready(port: int, database: Database, limit: float = 60.0) -> None:
    """Post one event and wait until the new worker has answered it: a production worker is already running,
    so its start-up (imports, first connection) is not lag a reporter would see."""
    event = text_event("R0000000E00", 0)
    event["timestamp"] = int(time.time() * 1000)
    body = json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False).encode()
    if post(port, body) != 200:
        raise RuntimeError("the webhook refused the worker's warm-up event")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        waiting = database.query(
            "SELECT count(*) FROM incidents_lineevent WHERE webhook_event_id = %s AND answered_at IS NULL",
            ["R0000000E00"],
        )[0][0]
        if not waiting:
            return
        time.sleep(0.1)
    raise RuntimeError(f"the worker answered nothing within {limit:.0f} s")


def _seconds(value: Any) -> float:
    if isinstance(value, str):  # SQLite keeps datetimes as text, in UTC
        value = datetime.fromisoformat(value)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def _backend_run(vendor: str, wrk: str, work: Path, *, quick: bool) -> tuple[list[Row], dict[str, float]]:
    name = f"LINE webhook ack, {'PostgreSQL' if vendor == 'postgresql' else 'SQLite'}"
    seconds = 3 if quick else 10
    pool_one, pool_ten = (8_000, 4_000) if quick else (30_000, 20_000)
    database = Database(vendor, work)
    fake = FakeLine()
    env = _app_env(str(work / "var"), database, fake.port)
    rows: list[Row] = []
    server = worker = None
    rates: dict[str, float] = {}
    database.create()
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )
        database.settle()
        port = free_port()
        server = start_gunicorn("pocketbook.wsgi:application", port, env)
        wait_ready(port)
        _scenario(wrk, port, work, "warm-up", "W", 1, 6_000, 2)
        for label, prefix, events, pool, target in (
            ("1 event", "A", 1, pool_one, TARGET_RPS),
            ("10 events", "B", 10, pool_ten, TARGET_RPS_TEN),
        ):
            measured, _size = _scenario(
                wrk, port, work, f"{vendor}, {label}", prefix, events, pool, seconds, server=server
            )
            stored = database.stored(prefix, events)
            acknowledged = int(measured["requests"] - measured["non2xx"])
            # wrk counts only answers it read before stopping; a request cut off at the end may still be stored.
            # A thread that ran past the end of its half of the pool posted bodies again (stored once, rightly).
            new_bodies = acknowledged - int(measured["resent"])
            lost = max(0, min(new_bodies, pool) - stored["bodies"]) + stored["partial"]
            duplicates = stored["events"] - stored["distinct"]
            rows += _rows(
                f"{name}, {label}",
                measured,
                lost=lost,
                duplicates=duplicates,
                stored=stored["events"],
                rps_target=target,
            )
            rates[label] = measured["rps"]
            rates[f"{label} cpu"] = measured["cpu_ms"]
        # The acknowledged events of the wrk runs are not answered in the sustained run: park them out of the way.
        database.query("UPDATE incidents_lineevent SET status = 'ignored' WHERE status = 'received' RETURNING 1", [])
        worker = start_worker(env)
        _wait_worker_ready(port, database)
        sustained_seconds = 10 if quick else 60
        web_cpu = cpu_seconds(server)
        rows += [
            (f"{name.replace(' ack', '')}, {row[0]}", *row[1:])
            for row in _sustained(port, database, fake, sustained_seconds)
        ]
        events = SUSTAINED_RATE * sustained_seconds
        web_ms, worker_ms = (1000 * (cpu_seconds(server) - web_cpu) / events, 1000 * cpu_seconds(worker) / events)
        cpu_text = f"web {web_ms:.2f} ms + worker {worker_ms:.2f} ms per event"
        rows.append((f"{name.replace(' ack', '')}, sustained", "CPU per event", cpu_text, "report", "ok"))
    finally:
        for process in (server, worker):
            if process is not None:
                stop(process)
        fake.stop()
        database.drop()
    return rows, rates


def run(*, quick: bool = False) -> list[Row]:
    name = "LINE webhook ack"
    wrk = ensure_wrk()
    if wrk is None:
        print("   wrk is missing: install it with `apt-get install -y wrk` and run again", flush=True)
        return [(name, "wrk", "not installed", "apt-get install -y wrk", "MISS")]
    load = os.getloadavg()[0]
    print(f"   machine load average {load:.1f} on {os.cpu_count()} cores before the run", flush=True)
    rows: list[Row] = [(name, "load average before the run", f"{load:.1f} on {os.cpu_count()} cores", "report", "ok")]
    work = Path(tempfile.mkdtemp(prefix="bench-line-"))
    bare = None
    try:
        rates: dict[str, dict[str, float]] = {}
        for vendor in ("postgresql", "sqlite"):
            backend_rows, rates[vendor] = _backend_run(vendor, wrk, work, quick=quick)
            rows += backend_rows
        bare_port = free_port()
        bare = start_gunicorn(
            "benchmarks.line_webhook.signed_bodies:bare_app",
            bare_port,
            _app_env(str(work / "var"), Database("sqlite", work)),
        )
        wait_ready(bare_port)
        floor, _size = _scenario(
            wrk, bare_port, work, "bare WSGI, 1 event", "C", 1, 2_000, 3 if quick else 10, server=bare
        )
        floor_text = f"{floor['rps']:.0f} req/s, p99 {floor['p99_ms']:.1f} ms, CPU {floor['cpu_ms']:.2f} ms/request"
        rows.append((f"{name}, bare WSGI (signature + 200)", "floor", floor_text, "report", "ok"))
        for vendor, rate in rates.items():
            for label in ("1 event", "10 events"):
                ratio = rate[label] / floor["rps"] if floor["rps"] else 0.0
                cpu_ratio = rate[f"{label} cpu"] / floor["cpu_ms"] if floor["cpu_ms"] else 0.0
                text = f"{ratio:.2f} × the requests/s, {cpu_ratio:.1f} × the CPU per request"
                rows.append((f"{name}, {vendor}, {label}", "vs bare signature check", text, "report", "ok"))
        for label in ("1 event", "10 events"):
            if rates.get("postgresql", {}).get(label) and rates.get("sqlite", {}).get(label):
                gap = rates["sqlite"][label] / rates["postgresql"][label]
                rows.append((f"{name}, {label}", "SQLite vs PostgreSQL", f"{gap:.2f} ×", "report", "ok"))
        after = os.getloadavg()[0]
        rows.append((name, "load average after the run", f"{after:.1f} (shared machine)", "report", "ok"))
    finally:
        if bare is not None:
            stop(bare)
        shutil.rmtree(work, ignore_errors=True)
    return rows


if __name__ == "__main__":
    quick_run = "--quick" in sys.argv
    for row in run(quick=quick_run):
        print("  ".join(row))
