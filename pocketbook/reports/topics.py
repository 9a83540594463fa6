"""The topics whose counters `pocketbook rebuild_aggregates` can rebuild; each dashboard engineer registers one.

    topic_register(Topic("households", households.rebuild, _("Households")))

`rebuild()` replaces the topic's counters set-based (tallies.tally_replace_topic or
tally_replace_topic_from_sql) and returns how many counters it wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from pocketbook.core.registry import Registry


@dataclass(frozen=True)
class Topic:
    """A family of counters and how to rebuild it from the source tables."""

    name: str
    rebuild: Callable[[], int]
    label: str | Promise
    order: int = 100


_topics: Registry[Topic] = Registry("report topic", key=lambda topic: topic.name)


def topic_register(topic: Topic) -> None:
    """Add a topic; a second, different topic under a registered name is a configuration error."""
    _topics.register(topic)


def topic_unregister(name: str) -> None:
    """Remove a topic (for tests that register their own)."""
    _topics.unregister(name)


def topics_all() -> list[Topic]:
    """Every registered topic, in rebuild order."""
    return _topics.ordered(lambda topic: topic.order)


def topic_get(name: str) -> Topic | None:
    """The topic of that name, or None."""
    return _topics.get(name)
