"""Sections of the household page and badges of the lists, registered by other apps."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pocketbook.core.tests.plugin import plugin_templates  # noqa: F401 - a fixture
from pocketbook.households import sections as section_registry
from pocketbook.households.sections import (
    HouseholdAction,
    HouseholdBadge,
    HouseholdSection,
    badge_register,
    badge_unregister,
    badges_for,
    household_action_register,
    household_action_unregister,
    household_actions_for,
    section_register,
    section_unregister,
    sections_for,
)
from pocketbook.households.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def cases_context(viewer, household):
    """A pretend cases app: shows its section to social workers only."""
    if not viewer.has_role("social_worker"):
        return None
    return {"title": "Cases", "count": 2}


def open_cases(viewer, households):
    """Two open cases for the first household of the page, none for the others."""
    return {households[0].pk: 2}


@pytest.fixture
def cases_section(plugin_templates):  # noqa: F811 - the fixture above
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


def test_a_key_registered_twice_is_refused():
    with pytest.raises(ImproperlyConfigured, match="assessments"):
        section_register(HouseholdSection("assessments", "Again", "x.html", cases_context))
    with pytest.raises(ImproperlyConfigured, match="assessments"):
        badge_register(HouseholdBadge("assessments", "x.html", open_cases))


def test_sections_come_in_order_and_only_for_viewers_given_a_context(volunteer, social_worker, cases_section):
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


def test_a_section_registered_by_another_app_is_on_the_household_page(client, social_worker, volunteer, cases_section):
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


def test_badges_for_a_list_page(volunteer, cases_section):
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


def test_a_badge_registered_by_another_app_is_on_the_list(client, volunteer, cases_section):
    household = HouseholdFactory(area_code="92010101", volunteer=volunteer)
    client.force_login(volunteer)
    page = client.get(reverse("households:household_list")).content.decode()
    assert f'<span data-testid="plugin-badge">cases 2 for {household.pk}</span>' in page
    assert "Not assessed yet" in page or "ยังไม่ได้ประเมิน" in page


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
