"""Reports at 300,000 households / 1,000,000 members: dashboard and poverty page cost, and the full rebuild.

Each database runs in its own process against its own database (a temporary SQLite file, and PostgreSQL
`pb_repcore_bench` — override with BENCH_REPORTS_PG_DB). The worker loads a first 10% of the households with
COPY (PostgreSQL) or executemany (SQLite), rebuilds the counters, times the province dashboard and the poverty
API for every k, then loads the other 90% and does the same: the page must not grow with the table (ratio
within 1.5×). `--quick`: 3,000 then 30,000 households.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from benchmarks.support import Row, main, on_each_database, p95, run_worker, verdict

FULL_HOUSEHOLDS = 300_000
QUICK_HOUSEHOLDS = 30_000
MEMBERS_PER_HOUSEHOLD = 10 / 3  # 1,000,000 members for 300,000 households
PG_DATABASE = os.environ.get("BENCH_REPORTS_PG_DB", "pb_repcore_bench")
SEED = 2569
REQUESTS = 40
PATTERNS = 400
TARGET_PAGE_MS = 50
TARGET_RATIO = 1.5
TARGET_REBUILD_S = 60


# ------------------------------------------------------------------ loading (in the worker)


def _areas() -> list[str]:
    import geothai

    subdistricts = [s.code for d in geothai.districts("92") for s in geothai.subdistricts(d.code)]
    return [f"{code}{number:02d}" for code in subdistricts for number in range(1, 11)]


def _patterns(rng: random.Random) -> list[dict[str, Any]]:
    """Assessment results that households share (scoring is not what is measured)."""
    from pocketbook.assessments.selectors import indicator_set_current
    from pocketbook.reports.household_counts import set_layout

    layout = set_layout(indicator_set_current().pk)
    patterns = []
    for _number in range(PATTERNS):
        failed = {code for code in layout.indicator_dimension if rng.random() < 0.1}
        dimensions = {d: "pass" for d in layout.dimensions}
        for code in failed:
            dimensions[layout.indicator_dimension[code]] = "fail"
        failing = sum(1 for value in dimensions.values() if value == "fail")
        indicators = {
            code: {"dimension": d, "status": "fail" if code in failed else "pass", "reason": "", "params": {}}
            for code, d in layout.indicator_dimension.items()
        }
        patterns.append(
            {
                "indicators": json.dumps(indicators),
                "dimensions": json.dumps(dimensions),
                "failed": failing,
                "poor": failing > 0,
                "targeted": failing > 0 and rng.random() < 0.6,
                "vulnerable": rng.random() < 0.3,
            }
        )
    return patterns


class Loader:
    """Writes rows fast: COPY on PostgreSQL, one executemany per table on SQLite."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def write(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        with self.connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


HOUSEHOLD_COLUMNS = [
    "id", "created_at", "updated_at", "household_key", "area_code", "house_no", "address", "phone", "status",
    "has_consent",
]  # fmt: skip
MEMBER_COLUMNS = [
    "id", "created_at", "updated_at", "household_id", "status", "title", "first_name", "last_name", "sex",
    "birth_date", "birth_year_only", "national_id_encrypted", "national_id_hash", "national_id_last_digit",
    "no_id_reason", "relation", "education_level", "is_studying", "occupation", "has_disability",
    "has_disability_card", "chronic_illness", "is_bedridden", "is_pregnant", "has_welfare_card",
    "receives_elderly_allowance", "receives_disability_allowance", "receives_child_support",
]  # fmt: skip
ASSESSMENT_COLUMNS = [
    "id", "created_at", "updated_at", "household_id", "indicator_set_id", "assessed_on", "previous_id", "answers",
    "indicator_results", "dimension_results", "failed_dimensions", "income_per_person_per_year", "is_poor",
    "is_targeted_poor", "is_vulnerable", "vulnerable_reasons", "is_self_reliant", "is_latest", "results_digest",
]  # fmt: skip


def load(first_id: int, count: int, *, state: dict[str, Any]) -> None:
    """Add households first_id .. first_id+count-1, their members and one or two assessments each."""
    from django.db import transaction

    rng: random.Random = state["rng"]
    areas: list[str] = state["areas"]
    patterns: list[dict[str, Any]] = state["patterns"]
    set_id: int = state["set_id"]
    postgres = state["loader"].postgres
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    stamp: Any = now if postgres else now.isoformat()

    def day(value: dt.date) -> Any:
        return value if postgres else value.isoformat()

    households, members, assessments = [], [], []
    for household_id in range(first_id, first_id + count):
        households.append(
            (household_id, stamp, stamp, f"b{household_id}", rng.choice(areas), "", "", "", "active", False)
        )
        size = 3 if rng.random() < 2 / 3 else 4  # 10/3 on average
        for position in range(size):
            state["member_id"] += 1
            members.append(
                (state["member_id"], stamp, stamp, household_id, "active", "", "สมชาย", "ใจดี", "M",
                 day(dt.date(1980 + position, 1, 1)), False, "", "", "", "", "head" if position == 0 else "child", "",
                 False, "", False, False, False, False, False, False, False, False, False)
            )  # fmt: skip
        previous = None
        visits = 2 if rng.random() < 0.3 else 1
        for visit in range(visits):
            state["assessment_id"] += 1
            pattern = patterns[rng.randrange(PATTERNS)]
            assessed_on = dt.date(2025, 2, 1) + dt.timedelta(days=rng.randrange(300) + 330 * visit)
            assessments.append(
                (state["assessment_id"], stamp, stamp, household_id, set_id, day(assessed_on), previous, "{}",
                 pattern["indicators"], pattern["dimensions"], pattern["failed"], 0, pattern["poor"],
                 pattern["targeted"], pattern["vulnerable"], "[]", not pattern["poor"], visit == visits - 1, "")
            )  # fmt: skip
            previous = state["assessment_id"]
    loader: Loader = state["loader"]
    with transaction.atomic():
        loader.write("households_household", HOUSEHOLD_COLUMNS, households)
        loader.write("households_member", MEMBER_COLUMNS, members)
        loader.write("assessments_assessment", ASSESSMENT_COLUMNS, assessments)
    if postgres:
        with loader.connection.cursor() as cursor:
            cursor.execute("ANALYZE households_household; ANALYZE assessments_assessment")


def measure(client: Any) -> dict[str, float]:
    """p95 of the province dashboard, and of the poverty API at each k (ms)."""
    figures: dict[str, float] = {}
    for name, url in [("dashboard", "/reports/households/?area=92")] + [
        (f"poverty_k{k}", f"/api/v1/reports/poverty?area=92&k={k}&weights=indicators") for k in range(1, 6)
    ]:
        client.get(url)  # warm
        samples = []
        for _number in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        figures[name] = p95(samples)
    return figures


def worker(small: int, big: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocketbook.settings")
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from pocketbook.accounts import services as account_services
    from pocketbook.assessments.selectors import indicator_set_current

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    state: dict[str, Any] = {
        "rng": rng,
        "areas": _areas(),
        "patterns": _patterns(rng),
        "set_id": indicator_set_current().pk,
        "loader": Loader(),
        "member_id": 0,
        "assessment_id": 0,
    }
    manager = account_services.user_create(
        username="bench-manager", password=None, roles=["manager"], area_codes=["92"], actor=None
    )
    client = Client()
    client.force_login(manager)
    result: dict[str, Any] = {}
    started = time.perf_counter()
    load(1, small, state=state)
    result["load_small_s"] = time.perf_counter() - started
    started = time.perf_counter()
    call_command("rebuild_aggregates", "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    result["rebuild_small_s"] = time.perf_counter() - started
    result["small"] = measure(client)
    started = time.perf_counter()
    chunk = 50_000
    for first in range(small + 1, big + 1, chunk):
        load(first, min(chunk, big + 1 - first), state=state)
    result["load_big_s"] = time.perf_counter() - started
    result["members"] = state["member_id"]
    result["assessments"] = state["assessment_id"]
    started = time.perf_counter()
    call_command("rebuild_aggregates", "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    result["rebuild_big_s"] = time.perf_counter() - started
    result["big"] = measure(client)
    return result


# ------------------------------------------------------------------ the runner


def _run_worker(database_url: str, small: int, big: int, var_dir: Path) -> dict[str, Any]:
    figures: dict[str, Any] = run_worker(
        "bench_reports", [small, big], database_url=database_url, var_dir=var_dir, production=True
    )
    return figures


def run(*, quick: bool = False) -> list[Row]:
    big = QUICK_HOUSEHOLDS if quick else FULL_HOUSEHOLDS
    small = big // 10
    load_before = os.getloadavg()

    def measure(label: str, url: str, folder: Path) -> list[Row]:
        rows: list[Row] = []
        figures = _run_worker(url, small, big, folder / label.lower())
        print(f"   {label}: {json.dumps(figures)}", flush=True)
        size = f"{big:,} households / {figures['members']:,} members ({label})"
        for name in ["dashboard", *(f"poverty_k{k}" for k in range(1, 6))]:
            value = figures["big"][name]
            what = "province dashboard" if name == "dashboard" else f"poverty API k={name[-1]}"
            rows.append((f"{what}, {size}", "p95", f"{value:.1f} ms", f"< {TARGET_PAGE_MS} ms",
                         verdict(value < TARGET_PAGE_MS)))  # fmt: skip
        ratio = figures["big"]["dashboard"] / figures["small"]["dashboard"]
        rows.append((f"province dashboard {big:,} vs {small:,} ({label})", "p95 ratio", f"{ratio:.2f}×",
                     f"≤ {TARGET_RATIO}×", verdict(ratio <= TARGET_RATIO)))  # fmt: skip
        rebuild = figures["rebuild_big_s"]
        target = f"< {TARGET_REBUILD_S} s" if label == "PostgreSQL" else "—"
        rebuilt = verdict(rebuild < TARGET_REBUILD_S) if label == "PostgreSQL" else "ok"
        rows.append((f"rebuild_aggregates, {size}", "time", f"{rebuild:.1f} s", target, rebuilt))
        rows.append((f"bulk load {big:,} households ({label})", "time",
                     f"{figures['load_small_s'] + figures['load_big_s']:.1f} s", "—", "ok"))  # fmt: skip
        return rows

    rows = on_each_database("bench-reports-", PG_DATABASE, measure, postgres_first=True)
    load_after = os.getloadavg()
    cores = os.cpu_count()
    rows.append(("machine load (1-min average), shared by other engineers", "before / after",
                 f"{load_before[0]:.1f} / {load_after[0]:.1f} on {cores} cores", "—", "—"))  # fmt: skip
    return rows


if __name__ == "__main__":
    main(run, lambda small, big: worker(int(small), int(big)))
