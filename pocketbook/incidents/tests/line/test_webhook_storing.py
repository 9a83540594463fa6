"""The webhook stores each event exactly once: every body LINE publishes, what a row keeps, several events and
repeated ids, redeliveries and events without an id, values no column can hold; the events' table is the queue
(no task row)."""

from __future__ import annotations

import json

import pytest

from pocketbook.incidents.models import LineEvent
from pocketbook.incidents.tests.line.conftest import (
    body_of,
    fixture_bytes,
    fixture_json,
    fixtures_dir,
    location_event,
    post_signed,
    text_event,
)

pytestmark = pytest.mark.django_db

FIXTURE_FILES = sorted(
    path.name for path in fixtures_dir().glob("*.json") if path.name not in {"SOURCES.json", "signature_vectors.json"}
)


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_every_fixture_body_is_accepted_and_its_events_stored(
    client, line_settings, name, django_capture_on_commit_callbacks
):
    # given
    body = fixture_bytes(name)
    event_ids = {event.get("webhookEventId") for event in json.loads(body)["events"]}

    # when
    response = post_signed(client, body)

    # then
    assert response.status_code == 200
    assert set(LineEvent.objects.values_list("webhook_event_id", flat=True)) == event_ids


def test_stored_event_keeps_what_the_webhook_read(client, line_settings):
    # when
    post_signed(client, fixture_bytes("sdk_text_message_event_redelivery.json"))

    # then
    event = LineEvent.objects.get()
    assert event.webhook_event_id == "testwebhookeventid"
    assert event.event_type == "message"
    assert event.source_type == "user"
    assert event.line_user_id == "U206d25c2ea6bd87c17655609a1c37cb8"
    assert event.mode == "active"
    assert event.is_redelivery is True
    assert event.event_timestamp == 1462629479859
    assert event.destination == "U123"
    assert event.payload == fixture_json("sdk_text_message_event_redelivery.json")["events"][0]
    assert event.status == LineEvent.Status.RECEIVED  # processing waits for the commit


def test_empty_events_list_is_a_connection_check(client, line_settings):
    response = post_signed(client, fixture_bytes("docs_empty_events_connection_check.json"))

    assert response.status_code == 200
    assert LineEvent.objects.count() == 0


def test_many_events_in_one_body_are_stored_together(client, line_settings):
    # given: LINE's own example of three events (text, follow, unfollow) in one request
    body = fixture_bytes("docs_webhook_text_follow_unfollow.json")

    # when
    response = post_signed(client, body)

    # then
    assert response.status_code == 200
    assert list(LineEvent.objects.order_by("id").values_list("event_type", flat=True)) == [
        "message",
        "follow",
        "unfollow",
    ]


def test_same_event_id_twice_in_one_body_is_one_event(client, line_settings):
    # given: line-bot-sdk's test body: 28 events that all carry the id "testwebhookeventid"
    body = fixture_bytes("sdk_v3_webhook_all_events.json")

    # when
    response = post_signed(client, body)

    # then
    assert response.status_code == 200
    assert LineEvent.objects.count() == 1


def test_a_timestamp_no_database_can_hold_is_kept_as_unknown(client, line_settings):
    event = text_event("สวัสดี")
    event["timestamp"] = 10**20
    response = post_signed(client, json.dumps({"events": [event]}).encode())
    assert response.status_code == 200
    assert LineEvent.objects.get().event_timestamp is None


def test_event_without_webhook_event_id_is_stored_once_by_its_content(client, line_settings):
    # given: an old-style event without webhookEventId, delivered twice
    event = text_event("hello")
    del event["webhookEventId"]
    body = body_of(event)

    # when
    first = post_signed(client, body)
    second = post_signed(client, body)

    # then
    assert (first.status_code, second.status_code) == (200, 200)
    stored = LineEvent.objects.get()
    assert stored.webhook_event_id.startswith("sha-")
    assert len(stored.webhook_event_id) == 64


def test_redelivery_stores_nothing_new(client, line_settings):
    # given
    body = fixture_bytes("docs_follow_event_new_friend.json")
    post_signed(client, body)
    redelivered = json.loads(body)
    redelivered["events"][0]["deliveryContext"]["isRedelivery"] = True

    # when
    response = post_signed(client, json.dumps(redelivered).encode())

    # then
    assert response.status_code == 200
    assert LineEvent.objects.count() == 1
    assert LineEvent.objects.get().is_redelivery is False


def test_the_webhook_writes_the_events_and_no_task_row(client, line_settings, settings):
    # given: production's task backend; the events' table is their own queue
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    body = fixture_bytes("docs_webhook_text_follow_unfollow.json")

    # when
    response = post_signed(client, body)
    again = post_signed(client, body)

    # then: three events waiting for a worker, unleased; no task row
    assert (response.status_code, again.status_code) == (200, 200)
    assert DBTaskResult.objects.count() == 0
    assert list(LineEvent.objects.values_list("status", "leased_by", "attempts")) == [("received", "", 0)] * 3


def test_an_event_without_webhook_event_id_and_its_redelivery_are_one_event(client, line_settings):
    # given: an old-style event, then LINE's redelivery of it (only deliveryContext differs)
    event = text_event("hello")
    del event["webhookEventId"]
    redelivered = json.loads(json.dumps(event))
    redelivered["deliveryContext"]["isRedelivery"] = True

    # when
    first = post_signed(client, body_of(event))
    again = post_signed(client, body_of(redelivered))

    # then
    assert (first.status_code, again.status_code) == (200, 200)
    assert LineEvent.objects.count() == 1


def test_an_integer_too_large_for_a_float_as_latitude_is_not_a_location(chat, fake_line_ok):
    # given: a location whose latitude is 10**400 (valid JSON, stored as it came)
    event = location_event(7.5, 99.6)
    event["message"]["latitude"] = 10**400

    # when
    chat(event)

    # then: stored and handled as an unsupported message, answered, nothing failed
    stored = LineEvent.objects.get()
    assert stored.status == "processed"
    assert stored.payload["message"]["latitude"] == 10**400


def test_a_nul_character_is_kept_as_a_replacement_character_not_refused(client, line_settings):
    # given: NUL in a message and in the user id; PostgreSQL's text and jsonb cannot hold it, and the report
    # must not be lost (LINE does not resend after a 400)
    event = text_event("ช่วยด้วย\u0000ที่บ้าน", user_id="U\u0000nul")
    body = body_of(event)

    # when
    response = post_signed(client, body)

    # then
    assert response.status_code == 200
    stored = LineEvent.objects.get()
    assert stored.payload["message"]["text"] == "ช่วยด้วย\ufffdที่บ้าน"
    assert stored.line_user_id == "U\ufffdnul"
    assert stored.webhook_event_id == event["webhookEventId"]
