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

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pocketbook.incidents.channels.line.client import retry_key_for

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET = "bench-line-channel-secret"  # noqa: S105 - a throw-away secret for the benchmark
DATABASE = os.environ.get("BENCH_LINE_DATABASE", "pb_bench_line")  # on a shared server: a name of your own
PORT_BASE = int(os.environ.get("BENCH_LINE_PORT_BASE", "0"))  # 0: any free ports; else this one and the next four
WEBHOOK_PATH = "/ess/line/webhook"
WORKERS = int(os.environ.get("BENCH_LINE_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_LINE_THREADS", "2"))  # 4 threads a worker: same rate, p99 over 100 ms
WRK_THREADS, WRK_CONNECTIONS = 2, 16
TARGET_RPS, TARGET_P99_MS = 1_500, 50  # issue 9, 1-event bodies on PostgreSQL
TARGET_RPS_TEN = 1_000
SUSTAINED_RATE, TARGET_LAG_P99_S = 200, 2.0
FAKE_LINE_PORT = int(os.environ.get("BENCH_FAKE_LINE_PORT", "0")) or (PORT_BASE + 4 if PORT_BASE else 0)

Row = tuple[str, str, str, str, str]


def _sign(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


def bare_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The floor: read the body, check LINE's signature, answer 200 (no framework, no database)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    given = environ.get("HTTP_X_LINE_SIGNATURE", "").encode()
    status = "200 OK" if hmac.compare_digest(_sign(body).encode(), given) else "400 Bad Request"
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"OK"]


# --- bodies -----------------------------------------------------------------------------------------------------


def _event(event_id: str, number: int) -> dict[str, Any]:
    """A text message event shaped like LINE's own (the SDK's fixture), with its own id and reply token."""
    return {
        "replyToken": secrets.token_hex(16),
        "type": "message",
        "mode": "active",
        "timestamp": 1_700_000_000_000 + number,
        "source": {"type": "user", "userId": "U" + hashlib.md5(event_id.encode()).hexdigest()},  # noqa: S324
        "webhookEventId": event_id,
        "deliveryContext": {"isRedelivery": False},
        "message": {"id": str(100_000_000 + number), "type": "text", "text": "มีคนทะเลาะกัน ช่วยด้วย", "quoteToken": "q"},
    }


def _write_bodies(path: Path, prefix: str, count: int, events_per_body: int) -> int:
    """Write `signature body` lines for wrk's Lua script; every event id is new. Return the body size."""
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for body_number in range(count):
            events = [
                _event(f"{prefix}{body_number:07d}E{event_number:02d}", body_number * 100 + event_number)
                for event_number in range(events_per_body)
            ]
            body = json.dumps({"destination": "Ubench", "events": events}, ensure_ascii=False).encode()
            size = len(body)
            out.write(f"{_sign(body)} {body.decode()}\n")
    return size


LUA = """
local bodies, signatures = {}, {}
local counter = 0
resent = 0  -- a global: done() reads it from each thread
local thread_number = 0
local threads = {}
function setup(thread)
  thread:set("tid", thread_number)
  thread_number = thread_number + 1
  table.insert(threads, thread)
end
function init(args)
  for line in io.lines("%(data)s") do
    local signature, body = line:match("^(%%S+) (.*)$")
    signatures[#signatures + 1] = signature
    bodies[#bodies + 1] = body
  end
  counter = tid
end
function request()
  if counter >= #bodies then
    resent = resent + 1  -- past the end of the pool: a body posted before goes again (stored once)
  end
  local i = (counter %% #bodies) + 1
  counter = counter + %(threads)d
  return wrk.format("POST", "%(path)s",
    {["Content-Type"] = "application/json", ["X-Line-Signature"] = signatures[i]}, bodies[i])
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("resent") or 0)
  end
  io.write(string.format("resent %%d\\n", total))
end
"""


# --- processes --------------------------------------------------------------------------------------------------


_ports_given = iter(range(PORT_BASE, PORT_BASE + 4))


def _free_port() -> int:
    if PORT_BASE:
        return next(_ports_given)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(port: int, timeout: float = 60.0) -> None:
    body = b'{"destination":"Ubench","events":[]}'
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-Line-Signature": _sign(body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} did not answer within {timeout:.0f} s")


def _gunicorn(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS),
        "--log-level", "warning", "--chdir", str(BASE_DIR),
    ]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def _cpu_seconds(process: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) used so far by the server's process group (gunicorn's master and workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[2]) == process.pid:  # the process group is the server's session (start_new_session)
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("   installing wrk (apt-get install -y wrk)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    return shutil.which("wrk")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(wrk: str, port: int, script: Path, seconds: int) -> dict[str, float]:
    command = [
        wrk, f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "5s",
        "-s", str(script), f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = {
        "rps": 0.0,
        "p99_ms": float("nan"),
        "p50_ms": float("nan"),
        "requests": 0.0,
        "non2xx": 0.0,
        "errors": 0.0,
        "resent": 0.0,
    }
    if found := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(found.group(1))
    for percent, key in (("50", "p50_ms"), ("99", "p99_ms")):
        if found := re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE):
            result[key] = float(found.group(1)) * _UNITS[found.group(2)]
    if found := re.search(r"(\d+) requests in", output):
        result["requests"] = float(found.group(1))
    if found := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["non2xx"] = float(found.group(1))
    if found := re.search(r"^resent (\d+)$", output, re.MULTILINE):
        result["resent"] = float(found.group(1))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result["errors"] = float(sum(int(n) for n in found.groups()))
    return result


# --- database ---------------------------------------------------------------------------------------------------


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


# --- a fake LINE API for the sustained run ----------------------------------------------------------------------


class FakeLine:
    """Answers replies and pushes as LINE does (a token once, a retry key once) and counts what was delivered."""

    def __init__(self) -> None:
        import threading
        from collections import Counter
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.replies: Counter[str] = Counter()
        self.pushes: Counter[str] = Counter()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: with Nagle's algorithm the body waits for the client's
            # delayed ACK (40 ms on Linux), which capped one sending thread at ~22 answers/s in this fake.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                status = 200
                with fake.lock:
                    if self.path == "/v2/bot/message/reply":
                        token = body.get("replyToken", "")
                        status = 400 if fake.replies[token] else 200
                        fake.replies[token] += 1
                    elif self.path == "/v2/bot/message/push":
                        key = self.headers.get("X-Line-Retry-Key", "")
                        status = 409 if fake.pushes[key] else 200
                        fake.pushes[key] += 1
                answer = b"{}"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", FAKE_LINE_PORT), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the benchmark ----------------------------------------------------------------------------------------------


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
    size = _write_bodies(data, prefix, pool, events)
    script = work / f"{prefix}.lua"
    script.write_text(LUA % {"data": data, "threads": WRK_THREADS, "path": WEBHOOK_PATH}, encoding="utf-8")
    print(f"   {name}: {pool} signed bodies of {size} bytes, wrk {seconds} s", flush=True)
    cpu_before = _cpu_seconds(server) if server else 0.0
    measured = _wrk(wrk, port, script, seconds)
    answered = measured["requests"] - measured["non2xx"]
    cpu = (_cpu_seconds(server) - cpu_before) if server else 0.0
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


def _post(port: int, body: bytes) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Line-Signature": _sign(body)},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


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
            event = _event(f"S{number:07d}E00", number)
            event["timestamp"] = int(time.time() * 1000)  # fresh: answered by reply, as in life
            tokens.append(event["replyToken"])
            body = json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False).encode()
            futures.append(pool.submit(_post, port, body))
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
    event = _event("R0000000E00", 0)
    event["timestamp"] = int(time.time() * 1000)
    body = json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False).encode()
    if _post(port, body) != 200:
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


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


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
        port = _free_port()
        server = _gunicorn("pocketbook.wsgi:application", port, env)
        _wait_ready(port)
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
        worker = _worker(env)
        _wait_worker_ready(port, database)
        sustained_seconds = 10 if quick else 60
        web_cpu = _cpu_seconds(server)
        rows += [
            (f"{name.replace(' ack', '')}, {row[0]}", *row[1:])
            for row in _sustained(port, database, fake, sustained_seconds)
        ]
        events = SUSTAINED_RATE * sustained_seconds
        web_ms, worker_ms = (1000 * (_cpu_seconds(server) - web_cpu) / events, 1000 * _cpu_seconds(worker) / events)
        cpu_text = f"web {web_ms:.2f} ms + worker {worker_ms:.2f} ms per event"
        rows.append((f"{name.replace(' ack', '')}, sustained", "CPU per event", cpu_text, "report", "ok"))
    finally:
        for process in (server, worker):
            if process is not None:
                _stop(process)
        fake.stop()
        database.drop()
    return rows, rates


def run(*, quick: bool = False) -> list[Row]:
    name = "LINE webhook ack"
    wrk = _ensure_wrk()
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
        bare_port = _free_port()
        bare = _gunicorn(
            "benchmarks.bench_line_webhook:bare_app", bare_port, _app_env(str(work / "var"), Database("sqlite", work))
        )
        _wait_ready(bare_port)
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
            _stop(bare)
        shutil.rmtree(work, ignore_errors=True)
    return rows


if __name__ == "__main__":
    quick_run = "--quick" in sys.argv
    for row in run(quick=quick_run):
        print("  ".join(row))
