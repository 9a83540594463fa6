"""`pocketbook rebuild_aggregates [--topic households]`: rebuild the dashboards' counters from the source tables."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pocketbook.reports.topics import Topic, topic_get, topics_all


def _bar(done: int, total: int) -> str:
    filled = int(30 * done / max(total, 1))
    return "[" + "#" * filled + "." * (30 - filled) + f"] {done}/{total}"


class Command(BaseCommand):
    help = "Rebuild the aggregate counters the reports read (set-based, topic by topic)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--topic", action="append", default=[], help="Only this topic (may be repeated)")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        topics: list[Topic] = []
        for name in options["topic"]:
            topic = topic_get(name)
            if topic is None:
                known = ", ".join(t.name for t in topics_all()) or "none"
                raise CommandError(f"There is no topic {name!r} (known: {known}).")
            topics.append(topic)
        topics = topics or topics_all()
        show = not options["no_progress"]
        started = time.perf_counter()
        total_rows = 0
        for number, topic in enumerate(topics):
            if show:
                sys.stderr.write(f"{_bar(number, len(topics))}  {topic.name}…\n")
            topic_started = time.perf_counter()
            rows = topic.rebuild()
            elapsed = max(time.perf_counter() - topic_started, 1e-6)
            total_rows += rows
            self.stdout.write(
                f"{topic.name:<14} {rows:>10,} counters in {elapsed:6.2f} s ({rows / elapsed:,.0f} rows/s)"
            )
        if show:
            sys.stderr.write(f"{_bar(len(topics), len(topics))}\n")
        elapsed = max(time.perf_counter() - started, 1e-6)
        self.stdout.write(
            f"{'total':<14} {total_rows:>10,} counters in {elapsed:6.2f} s ({total_rows / elapsed:,.0f} rows/s)"
        )
