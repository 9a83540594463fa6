"""The shell every page shares: language, menus by role, errors, headers, health, date feedback."""

import re

import pytest
from django import forms

pytestmark = pytest.mark.django_db


def test_thai_is_the_default_and_english_is_one_click_away(client, volunteer):
    client.force_login(volunteer)
    thai = client.get("/overview/")
    assert '<html lang="th">' in thai.content.decode()
    assert "พื้นที่รับผิดชอบของคุณ" in thai.content.decode()
    # when
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/overview/"}, follow=True)
    # then
    assert '<html lang="en">' in switched.content.decode()
    assert "Your areas" in switched.content.decode()


def test_the_home_page_shows_the_date_in_the_buddhist_era(client, volunteer):
    from django.utils import timezone

    from pocketbook.core.dates import THAI_MONTHS

    client.force_login(volunteer)
    today = timezone.localdate()
    expected = f"{today.day} {THAI_MONTHS[today.month - 1]} {today.year + 543}"
    assert expected in client.get("/overview/").content.decode()


def test_the_menu_shows_only_what_the_role_may_use(client, volunteer, administrator, analyst):
    client.force_login(volunteer)
    volunteer_page = client.get("/overview/").content.decode()
    assert "/areas/villages/" in volunteer_page
    assert 'href="/admin/"' not in volunteer_page
    client.force_login(administrator)
    assert 'href="/admin/"' in client.get("/overview/").content.decode()
    client.force_login(analyst)
    assert "/areas/villages/" not in client.get("/overview/").content.decode()


def test_every_response_has_a_request_id_and_safe_headers(client):
    response = client.get("/about/")
    assert len(response["X-Request-ID"]) == 32
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/about/", HTTP_X_REQUEST_ID="from-proxy-123")["X-Request-ID"] == "from-proxy-123"
    assert client.get("/about/", HTTP_X_REQUEST_ID="bad id!")["X-Request-ID"] != "bad id!"


def test_the_about_page_credits_geothai(client):
    page = client.get("/about/").content.decode()
    assert "GeoThai" in page and "CC BY 4.0" in page


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_unknown_pages_get_a_thai_404(client, volunteer, settings):
    settings.DEBUG = False
    client.force_login(volunteer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2/6/2566", "2 มิถุนายน 2566 (ปี พ.ศ.)"),
        ("2/6/2023", "2 มิถุนายน 2566 (อ่านจากปี ค.ศ. 2023)"),
        ("1/1/1967", "1 มกราคม 2510 (อ่านจากปี ค.ศ. 1967)"),
        ("31/2/2566", "ไม่มีวันนี้"),
    ],
)
def test_date_inputs_say_how_they_were_understood(client, volunteer, typed, expected):
    client.force_login(volunteer)
    response = client.post("/dates/understood/", {"birth_date": typed})
    assert expected in response.content.decode()


def test_date_feedback_in_english(client, volunteer):
    client.force_login(volunteer)
    client.cookies["pocketbook_language"] = "en"
    response = client.post("/dates/understood/", {"value": "2/6/2566"})
    assert "2 June 2023 (Buddhist Era year)" in response.content.decode()


def test_the_request_id_reaches_the_log_lines_of_the_request(client, caplog):
    from pocketbook.core.middleware import RequestIdLogFilter

    caplog.handler.addFilter(RequestIdLogFilter())
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-me-12345")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.request_id == "trace-me-12345" for r in records)


@pytest.mark.parametrize(
    ("rules", "typed", "refusal"),
    [
        ({"past_only": "1"}, "1/1/2600", "เป็นวันในอนาคต"),
        ({"past_only": "1"}, "1/1/2057", "เป็นวันในอนาคต"),
        ({"oldest_years": "120"}, "1/1/2400", "ไม่ใช่ปี พ.ศ."),
        ({"oldest_years": "120"}, "1/1/1901", "ย้อนหลังเกิน 120 ปี"),
    ],
)
def test_the_date_read_back_refuses_what_saving_refuses(client, volunteer, rules, typed, refusal):
    # given a birth date field: not in the future, at most 120 years ago
    client.force_login(volunteer)

    # when
    response = client.post("/dates/understood/", {"birth_date": typed, **rules})

    # then
    page = response.content.decode()
    assert refusal in page
    assert "(ปี พ.ศ.)" not in page and "อ่านจากปี ค.ศ." not in page


def test_a_birth_date_field_sends_its_rules_to_the_read_back():
    from pocketbook.households.forms import MemberForm

    html = str(MemberForm()["birth_date"])

    assert "hx-vals=" in html
    assert "&quot;past_only&quot;: &quot;1&quot;" in html
    assert "&quot;oldest_years&quot;: &quot;120&quot;" in html


def test_the_admin_uses_the_packaged_thai_font(client, administrator):
    from django.contrib.staticfiles import finders

    client.force_login(administrator)

    page = client.get("/admin/").content.decode()

    assert '<link rel="stylesheet" href="/static/css/admin-font.css">' in page
    with open(finders.find("css/admin-font.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert '--font-family-primary: "Sarabun"' in css
    for font in re.findall(r'url\("\.\./(fonts/sarabun/[^"]+)"\)', css):
        assert finders.find(font) is not None, font


@pytest.mark.parametrize(
    ("url", "status", "thai_title"),
    [("/test-broken/", 500, "เกิดข้อผิดพลาด"), ("/test-forbidden/", 403, "ไม่มีสิทธิ์"), ("/nothing/", 404, "ไม่พบหน้านี้")],
)
def test_errors_show_the_products_own_thai_pages_not_djangos(client, volunteer, settings, url, status, thai_title):
    # given: settings as a fresh server has them (DEBUG unset means off)
    settings.ROOT_URLCONF = "pocketbook.core.tests.failing_urls"
    client.raise_request_exception = False
    client.force_login(volunteer)
    # when
    response = client.get(url)
    # then
    page = response.content.decode()
    assert response.status_code == status
    assert thai_title in page
    assert "Traceback" not in page and "planted failure" not in page and "DEBUG = True" not in page


def test_healthz_is_503_with_the_reason_when_the_disk_is_nearly_full(client, settings):
    settings.HEALTHZ_MIN_FREE_BYTES = 2**62  # more than any disk has

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert list(body["problems"]) == ["disk"]
    assert "HEALTHZ_MIN_FREE_BYTES" in body["problems"]["disk"]
    assert "free some space" in body["problems"]["disk"]


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_cannot_be_written(client):
    from django.db import connection

    read_only, writable = (
        ("PRAGMA query_only = ON", "PRAGMA query_only = OFF")
        if connection.vendor == "sqlite"
        else ("SET SESSION default_transaction_read_only = on", "SET SESSION default_transaction_read_only = off")
    )
    with connection.cursor() as cursor:
        cursor.execute(read_only)
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(writable)

    assert response.status_code == 503
    assert list(response.json()["problems"]) == ["database"]
    assert response.json()["problems"]["database"].startswith("the database cannot be written")


def test_a_typed_date_never_travels_in_an_address(client, volunteer):
    # given: a birth date is personal; the read-back is posted, and the widget sends only the field and its rules
    client.force_login(volunteer)
    from pocketbook.core.forms import ThaiDateField

    class BirthForm(forms.Form):
        birth_date = ThaiDateField(past_only=True, oldest_years=120)

    # when
    widget = str(BirthForm()["birth_date"])
    refused = client.get("/dates/understood/", {"birth_date": "14/3/2518"})
    # then
    assert 'hx-post="/dates/understood/"' in widget
    assert 'hx-params="birth_date,past_only,oldest_years"' in widget
    assert "hx-get" not in widget
    assert refused.status_code == 405
