"""How the incident domain tells a reporter something, whatever channel they reported through.

A channel (LINE today; SMS or e-mail later) registers a transport in `AppConfig.ready()`; the domain calls
`reporter_notify(...)` and never imports a channel. A transport must make a repeated call with the same
`idempotency_key` reach the reporter at most once (LINE: the push's `X-Line-Retry-Key`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReporterMessage:
    """What to tell the reporter: plain text, already in their language."""

    text: str


class ReporterTransport(Protocol):
    channel: str

    def notify(self, *, reporter_address: str, message: ReporterMessage, idempotency_key: str) -> None:
        """Deliver the message; raise if it could not be delivered (the caller's task is then retried)."""


_transports: dict[str, ReporterTransport] = {}


def transport_register(transport: ReporterTransport) -> None:
    """Register the transport of one channel (a channel registered twice raises ImproperlyConfigured)."""
    if transport.channel in _transports and _transports[transport.channel] is not transport:
        raise ImproperlyConfigured(f"A reporter transport for {transport.channel!r} is registered already")
    _transports[transport.channel] = transport


def transport_for(channel: str) -> ReporterTransport | None:
    return _transports.get(channel)


def reporter_notify(*, channel: str, reporter_address: str, message: ReporterMessage, idempotency_key: str) -> bool:
    """Tell a reporter through their channel's transport; False when the channel has none (nothing is sent)."""
    transport = _transports.get(channel)
    if transport is None:
        logger.warning("No reporter transport for channel %r; the reporter is not told", channel)
        return False
    transport.notify(reporter_address=reporter_address, message=message, idempotency_key=idempotency_key)
    return True
