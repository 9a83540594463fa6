"""Bodies the webhook refuses under a valid signature: malformed JSON or events, numbers no database can store,
bodies over one mebibyte, methods other than POST. Nothing is stored and no task is queued."""

from __future__ import annotations

import json

import pytest

from pocketbook.incidents.models import LineEvent
from pocketbook.incidents.tests.line.conftest import WEBHOOK_URL, line_sign, post_signed, text_event

pytestmark = pytest.mark.django_db


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


def test_only_post_is_allowed(client, line_settings):
    assert client.get(WEBHOOK_URL).status_code == 405


def test_a_refused_body_queues_no_task(client, line_settings, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    post_signed(client, b'{"events": [{"type": "message"}, 7]}')

    assert DBTaskResult.objects.count() == 0


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
