"""Reports (Help, ESS, Volunteers): the ESS dashboard and the closed-incident search at two sizes, and the rebuild.

Each database run happens in its own process against its own database (a temporary SQLite file and a
dedicated PostgreSQL database `pb_repops_bench`, dropped afterwards).

Incidents of Trang are written straight into the table (a year of them, all types and channels, most closed),
the "incidents" topic is rebuilt (timed: rows/s), and the manager's ESS dashboard of the province and the
operator's closed-incident search are timed through Django's test client (p95 of 60 requests), at SMALL
incidents and again after growing the table to LARGE. Targets: p95 under 50 ms, and the large figure within
1.5x of the small one (the dashboard reads counters only; the search pages along an index).
`--quick`: 2,000 and 20,000 incidents.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_cases import REQUESTS
from benchmarks.support import Row, main, on_each_database, run_worker, settle, timed_requests

PAGE_TARGET_MS = 50
GROWTH_TARGET = 1.5
FULL = {"small": 20_000, "large": 200_000}
QUICK = {"small": 2_000, "large": 20_000}
PG_DATABASE = "pb_repops_bench"
SEED = 2569
SUBDISTRICTS = ["920101", "920102", "920103", "920104", "920201", "920202", "920301", "920401", "920501", "920601"]


def _incidents(rng: random.Random, first: int, count: int) -> int:
    from pocketbook.incidents.choices import CLOSED_STATUSES, OPEN_STATUSES, Channel, IncidentType, Priority
    from pocketbook.incidents.models import Incident

    types, channels, priorities = list(IncidentType.values), list(Channel.values), list(Priority.values)
    start = dt.datetime(2025, 10, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    batch = 5000
    for offset in range(0, count, batch):
        rows = []
        for number in range(first + offset, first + min(offset + batch, count)):
            received = start + dt.timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
            closed = rng.random() < 0.9
            status = rng.choice(CLOSED_STATUSES if closed else OPEN_STATUSES)
            acknowledged = received + dt.timedelta(minutes=rng.expovariate(1 / 8))
            rows.append(
                Incident(
                    number=f"ESS-2569-{number:07d}",
                    incident_type=rng.choice(types),
                    priority=rng.choice(priorities),
                    channel=rng.choice(channels),
                    status=status,
                    area_code=rng.choice(SUBDISTRICTS) + f"{rng.randrange(1, 12):02d}",
                    received_at=received,
                    acknowledged_at=acknowledged,
                    dispatched_at=acknowledged + dt.timedelta(minutes=rng.expovariate(1 / 20)),
                    closed_at=received + dt.timedelta(hours=rng.expovariate(1 / 6)) if closed else None,
                    is_overdue=not closed and rng.random() < 0.2,
                )
            )
        Incident.objects.bulk_create(rows)
    return first + count


def _measure(client: Any, manager_client: Any, figures: dict[str, Any], label: str) -> None:
    from pocketbook.reports import ess_counts

    started = time.perf_counter()
    written = ess_counts.rebuild()
    seconds = time.perf_counter() - started
    figures[f"rebuild_{label}"] = {"seconds": seconds, "rows": written}
    figures[f"ess_{label}"] = timed_requests(manager_client, "/reports/ess/?area=92&year=2569", REQUESTS)
    figures[f"closed_{label}"] = timed_requests(client, "/reports/ess/closed/?incident_type=drugs", REQUESTS)


def worker(small: int, large: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocketbook.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from pocketbook.accounts.roles import Role
    from pocketbook.accounts.tests.factories import UserFactory

    settings.DEBUG = False
    setup_test_environment()
    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    operator = Client()
    operator.force_login(UserFactory(username="bench_operator", roles=[Role.ESS_OPERATOR], areas=["92"]))
    manager = Client()
    manager.force_login(UserFactory(username="bench_manager", roles=[Role.MANAGER], areas=["92"]))
    figures: dict[str, Any] = {"small": small, "large": large}
    made = _incidents(rng, 1, small)
    settle(connection)
    _measure(operator, manager, figures, "small")
    _incidents(rng, made, large - small)
    settle(connection)
    _measure(operator, manager, figures, "large")
    return figures


def _run_worker(sizes: dict[str, int], database_url: str, var_dir: Path) -> dict[str, Any]:
    return dict(
        run_worker("bench_reports_ops", [sizes["small"], sizes["large"]], database_url=database_url, var_dir=var_dir)
    )


def _rows(label: str, figures: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for size in ("small", "large"):
        rebuild = figures[f"rebuild_{size}"]
        count = figures[size]
        print(f"   {label} rebuild of {count:,} incidents: {rebuild['seconds']:.2f} s, {rebuild['rows']:,} counters")
        rows.append(
            (
                f"ESS rebuild, {count:,} incidents ({label})",
                "incidents/s",
                f"{count / rebuild['seconds']:,.0f}",
                "",
                "",
            )
        )
        for page, what in (("ess", "ESS dashboard, province (manager)"), ("closed", "closed-incident search")):
            run = figures[f"{page}_{size}"]
            print(f"   {label} {what} at {count:,}: p95 {run['p95']:.1f} ms, median {run['median']:.1f} ms")
            verdict = "ok" if run["p95"] < PAGE_TARGET_MS else "MISS"
            rows.append(
                (
                    f"{what}, {count:,} incidents ({label})",
                    "p95 ms",
                    f"{run['p95']:.1f}",
                    f"< {PAGE_TARGET_MS}",
                    verdict,
                )
            )
    for page, what in (("ess", "ESS dashboard"), ("closed", "closed-incident search")):
        ratio = figures[f"{page}_large"]["median"] / max(figures[f"{page}_small"]["median"], 1e-9)
        verdict = "ok" if ratio <= GROWTH_TARGET else "MISS"
        rows.append(
            (f"{what}: large / small ({label})", "median ratio", f"{ratio:.2f}", f"≤ {GROWTH_TARGET}", verdict)
        )
    return rows


def run(*, quick: bool = False) -> list[Row]:
    sizes = QUICK if quick else FULL
    return on_each_database(
        "bench-reports-ops-",
        PG_DATABASE,
        lambda label, url, folder: _rows(label, _run_worker(sizes, url, folder / label.lower())),
    )


if __name__ == "__main__":
    main(run, lambda small, large: worker(int(small), int(large)))
