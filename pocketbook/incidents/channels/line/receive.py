"""The webhook's one write: store every event of a signed body at once and queue its processing after commit."""

from __future__ import annotations

import logging

from django.db import transaction

from pocketbook.incidents.channels.line.storage import line_events_insert, rows_from_body

logger = logging.getLogger(__name__)


def line_webhook_receive(*, body: bytes) -> list[int]:
    """Store the events of a verified body (each once) and queue the new ones; return the new rows' ids.

    Raises `MalformedWebhookError` when the body is not a LINE webhook body (nothing is stored then).
    """
    from pocketbook.incidents.channels.line.tasks import line_events_process

    rows = rows_from_body(body)
    with transaction.atomic():
        new_ids = line_events_insert(rows)
        if new_ids:
            # One task per request keeps one user's events in order and costs one queue insert, not one per event.
            transaction.on_commit(lambda: line_events_process.enqueue(event_ids=new_ids))
    if len(new_ids) < len(rows):
        logger.info(
            "LINE webhook: %d of %d events were stored before (redelivery)", len(rows) - len(new_ids), len(rows)
        )
    return new_ids
