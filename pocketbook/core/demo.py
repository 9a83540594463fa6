"""Demo data: a registry of seeders each app fills in its `AppConfig.ready()`; core names no domain app.

`pocketbook seed_demo` builds the villages and the demo logins, then runs every registered seeder in
dependency order (a seeder runs after the keys in its `after`):

    demo_seeder_register(DemoSeeder("cases", seed, after=("households", "assessments")))

Each seeder must be deterministic (draw from `context.rng`) and idempotent (a second run keeps data).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from pocketbook.core.models import Viewer
from pocketbook.core.registry import Registry


@dataclass
class DemoContext:
    """What every seeder receives: the random source, the demo area, the demo users by role, a writer."""

    rng: random.Random
    province_code: str
    size: str
    households: int
    users: dict[str, Viewer]  # role value -> accounts.User
    village_codes: list[str]
    write: Callable[[str], Any]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoSeeder:
    """One app's demo data: `seed(context)` runs after the seeders named in `after`."""

    key: str
    seed: Callable[[DemoContext], None]
    after: tuple[str, ...] = ()


_seeders: Registry[DemoSeeder] = Registry("demo seeder", key=lambda seeder: seeder.key)


def demo_seeder_register(seeder: DemoSeeder) -> None:
    """Add an app's seeder; a key registered twice is a configuration error."""
    _seeders.register(seeder)


def demo_seeder_unregister(key: str) -> None:
    """Remove a seeder (for tests that register their own)."""
    _seeders.unregister(key)


def demo_seeders() -> list[DemoSeeder]:
    """The registered seeders, each after those it depends on (ties by registration order).

    A dependency that is not registered is skipped (its app is not installed); a cycle is an error.
    """
    ordered: list[DemoSeeder] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(seeder: DemoSeeder) -> None:
        if seeder.key in placed:
            return
        if seeder.key in visiting:
            raise ImproperlyConfigured(f"demo seeders depend on each other in a circle at {seeder.key!r}")
        visiting.add(seeder.key)
        for key in seeder.after:
            dependency = _seeders.get(key)
            if dependency is not None:
                place(dependency)
        visiting.discard(seeder.key)
        placed.add(seeder.key)
        ordered.append(seeder)

    for seeder in _seeders.items():
        place(seeder)
    return ordered
