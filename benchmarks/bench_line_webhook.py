"""LINE webhook acknowledgement: throughput and latency under gunicorn + PostgreSQL, driven by wrk.

What it does (bounded: about 1 minute, `--quick` about 20 s):
1. creates its own PostgreSQL database (`pb_bench_line`, dropped at the end) and migrates it;
2. serves Pocketbook with gunicorn (gthread workers, DEBUG=0, CONN_MAX_AGE=60) and the *database* task backend,
   so each request stores its events and queues one processing task, and nothing is processed inline;
3. has wrk (another process) POST real signed bodies — 1 event, then 10 events — each with new webhookEventIds,
   so every insert is real; then checks that no acknowledged event is missing and none is stored twice;
4. does the same against a bare WSGI function that only checks the signature, for the ratio.

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
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET = "bench-line-channel-secret"  # noqa: S105 - a throw-away secret for the benchmark
DATABASE = "pb_bench_line"
WEBHOOK_PATH = "/ess/line/webhook"
WORKERS = int(os.environ.get("BENCH_LINE_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_LINE_THREADS", "2"))  # 4 threads a worker: same rate, p99 over 100 ms
WRK_THREADS, WRK_CONNECTIONS = 2, 16
TARGET_RPS, TARGET_P99_MS = 500, 100

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
local thread_number = 0
function setup(thread)
  thread:set("tid", thread_number)
  thread_number = thread_number + 1
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
  local i = (counter %% #bodies) + 1
  counter = counter + %(threads)d
  return wrk.format("POST", "%(path)s",
    {["Content-Type"] = "application/json", ["X-Line-Signature"] = signatures[i]}, bodies[i])
end
"""


# --- processes --------------------------------------------------------------------------------------------------


def _free_port() -> int:
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
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result["errors"] = float(sum(int(n) for n in found.groups()))
    return result


# --- database ---------------------------------------------------------------------------------------------------


def _admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def _database_recreate() -> None:
    import psycopg

    with psycopg.connect(_admin_url() + "/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def _database_drop() -> None:
    import psycopg

    with psycopg.connect(_admin_url() + "/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _database_settle() -> None:
    """Flush what the migration wrote (the geography) so its checkpoint does not land inside a measurement."""
    import psycopg

    with psycopg.connect(f"{_admin_url()}/{DATABASE}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        connection.execute("CHECKPOINT")


def _stored(prefix: str, events_per_body: int) -> dict[str, int]:
    """Count what the run stored: events, distinct ids, whole bodies, bodies only partly stored, queued tasks."""
    import psycopg

    with psycopg.connect(f"{_admin_url()}/{DATABASE}") as connection:
        events, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT webhook_event_id) FROM incidents_lineevent"
            " WHERE webhook_event_id LIKE %s",
            [prefix + "%"],
        ).fetchone()  # type: ignore[misc]
        bodies, partial = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE n <> %s) FROM ("
            "  SELECT split_part(webhook_event_id, 'E', 1) AS body, count(*) AS n FROM incidents_lineevent"
            "  WHERE webhook_event_id LIKE %s GROUP BY 1) AS per_body",
            [events_per_body, prefix + "%"],
        ).fetchone()  # type: ignore[misc]
    return {"events": events, "distinct": distinct, "bodies": bodies, "partial": partial}


# --- the benchmark ----------------------------------------------------------------------------------------------


def _app_env(var_dir: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        DATABASE_URL=f"{_admin_url()}/{DATABASE}",
        CONN_MAX_AGE="60",
        DEBUG="0",
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        LINE_CHANNEL_SECRET=SECRET,
        LINE_CHANNEL_ACCESS_TOKEN="bench-token",  # noqa: S106 - nothing is sent to LINE
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",  # queued, not run: no worker during the benchmark
        LOG_LEVEL="WARNING",
        POCKETBOOK_VAR_DIR=var_dir,
        DJANGO_SETTINGS_MODULE="pocketbook.settings",
    )
    env.pop("POCKETBOOK_TESTING", None)
    return env


def _scenario(wrk: str, port: int, work: Path, name: str, prefix: str, events: int, pool: int, seconds: int):
    data = work / f"{prefix}.txt"
    size = _write_bodies(data, prefix, pool, events)
    script = work / f"{prefix}.lua"
    script.write_text(LUA % {"data": data, "threads": WRK_THREADS, "path": WEBHOOK_PATH}, encoding="utf-8")
    print(f"   {name}: {pool} signed bodies of {size} bytes, wrk {seconds} s", flush=True)
    return _wrk(wrk, port, script, seconds), size


def _verdict(passed: bool) -> str:
    return "ok" if passed else "MISS"


def _rows(label: str, measured: dict[str, float], *, lost: int, duplicates: int, stored: int) -> list[Row]:
    rps, p99 = measured["rps"], measured["p99_ms"]
    failures = measured["non2xx"] + measured["errors"]
    return [
        (label, "requests/s", f"{rps:.0f}", f">= {TARGET_RPS}", _verdict(rps >= TARGET_RPS)),
        (label, "p99 latency", f"{p99:.1f} ms", f"< {TARGET_P99_MS} ms", _verdict(p99 < TARGET_P99_MS)),
        (label, "non-2xx + socket errors", f"{failures:.0f}", "0", _verdict(failures == 0)),
        (
            label,
            "events lost / duplicated",
            f"{lost} / {duplicates} of {stored}",
            "0 / 0",
            _verdict(not lost + duplicates),
        ),
    ]


def run(*, quick: bool = False) -> list[Row]:
    name = "LINE webhook ack"
    wrk = _ensure_wrk()
    if wrk is None:
        print("   wrk is missing: install it with `apt-get install -y wrk` and run again", flush=True)
        return [(name, "wrk", "not installed", "apt-get install -y wrk", "MISS")]
    seconds = 3 if quick else 10
    pool_one, pool_ten = (8_000, 3_000) if quick else (30_000, 10_000)
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="bench-line-"))
    env = _app_env(str(work / "var"))
    _database_recreate()
    server = bare = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )
        _database_settle()
        port = _free_port()
        server = _gunicorn("pocketbook.wsgi:application", port, env)
        _wait_ready(port)
        _scenario(wrk, port, work, "warm-up", "W", 1, 6_000, 2)
        results = {}
        for label, prefix, events, pool in (("1 event", "A", 1, pool_one), ("10 events", "B", 10, pool_ten)):
            measured, _size = _scenario(wrk, port, work, label, prefix, events, pool, seconds)
            stored = _stored(prefix, events)
            results[label] = measured
            acknowledged = int(measured["requests"] - measured["non2xx"])
            # wrk counts only answers it read before stopping; a request cut off at the end may still be stored.
            lost = max(0, min(acknowledged, pool) - stored["bodies"]) + stored["partial"]
            duplicates = stored["events"] - stored["distinct"]
            rows += _rows(f"{name}, {label}", measured, lost=lost, duplicates=duplicates, stored=stored["events"])
        _stop(server)
        server = None
        bare_port = _free_port()
        bare = _gunicorn("benchmarks.bench_line_webhook:bare_app", bare_port, env)
        _wait_ready(bare_port)
        floor, _size = _scenario(wrk, bare_port, work, "bare WSGI, 1 event", "C", 1, 2_000, seconds)
        ratio = results["1 event"]["rps"] / floor["rps"] if floor["rps"] else 0.0
        rows.append(
            (f"{name}, 1 event", "vs bare signature check", f"{ratio:.2f} × ({floor['rps']:.0f} req/s, p99 "
             f"{floor['p99_ms']:.1f} ms)", "report", "ok")
        )  # fmt: skip
    finally:
        for process in (server, bare):
            if process is not None:
                _stop(process)
        _database_drop()
        shutil.rmtree(work, ignore_errors=True)
    return rows


if __name__ == "__main__":
    quick_run = "--quick" in sys.argv
    for row in run(quick=quick_run):
        print("  ".join(row))
