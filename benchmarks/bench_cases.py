"""Cases: suggesting needs after a province's re-scoring, and the My tasks / My cases pages with 20,000 open cases.

Each database run happens in its own process against its own database (a temporary SQLite file and a
dedicated PostgreSQL database `pb_cases10_bench`, dropped afterwards), never the development database.

1. Needs: 220,000 households (Trang) each with a latest assessment of the 17 TPMAP indicators, about one in ten
   failed. Timed: `needs_suggest_for_households` over every household (the assessments-re-scored listener)
   - first: every failure becomes a suggested need;
   - after a re-scoring that changes a fifth of the results (some needs met, some new);
   - nothing changed (a second call finds every need in place).
   Target: at least 10,000 households per second.
2. Pages: 20,000 open cases spread over 100 social workers (200 each), with plan items, referrals and follow-ups.
   Timed through Django's test client (the whole request: middleware, queries, template): the worker's My tasks
   and My cases, and a province manager's My cases over all 20,000. Target: p95 under 50 ms.
Each figure is printed as wall time and as the CPU time of the bench's own process, with `uptime` at the start
and end: the machine is shared, so wall times grow with its load while the CPU time is what the code costs (on
PostgreSQL the database server's CPU is not in it). The targets are judged on wall time; CPU rows are beside them.
`--quick`: 5,000 households and 2,000 cases.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from benchmarks.support import Row, main, on_each_database, run_worker, settle, timed_requests, uptime

NEEDS_TARGET_PER_SECOND = 10_000
PAGE_TARGET_MS = 50
FULL = {"households": 220_000, "cases": 20_000}
QUICK = {"households": 5_000, "cases": 2_000}
WORKERS = 100
PG_DATABASE = "pb_cases10_bench"
SEED = 2566
REQUESTS = 60


def _results(rng: random.Random, codes: list[tuple[str, str]], fail_rate: float = 0.1) -> str:
    return json.dumps(
        {
            code: {
                "dimension": dim,
                "status": "fail" if rng.random() < fail_rate else "pass",
                "reason": "",
                "params": {},
            }
            for code, dim in codes
        }
    )


def _populate(rng: random.Random, size: int, codes: list[tuple[str, str]]) -> list[int]:
    from django.db import connection

    from pocketbook.assessments.models import IndicatorSet
    from pocketbook.households.models import Household

    indicator_set = IndicatorSet.objects.get(is_current=True)
    ids: list[int] = []
    batch = 5000
    for first in range(0, size, batch):
        households = Household.objects.bulk_create(
            [
                Household(area_code=f"920101{(first + i) % 20 + 1:02d}", house_no=f"{first + i}/1", has_consent=False)
                for i in range(min(batch, size - first))
            ]
        )
        ids.extend(h.pk for h in households)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO assessments_assessment (created_at, updated_at, household_id, indicator_set_id, "
                "assessed_on, answers, indicator_results, dimension_results, failed_dimensions, "
                "income_per_person_per_year, is_poor, is_targeted_poor, is_vulnerable, vulnerable_reasons, "
                "is_self_reliant, is_latest, results_digest) "
                "VALUES (%s, %s, %s, %s, %s, '{}', %s, '{}', 0, 0, false, false, false, '[]', false, true, '')",
                [
                    (
                        dt.datetime.now(dt.UTC),
                        dt.datetime.now(dt.UTC),
                        h.pk,
                        indicator_set.pk,
                        dt.date(2024, 6, 1),
                        _results(rng, codes),
                    )
                    for h in households
                ],
            )
    return ids


def _rescore(rng: random.Random, ids: list[int], codes: list[tuple[str, str]]) -> None:
    """Change the results of a fifth of the households, as a re-scoring would (not timed)."""
    from django.db import connection, transaction

    chosen = [pk for pk in ids if rng.random() < 0.2]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE assessments_assessment SET indicator_results = %s WHERE household_id = %s AND is_latest",
            [(_results(rng, codes, 0.15), pk) for pk in chosen],
        )


def _timed_suggest(ids: list[int]) -> dict[str, Any]:
    from pocketbook.cases import services

    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    report = services.needs_suggest_for_households(ids)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return {
        "households": report.households,
        "suggested": report.suggested,
        "met": report.met,
        "seconds": seconds,
        "rate": report.households / seconds,
        "cpu_s": cpu_seconds,
        "load_before": load,
    }


def _cases(rng: random.Random, household_ids: list[int], size: int) -> tuple[Any, Any]:
    """Open cases over 100 workers, with plan items, referrals and follow-ups; returns (a worker, a manager)."""
    from django.contrib.auth.models import Group

    from pocketbook.accounts.models import AreaAssignment, User
    from pocketbook.accounts.roles import Role
    from pocketbook.cases import rules
    from pocketbook.cases.models import Agency, Case, FollowUp, PlanItem, Referral

    social_workers = Group.objects.get(name=Role.SOCIAL_WORKER)
    workers = [User.objects.create(username=f"bench_worker_{i}") for i in range(WORKERS)]
    for user in workers:
        user.groups.add(social_workers)
    AreaAssignment.objects.bulk_create([AreaAssignment(user=user, area_code="920101") for user in workers])
    manager = User.objects.create(username="bench_manager")
    manager.groups.add(Group.objects.get(name=Role.MANAGER))
    AreaAssignment.objects.create(user=manager, area_code="92")
    agency = Agency.objects.create(name="โรงพยาบาลตรัง", kind="hospital", search_text="โรงพยาบาลตรัง")
    today = dt.date.today()
    stale_days = rules.stale_days()
    plans: list[tuple[int, dt.date]] = []
    answers: list[tuple[int, dt.date]] = []
    visits: list[tuple[int, dt.date]] = []
    cases = []
    # The plan, referrals and visits are drawn first, so each case's stage and attention date are set as
    # `case_refresh` would set them, without 20,000 refreshes.
    for i, pk in enumerate(rng.sample(household_ids, size)):
        last_contact = today - dt.timedelta(days=rng.randint(0, 60))
        dates = [last_contact + dt.timedelta(days=stale_days)]
        for _ in range(2):
            plans.append((i, today + dt.timedelta(days=rng.randint(-20, 40))))
            dates.append(plans[-1][1])
        stage = "plan"
        if i % 2 == 0:
            answers.append((i, today + dt.timedelta(days=rng.randint(-10, 14))))
            dates.append(answers[-1][1])
            stage = "referred"
        if i % 3 == 0:
            visits.append((i, today + dt.timedelta(days=rng.randint(-5, 30))))
            dates.append(visits[-1][1])
            stage = "follow_up"
        cases.append(
            Case(
                household_id=pk,
                title=f"เคสทดสอบ {i}",
                worker=workers[i % WORKERS],
                opened_on=today - dt.timedelta(days=rng.randint(60, 120)),
                last_contact_on=last_contact,
                stage=stage,
                attention_on=min(dates),
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=1000)
    PlanItem.objects.bulk_create(
        [PlanItem(case=cases[i], action="เยี่ยมบ้าน", due_on=day) for i, day in plans], batch_size=1000
    )
    Referral.objects.bulk_create(
        [
            Referral(case=cases[i], agency=agency, request="ตรวจสุขภาพ", reply_nonce="x", answer_due_on=day)
            for i, day in answers
        ],
        batch_size=1000,
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(case=cases[i], visited_on=today - dt.timedelta(days=3), note="เยี่ยมแล้ว", next_visit_on=day)
            for i, day in visits
        ],
        batch_size=1000,
    )
    return workers[0], manager


# ------------------------------------------------------------------ the worker (runs in its own process)


def worker(households: int, cases: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocketbook.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from pocketbook.assessments.models import Indicator, IndicatorSet

    settings.DEBUG = False
    # No setup_test_environment(): its instrumented template rendering is test-only work production never does.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    codes = list(
        Indicator.objects.filter(indicator_set=IndicatorSet.objects.get(is_current=True)).values_list(
            "code", "dimension"
        )
    )
    started = time.perf_counter()
    uptime_start = uptime()
    ids = _populate(rng, households, codes)
    settle(connection)
    figures: dict[str, Any] = {"households": households, "populate_s": time.perf_counter() - started}
    figures["first"] = _timed_suggest(ids)
    _rescore(rng, ids, codes)
    settle(connection)
    figures["rescored"] = _timed_suggest(ids)
    figures["unchanged"] = _timed_suggest(ids)
    worker_user, manager = _cases(rng, ids, cases)
    settle(connection)
    client = Client()
    client.force_login(worker_user)
    figures["tasks"] = timed_requests(client, reverse("cases:my_tasks"), REQUESTS)
    figures["my_cases"] = timed_requests(client, reverse("cases:case_list"), REQUESTS)
    client.force_login(manager)
    figures["all_cases"] = timed_requests(client, reverse("cases:case_list") + "?worker=&status=open", REQUESTS)
    figures["cases"] = cases
    figures["uptime"] = [uptime_start, uptime()]
    return figures


# ------------------------------------------------------------------ the runner


def _run_worker(sizes: dict[str, int], database_url: str, var_dir: Path) -> dict[str, Any]:
    return dict(
        run_worker("bench_cases", [sizes["households"], sizes["cases"]], database_url=database_url, var_dir=var_dir)
    )


def _rows(label: str, figures: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    size = figures["households"]
    print(f"   {label} machine load at the start: {figures['uptime'][0]}", flush=True)
    print(f"   {label} machine load at the end:   {figures['uptime'][1]}", flush=True)
    for name, what in (
        ("first", "first suggestion"),
        ("rescored", "after a re-scoring"),
        ("unchanged", "nothing changed"),
    ):
        run = figures[name]
        print(
            f"   {label} needs {what}: wall {run['seconds']:.1f} s, {run['rate']:,.0f}/s, "
            f"{run['suggested']:,} suggested, "
            f"{run['met']:,} met; CPU of this process {run['cpu_s']:.1f} s = "
            f"{run['households'] / max(run['cpu_s'], 1e-9):,.0f}/s "
            f"(load {run['load_before']:.1f})",
            flush=True,
        )
        rows.append(
            (
                f"needs for {size:,} households, {what} ({label})",
                "households/s",
                f"{run['rate']:,.0f}",
                f"≥ {NEEDS_TARGET_PER_SECOND:,}",
                "ok" if run["rate"] >= NEEDS_TARGET_PER_SECOND else "MISS",
            )
        )
    for name, what in (
        ("tasks", "My tasks (a worker)"),
        ("my_cases", "My cases (a worker)"),
        ("all_cases", f"My cases, all {figures['cases']:,} open (a manager)"),
    ):
        run = figures[name]
        print(
            f"   {label} {what}: wall p95 {run['p95']:.1f} ms, median {run['median']:.1f} ms; "
            f"CPU of this process p95 {run['cpu_p95']:.1f} ms, median {run['cpu_median']:.1f} ms "
            f"(load {run['load_before']:.1f})"
        )
        rows.append(
            (
                f"{what} ({label})",
                "p95 ms",
                f"{run['p95']:.1f}",
                f"< {PAGE_TARGET_MS}",
                "ok" if run["p95"] < PAGE_TARGET_MS else "MISS",
            )
        )
        # The CPU the request took in this process: what the code costs, whatever the others run meanwhile.
        rows.append(
            (
                f"{what} ({label}), CPU",
                "CPU p95 ms",
                f"{run['cpu_p95']:.1f}",
                f"< {PAGE_TARGET_MS}",
                "ok" if run["cpu_p95"] < PAGE_TARGET_MS else "MISS",
            )
        )
    return rows


def run(*, quick: bool = False) -> list[Row]:
    sizes = QUICK if quick else FULL
    return on_each_database(
        "bench-cases-",
        PG_DATABASE,
        lambda label, url, folder: _rows(label, _run_worker(sizes, url, folder / label.lower())),
    )


if __name__ == "__main__":
    main(run, lambda households, cases: worker(int(households), int(cases)))
