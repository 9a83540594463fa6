"""`pocketbook line_simulate`: play the reporter's side of the LINE chat from a terminal against a running server.

The command signs each webhook body with LINE_CHANNEL_SECRET, posts it to the server's /ess/line/webhook, and runs
a small fake LINE API on its own port that prints whatever the bot replies or pushes. Start the server with
LINE_API_BASE_URL and LINE_DATA_API_BASE_URL pointing at that port (the command prints the exact line).
"""

from __future__ import annotations

import json
import re
import secrets
import shlex
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from pocketbook.incidents.channels.line.signature import signature_for

DEFAULT_PLACE = (7.5563, 99.6114, "ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง")  # Trang town
# The smallest valid JPEG (a 1×1 grey pixel), served as the content of a simulated photo.
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a"
    "1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f000001050101"
    "0101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613"
    "516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758"
    "595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5"
    "c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)
HELP = """Type a message and press Enter to send it as the reporter. Commands:
  #N                    tap the bot's quick-reply button number N
  /follow  /unfollow    add or block the account
  /loc [LAT LNG [ADDRESS]]  share a location (default: Trang town)
  /photo [FILE]         send a photo (default: a tiny test image)
  /sticker              send a sticker
  /sos                  the rich menu's SOS button (a postback "SOS")
  /help  /quit"""


class FakeLine:
    """A tiny stand-in for LINE's API: prints the bot's messages and serves photo content."""

    def __init__(self, port: int, out: OutputWrapper) -> None:
        self.out = out
        self.buttons: list[dict[str, Any]] = []
        self.photos: dict[str, bytes] = {}
        self.answered = threading.Event()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                how = "reply" if self.path.endswith("/reply") else "push"
                fake.show(body.get("messages", []), how)
                self._json(200, {"sentMessages": [{"id": str(int(time.time() * 1000)), "quoteToken": "q"}]})

            def do_GET(self) -> None:
                found = re.fullmatch(r"/v2/bot/message/([^/]+)/content", self.path)
                if not found:
                    self._json(404, {"message": "Not found"})
                    return
                content = fake.photos.get(found.group(1), TINY_JPEG)
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def _json(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def show(self, messages: list[dict[str, Any]], how: str) -> None:
        with self.lock:
            for message in messages:
                text = message.get("text") or f"[{message.get('type')}]"
                self.out.write(f"\nESS bot ({how}):\n")
                for line in text.splitlines():
                    self.out.write(f"  {line}\n")
                items = (message.get("quickReply") or {}).get("items") or []
                if items:
                    self.buttons = [item["action"] for item in items]
                    labels = "  ".join(f"[#{n} {action['label']}]" for n, action in enumerate(self.buttons, start=1))
                    self.out.write(f"  {labels}\n")
            self.out.flush()
            self.answered.set()


class Command(BaseCommand):
    help = "Play the reporter's side of the ESS LINE chat from a terminal, against a running Pocketbook server."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server (default %(default)s)")
        parser.add_argument("--port", type=int, default=8089, help="port of the fake LINE API (default %(default)s)")
        parser.add_argument("--user", default="", help="the reporter's LINE user id (default: a new random one)")
        parser.add_argument("--secret", default="", help="channel secret (default: LINE_CHANNEL_SECRET)")
        parser.add_argument("--wait", type=float, default=5.0, help="seconds to wait for the bot's answer")

    def handle(self, *args: Any, **options: Any) -> None:
        self.secret = options["secret"] or settings.LINE_CHANNEL_SECRET
        if not self.secret:
            raise CommandError("No channel secret: set LINE_CHANNEL_SECRET (the same as the server's) or --secret.")
        self.webhook = options["url"].rstrip("/") + "/ess/line/webhook"
        self.user_id = options["user"] or "Usim" + secrets.token_hex(14)
        self.wait = options["wait"]
        self.input: TextIO = options.get("stdin") or sys.stdin
        try:
            self.fake = FakeLine(options["port"], self.stdout)
        except OSError as error:
            raise CommandError(
                f"Cannot listen on port {options['port']}: {error}. Choose another with --port."
            ) from error
        self.fake.start()
        fake_url = f"http://127.0.0.1:{self.fake.port}"
        self.stdout.write(
            f"Fake LINE API listening on {fake_url}\n"
            "Start the server so that it answers here, for example:\n"
            f"  LINE_API_BASE_URL={fake_url} LINE_DATA_API_BASE_URL={fake_url} "
            ".venv/bin/pocketbook runserver\n"
            "and the worker beside it (it answers the LINE events): `make worker`.\n"
            f"You are LINE user {self.user_id}; the webhook is {self.webhook}\n\n{HELP}\n"
        )
        try:
            self.loop()
        finally:
            self.fake.stop()

    def loop(self) -> None:
        while True:
            self.stdout.write("you> ", ending="")
            self.stdout.flush()
            line = self.input.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                continue
            if line in {"/quit", "/exit"}:
                return
            if line == "/help":
                self.stdout.write(HELP)
                continue
            try:
                event = self.event_for(line)
            except ValueError as error:
                self.stdout.write(str(error))
                continue
            if event is not None:
                self.send(event)

    def event_for(self, line: str) -> dict[str, Any] | None:
        """Turn what the person typed into a LINE webhook event."""
        if line.startswith("#") and line[1:].isdigit():
            return self.tap(int(line[1:]))
        if not line.startswith("/"):
            return self.message({"type": "text", "text": line})
        command, *words = shlex.split(line)
        if command == "/follow":
            return self.base("follow", follow={"isUnblocked": False})
        if command == "/unfollow":
            event = self.base("unfollow")
            event.pop("replyToken")
            return event
        if command == "/loc":
            return self.location(words)
        if command == "/photo":
            return self.photo(words)
        if command == "/sticker":
            return self.message(
                {"type": "sticker", "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC"}
            )
        if command == "/sos":
            return self.base("postback", postback={"data": "SOS"})
        raise ValueError(f"Unknown command {command}; /help lists them.")

    def tap(self, number: int) -> dict[str, Any] | None:
        buttons = self.fake.buttons
        if not 1 <= number <= len(buttons):
            raise ValueError(f"There is no button #{number}.")
        action = buttons[number - 1]
        self.stdout.write(f"(you tap “{action['label']}”)")
        if action["type"] == "postback":
            return self.base("postback", postback={"data": action["data"]})
        if action["type"] == "location":
            return self.location([])
        if action["type"] in {"camera", "cameraRoll"}:
            return self.photo([])
        if action["type"] == "message":
            return self.message({"type": "text", "text": action["text"]})
        raise ValueError(f"The simulator cannot press a {action['type']} button.")

    def location(self, words: list[str]) -> dict[str, Any]:
        if not words:
            latitude, longitude, address = DEFAULT_PLACE
        else:
            try:
                latitude, longitude = float(words[0]), float(words[1])
            except (IndexError, ValueError) as error:
                raise ValueError("Use: /loc LATITUDE LONGITUDE [ADDRESS]") from error
            address = " ".join(words[2:])
        message: dict[str, Any] = {"type": "location", "latitude": latitude, "longitude": longitude}
        if address:
            message["address"] = address
        return self.message(message)

    def photo(self, words: list[str]) -> dict[str, Any]:
        message_id = str(int(time.time() * 1000))
        if words:
            path = Path(words[0]).expanduser()
            if not path.is_file():
                raise ValueError(f"No file {path}.")
            self.fake.photos[message_id] = path.read_bytes()
        return self.message({"type": "image", "contentProvider": {"type": "line"}}, message_id=message_id)

    def base(self, kind: str, **fields: Any) -> dict[str, Any]:
        event = {
            "type": kind,
            "mode": "active",
            "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": self.user_id},
            "webhookEventId": uuid.uuid4().hex.upper()[:26],
            "deliveryContext": {"isRedelivery": False},
            "replyToken": secrets.token_hex(16),
        }
        event.update(fields)
        return event

    def message(self, message: dict[str, Any], *, message_id: str = "") -> dict[str, Any]:
        message = {"id": message_id or str(int(time.time() * 1000)), **message}
        if message["type"] == "text":
            message["quoteToken"] = secrets.token_hex(8)
        return self.base("message", message=message)

    def send(self, event: dict[str, Any]) -> None:
        """Sign and post one event as LINE would, then wait a moment for the bot's answer."""
        body = json.dumps({"destination": "Usimulatorbot", "events": [event]}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's own server
            self.webhook,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-Line-Signature": signature_for(self.secret, body)},
        )
        self.fake.answered.clear()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError) as error:
            self.stdout.write(f"(cannot reach {self.webhook}: {error}; is the server running?)")
            return
        if status != 200:
            self.stdout.write(f"(the webhook answered HTTP {status})")
            return
        if event["type"] != "unfollow" and not self.fake.answered.wait(self.wait):
            self.stdout.write(
                f"(no answer within {self.wait:g} s: is the server's LINE_API_BASE_URL http://127.0.0.1:{self.fake.port}"
                " and is the worker (`make worker`) running?)"
            )
        else:
            time.sleep(0.2)  # a second message of the same answer prints before the prompt
