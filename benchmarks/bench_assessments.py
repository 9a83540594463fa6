"""Assessments: re-score every household's latest assessment under a set (bulk read, score in Python, bulk write).

Runs on its own database (a temporary SQLite file, or `bench_assessments` on the PostgreSQL server named by
DATABASE_URL), never the development database. Target: at least 5,000 households per second.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from django.db import connection

TARGET_PER_SECOND = 5000
QUESTIONS = ("hygienic_food", "proper_medicine_use", "secure_durable_house", "drinking_water_enough",
             "household_water_enough", "tidy_house")  # fmt: skip


def _member(rng: random.Random, age: int) -> dict:
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


def _answers(rng: random.Random) -> dict:
    ages = [rng.randint(25, 60), rng.randint(20, 58)] + [rng.randint(0, 90) for _ in range(rng.randint(0, 3))]
    return {
        "household": {key: rng.random() < 0.85 for key in QUESTIONS},
        "members": {str(i): _member(rng, age) for i, age in enumerate(ages, start=1)},
    }


def _populate(count: int) -> None:
    from pocketbook.assessments.models import Assessment, IndicatorSet
    from pocketbook.households.models import Household

    rng = random.Random(2566)
    indicator_set = IndicatorSet.objects.get(is_current=True)
    batch = 2000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        households = Household.objects.bulk_create(
            [Household(area_code="92010101", house_no=f"{start + i}/1", has_consent=False) for i in range(size)]
        )
        Assessment.objects.bulk_create(
            [
                Assessment(household=h, indicator_set=indicator_set, assessed_on=dt.date(2024, 6, 1),
                           answers=_answers(rng), is_latest=True)
                for h in households
            ],
            batch_size=500,
        )  # fmt: skip


def _own_database() -> tuple[str, str | None]:
    """Point the default connection at a fresh database of its own; return its old name and a temp folder."""
    settings_dict = connection.settings_dict
    folder = None
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="bench-assessments-")
        settings_dict.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
    else:
        settings_dict.setdefault("TEST", {})["NAME"] = "bench_assessments"
    old_name = settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name, folder


def run(*, quick: bool = False) -> list[tuple[str, str, str, str, str]]:
    from pocketbook.assessments import rescoring
    from pocketbook.assessments.models import IndicatorSet

    count = 5_000 if quick else 50_000
    old_name, folder = _own_database()
    try:
        started = time.perf_counter()
        _populate(count)
        print(f"   {count:,} households with one assessment each made in {time.perf_counter() - started:.1f} s")
        indicator_set = IndicatorSet.objects.get(is_current=True)
        spec = indicator_set.spec()
        started, cpu = time.perf_counter(), time.process_time()
        report = rescoring.rescore_latest(indicator_set=indicator_set, spec=spec)
        first = time.perf_counter() - started
        print(f"   every result written: {first:.1f} s wall, {time.process_time() - cpu:.1f} s CPU of this process")
        assert report.households == count and report.changed == count, report
        started, cpu = time.perf_counter(), time.process_time()
        again = rescoring.rescore_latest(indicator_set=indicator_set, spec=spec)
        second = time.perf_counter() - started
        print(f"   nothing changed: {second:.1f} s wall, {time.process_time() - cpu:.1f} s CPU of this process")
        assert again.changed == 0, again
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if folder:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    vendor = connection.vendor
    rate, rate_again = count / first, count / second
    return [
        (f"re-score {count:,} households, every result written ({vendor})", "households/s", f"{rate:,.0f}",
         f">= {TARGET_PER_SECOND:,}", "ok" if rate >= TARGET_PER_SECOND else "MISS"),
        (f"re-score {count:,} households, nothing changed ({vendor})", "households/s", f"{rate_again:,.0f}",
         f">= {TARGET_PER_SECOND:,}", "ok" if rate_again >= TARGET_PER_SECOND else "MISS"),
    ]  # fmt: skip
