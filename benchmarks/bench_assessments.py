"""Assessments: re-score every household's latest assessment under a set, on SQLite and PostgreSQL.

Each database run happens in its own process against its own database (a temporary SQLite file and a
dedicated PostgreSQL database `pb_bench_assessments`, dropped afterwards), never the development database.
Sizes: 50,000 households, then the same database grown to a province's 220,000 (Trang); `--quick`: 5,000.
At each size two runs are timed with the default settings of `rescore_latest`:

- every result written: the set's poverty line is corrected by one baht, which changes the income
  indicator's parameters of every household (and the new households have no results yet);
- nothing changed: the same again, which must find every result unchanged and write nothing.

Target: at least 5,000 households per second.
"""

from __future__ import annotations

import datetime as dt
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

TARGET_PER_SECOND = 5000
FULL_SIZES = (50_000, 220_000)
QUICK_SIZES = (5_000,)
PG_DATABASE = "pb_bench_assessments"
SEED = 2566
QUESTIONS = ("hygienic_food", "proper_medicine_use", "secure_durable_house", "drinking_water_enough",
             "household_water_enough", "tidy_house")  # fmt: skip
POVERTY_LINE = "poor_income_per_person_per_year"


def _member(rng: random.Random, age: int) -> dict[str, Any]:
    working = 15 <= age < 60 and rng.random() < 0.85
    return {
        "birth_date": dt.date(2024 - age, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
        "monthly_income": str(rng.choice([0, 2500, 4000, 6000, 9000, 15000]) if working else 0),
        "sex": rng.choice("MF"),
        "relation": "other",
        "education": rng.choice(["primary", "lower_secondary", "upper_secondary", ""]),
        "is_studying": 3 <= age <= 18 and rng.random() < 0.9,
        "has_occupation_and_income": working,
        "disability": rng.random() < 0.05,
        "bedridden": rng.random() < 0.02,
        "welfare_card": rng.random() < 0.3,
        "literate": rng.random() < 0.95,
        "exercises": rng.random() < 0.7,
        "cared_for": rng.random() < 0.9,
        "birth_weight_grams": rng.choice([2300, 2700, 3100]),
    }


def _answers(rng: random.Random) -> dict[str, Any]:
    ages = [rng.randint(25, 60), rng.randint(20, 58)] + [rng.randint(0, 90) for _ in range(rng.randint(0, 3))]
    return {
        "household": {key: rng.random() < 0.85 for key in QUESTIONS},
        "members": {str(i): _member(rng, age) for i, age in enumerate(ages, start=1)},
    }


def _populate(rng: random.Random, start: int, stop: int) -> None:
    """Add households start..stop-1, each with one (not yet scored) latest assessment."""
    from pocketbook.assessments.models import Assessment, IndicatorSet
    from pocketbook.households.models import Household

    indicator_set = IndicatorSet.objects.get(is_current=True)
    batch = 2000
    for first in range(start, stop, batch):
        size = min(batch, stop - first)
        households = Household.objects.bulk_create(
            [Household(area_code="92010101", house_no=f"{first + i}/1", has_consent=False) for i in range(size)]
        )
        Assessment.objects.bulk_create(
            [
                Assessment(household=h, indicator_set=indicator_set, assessed_on=dt.date(2024, 6, 1),
                           answers=_answers(rng), is_latest=True)
                for h in households
            ],
            batch_size=500,
        )  # fmt: skip


def _settle(connection: Any) -> None:
    """Start each timing from a quiet database: statistics known (as autovacuum would), the load's WAL flushed."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        cursor.execute("VACUUM ANALYZE assessments_assessment")
        try:
            cursor.execute("CHECKPOINT")  # needs a superuser (or pg_checkpoint); without it, just go on
        except Exception as error:
            print(f"   no CHECKPOINT ({error})", file=sys.stderr)


def _timed_rescore(indicator_set: Any) -> dict[str, Any]:
    from pocketbook.assessments import rescoring

    load = os.getloadavg()[0]
    cpu, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    report = rescoring.rescore_latest(indicator_set=indicator_set)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "households": report.households,
        "changed": report.changed,
        "workers": report.workers,
        "seconds": report.seconds,
        "rate": report.households / report.seconds,
        "cpu_s": time.process_time() - cpu,
        "workers_cpu_s": (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime),
        "load_before": load,
    }


# ------------------------------------------------------------------ the worker (runs in its own process)


def worker(sizes: list[int]) -> list[dict[str, Any]]:
    """Migrate this process's database; at each size, add households and time two re-scorings."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocketbook.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from pocketbook.assessments.models import IndicatorSet

    settings.DEBUG = False  # as in production: no query log kept in memory
    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    indicator_set = IndicatorSet.objects.get(is_current=True)
    figures: list[dict[str, Any]] = []
    built = 0
    for size in sizes:
        started = time.perf_counter()
        _populate(rng, built, size)
        built = size
        _settle(connection)
        populate_seconds = time.perf_counter() - started
        # A correction of the poverty line by one baht changes the income indicator of every household.
        indicator_set.thresholds = {**indicator_set.thresholds, POVERTY_LINE: 38000 + len(figures) + 1}
        indicator_set.save(update_fields=["thresholds", "updated_at"])
        written = _timed_rescore(indicator_set)
        if written["changed"] != size:
            raise AssertionError(f"expected every one of {size} results written: {written}")
        unchanged = _timed_rescore(indicator_set)
        if unchanged["changed"] != 0 or unchanged["households"] != size:
            raise AssertionError(f"expected nothing changed among {size}: {unchanged}")
        figures.append({"size": size, "populate_s": populate_seconds, "written": written, "unchanged": unchanged})
    return figures


# ------------------------------------------------------------------ the runner


def _run_worker(sizes: tuple[int, ...], database_url: str, var_dir: Path) -> list[dict[str, Any]]:
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url, "POCKETBOOK_VAR_DIR": str(var_dir), "DEBUG": "1"}
    env.pop("POCKETBOOK_TESTING", None)
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_assessments", "--worker", *map(str, sizes)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark worker failed:\n{completed.stderr[-3000:]}")
    return list(json.loads(completed.stdout.strip().splitlines()[-1]))


def _postgres_database() -> str | None:
    return postgres_database_create(PG_DATABASE)


def _drop_postgres_database() -> None:
    postgres_database_drop(PG_DATABASE)


def _describe(label: str, figure: dict[str, Any]) -> str:
    parts = []
    for name in ("written", "unchanged"):
        run = figure[name]
        parts.append(
            f"{name} {run['seconds']:.1f} s ({run['rate']:,.0f}/s; CPU {run['cpu_s']:.1f} s here + "
            f"{run['workers_cpu_s']:.1f} s in {run['workers']} scoring process(es); load {run['load_before']:.1f})"
        )
    return f"   {label} {figure['size']:,} (made in {figure['populate_s']:.0f} s): " + "; ".join(parts)


def run(*, quick: bool = False) -> list[tuple[str, str, str, str, str]]:
    sizes = QUICK_SIZES if quick else FULL_SIZES
    rows: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-assessments-") as folder:
        folder_path = Path(folder)
        targets: list[tuple[str, str]] = [("SQLite", f"sqlite:///{folder_path / 'bench.sqlite3'}")]
        postgres = _postgres_database()
        if postgres:
            targets.append(("PostgreSQL", postgres))
        try:
            for label, url in targets:
                for figure in _run_worker(sizes, url, folder_path / label.lower()):
                    print(_describe(label, figure), flush=True)
                    for name, what in (("written", "every result written"), ("unchanged", "nothing changed")):
                        rate = figure[name]["rate"]
                        rows.append(
                            (f"re-score {figure['size']:,} households, {what} ({label})", "households/s",
                             f"{rate:,.0f}", f"≥ {TARGET_PER_SECOND:,}", "ok" if rate >= TARGET_PER_SECOND else "MISS")
                        )  # fmt: skip
        finally:
            if postgres:
                _drop_postgres_database()
    return rows


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--worker":
        print(json.dumps(worker([int(size) for size in sys.argv[2:]])))
    else:
        for row in run(quick="--quick" in sys.argv):
            print("  ".join(row))
