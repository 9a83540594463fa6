"""Shared helpers for the LINE channel's tests: the fixture bodies, signing, and a fake LINE server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from linebot.v3.webhook import SignatureValidator
from werkzeug import Request, Response

from pocketbook.incidents.channels.line import client as line_client
from pocketbook.incidents.channels.line.queue.worker import events_drain

TEST_SECRET = "testsecret"  # the secret the fixtures' signature_vectors.json is computed with
TEST_TOKEN = "test-channel-access-token"
WEBHOOK_URL = "/ess/line/webhook"
USER_ID = "U206d25c2ea6bd87c17655609a1c37cb8"


def fixtures_dir() -> Path:
    """LINE's published webhook bodies, copied into the repository (sources and licences: fixtures/README.md)."""
    return Path(__file__).resolve().parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (fixtures_dir() / name).read_bytes()


def fixture_json(name: str) -> dict[str, Any]:
    return json.loads(fixture_bytes(name))


def line_sign(secret: str, body: bytes) -> str:
    """Sign a body as LINE does, independently of the code under test.

    LINE's rule (developers.line.biz, "Verify the signature"): base64 of HMAC-SHA256 keyed with the channel secret
    over the raw body. Each signature is checked by line-bot-sdk's own `SignatureValidator` before it is used, and
    the rule itself against LINE's published vector in `test_the_tests_signer_is_lines`.
    """
    signature = base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")
    if _is_utf8(body):  # the SDK takes the body as text
        assert SignatureValidator(secret).validate(body.decode("utf-8"), signature)
    return signature


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def post_signed(client, body: bytes, *, secret: str = TEST_SECRET, header: str = "HTTP_X_LINE_SIGNATURE"):
    """Post a body to the webhook the way LINE does, signed with the secret."""
    return client.post(WEBHOOK_URL, data=body, content_type="application/json", **{header: line_sign(secret, body)})


def now_ms() -> int:
    return int(time.time() * 1000)


_counter = iter(range(1, 1_000_000))


def user_event(kind: str, *, user_id: str = USER_ID, fresh: bool = True, **fields: Any) -> dict[str, Any]:
    """A webhook event from a one-to-one chat, with a unique id and reply token (fresh, or 2 minutes old)."""
    number = next(_counter)
    timestamp = now_ms() - (0 if fresh else 120_000)
    _issued_reply_tokens[f"replytoken{number}"] = timestamp
    event: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": timestamp,
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": f"01TEST{number:020d}",
        "deliveryContext": {"isRedelivery": False},
        "replyToken": f"replytoken{number}",
    }
    event.update(fields)
    return event


def text_event(text: str, **kwargs: Any) -> dict[str, Any]:
    number = next(_counter)
    return user_event("message", message={"id": str(900000 + number), "type": "text", "text": text}, **kwargs)


def postback_event(data: str, **kwargs: Any) -> dict[str, Any]:
    return user_event("postback", postback={"data": data}, **kwargs)


def location_event(latitude: float, longitude: float, **extra: Any) -> dict[str, Any]:
    number = next(_counter)
    message = {"id": str(800000 + number), "type": "location", "latitude": latitude, "longitude": longitude}
    message.update({key: value for key, value in extra.items() if key in {"title", "address"}})
    kwargs = {key: value for key, value in extra.items() if key not in {"title", "address"}}
    return user_event("message", message=message, **kwargs)


def image_event(message_id: str, *, provider: dict[str, Any] | None = None, image_set=None, **kwargs) -> dict:
    message: dict[str, Any] = {"id": message_id, "type": "image", "contentProvider": provider or {"type": "line"}}
    if image_set:
        message["imageSet"] = image_set
    return user_event("message", message=message, **kwargs)


def body_of(*events: dict[str, Any]) -> bytes:
    return json.dumps({"destination": "U123", "events": list(events)}, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def line_settings(settings, monkeypatch):
    """The channel's settings for tests; backoff sleeps cost nothing."""
    settings.LINE_CHANNEL_SECRET = TEST_SECRET
    settings.LINE_CHANNEL_ACCESS_TOKEN = TEST_TOKEN
    sleeps: list[float] = []
    monkeypatch.setattr(line_client, "sleep", sleeps.append)
    return sleeps


@pytest.fixture
def fake_line(httpserver, line_settings, settings):
    """A fake LINE API (messaging and data hosts) that accepts every call; tests read `httpserver.log`."""
    base = httpserver.url_for("/").rstrip("/")
    settings.LINE_API_BASE_URL = base
    settings.LINE_DATA_API_BASE_URL = base
    return httpserver


def sent(httpserver, path: str | None = None) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
    """What the bot sent to the fake LINE server: (path, JSON body, headers), in order."""
    calls = []
    for request, _response in httpserver.log:
        if path is not None and request.path != path:
            continue
        body = json.loads(request.get_data() or b"null") if request.method == "POST" else {}
        calls.append((request.path, body, dict(request.headers)))
    return calls


def texts_sent(httpserver) -> list[str]:
    """Every text message the bot sent, replies and pushes alike."""
    return [
        message["text"] for _path, body, _headers in sent(httpserver) for message in (body or {}).get("messages", [])
    ]


REPLY_TOKEN_LIFE_MS = 60_000  # LINE: "reply tokens can be used only once … within one minute"
_issued_reply_tokens: dict[str, int] = {}  # token -> the timestamp of the event that carried it


class LineLike:
    """What the fake LINE server remembers to answer as LINE does (developers.line.biz, Messaging API reference).

    - A reply token is accepted once, within a minute of its event; a used, expired or unknown token gets 400
      `{"message": "Invalid reply token"}`.
    - A push whose `X-Line-Retry-Key` was accepted before gets 409 with `x-line-accepted-request-id`, and is not
      delivered again.
    Tests read what reached the reporter from `delivered`.
    """

    def __init__(self) -> None:
        self.used_tokens: set[str] = set()
        self.accepted_keys: dict[str, str] = {}
        self.delivered: list[tuple[str, str, dict[str, Any], str]] = []  # (how, to or token, body, retry key)
        self.lock = threading.Lock()

    def reply(self, request: Request) -> Response:
        body = json.loads(request.get_data() or b"{}")
        token = body.get("replyToken", "")
        with self.lock:
            issued = _issued_reply_tokens.get(token)
            if token in self.used_tokens or issued is None or now_ms() - issued > REPLY_TOKEN_LIFE_MS:
                return Response('{"message":"Invalid reply token"}', status=400, content_type="application/json")
            self.used_tokens.add(token)
            self.delivered.append(("reply", token, body, ""))
        return Response('{"sentMessages":[]}', status=200, content_type="application/json")

    def push(self, request: Request) -> Response:
        body = json.loads(request.get_data() or b"{}")
        key = request.headers.get("X-Line-Retry-Key", "")
        with self.lock:
            if key and key in self.accepted_keys:
                return Response(
                    '{"message":"The retry key is already accepted"}',
                    status=409,
                    content_type="application/json",
                    headers={"x-line-accepted-request-id": self.accepted_keys[key]},
                )
            if key:
                self.accepted_keys[key] = f"req-{len(self.accepted_keys) + 1}"
            self.delivered.append(("push", body.get("to", ""), body, key))
        return Response('{"sentMessages":[]}', status=200, content_type="application/json")


@pytest.fixture
def line_like(fake_line) -> LineLike:
    """The fake LINE server with LINE's rules for reply tokens and retry keys (see `LineLike`)."""
    state = LineLike()
    fake_line.expect_request("/v2/bot/message/reply", method="POST").respond_with_handler(state.reply)
    fake_line.expect_request("/v2/bot/message/push", method="POST").respond_with_handler(state.push)
    return state


@pytest.fixture
def fake_line_ok(fake_line, line_like):
    """The fake LINE server answering replies and pushes as LINE does (valid ones with 200)."""
    return fake_line


@pytest.fixture
def chat(client, fake_line_ok, django_capture_on_commit_callbacks):
    """Deliver events to the webhook as LINE would, then let a worker take everything waiting in the queue."""

    def deliver(*events: dict[str, Any]):
        response = post_signed(client, body_of(*events))
        assert response.status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            events_drain()
        return response

    return deliver
