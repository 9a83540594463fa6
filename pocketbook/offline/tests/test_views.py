"""The installable app's pieces: the service worker from the root, the manifest, the shell, the phones page."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from pocketbook.core.page_parts import PagePart, page_part_register, page_parts_at
from pocketbook.offline.models import OfflineDevice

pytestmark = pytest.mark.django_db


def make_device(user) -> OfflineDevice:
    return OfflineDevice.objects.create(device_id=uuid.uuid4(), user=user, last_seen_at=timezone.now())


def test_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert body.count("importScripts(") == 1
    for module in ("core", "routing", "strategies"):
        assert f"workbox-{module}.prod.js" in body
    assert "registerRoute(" in body


def test_manifest_names_the_app_in_thai_and_starts_at_my_households(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "สมุดพกครอบครัว สำหรับ อพม."
    assert manifest["start_url"] == "/households/?source=pwa"
    assert manifest["theme_color"] == "#0b5cab"
    assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512", "512x512"]
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_shell_holds_no_personal_data_and_needs_no_sign_in(client, volunteer):
    anonymous = client.get("/offline/").content.decode()
    client.force_login(volunteer)
    signed_in = client.get("/offline/").content.decode()
    assert 'id="offline-app"' in anonymous
    assert volunteer.username not in signed_in
    assert '"user": null' in signed_in


def test_pages_of_field_staff_carry_the_outbox_and_the_script(client, volunteer, analyst):
    client.force_login(volunteer)
    page = client.get("/overview/").content.decode()
    assert 'rel="manifest"' in page
    assert "data-outbox-bar" in page
    assert f'"user": {volunteer.pk}' in page
    client.force_login(analyst)
    page = client.get("/overview/").content.decode()
    assert 'rel="manifest"' in page
    assert "data-outbox-bar" not in page
    assert "offline.js" not in page


def test_pages_are_compressed(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/households/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_phones_page_access(client, volunteer, social_worker, manager):
    # given a phone each for the volunteer and the social worker
    mine = make_device(volunteer)
    theirs = make_device(social_worker)
    # anonymous: to the sign-in page, nothing revoked
    assert client.post("/offline/devices/", {"device": mine.pk}).status_code == 302
    # the volunteer sees and may revoke only their own phone
    client.force_login(volunteer)
    assert client.get("/offline/devices/").context["devices"] == [mine]
    assert client.post("/offline/devices/", {"device": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert client.post("/offline/devices/", {"device": mine.pk}).status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_by == volunteer
    # the manager sees every phone and revokes any
    client.force_login(manager)
    assert set(client.get("/offline/devices/").context["devices"]) == {mine, theirs}
    client.post("/offline/devices/", {"device": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.revoked_by == manager
    assert theirs.revoked_at > timezone.now() - dt.timedelta(minutes=1)


def test_page_parts_registry_refuses_a_key_twice_and_an_unknown_place():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):  # the very same part again is accepted; another under its key is not
        page_part_register(PagePart("offline_head", "head", "offline/_bar.html"))
    with pytest.raises(ImproperlyConfigured):
        page_part_register(PagePart("elsewhere", "footer", "offline/_head.html"))
    assert [part.key for part in page_parts_at("end")] == ["offline_script"]
