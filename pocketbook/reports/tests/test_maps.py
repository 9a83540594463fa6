"""The maps: areas' centres from the households' points, the SVG circles, the scoped points of the Leaflet map."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pocketbook.assessments.models import Assessment
from pocketbook.cases.tests.factories import make_assessment
from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.incidents import services as incident_services
from pocketbook.reports import household_counts, places
from pocketbook.reports.map_points import household_points, incident_points
from pocketbook.reports.svg_map import MapArea, circles_svg, share_colour

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def placed_households():
    """Two assessed households with a point in ทับเที่ยง (one failing two dimensions), one in นาพละ, one without."""
    failing = HouseholdFactory(area_code="92010101", gps_lat=Decimal("7.550000"), gps_lng=Decimal("99.600000"))
    passing = HouseholdFactory(area_code="92010102", gps_lat=Decimal("7.560000"), gps_lng=Decimal("99.620000"))
    make_assessment(failing, {"bmn-04": ("health", "fail")})
    Assessment.objects.filter(household=failing).update(
        failed_dimensions=2, dimension_results={"health": "fail", "income": "fail"}
    )
    make_assessment(passing, {"bmn-04": ("health", "pass")})
    HouseholdFactory(area_code="92010401", gps_lat=Decimal("7.500000"), gps_lng=Decimal("99.700000"))
    HouseholdFactory(area_code="92010401")
    places.rebuild()
    household_counts.rebuild_households()


def test_an_area_is_centred_on_its_households_points(placed_households):
    # when
    subdistricts = places.centres("9201", children=True)
    listed = places.place_list("9201", children=True)
    # then
    assert sorted(subdistricts) == ["920101", "920104"]
    assert (round(subdistricts["920101"].latitude, 6), round(subdistricts["920101"].longitude, 6)) == (7.555, 99.61)
    assert subdistricts["920101"].points == 2
    assert [(place.code, place.households, place.assessed, place.share_failing) for place in listed] == [
        ("920101", 2, 2, 0.5),
        ("920104", 2, 0, None),
    ]


def test_the_svg_map_draws_a_circle_per_placed_area_with_its_numbers_in_words(placed_households):
    # given
    centres = places.centres("9201", children=True)
    areas = [
        MapArea("920101", "ทับเที่ยง", centres["920101"], 120, 0.25, "120"),
        MapArea("920104", "นาพละ", centres["920104"], 3, None, "< 5"),
        MapArea("920105", "บางรัก", None, 40, 0.5, "40"),
    ]
    # when
    svg = str(circles_svg(areas, title="แผนที่"))
    # then
    assert svg.count("<circle") == 3  # บางรัก has no location yet: drawn in the band at the bottom
    assert "ทับเที่ยง: 120 households, 25% failing" in svg
    assert "นาพละ: &lt; 5 households, – failing" in svg
    assert 'data-area="920105"' in svg
    assert share_colour(0.25) == "#fcae91" and share_colour(1.0) == "#a50f15"


def test_without_any_location_every_area_is_still_drawn_in_a_grid():
    # given
    areas = [
        MapArea(f"92010{index}", f"ตำบล{index}", None, 10 * index, index / 10, str(10 * index))
        for index in range(1, 8)
    ]
    # when
    svg = str(circles_svg(areas, title="แผนที่"))
    # then
    assert svg.count("<circle") == 7
    assert "ตำบล7: 70 households, 70% failing" in svg


def test_points_go_only_to_viewers_who_may_see_the_records(placed_households, social_worker, analyst, ess_operator):
    # given
    incident_services.incident_open(
        incident_type="assault", channel="line", area_code="920101", latitude=7.55, longitude=99.6
    )
    # when
    worker_points, _truncated = household_points(viewer=social_worker, area_code="92")
    analyst_points, _ = household_points(viewer=analyst, area_code="92")
    operator_incidents, _ = incident_points(viewer=ess_operator, area_code="92")
    analyst_incidents, _ = incident_points(viewer=analyst, area_code="92")
    # then
    assert sorted(worker_points) == [[7.55, 99.6, 2], [7.56, 99.62, 0]]  # ทับเที่ยง only, with failed dimensions
    assert analyst_points == [] and analyst_incidents == []
    assert [point[2] for point in operator_incidents] == ["received"]


def test_points_stop_at_the_limit_and_say_so(placed_households, manager):
    # when
    points, truncated = household_points(viewer=manager, area_code="92", limit=2)
    # then
    assert (len(points), truncated) == (2, True)
