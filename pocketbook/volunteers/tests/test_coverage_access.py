"""The coverage selector reads through the one access gate: other provinces and viewers without it see nothing."""

from __future__ import annotations

import pytest

from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.volunteers import selectors, services
from pocketbook.volunteers.models import CoverageCount
from pocketbook.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def _figures(viewer, area_code=""):
    rows, total = selectors.coverage(viewer=viewer, area_code=area_code, names=False)
    return [(r.area_code, r.households, r.with_volunteer, r.volunteers) for r in rows], (
        total.households,
        total.with_volunteer,
        total.volunteers,
    )


@pytest.fixture
def covered(social_worker):
    """Two households of village 92010101 (one refreshed, one registered after), one with a volunteer."""
    volunteer = VolunteerFactory(areas=["92010101"])
    first = HouseholdFactory(area_code="92010101")
    services.coverage_refresh()
    HouseholdFactory(area_code="92010101")
    services.households_assign(household_ids=[first.pk], volunteer=volunteer, actor=social_worker)
    return volunteer


def test_the_area_s_social_worker_and_the_analyst_count_the_village(covered, social_worker, analyst):
    # when the social worker of the subdistrict and an analyst of the province look at the coverage
    # then both count the two households, one of them with the volunteer
    assert _figures(social_worker) == ([("92010101", 2, 1, 1)], (2, 1, 1))
    assert _figures(analyst, "920101") == ([("92010101", 2, 1, 1)], (2, 1, 1))


def test_a_worker_of_another_province_counts_nothing_of_trang(covered, other_province_worker):
    # when a worker of another province asks for their own areas, then for Trang's subdistrict by its code
    # then neither shows a household, an assignment or a volunteer of Trang
    assert _figures(other_province_worker) == ([], (0, 0, 0))
    assert _figures(other_province_worker, "920101") == ([], (0, 0, 0))
    assert _figures(other_province_worker, "92") == ([], (0, 0, 0))


def test_a_viewer_without_the_coverage_right_counts_nothing_even_in_their_area(covered, volunteer):
    # given a volunteer (no coverage permission) of the very subdistrict, with counts kept for it
    assert CoverageCount.objects.filter(area_code="92010101").exists()
    # when they call the selector directly (not through the page, which refuses them)
    # then the scoped querysets give them nothing
    assert _figures(volunteer) == ([], (0, 0, 0))
    assert _figures(volunteer, "920101") == ([], (0, 0, 0))
