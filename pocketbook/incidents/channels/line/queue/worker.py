"""A worker's pass over the queue (claim, handle, answer), the loop that repeats it, and the /healthz check."""

from __future__ import annotations

import logging
import os
import statistics
import threading
import uuid
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.db.utils import OperationalError
from django.utils import timezone

from pocketbook.incidents.channels.line.queue.delivery import events_answer
from pocketbook.incidents.channels.line.queue.failures import event_failed, park_worn_out
from pocketbook.incidents.channels.line.queue.handling import Handled, event_handle, events_handle
from pocketbook.incidents.channels.line.queue.leases import WAITING, QueueSettings, Status, events_claim
from pocketbook.incidents.models import LineEvent

logger = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{os.uname().nodename[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def events_work(*, worker: str, config: QueueSettings | None = None) -> int:
    """One pass: claim a batch, handle and answer each event; log the acknowledgement→answer lag. Return claimed."""
    config = config or QueueSettings.current()
    park_worn_out(config)
    claimed = events_claim(worker=worker, limit=config.batch, lease_seconds=config.lease_seconds)
    lags: list[float] = []
    handled = _handle_claimed(claimed, worker)
    for event_id, error in handled.failed:
        event_failed(event_id=event_id, worker=worker, error=error, config=config)
    for line_event, outcome in events_answer(line_events=handled.to_answer, worker=worker):
        if isinstance(outcome, BaseException):
            logger.error("LINE event %s: the answer was not delivered: %s", line_event.webhook_event_id, outcome)
            event_failed(event_id=line_event.pk, worker=worker, error=outcome, config=config)
        else:
            lags.append((timezone.now() - line_event.received_at).total_seconds())
    if lags:
        logger.info(
            "LINE batch: %d events claimed, %d answered; lag from acknowledgement to answer median %.3f s, p99 %.3f s",
            len(claimed),
            len(lags),
            statistics.median(lags),
            percentile(lags, 0.99),
        )
    return len(claimed)


def _handle_claimed(claimed: list[int], worker: str) -> Handled:
    """The batch in one transaction; if it fails (an event raised), each event alone, so only the bad one fails."""
    if not claimed:
        return Handled(to_answer=[], failed=[])
    try:
        return events_handle(event_ids=claimed, worker=worker)
    except OperationalError:
        raise  # the database is away or locked: the loop waits and the leases run out
    except Exception:
        logger.warning("LINE batch of %d events rolled back; handling them one by one", len(claimed), exc_info=True)
    handled = Handled(to_answer=[], failed=[])
    for event_id in claimed:
        try:
            line_event = event_handle(event_id=event_id, worker=worker)
        except Exception as error:
            logger.exception("LINE event row %s failed", event_id)
            handled.failed.append((event_id, error))
            continue
        if line_event is not None and line_event.status == Status.ANSWERING:
            handled.to_answer.append(line_event)
    return handled


def events_drain(*, worker: str | None = None) -> int:
    """Work until nothing can be claimed now (events waiting for a backoff stay); return how many were claimed."""
    worker = worker or worker_name()
    total = 0
    while claimed := events_work(worker=worker):
        total += claimed
    return total


def events_run(*, stop: threading.Event, interval: float = 0.2, worker: str | None = None) -> None:
    """Work the queue until `stop` is set: at once while there is work, every `interval` seconds when idle."""
    worker = worker or worker_name()
    logger.info("LINE event worker %s started", worker)
    while not stop.is_set():
        close_old_connections()
        try:
            claimed = events_work(worker=worker)
        except OperationalError as error:  # the database went away or is locked: try again shortly
            logger.warning("LINE event worker: %s", error)
            claimed = 0
        if not claimed:
            stop.wait(interval)
    close_old_connections()


def oldest_unclaimed_wait(now: datetime | None = None) -> float:
    """Seconds the oldest event due for work has waited without a worker holding it (0 when none)."""
    now = now or timezone.now()
    oldest = (
        LineEvent.objects.filter(status__in=WAITING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .order_by("received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    return max(0.0, (now - oldest).total_seconds()) if oldest else 0.0


def events_waiting_too_long() -> str | None:
    """The /healthz check: a LINE event due for work has waited longer than HEALTHZ_MAX_EVENT_WAIT_SECONDS."""
    limit = float(settings.HEALTHZ_MAX_EVENT_WAIT_SECONDS)
    waited = oldest_unclaimed_wait()
    if waited > limit:
        return (
            f"a LINE event has waited {waited:.0f} s for a worker (limit {limit:.0f} s): "
            "is `pocketbook db_worker` running?"
        )
    return None
