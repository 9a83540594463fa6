"""The LINE client: what it sends, its timeout, and which failures it retries (only network, 5xx and 429)."""

from __future__ import annotations

import socket

import pytest
from werkzeug import Response

from pocketbook.incidents.channels.line import client
from pocketbook.incidents.tests.line.conftest import TEST_TOKEN, sent

pytestmark = pytest.mark.django_db

RETRY_KEY = "123e4567-e89b-12d3-a456-426614174000"


def test_push_text_sends_the_text_with_token_and_retry_key(fake_line_ok):
    client.push_text("U123", "ทดสอบ", RETRY_KEY)

    [(path, body, headers)] = sent(fake_line_ok)
    assert path == "/v2/bot/message/push"
    assert body == {"to": "U123", "messages": [{"type": "text", "text": "ทดสอบ"}], "notificationDisabled": False}
    assert headers["Authorization"] == f"Bearer {TEST_TOKEN}"
    assert headers["X-Line-Retry-Key"] == RETRY_KEY


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_and_rate_limits_are_retried_with_backoff(fake_line, line_settings, status):
    # given: LINE fails twice, then accepts
    for _ in range(2):
        fake_line.expect_ordered_request("/v2/bot/message/push").respond_with_data("busy", status=status)
    fake_line.expect_ordered_request("/v2/bot/message/push").respond_with_json({})

    # when
    client.push_text("U123", "ทดสอบ", RETRY_KEY)

    # then: the same push, same retry key, three times; two pauses that grow
    keys = [headers["X-Line-Retry-Key"] for _path, _body, headers in sent(fake_line)]
    assert keys == [RETRY_KEY] * 3
    assert line_settings == [0.5, 1.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_not_retried(fake_line, line_settings, status):
    fake_line.expect_request("/v2/bot/message/push").respond_with_json({"message": "no"}, status=status)

    with pytest.raises(client.LineDeliveryError) as raised:
        client.push_text("U123", "ทดสอบ", RETRY_KEY)

    assert raised.value.status == status
    assert len(sent(fake_line)) == 1
    assert line_settings == []


def test_a_push_whose_retry_key_was_accepted_before_counts_as_delivered(fake_line, line_settings):
    # given: LINE answers 409 when a retried push was already accepted
    fake_line.expect_request("/v2/bot/message/push").respond_with_json({"message": "conflict"}, status=409)

    # when / then: no error
    client.push_text("U123", "ทดสอบ", RETRY_KEY)
    assert len(sent(fake_line)) == 1


def test_retries_stop_after_four_attempts(fake_line, line_settings):
    fake_line.expect_request("/v2/bot/message/push").respond_with_data("down", status=503)

    with pytest.raises(client.LineDeliveryError):
        client.push_text("U123", "ทดสอบ", RETRY_KEY)

    assert len(sent(fake_line)) == 4
    assert line_settings == [0.5, 1.0, 2.0]


def test_network_errors_are_retried(line_settings, settings):
    # given: nothing listens on this port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.LINE_API_BASE_URL = f"http://127.0.0.1:{port}"

    # when / then
    with pytest.raises(client.LineDeliveryError):
        client.push_text("U123", "ทดสอบ", RETRY_KEY)
    assert line_settings == [0.5, 1.0, 2.0]


def test_a_slow_line_times_out_and_is_retried(fake_line, line_settings, monkeypatch):
    # given: LINE takes longer than the timeout (shortened here to keep the test fast)
    monkeypatch.setattr(client, "TIMEOUT_SECONDS", 0.4)
    calls = []

    def slow(request):
        import time

        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.5)  # the one-threaded fake server answers the retry right after
        return Response("{}", status=200, content_type="application/json")

    fake_line.expect_request("/v2/bot/message/push").respond_with_handler(slow)

    # when
    client.push_text("U123", "ทดสอบ", RETRY_KEY)

    # then
    assert len(calls) == 2
    assert line_settings == [0.5]


def test_every_call_has_the_five_second_timeout(monkeypatch, fake_line_ok):
    seen = []
    original = client.MessagingApi.push_message_with_http_info

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("_request_timeout"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(client.MessagingApi, "push_message_with_http_info", spy)
    client.push_text("U123", "ทดสอบ", RETRY_KEY)

    assert seen == [5.0]


def test_reply_token_freshness_is_under_fifty_seconds():
    now = 1_700_000_000.0
    assert client.reply_token_is_fresh(int((now - 49) * 1000), now=now) is True
    assert client.reply_token_is_fresh(int((now - 51) * 1000), now=now) is False
    assert client.reply_token_is_fresh(None, now=now) is False


def test_content_download_uses_the_data_host(fake_line, line_settings, settings, httpserver):
    # given: the messaging host is elsewhere; only the data host has the content
    settings.LINE_API_BASE_URL = "http://127.0.0.1:9"
    fake_line.expect_request("/v2/bot/message/42/content", method="GET").respond_with_data(b"\xff\xd8bytes")

    assert client.content_download("42") == b"\xff\xd8bytes"
