"""The webhook's one write: store every event of a signed body at once; the queue's workers take them from there."""

from __future__ import annotations

import logging

from pocketbook.incidents.channels.line.storage import line_events_insert, rows_from_body

logger = logging.getLogger(__name__)


def line_webhook_receive(*, body: bytes) -> list[int]:
    """Store the events of a verified body (each once) in one statement; return the new rows' ids.

    The `LineEvent` table is the work queue (see `queue/`), so there is nothing else to write: no task row.
    Raises `MalformedWebhookError` when the body is not a LINE webhook body (nothing is stored then).
    """
    rows = rows_from_body(body)
    new_ids = line_events_insert(rows)
    if len(new_ids) < len(rows):
        logger.info(
            "LINE webhook: %d of %d events were stored before (redelivery)", len(rows) - len(new_ids), len(rows)
        )
    return new_ids
