"""The LINE channel's reporter transport: a push with the idempotency key as `X-Line-Retry-Key`."""

from __future__ import annotations

from dataclasses import dataclass

from pocketbook.incidents.channels.line import client
from pocketbook.incidents.models import Incident, LineConversation
from pocketbook.incidents.transports import ReporterMessage


@dataclass(frozen=True)
class LineReporterTransport:
    channel: str = "line"

    def address_of(self, incident: Incident) -> str:
        """The LINE user who reported the incident."""
        return incident.reporter_line_user_id

    def can_reach(self, reporter_address: str) -> bool:
        """A LINE user can be pushed to unless they unfollowed the bot (one not heard of yet is taken to follow)."""
        following = (
            LineConversation.objects.filter(line_user_id=reporter_address)
            .values_list("is_following", flat=True)
            .first()
        )
        return following is not False

    def notify(self, *, reporter_address: str, message: ReporterMessage, idempotency_key: str) -> None:
        client.push_text(reporter_address, message.text, idempotency_key)
