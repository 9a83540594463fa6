"""Sections of the household page and badges of the lists, registered by other apps.

These tests register pretend apps' sections and badges into otherwise empty registries; the installed apps'
own are the project's wiring (tests/test_wiring.py).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pocketbook.core.tests.plugin import cases_context, open_cases, plugin_templates  # noqa: F401 - a fixture
from pocketbook.households import sections as section_registry
from pocketbook.households.sections import (
    HouseholdAction,
    HouseholdBadge,
    HouseholdSection,
    badge_register,
    badges_for,
    household_action_register,
    household_action_unregister,
    household_actions_for,
    section_register,
    sections_for,
)
from pocketbook.households.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def notes_context(viewer, household):
    """A pretend notes app: shows its section to everyone."""
    return {"title": "Notes", "count": 1}


def no_notes(viewer, households):
    """Notes for no household: drawn for every one all the same (render_missing)."""
    return {}


@pytest.fixture
def cases_section(plugin_templates):  # noqa: F811 - the fixture above
    """Only the pretend apps' sections and badges, meanwhile: notes (order 10), cases (30) and later notes (50)."""
    with section_registry._sections.set_aside(), section_registry._badges.set_aside():
        section_register(HouseholdSection("notes", "Notes", "plugin/_household_section.html", notes_context, order=10))
        section_register(HouseholdSection("cases", "Cases", "plugin/_household_section.html", cases_context, order=30))
        section_register(HouseholdSection("later", "Later", "plugin/_household_section.html", notes_context, order=50))
        badge_register(HouseholdBadge("notes", "plugin/_notes_badge.html", no_notes, order=10, render_missing=True))
        badge_register(HouseholdBadge("cases", "plugin/_household_badge.html", open_cases, order=30))
        yield


def test_a_key_registered_twice_is_refused(cases_section):
    with pytest.raises(ImproperlyConfigured, match="notes"):
        section_register(HouseholdSection("notes", "Again", "x.html", cases_context))
    with pytest.raises(ImproperlyConfigured, match="notes"):
        badge_register(HouseholdBadge("notes", "x.html", open_cases))


def test_sections_come_in_order_and_only_for_viewers_given_a_context(volunteer, social_worker, cases_section):
    household = HouseholdFactory(area_code="92010101")
    assert [section.key for section, _context in sections_for(viewer=social_worker, household=household)] == [
        "notes",
        "cases",
        "later",
    ]
    assert [section.key for section, _context in sections_for(viewer=volunteer, household=household)] == [
        "notes",
        "later",
    ]


def test_a_section_registered_by_another_app_is_on_the_household_page(client, social_worker, volunteer, cases_section):
    # given a household and a pretend cases app's section
    household = HouseholdFactory(area_code="92010101")
    # when the social worker opens the household page
    client.force_login(social_worker)
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    # then the section is there, after the notes' one, with its context and the household
    assert f'<p data-testid="plugin-section">open cases: 2 of household {household.pk}</p>' in page
    assert page.index('data-testid="notes-section"') < page.index('data-testid="cases-section"')
    # and a viewer given no context does not see it
    client.force_login(volunteer)
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    assert 'data-testid="cases-section"' not in page
    assert 'data-testid="notes-section"' in page


def test_badges_for_a_list_page(volunteer, cases_section):
    first = HouseholdFactory(area_code="92010101")
    second = HouseholdFactory(area_code="92010101")
    with CaptureQueriesContext(connection) as queries:
        badges = badges_for(viewer=volunteer, households=[first, second])
    # the notes badge draws every household (None: nothing for it), the cases one only those it has
    assert badges == {
        first.pk: [("plugin/_notes_badge.html", None), ("plugin/_household_badge.html", 2)],
        second.pk: [("plugin/_notes_badge.html", None)],
    }
    assert len(queries) == 0  # the pretend apps ask none: badges_for adds no query of its own
    assert badges_for(viewer=volunteer, households=[]) == {}


def test_a_badge_registered_by_another_app_is_on_the_list(client, volunteer, cases_section):
    household = HouseholdFactory(area_code="92010101", volunteer=volunteer)
    client.force_login(volunteer)
    page = client.get(reverse("households:household_list")).content.decode()
    assert f'<span data-testid="plugin-badge">cases 2 for {household.pk}</span>' in page
    assert f'<span data-testid="plugin-notes-badge">no notes for {household.pk}</span>' in page


def letter_url(viewer, household):
    """A pretend app's action: a letter for social workers only."""
    return f"/pretend/letter/{household.pk}/" if viewer.has_role("social_worker") else None


@pytest.fixture
def letter_action():
    household_action_register(HouseholdAction("pretend_letter", "Write a letter", letter_url, order=5))
    yield
    household_action_unregister("pretend_letter")


def test_an_action_registered_twice_under_its_key_is_refused(letter_action):
    with pytest.raises(ImproperlyConfigured, match="pretend_letter"):
        household_action_register(HouseholdAction("pretend_letter", "Other", lambda viewer, household: None))


def test_an_action_of_another_app_is_a_button_on_the_household_page_for_the_viewers_it_offers(
    client, social_worker, volunteer, letter_action
):
    # given a household and a pretend app's action offered to social workers
    household = HouseholdFactory(area_code="92010101")
    # when the social worker opens the household page
    client.force_login(social_worker)
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    # then the button leads to the app's page, before the installed apps' actions (order 5)
    assert household_actions_for(viewer=social_worker, household=household)[0] == {
        "key": "pretend_letter",
        "label": "Write a letter",
        "url": f"/pretend/letter/{household.pk}/",
    }
    assert f'href="/pretend/letter/{household.pk}/" data-testid="action-pretend_letter">Write a letter</a>' in page
    # and a viewer it is not offered to does not see it
    client.force_login(volunteer)
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    assert 'data-testid="action-pretend_letter"' not in page
