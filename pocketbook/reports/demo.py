"""Demo data for the reports: no rows of its own, only the counters rebuilt from every other app's demo data."""

from __future__ import annotations

from pocketbook.core.demo import DemoContext
from pocketbook.reports.topics import topics_all


def seed(context: DemoContext) -> None:
    """Rebuild every topic's counters (runs after the other seeders; a second run gives the same counters)."""
    for topic in topics_all():
        rows = topic.rebuild()
        context.write(f"reports: {topic.name} {rows} counters")
