"""Foundation: area search and the area-scoped village list, timed through the real selectors."""

from __future__ import annotations

import time

from benchmarks.support import p95_ms
from pocketbook.geo import selectors


def run(*, quick: bool = False) -> list[tuple[str, str, str, str, str]]:
    queries = ["ตรัง", "นาตาล่วง", "Mueang", "Bang", "ทับเที่ยง", "Chiang", "หาดใหญ่", "Khlong"]
    rounds = 20 if quick else 200
    started = time.perf_counter()
    selectors.area_search(queries[0])  # the first search in a process builds geothai's index: timed apart
    cold_ms = (time.perf_counter() - started) * 1000
    samples = []
    for i in range(rounds):
        started = time.perf_counter()
        selectors.area_search(queries[i % len(queries)])
        samples.append(time.perf_counter() - started)
    p95 = p95_ms(samples)
    return [
        (
            "area search (geothai + villages)",
            "p95 latency, warm",
            f"{p95:.1f} ms",
            "< 50 ms",
            "ok" if p95 < 50 else "MISS",
        ),
        ("area search (geothai + villages)", "first search in a process", f"{cold_ms:.0f} ms", "report", "ok"),
    ]
