"""The menu registry: each app registers its entries; the menu shows those the user may use, in order.

These tests register a pretend app's entries into an otherwise empty menu; the installed apps' own entries are
the project's wiring (tests/test_wiring.py).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from pocketbook.core import menu
from pocketbook.core.menu import MenuItem, account_menu_for, menu_for, menu_items, menu_register
from pocketbook.core.tests.plugin import extra_item  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def pretend_menu():
    """Only the pretend app's entries, meanwhile: the installed apps' are set aside and put back afterwards."""
    with menu._items.set_aside(), menu._account_items.set_aside():
        yield


def test_entries_come_by_order_then_by_url_name(pretend_menu):
    menu_register(MenuItem("core:overview", "Overview", order=20))
    menu_register(MenuItem("core:home", "Home", order=1))
    menu_register(MenuItem("core:about", "About", order=20))
    assert [item.url_name for item in menu_items()] == ["core:home", "core:about", "core:overview"]


def test_a_url_name_registered_twice_is_refused(pretend_menu):
    menu_register(MenuItem("core:about", "About"))
    with pytest.raises(ImproperlyConfigured, match="core:about"):
        menu_register(MenuItem("core:about", "again"))
    assert [item.label for item in menu_items()] == ["About"]


def test_the_menu_shows_only_what_the_user_may_use(pretend_menu, volunteer, ess_operator):
    menu_register(MenuItem("core:home", "Home", order=1))
    menu_register(MenuItem("core:about", "Households", "households.view_household", order=10))
    menu_register(MenuItem("core:overview", "Board", "incidents.view_incident", order=20))
    assert [entry["name"] for entry in menu_for(volunteer)] == ["core:home", "core:about"]
    assert [entry["name"] for entry in menu_for(ess_operator)] == ["core:home", "core:overview"]


def test_an_entry_registered_by_another_app_appears_in_place_with_its_count(client, volunteer, pretend_menu):
    # given a menu of two entries, and an app that adds one between them with a count, and one needing a permission
    menu_register(MenuItem("core:home", "Home", order=1))
    menu_register(MenuItem("core:overview", "Overview", order=20))
    menu_register(
        MenuItem("core:about", "Overdue visits", "households.view_household", "!", order=15, count=lambda u: 3)
    )
    menu_register(MenuItem("core:date_understood", "Hidden", "audit.view_objectchange", order=16))
    # when the volunteer opens a page
    client.force_login(volunteer)
    page = client.get(reverse("core:overview")).content.decode()
    # then the entry is there, between the two, with its number; the one needing a permission is not
    names = [entry["name"] for entry in menu_for(volunteer)]
    assert names == ["core:home", "core:about", "core:overview"]
    assert menu_for(volunteer)[1] == {
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


def test_an_entry_whose_url_does_not_resolve_is_left_out(volunteer, extra_item):  # noqa: F811 - the fixture above
    extra_item(MenuItem("nowhere:page", "Nowhere"))
    assert "nowhere:page" not in [entry["name"] for entry in menu_for(volunteer)]


def test_an_account_menu_entry_may_be_a_form(client, volunteer, pretend_menu):
    menu.account_menu_register(MenuItem("core:overview", "Overview", order=1))
    menu.account_menu_register(MenuItem("accounts:logout", "Leave", order=90, method="post"))
    assert [(entry["name"], entry["method"]) for entry in account_menu_for(volunteer)] == [
        ("core:overview", "get"),
        ("accounts:logout", "post"),
    ]
    client.force_login(volunteer)
    page = client.get(reverse("core:overview")).content.decode()
    assert f'<form method="post" action="{reverse("accounts:logout")}">' in page
    assert 'data-testid="logout">Leave</button>' in page


def test_the_same_entry_registered_again_changes_nothing(pretend_menu):
    item = MenuItem("core:about", "About", order=10)
    menu_register(item)
    before = menu_items()
    menu_register(item)
    assert menu_items() == before == [item]
