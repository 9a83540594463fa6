"""How the incident domain tells a reporter something, whatever channel they reported through.

A channel (LINE today; SMS or e-mail later) registers a transport in `AppConfig.ready()`; the domain asks
`reporter_address(...)` and calls `reporter_notify(...)`, and never imports a channel. A transport knows where
its channel reaches an incident's reporter (`address_of`), whether they can be reached there now (`can_reach`:
a LINE user who unfollowed the bot cannot), and must make a repeated call with the same `idempotency_key` reach
the reporter at most once (LINE: the push's `X-Line-Retry-Key`). Transports compare by value (frozen
dataclasses), so running `ready()` twice registers nothing new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from pocketbook.core.registry import Registry
from pocketbook.incidents.models import Incident

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReporterMessage:
    """What to tell the reporter: plain text, already in their language."""

    text: str


class ReporterTransport(Protocol):
    @property
    def channel(self) -> str:
        """The incident channel (`Incident.channel`) whose reporters this transport reaches."""

    def address_of(self, incident: Incident) -> str:
        """Where this channel reaches the incident's reporter ("" when they left no address)."""

    def can_reach(self, reporter_address: str) -> bool:
        """Whether a message to this address can reach the reporter now."""

    def notify(self, *, reporter_address: str, message: ReporterMessage, idempotency_key: str) -> None:
        """Deliver the message; raise if it could not be delivered (the caller's task is then retried)."""


_transports: Registry[ReporterTransport] = Registry("reporter transport", key=lambda transport: transport.channel)


def transport_register(transport: ReporterTransport) -> None:
    """Register the transport of one channel; another transport for that channel raises ImproperlyConfigured."""
    _transports.register(transport)


def transport_unregister(channel: str) -> None:
    """Remove a channel's transport (for tests that register their own)."""
    _transports.unregister(channel)


def transport_for(channel: str) -> ReporterTransport | None:
    return _transports.get(channel)


def reporter_address(incident: Incident) -> str | None:
    """Where the incident's channel can reach its reporter now; None when nobody can be told.

    An anonymous reporter is never told; nor is one whose channel has no transport or no address for them.
    """
    transport = _transports.get(incident.channel)
    if incident.is_anonymous or transport is None:
        return None
    address = transport.address_of(incident)
    return address if address and transport.can_reach(address) else None


def reporter_notify(*, channel: str, reporter_address: str, message: ReporterMessage, idempotency_key: str) -> bool:
    """Tell a reporter through their channel's transport; False when the channel has none (nothing is sent)."""
    transport = _transports.get(channel)
    if transport is None:
        logger.warning("No reporter transport for channel %r; the reporter is not told", channel)
        return False
    transport.notify(reporter_address=reporter_address, message=message, idempotency_key=idempotency_key)
    return True
