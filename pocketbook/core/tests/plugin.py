"""A pretend higher app for the registry tests: its templates, found through `plugin_templates`, and the
fixtures that register its entries for one test (the project's wiring tests in `tests/` use them too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pocketbook.core.demo import DemoSeeder, demo_seeder_register, demo_seeder_unregister, demo_seeders
from pocketbook.core.menu import MenuItem, menu_register, menu_unregister

TEMPLATES = Path(__file__).resolve().parent / "plugin_templates"


@pytest.fixture
def plugin_templates(settings):
    """Let the pages find the pretend app's templates (plugin/...)."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(TEMPLATES)]}]


def cases_context(viewer, household):
    """A pretend cases app's household section: shown to social workers only."""
    if not viewer.has_role("social_worker"):
        return None
    return {"title": "Cases", "count": 2}


def open_cases(viewer, households):
    """A pretend cases app's badge: two open cases for the first household of the page, none for the others."""
    return {households[0].pk: 2}


@pytest.fixture
def extra_item():
    """A menu entry a test app registers, removed again afterwards."""
    registered: list[str] = []

    def register(item: MenuItem) -> MenuItem:
        menu_register(item)
        registered.append(item.url_name)
        return item

    yield register
    for url_name in registered:
        menu_unregister(url_name)


@pytest.fixture
def extra_seeders():
    """Demo seeders a test app registers, removed again afterwards."""
    keys: list[str] = []
    # a test app may reuse the key of an installed app (e.g. "cases"): set the real seeder aside meanwhile
    installed = {seeder.key: seeder for seeder in demo_seeders()}
    set_aside: list[DemoSeeder] = []

    def register(seeder: DemoSeeder) -> DemoSeeder:
        if seeder.key in installed:
            demo_seeder_unregister(seeder.key)
            set_aside.append(installed[seeder.key])
        demo_seeder_register(seeder)
        keys.append(seeder.key)
        return seeder

    yield register
    for key in keys:
        demo_seeder_unregister(key)
    for seeder in set_aside:
        demo_seeder_register(seeder)
