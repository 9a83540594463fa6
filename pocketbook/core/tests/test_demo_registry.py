"""The demo seeders: each app registers one; seed_demo runs them after what they depend on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from pocketbook.core import demo
from pocketbook.core.demo import DemoContext, DemoSeeder, demo_seeder_register, demo_seeder_unregister, demo_seeders


@pytest.fixture
def extra_seeders():
    """Seeders a test app registers, removed again afterwards."""
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


def nothing(context: DemoContext) -> None:
    """A seeder that adds nothing."""


def test_the_apps_register_their_seeders_in_dependency_order():
    assert [seeder.key for seeder in demo_seeders()] == [
        "households",
        "assessments",
        "incidents",
        "cases",
        "volunteers",
        "reports",
    ]
    assert demo.demo_seeders()[1].after == ("households",)


def test_a_key_registered_twice_is_refused():
    with pytest.raises(ImproperlyConfigured, match="households"):
        demo_seeder_register(DemoSeeder("households", nothing))


def test_a_seeder_runs_after_what_it_names_even_when_registered_first(extra_seeders):
    # given "reports" registered before "cases", and "cases" after an app that is not installed
    extra_seeders(DemoSeeder("reports", nothing, after=("cases", "incidents")))
    extra_seeders(DemoSeeder("cases", nothing, after=("assessments", "not_installed")))
    # then each one comes after its dependencies
    assert [seeder.key for seeder in demo_seeders()] == [
        "households",
        "assessments",
        "incidents",
        "cases",
        "volunteers",
        "reports",
    ]


def test_seeders_depending_on_each_other_in_a_circle_are_refused(extra_seeders):
    extra_seeders(DemoSeeder("chicken", nothing, after=("egg",)))
    extra_seeders(DemoSeeder("egg", nothing, after=("chicken",)))
    with pytest.raises(ImproperlyConfigured, match="circle"):
        demo_seeders()


@pytest.mark.django_db
def test_seed_demo_runs_a_registered_seeder_with_the_demo_context(capsys, extra_seeders):
    # given an app's seeder that runs after the households' and writes what it saw
    seen: list[tuple[str, int, str]] = []

    def seed(context: DemoContext) -> None:
        seen.append((context.province_code, context.households, context.users["volunteer"].username))
        context.write("cases: seeded")

    extra_seeders(DemoSeeder("cases", seed, after=("households",)))
    # when the demo is built
    call_command("seed_demo", "--households", "5", "--villages-per-subdistrict", "1", "--quiet-logins")
    # then the seeder ran once, with the demo province, size and users
    assert seen == [("92", 5, "volunteer")]
    assert "cases: seeded" in capsys.readouterr().out
