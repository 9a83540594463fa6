"""What other apps add to incidents: buttons on the incident page, listeners of changes, the household timeline."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from pocketbook.households.models import HouseholdEvent
from pocketbook.households.selectors import household_timeline
from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.incidents import services
from pocketbook.incidents.choices import Status
from pocketbook.incidents.extensions import (
    IncidentAction,
    incident_action_register,
    incident_action_unregister,
    incident_actions_for,
    incident_changed_register,
    incident_changed_unregister,
)

pytestmark = pytest.mark.django_db


def case_open_url(viewer, incident):
    """A pretend cases app: offers "Open a case" for an incident with a household, to managers."""
    if incident.household_id is None or not viewer.has_role("manager"):
        return None
    return f"/cases/new?incident={incident.pk}"


@pytest.fixture
def open_case_action():
    incident_action_register(IncidentAction("open_case", "Open a case", case_open_url, order=10))
    incident_action_register(IncidentAction("print", "Print", lambda viewer, incident: "/print", order=5))
    yield
    incident_action_unregister("open_case")
    incident_action_unregister("print")


@pytest.fixture
def changes():
    """A listener for one test; the list collects (number, status) of each change it is told."""
    seen: list[tuple[str, str]] = []

    def listener(incident) -> None:
        seen.append((incident.number, incident.status))

    incident_changed_register(listener)
    yield seen
    incident_changed_unregister(listener)


def test_an_action_registered_twice_is_refused(open_case_action):
    with pytest.raises(ImproperlyConfigured, match="open_case"):
        incident_action_register(IncidentAction("open_case", "again", case_open_url))


def test_a_listener_registered_twice_is_told_once():
    numbers: list[str] = []

    def listener(incident) -> None:
        numbers.append(incident.number)

    incident_changed_register(listener)
    incident_changed_register(listener)  # as when an app's ready() runs again
    try:
        incident = services.incident_open(incident_type="elderly", channel="hotline", area_code="920101")
    finally:
        incident_changed_unregister(listener)
    assert numbers == [incident.number]


def test_actions_are_offered_in_order_to_the_viewers_given_a_url(manager, ess_operator, open_case_action):
    household = HouseholdFactory(area_code="92010101")
    incident = services.incident_open(incident_type="elderly", channel="hotline", area_code="920101")
    assert incident_actions_for(viewer=manager, incident=incident) == [
        {"key": "print", "label": "Print", "url": "/print"}
    ]
    incident.household = household
    assert incident_actions_for(viewer=manager, incident=incident) == [
        {"key": "print", "label": "Print", "url": "/print"},
        {"key": "open_case", "label": "Open a case", "url": f"/cases/new?incident={incident.pk}"},
    ]
    assert [a["key"] for a in incident_actions_for(viewer=ess_operator, incident=incident)] == ["print"]


def test_an_action_registered_by_another_app_is_a_button_on_the_incident_page(client, manager, open_case_action):
    household = HouseholdFactory(area_code="92010101")
    incident = services.incident_open(incident_type="elderly", channel="hotline", area_code="920101")
    services.incident_household_link(incident=incident, household=household, actor=manager)
    client.force_login(manager)
    page = client.get(reverse("incidents:incident_detail", args=[incident.pk])).content.decode()
    assert (
        f'<a class="button button--secondary" href="/cases/new?incident={incident.pk}" data-testid="action-open_case">'
        "Open a case</a>" in page
    )
    assert page.index('data-testid="action-print"') < page.index('data-testid="action-open_case"')


def test_listeners_are_told_when_an_incident_opens_and_changes_status(ess_operator, changes):
    incident = services.incident_open(incident_type="elderly", channel="hotline", area_code="920101")
    services.incident_acknowledge(incident=incident, actor=ess_operator)
    services.incident_note_add(incident=incident, text="called back", actor=ess_operator)  # not a status change
    assert changes == [(incident.number, Status.RECEIVED), (incident.number, Status.ACKNOWLEDGED)]


def test_linking_a_household_puts_the_incident_on_its_timeline_for_those_who_see_incidents(manager, volunteer):
    # given an incident linked by a manager to a household
    household = HouseholdFactory(area_code="92010101")
    incident = services.incident_open(incident_type="elderly", channel="hotline", area_code="920101")
    services.incident_household_link(incident=incident, household=household, actor=manager)
    # then the household's timeline has the entry (ids only)
    event = HouseholdEvent.objects.get(household=household, kind="incident_reported")
    assert event.params == {"incident_id": incident.pk, "incident_type": "elderly"}
    assert event.actor == manager
    # the manager sees it; the volunteer, who sees no incidents, does not
    assert [e.kind for e in household_timeline(viewer=manager, household=household)] == ["incident_reported"]
    assert household_timeline(viewer=volunteer, household=household) == []
    # and unlinking writes nothing more
    services.incident_household_link(incident=incident, household=None, actor=manager)
    assert HouseholdEvent.objects.filter(household=household).count() == 1
