"""Exports at 1,000,000 members: time and peak memory of the members export, CSV and XLSX.

Each database gets its own process and database (a temporary SQLite file; PostgreSQL `pb_exports_bench`,
override with BENCH_EXPORTS_PG_DB). A loader process writes 300,000 households and about 1,000,000 members
with bench_reports' set-based loader (COPY / executemany); then each export runs in a fresh process of its own
(start the job as a manager of the province, write the file as the task does), which reports its wall time and
its peak resident memory (ru_maxrss: Django itself included). `--quick`: 30,000 households.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.support import postgres_database_create, postgres_database_drop

FULL_HOUSEHOLDS = 300_000
QUICK_HOUSEHOLDS = 30_000
PG_DATABASE = os.environ.get("BENCH_EXPORTS_PG_DB", "pb_exports_bench")
SEED = 2569
TARGET_SECONDS = 60
TARGET_MB = 300
CHUNK = 50_000


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocketbook.settings")
    django.setup()


def load_worker(households: int) -> dict[str, Any]:
    """Migrate, then load the households and members (and bench_reports' assessments) set-based."""
    _setup()
    from django.core.management import call_command

    from benchmarks import bench_reports
    from pocketbook.accounts import services as account_services
    from pocketbook.assessments.selectors import indicator_set_current

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    state: dict[str, Any] = {
        "rng": rng,
        "areas": bench_reports._areas(),
        "patterns": bench_reports._patterns(rng),
        "set_id": indicator_set_current().pk,
        "loader": bench_reports.Loader(),
        "member_id": 0,
        "assessment_id": 0,
    }
    account_services.user_create(
        username="bench-manager", password=None, roles=["manager"], area_codes=["92"], actor=None
    )
    started = time.perf_counter()
    for first in range(1, households + 1, CHUNK):
        bench_reports.load(first, min(CHUNK, households + 1 - first), state=state)
    return {"load_s": time.perf_counter() - started, "members": state["member_id"]}


def export_worker(file_format: str) -> dict[str, Any]:
    """Export every member of the province as the manager, in this fresh process; time and peak memory."""
    _setup()
    from pocketbook.accounts.models import User
    from pocketbook.reports.export_files import export_path, export_write
    from pocketbook.reports.exports import export_start

    manager = User.objects.get(username="bench-manager")
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    job = export_start(actor=manager, list_key="members", file_format=file_format, filters={})
    job = export_write(job_id=job.pk)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "status": job.status,
        "rows": job.rows_done,
        "seconds": seconds,
        "peak_mb": peak_kb / 1024,
        "baseline_mb": baseline_kb / 1024,
        "file_mb": export_path(job).stat().st_size / 1024 / 1024,
    }


def _environment(database_url: str, var_dir: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "POCKETBOOK_VAR_DIR": str(var_dir),
        "DEBUG": "0",
        "SECRET_KEY": Fernet.generate_key().decode() * 2,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "localhost,testserver",
    }
    env.pop("POCKETBOOK_TESTING", None)
    return env


def _child(env: dict[str, str], *args: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_exports", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark worker failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def run(*, quick: bool = False) -> list[tuple[str, str, str, str, str]]:
    households = QUICK_HOUSEHOLDS if quick else FULL_HOUSEHOLDS
    formats = [name for name in os.environ.get("BENCH_EXPORTS_FORMATS", "csv,xlsx").split(",") if name]
    rows: list[tuple[str, str, str, str, str]] = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
        folder_path = Path(folder)
        targets: list[tuple[str, str]] = []
        if os.environ.get("BENCH_EXPORTS_DATABASES", "postgresql,sqlite").find("postgresql") >= 0:
            postgres = postgres_database_create(PG_DATABASE)
            if postgres:
                targets.append(("PostgreSQL", postgres))
        if "sqlite" in os.environ.get("BENCH_EXPORTS_DATABASES", "postgresql,sqlite"):
            targets.append(("SQLite", f"sqlite:///{folder_path / 'bench.sqlite3'}"))
        try:
            for label, url in targets:
                env = _environment(url, folder_path / label.lower())
                loaded = _child(env, "--load", str(households))
                print(f"   {label}: loaded {json.dumps(loaded)}", flush=True)
                for file_format in formats:
                    figures = _child(env, "--export", file_format)
                    print(f"   {label} {file_format}: {json.dumps(figures)}", flush=True)
                    what = f"members export {file_format.upper()}, {figures['rows']:,} rows ({label})"
                    rows.append((what, "time", f"{figures['seconds']:.1f} s", f"< {TARGET_SECONDS} s",
                                 _verdict(figures["seconds"] < TARGET_SECONDS)))  # fmt: skip
                    rows.append((what, "peak memory (process)", f"{figures['peak_mb']:.0f} MB",
                                 f"< {TARGET_MB} MB", _verdict(figures["peak_mb"] < TARGET_MB)))  # fmt: skip
                    rows.append((what, "file size", f"{figures['file_mb']:.0f} MB", "—", "—"))
        finally:
            if any(label == "PostgreSQL" for label, _url in targets):
                postgres_database_drop(PG_DATABASE)
    load_after = os.getloadavg()
    rows.append(("machine load (1-min average), shared by other engineers", "before / after",
                 f"{load_before[0]:.1f} / {load_after[0]:.1f} on {os.cpu_count()} cores", "—", "—"))  # fmt: skip
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--load":
        print(json.dumps(load_worker(int(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "--export":
        print(json.dumps(export_worker(sys.argv[2])))
