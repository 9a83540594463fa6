"""A real Chromium: the manager reads the ESS dashboard and the map on a phone (no tiles) and on a desktop."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pocketbook.core.tests.browser import shot, sign_in
from pocketbook.households.tests.factories import HouseholdFactory
from pocketbook.incidents import services as incident_services
from pocketbook.reports import household_counts, places

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trang(ess_operator):
    """Households with points in two subdistricts and a dozen incidents of several types and channels."""
    for index in range(6):
        HouseholdFactory(
            area_code="92010101" if index % 2 else "92010401",
            gps_lat=Decimal("7.55") + Decimal(index) / 100,
            gps_lng=Decimal("99.60") + Decimal(index) / 100,
        )
    places.rebuild()
    household_counts.rebuild_households()
    kinds = [("assault", "line"), ("elderly", "hotline"), ("drugs", "hotline"), ("unknown", "line")]
    for index in range(12):
        incident_type, channel = kinds[index % 4]
        incident = incident_services.incident_open(
            incident_type=incident_type,
            channel=channel,
            area_code="920101" if index % 3 else "920201",
            latitude=7.5 + index / 100,
            longitude=99.6 + index / 100,
        )
        if index % 2:
            incident_services.incident_acknowledge(incident=incident, actor=ess_operator)


def test_the_manager_reads_the_ess_dashboard_and_the_map_without_tiles(browser_page, manager, trang, settings):
    # given tiles that cannot load
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    page = browser_page
    sign_in(page, "mgr")
    # when
    page.goto("/reports/ess/")
    # then
    assert page.locator("[data-testid=received]").inner_text() == "12"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "reports-ess-360")
    # when
    page.goto("/reports/map/?area=92")
    page.wait_for_function("() => document.getElementById('rp-map').dataset.tiles === 'failed'", timeout=10_000)
    page.wait_for_function("() => document.getElementById('rp-map').dataset.points !== undefined", timeout=5_000)
    assert page.locator("#rp-map").get_attribute("data-points") == "18"  # 6 households, 12 incidents
    # then
    assert page.locator(".map__notice").is_visible()
    assert page.locator("[data-testid=svg-map] circle").count() == 1  # one district with households' points
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "reports-map-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/reports/ess/")
    shot(page, "reports-ess-1280")
    page.goto("/reports/map/?area=9201")
    page.wait_for_function("() => document.getElementById('rp-map').dataset.tiles === 'failed'", timeout=10_000)
    assert page.locator("[data-testid=svg-map] circle").count() == 2
    shot(page, "reports-map-1280")
    for section in ("help", "volunteers"):
        page.goto(f"/reports/{section}/")
        shot(page, f"reports-{section}-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    for section in ("help", "volunteers"):
        page.goto(f"/reports/{section}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"reports-{section}-360")
