"""The demo seeders: each app registers one; seed_demo runs them after what they depend on.

These tests register a pretend app's seeders (the installed apps' order is the project's wiring:
tests/test_wiring.py).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from pocketbook.core import demo
from pocketbook.core.demo import DemoContext, DemoSeeder, demo_seeder_register, demo_seeders
from pocketbook.core.tests.plugin import extra_seeders  # noqa: F401 - a fixture


@pytest.fixture
def pretend_seeders():
    """Only the pretend app's seeders, meanwhile: the installed apps' are set aside and put back afterwards."""
    with demo._seeders.set_aside():
        yield


def nothing(context: DemoContext) -> None:
    """A seeder that adds nothing."""


def test_seeders_come_in_dependency_order_then_in_registration_order(pretend_seeders):
    demo_seeder_register(DemoSeeder("people", nothing))
    demo_seeder_register(DemoSeeder("visits", nothing, after=("people",)))
    demo_seeder_register(DemoSeeder("notes", nothing))
    assert [seeder.key for seeder in demo_seeders()] == ["people", "visits", "notes"]
    assert demo.demo_seeders()[1].after == ("people",)


def test_a_key_registered_twice_is_refused(pretend_seeders):
    demo_seeder_register(DemoSeeder("people", nothing))
    with pytest.raises(ImproperlyConfigured, match="people"):
        demo_seeder_register(DemoSeeder("people", nothing, after=("visits",)))


def test_a_seeder_runs_after_what_it_names_even_when_registered_first(pretend_seeders):
    # given "reports" registered before "cases", and "cases" after an app that is not installed
    demo_seeder_register(DemoSeeder("reports", nothing, after=("cases", "incidents")))
    demo_seeder_register(DemoSeeder("cases", nothing, after=("assessments", "not_installed")))
    demo_seeder_register(DemoSeeder("households", nothing))
    demo_seeder_register(DemoSeeder("assessments", nothing, after=("households",)))
    demo_seeder_register(DemoSeeder("incidents", nothing, after=("households",)))
    # then each one comes after its dependencies
    assert [seeder.key for seeder in demo_seeders()] == ["households", "assessments", "cases", "incidents", "reports"]


def test_seeders_depending_on_each_other_in_a_circle_are_refused(extra_seeders):  # noqa: F811 - the fixture above
    extra_seeders(DemoSeeder("chicken", nothing, after=("egg",)))
    extra_seeders(DemoSeeder("egg", nothing, after=("chicken",)))
    with pytest.raises(ImproperlyConfigured, match="circle"):
        demo_seeders()


@pytest.mark.django_db
def test_seed_demo_runs_a_registered_seeder_with_the_demo_context(capsys, extra_seeders):  # noqa: F811
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
