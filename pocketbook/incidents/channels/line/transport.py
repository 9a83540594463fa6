"""The LINE channel's reporter transport: a push with the idempotency key as `X-Line-Retry-Key`."""

from __future__ import annotations

from pocketbook.incidents.channels.line import client
from pocketbook.incidents.transports import ReporterMessage


class LineReporterTransport:
    channel = "line"

    def notify(self, *, reporter_address: str, message: ReporterMessage, idempotency_key: str) -> None:
        client.push_text(reporter_address, message.text, idempotency_key)
