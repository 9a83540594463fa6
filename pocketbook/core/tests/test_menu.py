"""The menu registry: each app registers its entries; the menu shows those the user may use, in order."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from pocketbook.core.menu import MenuItem, menu_for, menu_items, menu_register, menu_unregister

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_item():
    """An entry a test app registers, removed again afterwards."""
    registered: list[str] = []

    def register(item: MenuItem) -> MenuItem:
        menu_register(item)
        registered.append(item.url_name)
        return item

    yield register
    for url_name in registered:
        menu_unregister(url_name)


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


def test_a_url_name_registered_twice_is_refused():
    with pytest.raises(ImproperlyConfigured, match="households:household_list"):
        menu_register(MenuItem("households:household_list", "again"))


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


def test_an_entry_registered_by_another_app_appears_in_place_with_its_count(client, volunteer, extra_item):
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


def test_an_entry_whose_url_does_not_resolve_is_left_out(volunteer, extra_item):
    extra_item(MenuItem("nowhere:page", "Nowhere"))
    assert "nowhere:page" not in [entry["name"] for entry in menu_for(volunteer)]


def test_accounts_fills_the_account_menu_and_sign_out_is_a_form(client, volunteer):
    from pocketbook.core.menu import account_menu_for

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


def test_the_same_entry_registered_again_changes_nothing():
    # running the apps' ready() again (Django does when a test changes INSTALLED_APPS) is harmless
    from django.apps import apps

    before = menu_items()
    apps.get_app_config("households").ready()
    assert menu_items() == before
