"""The webhook's one write: store every event of a signed body at once, and queue its processing with the commit."""

from __future__ import annotations

import logging
from typing import Any

from django.db import router, transaction
from django_tasks.base import Task

from pocketbook.incidents.channels.line.storage import line_events_insert, rows_from_body
from pocketbook.incidents.models import LineEvent

logger = logging.getLogger(__name__)


def _queue_shares_this_transaction(task: Task[Any, Any]) -> bool:
    """Whether the task queue is a table of this same database (django-tasks-db), so enqueueing is transactional."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(task.get_backend(), DatabaseBackend) and router.db_for_write(
        DBTaskResult
    ) == router.db_for_write(LineEvent)


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
            if _queue_shares_this_transaction(line_events_process):
                # Stored in the same commit as the events (one disk flush, and never an event without its task);
                # the worker cannot see the task before the events are committed.
                line_events_process.enqueue(event_ids=new_ids)
            else:
                transaction.on_commit(lambda: line_events_process.enqueue(event_ids=new_ids))
    if len(new_ids) < len(rows):
        logger.info(
            "LINE webhook: %d of %d events were stored before (redelivery)", len(rows) - len(new_ids), len(rows)
        )
    return new_ids
