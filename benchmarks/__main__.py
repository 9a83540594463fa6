"""Run every benchmark module and print one table: `make bench` (BENCH_ARGS="--only NAME --quick")."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import time

import django


def main() -> int:
    parser = argparse.ArgumentParser(description="Pocketbook benchmarks")
    parser.add_argument("--only", action="append", default=[], help="run only these benchmark modules")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocketbook.settings")
    django.setup()
    import benchmarks

    rows: list[tuple[str, str, str, str, str]] = []
    names = [m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")]
    for name in sorted(names):
        if args.only and name.removeprefix("bench_") not in args.only and name not in args.only:
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        rows.extend(module.run(quick=args.quick))
        print(f"   done in {time.perf_counter() - started:.1f} s", flush=True)
    print()
    header = ("benchmark", "measure", "value", "target", "verdict")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(5)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return 1 if any(row[4] == "MISS" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
