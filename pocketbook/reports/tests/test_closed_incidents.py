"""The closed-incident search: scoped, filtered, paged by cursor."""

from __future__ import annotations

import pytest

from pocketbook.incidents import services
from pocketbook.reports.closed_incidents import ClosedIncidentFilters, closed_incident_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(ess_operator):
    """Three closed incidents in อ.เมืองตรัง, one in อ.กันตัง, and one still open."""
    numbers = []
    for area, incident_type in (
        ("920101", "assault"),
        ("920104", "elderly"),
        ("920101", "drugs"),
        ("920201", "drugs"),
    ):
        incident = services.incident_open(incident_type=incident_type, channel="hotline", area_code=area)
        services.incident_status_change(incident=incident, status="false_alarm", actor=ess_operator)
        numbers.append(incident.number)
    services.incident_open(incident_type="assault", channel="line", area_code="920101")
    return numbers


def test_pages_follow_the_cursor_newest_closed_first(closed, ess_operator):
    # when
    first = closed_incident_page(viewer=ess_operator, filters={}, page_size=3)
    second = closed_incident_page(viewer=ess_operator, filters={}, cursor=first.next_cursor, page_size=3)
    # then
    assert [incident.number for incident in first.incidents] == closed[::-1][:3]
    assert [incident.number for incident in second.incidents] == closed[:1]
    assert second.next_cursor == ""


def test_filters_narrow_by_type_and_area(closed, ess_operator):
    # given
    form = ClosedIncidentFilters({"incident_type": "drugs", "area": "9201"})
    assert form.is_valid()
    # when
    page = closed_incident_page(viewer=ess_operator, filters=form.cleaned_data)
    # then
    assert [incident.number for incident in page.incidents] == [closed[2]]


def test_an_operator_of_another_district_sees_only_theirs(closed, district_neighbour_operator):
    # when
    page = closed_incident_page(viewer=district_neighbour_operator, filters={})
    # then
    assert [incident.number for incident in page.incidents] == [closed[3]]


def test_a_broken_cursor_starts_from_the_top_and_a_bad_area_is_refused(closed, ess_operator):
    # when
    page = closed_incident_page(viewer=ess_operator, filters={}, cursor="yesterday~x")
    form = ClosedIncidentFilters({"area": "9"})
    # then
    assert len(page.incidents) == 4
    assert not form.is_valid() and list(form.errors) == ["area"]
