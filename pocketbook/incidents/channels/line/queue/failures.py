"""Failures: back off and try again, park an event that keeps failing, and put parked events back (the admin)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from pocketbook.incidents.channels.line.queue.leases import WAITING, QueueSettings, Status, leased_to
from pocketbook.incidents.models import LineEvent

logger = logging.getLogger(__name__)


def event_failed(*, event_id: int, worker: str, error: BaseException, config: QueueSettings) -> None:
    """Record a failure: back off, or park the event as failed after too many."""
    text = f"{type(error).__name__}: {error}"[:2000]
    line_event = LineEvent.objects.filter(leased_to(event_id, worker)).first()
    if line_event is None:
        return
    failures = line_event.failures + 1
    parked = failures >= config.max_failures
    delay = config.backoff_seconds * 2 ** (failures - 1)
    LineEvent.objects.filter(pk=event_id, leased_by=worker).update(
        failures=failures,
        error=text,
        status=Status.FAILED if parked else line_event.status,
        not_before=None if parked else timezone.now() + timedelta(seconds=delay),
        leased_by="",
        lease_until=None,
    )
    if parked:
        logger.error(
            "LINE event %s parked as failed after %d failures: %s", line_event.webhook_event_id, failures, text
        )
    else:
        logger.warning(
            "LINE event %s failed (%d), retry in %.1f s: %s", line_event.webhook_event_id, failures, delay, text
        )


PARK_EVERY_SECONDS = 5.0  # worn-out events are rare: look for them now and then, not on every pass of a busy worker
_last_park_look = {"at": float("-inf")}


def park_worn_out(config: QueueSettings) -> None:
    """Park events claimed too often without finishing (a worker died on each of them)."""
    now = time.monotonic()
    if now - _last_park_look["at"] < PARK_EVERY_SECONDS:
        return
    _last_park_look["at"] = now
    worn = LineEvent.objects.filter(status__in=WAITING, attempts__gte=config.max_claims).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now())
    )
    for line_event in worn:
        logger.error("LINE event %s parked: claimed %d times without finishing", line_event, line_event.attempts)
    worn.update(
        status=Status.FAILED,
        error=f"claimed {config.max_claims} times without finishing (the worker died each time)",
        leased_by="",
        lease_until=None,
    )


def event_retry(*, event_ids: list[int]) -> int:
    """Put parked events back in the queue (the admin's "retry"): handled ones only resend their answer."""
    failed = LineEvent.objects.filter(pk__in=event_ids, status=Status.FAILED)
    reset = {"failures": 0, "attempts": 0, "not_before": None, "error": "", "leased_by": "", "lease_until": None}
    count = failed.filter(answer__isnull=False, answered_at__isnull=True).update(status=Status.ANSWERING, **reset)
    count += failed.filter(answer__isnull=True).update(status=Status.RECEIVED, **reset)
    return count
