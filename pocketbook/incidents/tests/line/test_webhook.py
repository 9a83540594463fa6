"""The webhook: signature, size and shape checks, storing each event exactly once, answering fast."""

from __future__ import annotations

import io
import json
import logging

import psycopg
import pytest
from django.db import connection
from linebot.v3.webhook import SignatureValidator

from pocketbook.incidents.channels.line.signature import signature_for, signature_is_valid
from pocketbook.incidents.models import LineEvent
from pocketbook.incidents.tests.line.conftest import (
    TEST_SECRET,
    WEBHOOK_URL,
    body_of,
    fixture_bytes,
    fixture_json,
    fixtures_dir,
    line_sign,
    location_event,
    post_signed,
    text_event,
)
from pocketbook.wsgi import application as wsgi_application

pytestmark = pytest.mark.django_db

FIXTURE_FILES = sorted(
    path.name for path in fixtures_dir().glob("*.json") if path.name not in {"SOURCES.json", "signature_vectors.json"}
)


def test_the_tests_signer_is_lines():
    # given: line-bot-sdk's published vector
    sdk = fixture_json("signature_vectors.json")["sdk_vector"]

    # when / then
    assert line_sign(sdk["channel_secret"], sdk["body"].encode()) == sdk["x_line_signature"]
    assert SignatureValidator(sdk["channel_secret"]).validate(sdk["body"], sdk["x_line_signature"])


def test_signing_matches_the_vectors_of_line_bot_sdk_and_of_the_fixtures():
    # given
    vectors = fixture_json("signature_vectors.json")
    sdk = vectors["sdk_vector"]
    derived = vectors["derived_for_fixture_files"]

    # when / then
    assert signature_for(sdk["channel_secret"], sdk["body"].encode()) == sdk["x_line_signature"]
    assert derived["channel_secret"] == "testsecret"
    for name, signature in derived["signatures"].items():
        assert signature_for("testsecret", fixture_bytes(name)) == signature, name


def test_signature_check_refuses_empty_secret_or_signature():
    assert signature_is_valid("", b"{}", line_sign("", b"{}")) is False
    assert signature_is_valid("testsecret", b"{}", "") is False
    assert signature_is_valid("testsecret", b"{}", line_sign("testsecret", b"{} ")) is False


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


def test_the_fixture_signature_header_is_accepted_as_given(client, line_settings):
    # given: the signature published beside the fixture, in LINE's lower-case header
    body = fixture_bytes("docs_follow_event_new_friend.json")
    signature = fixture_json("signature_vectors.json")["derived_for_fixture_files"]["signatures"][
        "docs_follow_event_new_friend.json"
    ]

    # when
    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers={"x-line-signature": signature}
    )

    # then
    assert response.status_code == 200
    assert LineEvent.objects.get().webhook_event_id == "01HMQGW40RZJPJM3RAJP7BHC2Q"


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


def test_missing_signature_is_refused_and_nothing_stored(client, line_settings, caplog):
    # given
    body = fixture_bytes("sdk_follow_event.json")

    # when
    with caplog.at_level(logging.WARNING):
        response = client.post(WEBHOOK_URL, data=body, content_type="application/json")

    # then
    assert response.status_code == 400
    assert LineEvent.objects.count() == 0
    assert "missing signature" in caplog.text


def test_wrong_signature_is_refused_and_nothing_stored(client, line_settings):
    # given: signed with another channel's secret
    body = fixture_bytes("sdk_follow_event.json")

    # when
    response = post_signed(client, body, secret="another-secret")

    # then
    assert response.status_code == 400
    assert LineEvent.objects.count() == 0


def test_a_body_changed_after_signing_is_refused(client, line_settings):
    # given
    body = fixture_bytes("sdk_follow_event.json")
    signature = line_sign("testsecret", body)

    # when
    response = client.post(
        WEBHOOK_URL,
        data=body.replace(b"follow", b"unfollow"),
        content_type="application/json",
        HTTP_X_LINE_SIGNATURE=signature,
    )

    # then
    assert response.status_code == 400
    assert LineEvent.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[]",
        b'{"destination": "U123"}',
        b'{"events": {}}',
        b'{"events": [1, 2]}',
        b'{"events": [{"no": "type"}]}',
        b"\xff\xfe\x00garbage",
        b'{"events": [{"type": "message", "webhookEventId": "01X", "x": NaN}]}',
        b'{"events": [{"type": "message", "webhookEventId": "\\ud800"}]}',
        b'{"events": [{"type": "message", "webhookEventId": "01X", "text": "\\uDFFF"}]}',
        b'{"events": [{"type": "message", "webhookEventId": "01X", "text": "\xed\xa0\x80"}]}',
        b'  \n{"events": [{"type": "message", "webhookEventId": "01X", "text": "\\udbff"}]}',
        b'{"events": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
    ],
    ids=[
        "broken",
        "empty",
        "list",
        "no-events",
        "events-object",
        "numbers",
        "no-type",
        "binary",
        "nan",
        "surrogate",
        "surrogate-upper-case",
        "surrogate-raw-bytes",
        "surrogate-after-whitespace",
        "deep",
    ],
)
def test_malformed_body_under_a_valid_signature_is_refused(client, line_settings, body):
    response = post_signed(client, body)

    assert response.status_code == 400
    assert LineEvent.objects.count() == 0


def test_a_timestamp_no_database_can_hold_is_kept_as_unknown(client, line_settings):
    event = text_event("สวัสดี")
    event["timestamp"] = 10**20
    response = post_signed(client, json.dumps({"events": [event]}).encode())
    assert response.status_code == 200
    assert LineEvent.objects.get().event_timestamp is None


def test_a_malformed_event_refuses_the_whole_body(client, line_settings):
    # given: one good event and one that is not an object
    body = json.dumps({"events": [text_event("สวัสดี"), "oops"]}).encode()

    # when
    response = post_signed(client, body)

    # then: nothing half-saved
    assert response.status_code == 400
    assert LineEvent.objects.count() == 0


def test_body_over_one_mebibyte_is_refused(client, line_settings):
    # given: a signed body just over 1 MiB
    padding = "x" * (1024 * 1024)
    body = json.dumps({"events": [], "padding": padding}).encode()

    # when
    response = post_signed(client, body)

    # then
    assert response.status_code == 413
    assert LineEvent.objects.count() == 0


def test_declared_length_over_one_mebibyte_is_refused_before_reading(client, line_settings):
    # given
    body = b'{"events": []}'

    # when
    response = client.post(
        WEBHOOK_URL,
        data=body,
        content_type="application/json",
        CONTENT_LENGTH=str(2 * 1024 * 1024),
        HTTP_X_LINE_SIGNATURE=line_sign("testsecret", body),
    )

    # then
    assert response.status_code == 413


def test_body_of_exactly_one_mebibyte_is_accepted(client, line_settings):
    # given
    skeleton = json.dumps({"events": [], "padding": ""}).encode()
    body = json.dumps({"events": [], "padding": "x" * (1024 * 1024 - len(skeleton))}).encode()
    assert len(body) == 1024 * 1024

    # when
    response = post_signed(client, body)

    # then
    assert response.status_code == 200


def test_without_a_channel_secret_the_webhook_refuses_and_logs(client, settings, caplog):
    # given: production started without LINE_CHANNEL_SECRET
    settings.LINE_CHANNEL_SECRET = ""
    body = fixture_bytes("sdk_follow_event.json")

    # when
    with caplog.at_level(logging.ERROR):
        response = post_signed(client, body, secret="")

    # then
    assert response.status_code == 503
    assert LineEvent.objects.count() == 0
    assert "LINE_CHANNEL_SECRET is not set" in caplog.text


def test_only_post_is_allowed(client, line_settings):
    assert client.get(WEBHOOK_URL).status_code == 405


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


def test_a_refused_body_queues_no_task(client, line_settings, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    post_signed(client, b'{"events": [{"type": "message"}, 7]}')

    assert DBTaskResult.objects.count() == 0


def _post_chunked(body: bytes, signature: str) -> int:
    """Post as a proxy that does not buffer: chunked, no Content-Length (the WSGI server de-chunks)."""
    return _post_through_wsgi(body, signature, {"HTTP_TRANSFER_ENCODING": "chunked"})


def _post_through_wsgi(body: bytes, signature: str, headers: dict[str, str]) -> int:
    """Call the WSGI application as gunicorn does (its lean handler for the webhook); return the status."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": WEBHOOK_URL,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "CONTENT_TYPE": "application/json",
        "HTTP_X_LINE_SIGNATURE": signature,
        **headers,
    }
    status = []
    b"".join(wsgi_application(environ, lambda line, headers, exc_info=None: status.append(int(line.split()[0]))))
    return status[0]


@pytest.mark.django_db(transaction=True)  # the WSGI handler closes the connection at the end of the request
def test_a_chunked_body_without_content_length_is_read(line_settings):
    # given
    event = text_event("สวัสดี")
    body = body_of(event)

    # when
    status = _post_chunked(body, line_sign("testsecret", body))

    # then
    assert status == 200
    assert LineEvent.objects.get().webhook_event_id == event["webhookEventId"]


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_over_one_mebibyte_is_refused(line_settings):
    # given: a signed body of 1 MiB and one byte, without Content-Length
    body = body_of(text_event("x" * (1024 * 1024)))
    assert len(body) > 1024 * 1024

    # when
    status = _post_chunked(body, line_sign("testsecret", body))

    # then
    assert status == 413
    assert LineEvent.objects.count() == 0


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


@pytest.mark.parametrize("number", [b"1e400", b"-1e400", b"NaN", b"Infinity", b"-Infinity"])
def test_a_number_no_database_can_store_is_refused_with_400(client, line_settings, number):
    # given: a signed body with the number as an event's field
    body = b'{"events": [{"type": "message", "webhookEventId": "01BIG", "timestamp": 1, "x": ' + number + b"}]}"

    # when
    response = post_signed(client, body)

    # then
    assert response.status_code == 400
    assert response.content == b"malformed body"
    assert LineEvent.objects.count() == 0


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


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no server connection to lose; checked on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_the_server_dropped_is_opened_again_and_the_event_stored_once(
    line_settings, caplog, monkeypatch
):
    # given: connections kept between requests, as in production (tests otherwise close them after each one)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    # and: the webhook skips Django's per-request health check, and the server has ended the kept connection
    first, second = text_event("หนึ่ง"), text_event("สอง")
    assert _post_lean(body_of(first)) == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with psycopg.connect(_admin_dsn(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])

    # when
    with caplog.at_level(logging.WARNING, logger="pocketbook.incidents.channels.line.storage"):
        status = _post_lean(body_of(second))

    # then
    assert status == 200
    assert sorted(LineEvent.objects.values_list("webhook_event_id", flat=True)) == sorted(
        [first["webhookEventId"], second["webhookEventId"]]
    )
    assert "reconnecting once" in caplog.text


def _post_lean(body: bytes) -> int:
    """Post with a Content-Length, as LINE does."""
    return _post_through_wsgi(body, line_sign(TEST_SECRET, body), {"CONTENT_LENGTH": str(len(body))})


def _admin_dsn() -> str:
    settings_dict = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        password=settings_dict["PASSWORD"] or None,
    )
