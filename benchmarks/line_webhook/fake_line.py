"""A fake LINE API for the sustained run: it answers replies and pushes as LINE does and counts the deliveries."""

from __future__ import annotations

import json
import os
from typing import Any

from benchmarks.line_webhook.processes import PORT_BASE

FAKE_LINE_PORT = int(os.environ.get("BENCH_FAKE_LINE_PORT", "0")) or (PORT_BASE + 4 if PORT_BASE else 0)


class FakeLine:
    """Answers replies and pushes as LINE does (a token once, a retry key once) and counts what was delivered."""

    def __init__(self) -> None:
        import threading
        from collections import Counter
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.replies: Counter[str] = Counter()
        self.pushes: Counter[str] = Counter()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: with Nagle's algorithm the body waits for the client's
            # delayed ACK (40 ms on Linux), which capped one sending thread at ~22 answers/s in this fake.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                status = 200
                with fake.lock:
                    if self.path == "/v2/bot/message/reply":
                        token = body.get("replyToken", "")
                        status = 400 if fake.replies[token] else 200
                        fake.replies[token] += 1
                    elif self.path == "/v2/bot/message/push":
                        key = self.headers.get("X-Line-Retry-Key", "")
                        status = 409 if fake.pushes[key] else 200
                        fake.pushes[key] += 1
                answer = b"{}"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", FAKE_LINE_PORT), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
