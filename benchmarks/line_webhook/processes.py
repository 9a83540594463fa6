"""The processes the benchmark runs and watches: gunicorn serving the webhook, the db_worker, wrk posting the
bodies; free ports, waiting until a server answers, a process group's CPU time, and stopping it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.line_webhook.signed_bodies import WEBHOOK_PATH, signed_request

BASE_DIR = Path(__file__).resolve().parent.parent.parent

PORT_BASE = int(os.environ.get("BENCH_LINE_PORT_BASE", "0"))  # 0: any free ports; else this one and the next four
WORKERS = int(os.environ.get("BENCH_LINE_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_LINE_THREADS", "2"))  # 4 threads a worker: same rate, p99 over 100 ms
WRK_THREADS, WRK_CONNECTIONS = 2, 16

_ports_given = iter(range(PORT_BASE, PORT_BASE + 4))


def free_port() -> int:
    if PORT_BASE:
        return next(_ports_given)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(port: int, timeout: float = 60.0) -> None:
    body = b'{"destination":"Ubench","events":[]}'
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(signed_request(port, body), timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} did not answer within {timeout:.0f} s")


def start_gunicorn(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS),
        "--log-level", "warning", "--chdir", str(BASE_DIR),
    ]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def cpu_seconds(process: subprocess.Popen[bytes]) -> float:
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


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("   installing wrk (apt-get install -y wrk)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    return shutil.which("wrk")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_run(wrk: str, port: int, script: Path, seconds: int) -> dict[str, float]:
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
