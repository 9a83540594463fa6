"""The installed apps' entries in the lower apps' registries: the real menu, the demo seeders' order, the
household page's sections and badges and the timeline's kinds.

These are the project's wiring, so they are checked here rather than in the registries' own tests (which use
a pretend app): a new app adds its entries to these lists and touches no file of the apps below it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pocketbook.accounts.roles import Role
from pocketbook.core import demo
from pocketbook.core.demo import DemoContext, DemoSeeder, demo_seeder_register, demo_seeders
from pocketbook.core.menu import MenuItem, account_menu_for, menu_for, menu_items, menu_register
from pocketbook.core.tests.plugin import (  # noqa: F401 - fixtures
    cases_context,
    extra_item,
    extra_seeders,
    open_cases,
    plugin_templates,
)
from pocketbook.households import sections as section_registry
from pocketbook.households.choices import EventKind
from pocketbook.households.sections import (
    HouseholdBadge,
    HouseholdSection,
    badge_register,
    badge_unregister,
    badges_for,
    section_register,
    section_unregister,
    sections_for,
)
from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.households.timeline import TimelineKind, timeline_kind_get, timeline_kind_register

# The menu


@pytest.mark.django_db
def test_the_apps_register_their_entries_in_order():
    assert [item.url_name for item in menu_items()] == [
        "core:home",
        "cases:my_tasks",
        "households:household_list",
        "cases:case_list",
        "volunteers:my_visits",
        "geo:village_list",
        "incidents:board",
        "incidents:hotline_call",
        "incidents:assignment_list",
        "volunteers:volunteer_list",
        "volunteers:coverage",
        "volunteers:project_list",
        "cases:agency_list",
        "cases:fund_list",
        "reports:index",
        "offline:conflict_list",
        "offline:device_list",
        "admin:index",
    ]


def test_an_installed_url_name_registered_again_is_refused():
    with pytest.raises(ImproperlyConfigured, match="households:household_list"):
        menu_register(MenuItem("households:household_list", "again"))


@pytest.mark.django_db
def test_the_menu_shows_only_what_the_user_may_use(volunteer, ess_operator):
    assert [entry["name"] for entry in menu_for(volunteer)] == [
        "core:home",
        "households:household_list",
        "cases:case_list",
        "volunteers:my_visits",
        "geo:village_list",
        "cases:agency_list",
    ]
    assert [entry["name"] for entry in menu_for(ess_operator)] == [
        "core:home",
        "geo:village_list",
        "incidents:board",
        "incidents:hotline_call",
    ]


@pytest.mark.django_db
def test_an_entry_registered_by_another_app_appears_in_place_with_its_count(client, volunteer, extra_item):  # noqa: F811
    # given an app that adds an entry between the households and the villages, with a count
    extra_item(MenuItem("core:about", "Overdue visits", "households.view_household", "!", order=15, count=lambda u: 3))
    extra_item(MenuItem("core:date_understood", "Hidden", "audit.view_objectchange", order=16))
    # when the volunteer opens a page
    client.force_login(volunteer)
    page = client.get(reverse("core:overview")).content.decode()
    # then the entry is there, after "My households", with its number; the one needing a permission is not
    names = [entry["name"] for entry in menu_for(volunteer)]
    assert names == [
        "core:home",
        "households:household_list",
        "cases:case_list",
        "volunteers:my_visits",
        "core:about",
        "geo:village_list",
        "cases:agency_list",
    ]
    assert menu_for(volunteer)[4] == {
        "url": reverse("core:about"),
        "label": "Overdue visits",
        "icon": "!",
        "name": "core:about",
        "count": 3,
        "method": "get",
        "slug": "about",
    }
    assert 'Overdue visits <span class="mainnav__count" data-testid="menu-count">3</span>' in page
    assert "Hidden" not in page


@pytest.mark.django_db
def test_accounts_fills_the_account_menu_and_sign_out_is_a_form(client, volunteer):
    assert [(entry["name"], entry["method"]) for entry in account_menu_for(volunteer)] == [
        ("core:overview", "get"),
        ("accounts:password_change", "get"),
        ("accounts:two_factor_setup", "get"),
        ("accounts:api_tokens", "get"),
        ("accounts:logout", "post"),
    ]
    client.force_login(volunteer)
    page = client.get(reverse("core:overview")).content.decode()
    assert f'<form method="post" action="{reverse("accounts:logout")}">' in page
    assert 'data-testid="logout">ออกจากระบบ</button>' in page
    assert f'<a href="{reverse("accounts:api_tokens")}" data-testid="api_tokens">โทเคน API</a>' in page


def test_running_an_apps_ready_again_changes_no_menu_entry():
    # running the apps' ready() again (Django does when a test changes INSTALLED_APPS) is harmless
    from django.apps import apps

    before = menu_items()
    apps.get_app_config("households").ready()
    assert menu_items() == before


# The demo seeders


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


def test_an_installed_seeder_key_registered_again_is_refused():
    with pytest.raises(ImproperlyConfigured, match="households"):
        demo_seeder_register(DemoSeeder("households", nothing))


def test_a_seeder_runs_after_the_installed_ones_it_names_even_when_registered_first(extra_seeders):  # noqa: F811
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


# The household page's sections and the lists' badges


@pytest.fixture
def cases_section(plugin_templates):  # noqa: F811 - the fixture above
    """A pretend cases section and badge in the place of the installed cases app's, among the other apps'."""
    real = section_registry._sections.get("cases")  # the installed cases app's section, set aside meanwhile
    installed = [real] if real is not None else []
    for section in installed:
        section_unregister(section.key)
    section_register(HouseholdSection("cases", "Cases", "plugin/_household_section.html", cases_context, order=30))
    badge_register(HouseholdBadge("cases", "plugin/_household_badge.html", open_cases, order=30))
    yield
    section_unregister("cases")
    badge_unregister("cases")
    for section in installed:
        section_register(section)


def test_an_installed_section_or_badge_key_registered_again_is_refused():
    with pytest.raises(ImproperlyConfigured, match="assessments"):
        section_register(HouseholdSection("assessments", "Again", "x.html", cases_context))
    with pytest.raises(ImproperlyConfigured, match="assessments"):
        badge_register(HouseholdBadge("assessments", "x.html", open_cases))


@pytest.mark.django_db
def test_the_installed_sections_come_in_order_around_another_apps(volunteer, social_worker, cases_section):
    household = HouseholdFactory(area_code="92010101")
    assert [section.key for section, _context in sections_for(viewer=social_worker, household=household)] == [
        "assessments",
        "cases",
        "volunteers",
    ]
    assert [section.key for section, _context in sections_for(viewer=volunteer, household=household)] == [
        "assessments",
        "volunteers",
    ]


@pytest.mark.django_db
def test_another_apps_section_follows_the_assessments_on_the_household_page(
    client, social_worker, volunteer, cases_section
):
    # given a household and a pretend cases app's section
    household = HouseholdFactory(area_code="92010101")
    # when the social worker opens the household page
    client.force_login(social_worker)
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    # then the section is there, after the assessments' one, with its context and the household
    assert f'<p data-testid="plugin-section">open cases: 2 of household {household.pk}</p>' in page
    assert page.index('data-testid="assessments-section"') < page.index('data-testid="cases-section"')
    # and a viewer given no context does not see it
    client.force_login(volunteer)
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    assert 'data-testid="cases-section"' not in page
    assert 'data-testid="assessments-section"' in page


@pytest.mark.django_db
def test_the_installed_badges_for_a_list_page(volunteer, cases_section):
    first = HouseholdFactory(area_code="92010101")
    second = HouseholdFactory(area_code="92010101")
    volunteer.has_perm("assessments.view_assessment")  # the permissions are read once per request
    with CaptureQueriesContext(connection) as queries:
        badges = badges_for(viewer=volunteer, households=[first, second])
    # the assessments badge draws every household (None: not assessed), the cases one only those it has
    assert badges == {
        first.pk: [("assessments/_household_badges.html", None), ("plugin/_household_badge.html", 2)],
        second.pk: [("assessments/_household_badges.html", None)],
    }
    assert len(queries) == 2  # the assessments' one query and the volunteers' one; the pretend app asks none
    assert badges_for(viewer=volunteer, households=[]) == {}


@pytest.mark.django_db
def test_another_apps_badge_is_on_the_list_beside_the_assessments(client, volunteer, cases_section):
    household = HouseholdFactory(area_code="92010101", volunteer=volunteer)
    client.force_login(volunteer)
    page = client.get(reverse("households:household_list")).content.decode()
    assert f'<span data-testid="plugin-badge">cases 2 for {household.pk}</span>' in page
    assert "Not assessed yet" in page or "ยังไม่ได้ประเมิน" in page


# The household timeline's kinds


def test_each_app_registers_the_kinds_it_writes():
    assert timeline_kind_get("assessment_submitted").permission == "assessments.view_assessment"
    assert timeline_kind_get("incident_reported").permission == "incidents.view_incident"
    assert all(timeline_kind_get(kind) is not None for kind in EventKind.values)
    # the kinds of higher apps are theirs to register
    assert timeline_kind_get("case_opened").permission == "cases.view_case"


def test_an_installed_kind_registered_again_is_refused():
    with pytest.raises(ImproperlyConfigured, match="assessment_submitted"):
        timeline_kind_register(TimelineKind("assessment_submitted", "again"))


# The roles


@pytest.mark.django_db
def test_a_migrated_database_gives_analysts_the_reports_aggregates_and_nothing_personal():
    # accounts names no higher app: the reports app grants its permission, synced after the last app migrated
    analysts = Group.objects.get(name=Role.ANALYST)
    assert analysts.permissions.filter(content_type__app_label="reports", codename="view_aggregates").exists()
    assert not analysts.permissions.filter(content_type__app_label__in=["households", "cases"]).exists()
