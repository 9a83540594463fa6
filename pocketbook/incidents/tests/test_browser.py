"""A real Chromium: a LINE report shows on the operator board within 5 s, with its map marker, with no tiles;
a hotline call is logged in well under a minute; a responder finishes an assignment on a phone."""

import time

import pytest

from pocketbook.core.tests.browser import shot, sign_in
from pocketbook.incidents import services
from pocketbook.incidents.choices import Status
from pocketbook.incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_line_report_shows_on_the_board_within_five_seconds(browser_page, ess_operator, district_unit, settings):
    # given tiles that cannot load (no network): the page must still work
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    page = browser_page
    sign_in(page, "operator")
    page.goto("/ess/")
    page.wait_for_selector("[data-testid=board-list]")
    assert page.locator("[data-testid=incident-card]").count() == 0
    # when a LINE report arrives
    incident = services.incident_open(incident_type="unknown", channel="line", latitude=7.5563, longitude=99.6114)
    started = time.monotonic()
    page.wait_for_selector(f"text={incident.number}", timeout=5_000)
    # then
    assert time.monotonic() - started < 5
    page.wait_for_function("document.getElementById('ess-map').dataset.markers === '1'", timeout=3_000)
    # without tiles the map says so and adds a circle for the subdistrict beside the marker
    page.wait_for_function("document.getElementById('ess-map').dataset.areas === '1'", timeout=8_000)
    assert page.locator(".leaflet-interactive").count() == 2
    assert page.locator(".map__notice").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "ess-board-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "ess-board-1280")


def test_a_hotline_call_is_logged_in_well_under_a_minute(browser_page, ess_operator, district_unit):
    page = browser_page
    sign_in(page, "operator")
    started = time.monotonic()
    page.goto("/ess/hotline/")
    page.select_option("select[name=incident_type]", "domestic_violence")
    page.fill("input[name=caller_name]", "นางสมใจ")
    page.fill("input[name=caller_phone]", "0812345678")
    page.wait_for_selector(".area-picker__levels select")
    page.fill(".area-picker__search", "ทับเที่ยง")
    page.click(".area-picker__result >> nth=0")
    page.fill("textarea[name=description]", "สามีเมาสุราทำร้ายร่างกาย")
    shot(page, "ess-hotline-360")
    page.click("[data-testid=hotline-submit]")
    page.wait_for_selector("[data-testid=incident-number]")
    assert time.monotonic() - started < 60
    incident = Incident.objects.get()
    assert (incident.area_code, incident.unit, incident.channel) == ("920101", district_unit, "hotline")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "ess-incident-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "ess-incident-1280")


def test_a_responder_accepts_arrives_and_finishes_on_a_phone(browser_page, ess_operator, unit_responder):
    incident = services.incident_open(incident_type="assault", channel="line", area_code="920101")
    services.incident_dispatch(incident=incident, responders=[unit_responder], actor=ess_operator)
    page = browser_page
    sign_in(page, "responder")
    page.goto("/ess/assignments/")
    page.click("[data-testid=assignment]")
    page.click("[data-testid=accept]")
    page.click("[data-testid=on-scene]")
    shot(page, "ess-assignment-360")
    page.fill("textarea[name=outcome]", "แยกคู่กรณีแล้ว ผู้เสียหายปลอดภัย")
    page.click("[data-testid=complete]")
    page.wait_for_selector("text=ขณะนี้ไม่มีงานที่ได้รับมอบหมาย")
    incident.refresh_from_db()
    assert (incident.status, incident.outcome) == (Status.RESOLVED, "แยกคู่กรณีแล้ว ผู้เสียหายปลอดภัย")
