"""Webhook bodies signed as LINE signs them: one text event, pools of bodies for wrk and the Lua script that posts
them, one signed POST, and the floor the webhook is measured against (a bare WSGI app that only checks the
signature)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

SECRET = "bench-line-channel-secret"  # noqa: S105 - a throw-away secret for the benchmark
WEBHOOK_PATH = "/ess/line/webhook"


def sign(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


def bare_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The floor: read the body, check LINE's signature, answer 200 (no framework, no database)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    given = environ.get("HTTP_X_LINE_SIGNATURE", "").encode()
    status = "200 OK" if hmac.compare_digest(sign(body).encode(), given) else "400 Bad Request"
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"OK"]


def text_event(event_id: str, number: int) -> dict[str, Any]:
    """A text message event shaped like LINE's own (the SDK's fixture), with its own id and reply token."""
    return {
        "replyToken": secrets.token_hex(16),
        "type": "message",
        "mode": "active",
        "timestamp": 1_700_000_000_000 + number,
        "source": {"type": "user", "userId": "U" + hashlib.md5(event_id.encode()).hexdigest()},  # noqa: S324
        "webhookEventId": event_id,
        "deliveryContext": {"isRedelivery": False},
        "message": {"id": str(100_000_000 + number), "type": "text", "text": "มีคนทะเลาะกัน ช่วยด้วย", "quoteToken": "q"},
    }


def write_bodies(path: Path, prefix: str, count: int, events_per_body: int) -> int:
    """Write `signature body` lines for wrk's Lua script; every event id is new. Return the body size."""
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for body_number in range(count):
            events = [
                text_event(f"{prefix}{body_number:07d}E{event_number:02d}", body_number * 100 + event_number)
                for event_number in range(events_per_body)
            ]
            body = json.dumps({"destination": "Ubench", "events": events}, ensure_ascii=False).encode()
            size = len(body)
            out.write(f"{sign(body)} {body.decode()}\n")
    return size


LUA = """
local bodies, signatures = {}, {}
local counter = 0
resent = 0  -- a global: done() reads it from each thread
local thread_number = 0
local threads = {}
function setup(thread)
  thread:set("tid", thread_number)
  thread_number = thread_number + 1
  table.insert(threads, thread)
end
function init(args)
  for line in io.lines("%(data)s") do
    local signature, body = line:match("^(%%S+) (.*)$")
    signatures[#signatures + 1] = signature
    bodies[#bodies + 1] = body
  end
  counter = tid
end
function request()
  if counter >= #bodies then
    resent = resent + 1  -- past the end of the pool: a body posted before goes again (stored once)
  end
  local i = (counter %% #bodies) + 1
  counter = counter + %(threads)d
  return wrk.format("POST", "%(path)s",
    {["Content-Type"] = "application/json", ["X-Line-Signature"] = signatures[i]}, bodies[i])
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("resent") or 0)
  end
  io.write(string.format("resent %%d\\n", total))
end
"""


def signed_request(port: int, body: bytes) -> urllib.request.Request:
    """The body posted to the webhook on this port as LINE posts it, signed."""
    return urllib.request.Request(
        f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Line-Signature": sign(body)},
    )


def post(port: int, body: bytes) -> int:
    try:
        with urllib.request.urlopen(signed_request(port, body), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0
