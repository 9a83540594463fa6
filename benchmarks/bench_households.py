"""Households: import a generated member file into SQLite and PostgreSQL, then search at that size.

Each database run happens in its own process (so peak memory is the import's own) against its own
database: a temporary SQLite file and a dedicated PostgreSQL database `pb_bench_households`, never
the development database. Full size: 1,000,000 members in about 300,000 households; `--quick`:
20,000 members.
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.support import Row, main, on_each_database, p95_ms, run_worker, verdict

FULL_MEMBERS = 1_000_000
QUICK_MEMBERS = 20_000
PG_DATABASE = "pb_bench_households"
SEED = 2566
HEADER = [
    "household_key", "subdistrict_code", "village_no", "house_no", "title", "first_name", "last_name", "sex",
    "birth_date", "relation", "national_id", "monthly_income", "welfare_card", "disability", "bedridden",
    "chronic_illness", "education", "occupation", "phone",
]  # fmt: skip
FIRST_NAMES = [
    "สมชาย", "สมศรี", "มาลี", "วิชัย", "ประเสริฐ", "สุภาพร", "กัญญา", "ธนากร", "อนันต์", "นงลักษณ์", "ปราณี", "อรทัย",
    "บุญมี", "จันทร์เพ็ญ", "กิตติ", "ชัยวัฒน์", "วันเพ็ญ", "สุรชัย", "ต้นกล้า", "น้ำฝน", "ภูผา", "ข้าวหอม", "ฟ้าใส",
]  # fmt: skip
SYLLABLES = ["", "ชัย", "ศักดิ์", "พร", "รัตน์", "วงศ์", "สุข", "ดี", "ทอง", "แก้ว"]
LAST_NAMES = ["ใจดี", "รักถิ่น", "ทองคำ", "ศรีสุข", "บุญมา", "แก้วมณี", "ชูช่วย", "หนูนุ่น", "เพชรรัตน์", "ขาวสะอาด"]
LAST_SUFFIXES = ["", "วงศ์", "สกุล", "พันธ์", "ทอง", "ศรี", "กุล", "รักษ์"]


def _national_id(number: int) -> str:
    from stdnum.th import pin

    first = "3" + f"{number:011d}"
    return first + pin.calc_check_digit(first)


def _subdistricts() -> list[str]:
    import geothai

    return [s.code for d in geothai.districts("92") for s in geothai.subdistricts(d.code)]


def generate(path: Path, members: int) -> None:
    """Write a deterministic CSV of `members` rows (about 3.3 per household)."""
    rng = random.Random(SEED)
    subdistricts = _subdistricts()
    written = household = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        while written < members:
            household += 1
            size = min(rng.choice([1, 2, 3, 3, 4, 4, 5, 6]), members - written)
            subdistrict = rng.choice(subdistricts)
            village = rng.randrange(1, 11)
            house = f"{rng.randrange(1, 400)}/{rng.randrange(1, 9)}"
            last = rng.choice(LAST_NAMES) + rng.choice(LAST_SUFFIXES)
            head_year = rng.randrange(2480, 2540)
            for index in range(size):
                written += 1
                relation = "head" if index == 0 else ("spouse" if index == 1 else "child")
                year = head_year if index < 2 else min(head_year + rng.randrange(18, 35), 2567)
                name = rng.choice(FIRST_NAMES) + rng.choice(SYLLABLES)
                born = f"{rng.randrange(1, 29)}/{rng.randrange(1, 13)}/{year}"
                number = _national_id(written) if rng.random() > 0.05 else ""
                income = rng.choice(["", "3000", "6500", "12000"])
                education = rng.choice(["ประถม", "ม.ต้น", "ปริญญาตรี", ""])
                occupation = rng.choice(["ชาวสวนยาง", "ประมง", "รับจ้าง", ""])
                writer.writerow(
                    [f"TR{household:07d}", subdistrict, village, house, "", name, last, rng.choice("MF"), born,
                     relation, number, income, rng.choice("YN"), "N", "N", rng.choice("YNNN"), education, occupation,
                     ""]
                )  # fmt: skip


# ------------------------------------------------------------------ the worker (runs in its own process)


def worker(csv_path: Path, members: int) -> dict[str, Any]:
    """Migrate this process's database, import the file, time searches; return the figures."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocketbook.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from pocketbook.accounts.roles import Role
    from pocketbook.accounts.services import user_create
    from pocketbook.households import selectors
    from pocketbook.households.importer import run_import

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = run_import(csv_path)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures: dict[str, Any] = {
        "rows": result.rows_read,
        "seconds": elapsed,
        "rows_per_second": result.rows_read / elapsed,
        "peak_mb": peak_mb,
        "rss_before_mb": rss_before / 1024,
        "households": result.counts.households_created,
        "members": result.counts.members_created,
        "rejected": result.counts.rejected_rows,
    }
    if connection.vendor == "postgresql":
        figures["copy_rows_per_second"] = _bare_copy(csv_path, connection)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    manager = user_create(username="bench-manager", password=None, roles=[Role.MANAGER], area_codes=["92"], actor=None)
    rng = random.Random(SEED + 1)
    samples = []
    for _ in range(200):
        number = _national_id(rng.randrange(1, members + 1))
        started = time.perf_counter()
        selectors.member_by_national_id(viewer=manager, number=number)
        samples.append(time.perf_counter() - started)
    figures["id_p95_ms"] = p95_ms(samples)
    samples = []
    for index in range(200):
        prefix = rng.choice(FIRST_NAMES)[: 2 + index % 3] if index % 2 else rng.choice(LAST_NAMES)
        started = time.perf_counter()
        list(selectors.household_list(viewer=manager, search=prefix)[:31])
        samples.append(time.perf_counter() - started)
    figures["name_p95_ms"] = p95_ms(samples)
    return figures


def _bare_copy(csv_path: Path, connection: Any) -> float:
    """PostgreSQL's own COPY of the same CSV into a bare table, in rows per second."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_members")
        cursor.execute("CREATE UNLOGGED TABLE bench_bare_members (" + ", ".join(f"{c} text" for c in HEADER) + ")")
        started = time.perf_counter()
        sql = "COPY bench_bare_members FROM STDIN WITH (FORMAT csv, HEADER true)"
        with cursor.cursor.copy(sql) as copy, csv_path.open("rb") as handle:
            while block := handle.read(1 << 20):
                copy.write(block)
        elapsed = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_bare_members")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_bare_members")
    return rows / elapsed


# ------------------------------------------------------------------ the runner


def _run_worker(csv_path: Path, members: int, database_url: str, var_dir: Path) -> dict[str, Any]:
    # Production settings (DEBUG=0, with throwaway keys): in DEBUG, Django keeps the text of every query in
    # memory, which would count against the import's peak memory.
    figures: dict[str, Any] = run_worker(
        "bench_households", [csv_path, members], database_url=database_url, var_dir=var_dir, production=True
    )
    return figures


def run(*, quick: bool = False) -> list[Row]:
    members = QUICK_MEMBERS if quick else FULL_MEMBERS
    with tempfile.TemporaryDirectory(prefix="bench-households-file-") as file_folder:
        csv_path = Path(file_folder) / "members.csv"
        started = time.perf_counter()
        generate(csv_path, members)
        print(f"   generated {members:,} members in {time.perf_counter() - started:.1f} s", flush=True)

        def measure(label: str, url: str, folder: Path) -> list[Row]:
            rows: list[Row] = []
            figures = _run_worker(csv_path, members, url, folder / label.lower())
            print(f"   {label}: {json.dumps(figures)}", flush=True)
            name = f"import {members:,} members ({label})"
            rate = figures["rows_per_second"]
            if label != "PostgreSQL":
                rows.append((name, "rows/s", f"{rate:,.0f}", "—", "ok"))
            elif quick:  # the target is set for the full file, where a first load applies; a smoke run only shows
                rows.append((name, "rows/s", f"{rate:,.0f}", "≥ 20,000 at full size", "—"))
            else:
                rows.append((name, "rows/s", f"{rate:,.0f}", "≥ 20,000", verdict(rate >= 20_000)))
            rows.append(
                (
                    name,
                    "peak memory",
                    f"{figures['peak_mb']:.0f} MB",
                    "< 500 MB",
                    verdict(figures["peak_mb"] < 500),
                )
            )
            if "copy_rows_per_second" in figures:
                ratio = rate / figures["copy_rows_per_second"]
                rows.append(
                    (
                        name,
                        "vs bare COPY",
                        f"{ratio:.2f}× ({figures['copy_rows_per_second']:,.0f} rows/s)",
                        "—",
                        "ok",
                    )
                )
            size = f"{figures['households']:,} households ({label})"
            rows.append(
                (f"search by national ID, {size}", "p95", f"{figures['id_p95_ms']:.1f} ms", "< 20 ms",
                 verdict(figures["id_p95_ms"] < 20))
            )  # fmt: skip
            rows.append(
                (f"search by name prefix, {size}", "p95", f"{figures['name_p95_ms']:.1f} ms", "< 20 ms",
                 verdict(figures["name_p95_ms"] < 20))
            )  # fmt: skip
            return rows

        return on_each_database("bench-households-", PG_DATABASE, measure)


if __name__ == "__main__":
    main(run, lambda csv_path, members: worker(Path(csv_path), int(members)))
