"""The shared cast of users every test can ask for, and test-wide settings."""

from __future__ import annotations

import importlib

import pytest
from django.core.cache import cache

from pocketbook.accounts.roles import Role
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.core.tests.threads import database_for_threads  # noqa: F401 - a fixture for every app's tests

HOME_SUBDISTRICT = "920101"  # ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง
HOME_PROVINCE = "92"
OTHER_PROVINCE = "50"  # เชียงใหม่
# Neighbours: the boundaries inside one province must hold too, not only those between provinces.
SAME_DISTRICT_SUBDISTRICT = "920104"  # ต.นาพละ, also อ.เมืองตรัง
OTHER_DISTRICT = "9202"  # อ.กันตัง, also จ.ตรัง
OTHER_DISTRICT_SUBDISTRICT = "920201"  # ต.กันตัง อ.กันตัง


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: no lock-outs left over, files in a temporary folder, Thai by default."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.LANGUAGE_CODE = "th"
    cache.clear()
    yield


def _uses_transactions(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )


# The data migrations that ship rows the product needs: (app label, migration module, function).
SEEDING_MIGRATIONS = (
    ("assessments", "0002_tpmap17_set", "load"),
    ("incidents", "0003_sla_targets", "load"),
    ("volunteers", "0002_visit_cadences", "add_cadences"),
)


@pytest.fixture(autouse=True)
def _seeded_data_survives_flushes(request):
    """Reload what the data migrations ship when a transactional test starts on a flushed database.

    The areas, the indicator set, the SLA targets and the visit cadences come from data migrations;
    Django empties every table after a transactional test (the live server and concurrency tests),
    so the next such test would find none of them. Each loader skips what is already there.
    """
    if _uses_transactions(request):
        request.getfixturevalue("transactional_db")
        from django.apps import apps

        from pocketbook.geo.models import Province
        from pocketbook.geo.services import geography_load

        if not Province.objects.exists():
            geography_load()
        for app_label, module, function in SEEDING_MIGRATIONS:
            migration = importlib.import_module(f"pocketbook.{app_label}.migrations.{module}")
            getattr(migration, function)(apps, None)
    yield


@pytest.fixture
def volunteer(db):
    return UserFactory(username="vol", roles=[Role.VOLUNTEER], areas=[HOME_SUBDISTRICT])


@pytest.fixture
def social_worker(db):
    return UserFactory(username="sw", roles=[Role.SOCIAL_WORKER], areas=[HOME_SUBDISTRICT])


@pytest.fixture
def manager(db):
    return UserFactory(username="mgr", roles=[Role.MANAGER], areas=[HOME_PROVINCE])


@pytest.fixture
def other_province_worker(db):
    """A social worker and manager of another province: must see nothing of Trang."""
    return UserFactory(username="outsider", roles=[Role.SOCIAL_WORKER, Role.MANAGER], areas=[OTHER_PROVINCE])


@pytest.fixture
def neighbour_volunteer(db):
    """A volunteer of another subdistrict of the same district: sees nothing of the home subdistrict."""
    return UserFactory(username="vol_napala", roles=[Role.VOLUNTEER], areas=[SAME_DISTRICT_SUBDISTRICT])


@pytest.fixture
def neighbour_social_worker(db):
    """A social worker of another subdistrict of the same district."""
    return UserFactory(username="sw_napala", roles=[Role.SOCIAL_WORKER], areas=[SAME_DISTRICT_SUBDISTRICT])


@pytest.fixture
def district_neighbour_volunteer(db):
    """A volunteer in another district of the same province."""
    return UserFactory(username="vol_kantang", roles=[Role.VOLUNTEER], areas=[OTHER_DISTRICT_SUBDISTRICT])


@pytest.fixture
def district_neighbour_social_worker(db):
    """A social worker in another district of the same province."""
    return UserFactory(username="sw_kantang", roles=[Role.SOCIAL_WORKER], areas=[OTHER_DISTRICT_SUBDISTRICT])


@pytest.fixture
def district_neighbour_operator(db):
    """An ESS operator of another district of the same province: sees no incident of the home district."""
    return UserFactory(username="operator_kantang", roles=[Role.ESS_OPERATOR], areas=[OTHER_DISTRICT])


@pytest.fixture
def district_neighbour_manager(db):
    """A manager of another district of the same province: manages nothing of the home district."""
    return UserFactory(username="mgr_kantang", roles=[Role.MANAGER], areas=[OTHER_DISTRICT])


@pytest.fixture
def analyst(db):
    return UserFactory(username="analyst", roles=[Role.ANALYST], areas=[HOME_PROVINCE])


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", roles=[Role.ADMINISTRATOR], areas=[HOME_PROVINCE], is_staff=True)


@pytest.fixture
def ess_operator(db):
    return UserFactory(username="operator", roles=[Role.ESS_OPERATOR], areas=[HOME_PROVINCE])


@pytest.fixture
def responder(db):
    return UserFactory(username="responder", roles=[Role.RESPONDER], areas=[HOME_SUBDISTRICT[:4]])


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian's Chromium on a 360 × 740 phone screen, pointed at the live server."""
    import os

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # While Playwright's loop runs, Django sees an async context and opens a separate
            # connection for the ORM calls made meanwhile; close it here, or PostgreSQL cannot
            # drop the test database at the end of the run.
            from django.db import connections

            connections.close_all()
