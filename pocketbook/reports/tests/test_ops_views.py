"""Access to the Help, ESS, Volunteers and Map pages, the closed-incident search and the map's points.

Anonymous visitors sign in first; a role without reports is refused; an area outside the viewer's is 404;
the analyst sees aggregates with small counts as "< 5" and never a name, number or address.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.audit.models import ObjectChange
from pocketbook.reports.models import Tally

pytestmark = pytest.mark.django_db

DASHBOARDS = ["reports:help", "reports:ess", "reports:volunteers", "reports:map", "reports:map_points"]


@pytest.mark.parametrize("name", [*DASHBOARDS, "reports:ess_closed"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, name):
    # when
    response = client.get(reverse(name))
    # then
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", [*DASHBOARDS, "reports:ess_closed"])
def test_a_volunteer_is_refused_and_nothing_is_written(client, volunteer, name):
    # given
    client.force_login(volunteer)
    # when
    response = client.get(reverse(name))
    # then
    assert response.status_code == 403
    assert (Tally.objects.count(), ObjectChange.objects.count()) == (0, 0)


@pytest.mark.parametrize("name", DASHBOARDS)
def test_an_area_outside_the_viewers_is_not_found(client, other_province_worker, analyst, name):
    # given
    client.force_login(analyst)
    # when
    outside = client.get(reverse(name), {"area": "50"})
    malformed = client.get(reverse(name), {"area": "9x"})
    # then
    assert (outside.status_code, malformed.status_code) == (404, 404)


@pytest.mark.parametrize("name", DASHBOARDS)
def test_the_manager_of_the_province_sees_each_page(client, manager, incidents, name):
    # given
    client.force_login(manager)
    # when
    response = client.get(reverse(name), {"area": "9201"})
    # then
    assert response.status_code == 200


def test_the_analyst_sees_small_counts_as_less_than_five_and_no_personal_data(client, analyst, incidents):
    # given
    client.force_login(analyst)
    # when
    response = client.get(reverse("reports:ess"), {"area": "92", "year": "2570"})
    points = client.get(reverse("reports:map_points"), {"area": "92"})
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="open">&lt; 5<' in page
    for personal in ("สมใจ", "ถนนลับ", incidents[1].number):
        assert personal not in page
    assert points.json() == {"households": [], "incidents": [], "truncated": False}


def test_the_manager_sees_exact_counts_and_the_operator_finds_the_closed_incident(
    client, manager, ess_operator, incidents
):
    # given
    client.force_login(manager)
    dashboard = client.get(reverse("reports:ess"), {"year": "2570"})
    client.force_login(ess_operator)
    # when
    search = client.get(reverse("reports:ess_closed"), {"incident_type": "assault"})
    refused = client.get(reverse("reports:ess"))
    # then
    assert 'data-testid="open">2<' in dashboard.content.decode()
    found = search.content.decode()
    assert incidents[0].number in found and incidents[1].number not in found
    assert refused.status_code == 403  # the dashboards are for reports' viewers; the search is the operator's


def test_a_bad_filter_or_cursor_never_gives_an_error_page(client, ess_operator, manager, incidents):
    # given
    client.force_login(ess_operator)
    # when
    response = client.get(reverse("reports:ess_closed"), {"area": "abc", "closed_from": "31/02/2569", "cursor": "x"})
    client.force_login(manager)
    year = client.get(reverse("reports:ess"), {"year": "not-a-year"})
    # then
    assert (response.status_code, year.status_code) == (200, 200)
    assert "รหัสพื้นที่มี 2, 4, 6 หรือ 8 หลัก" in response.content.decode()
