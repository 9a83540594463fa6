"""The `LineEvent` table is the LINE events' work queue: claim with a lease, handle, answer, exactly once in effect.

One pass of a worker:

1. **Claim** (one short transaction): take up to a batch of waiting events whose lease is free, at most the
   earliest waiting event of each LINE user (so one user's events are handled in LINE's timestamp order, across
   batches and workers), and write a lease on them. PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`; SQLite
   (one writer at a time): `UPDATE … RETURNING`.
2. **Handle** each event in one transaction with its effects: lock the row, check the lease is still ours, run the
   chat flow, store the answer on the row and mark it `answering` (or `processed`/`ignored`). A worker that dies
   here leaves nothing: the transaction rolls back and the lease runs out.
3. **Answer**: send the stored answer, then mark the row `processed`. A reply token is used once: the first use is
   written down before it is sent, so after a crash a 400 on a still-fresh token means our earlier reply went
   through. Pushes carry an `X-Line-Retry-Key` derived from the event; LINE answers 409 to a repeat.

A failure (an exception, LINE refusing) clears the lease and sets a backoff; after `LINE_EVENT_MAX_FAILURES`
failures (or `LINE_EVENT_MAX_CLAIMS` claims, a worker dying on the event each time) the event is parked as
`failed` with its error, which stops blocking its user's later events; an administrator can retry it.
"""

from __future__ import annotations

import logging
import os
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.db.utils import OperationalError
from django.utils import timezone
from linebot.v3.messaging import Message

from pocketbook.incidents import services
from pocketbook.incidents.channels.line import client, processing
from pocketbook.incidents.models import LineEvent

logger = logging.getLogger(__name__)

Status = LineEvent.Status
WAITING = (Status.RECEIVED, Status.ANSWERING)


@dataclass(frozen=True)
class QueueSettings:
    lease_seconds: float
    batch: int
    max_failures: int
    max_claims: int
    backoff_seconds: float

    @classmethod
    def current(cls) -> QueueSettings:
        return cls(
            lease_seconds=float(settings.LINE_EVENT_LEASE_SECONDS),
            batch=int(settings.LINE_EVENT_BATCH),
            max_failures=int(settings.LINE_EVENT_MAX_FAILURES),
            max_claims=int(settings.LINE_EVENT_MAX_CLAIMS),
            backoff_seconds=float(settings.LINE_EVENT_BACKOFF_SECONDS),
        )


def worker_name() -> str:
    return f"{os.uname().nodename[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


# --- 1. claim ---------------------------------------------------------------------------------------------------

_WAITING_HEAD = """
    e.status IN ('received', 'answering')
    AND (e.lease_until IS NULL OR e.lease_until < %s)
    AND (e.not_before IS NULL OR e.not_before <= %s)
    AND (e.line_user_id = '' OR NOT EXISTS (
        SELECT 1 FROM {table} p
        WHERE p.line_user_id = e.line_user_id AND p.status IN ('received', 'answering')
          AND (COALESCE(p.event_timestamp, 0) < COALESCE(e.event_timestamp, 0)
               OR (COALESCE(p.event_timestamp, 0) = COALESCE(e.event_timestamp, 0) AND p.id < e.id))))
"""


def _db_time(value: datetime) -> Any:
    return LineEvent._meta.get_field("lease_until").get_db_prep_value(value, connection)


def events_claim(*, worker: str, limit: int, lease_seconds: float) -> list[int]:
    """Lease up to `limit` events, the earliest waiting one of each user; return their ids in claim order."""
    table = connection.ops.quote_name(LineEvent._meta.db_table)
    now = timezone.now()
    lease_until = now + timedelta(seconds=lease_seconds)
    head = _WAITING_HEAD.format(table=table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH picked AS (SELECT e.id FROM {table} e WHERE {head} "  # noqa: S608
                "ORDER BY e.id LIMIT %s FOR UPDATE OF e SKIP LOCKED) "
                f"UPDATE {table} SET lease_until = %s, leased_by = %s, attempts = attempts + 1 "
                "WHERE id IN (SELECT id FROM picked) RETURNING id",
                [now, now, limit, lease_until, worker],
            )
        else:
            cursor.execute(
                f"UPDATE {table} SET lease_until = %s, leased_by = %s, attempts = attempts + 1 "  # noqa: S608
                f"WHERE id IN (SELECT e.id FROM {table} e WHERE {head} ORDER BY e.id LIMIT %s) RETURNING id",
                [_db_time(lease_until), worker, _db_time(now), _db_time(now), limit],
            )
        return sorted(row_id for (row_id,) in cursor.fetchall())


# --- 2. handle --------------------------------------------------------------------------------------------------


def _mine(event_id: int, worker: str) -> Q:
    return Q(pk=event_id, leased_by=worker, status__in=WAITING)


def _outcome_store(line_event: LineEvent, outcome: processing.Outcome, now: datetime) -> None:
    """Write the flow's outcome on the row (not saved): the answer to send, or processed/ignored and lease freed."""
    answer = [message.to_dict() for message in outcome.answer[:5]]  # LINE takes at most five at once
    if answer:
        line_event.status = Status.ANSWERING
    else:
        line_event.status = Status.IGNORED if outcome.ignored_because else Status.PROCESSED
    line_event.answer = answer or None
    line_event.error = outcome.ignored_because or outcome.note
    line_event.processed_at = now
    if not answer:
        line_event.leased_by, line_event.lease_until = "", None


_HANDLED_FIELDS = ["status", "answer", "error", "processed_at", "leased_by", "lease_until"]


def event_handle(*, event_id: int, worker: str) -> LineEvent | None:
    """Run one claimed event's flow and store its answer in one transaction; return the row (None if lost)."""
    line_event = LineEvent.objects.filter(_mine(event_id, worker)).first()
    if line_event is None:
        return None
    if line_event.status == Status.ANSWERING:
        return line_event  # handled before a crash: only the answer is left to send
    inbound = processing.inbound_prepare(line_event)  # may download a photo: outside the transaction
    with transaction.atomic():
        line_event = LineEvent.objects.select_for_update().filter(_mine(event_id, worker)).first()
        if line_event is None or line_event.status != Status.RECEIVED:
            return line_event  # our lease ran out and another worker took the event over
        outcome = processing.event_handle(line_event, inbound)
        _outcome_store(line_event, outcome, timezone.now())
        line_event.save(update_fields=_HANDLED_FIELDS)
    return line_event


def _handled_store(rows: list[LineEvent], worker: str, now: datetime) -> None:
    """Write the outcomes of a batch in one UPDATE (`bulk_update`'s CASE per row and field costs more than the flow).

    An answered row keeps its lease until the answer is sent; the others free it.
    """
    if not rows:
        return
    table = connection.ops.quote_name(LineEvent._meta.db_table)
    answer_field = LineEvent._meta.get_field("answer")
    jsonb = "::jsonb" if connection.vendor == "postgresql" else ""
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for row in rows:
        params += [row.pk, row.status, answer_field.get_db_prep_value(row.answer, connection), row.error]
    keeps_lease = connection.ops.quote_name("status") + " = 'answering'"
    sql = (
        f"WITH handled(id, status, answer, error) AS (VALUES {values}) "  # noqa: S608 - names from the model
        f"UPDATE {table} SET status = handled.status, answer = CAST(handled.answer AS TEXT){jsonb}, "
        "error = handled.error, processed_at = %s, "
        f"leased_by = CASE WHEN handled.{keeps_lease} THEN %s ELSE '' END, "
        f"lease_until = CASE WHEN handled.{keeps_lease} THEN {table}.lease_until ELSE NULL END "
        f"FROM handled WHERE {table}.id = handled.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, _db_time(now), worker])


@dataclass
class Handled:
    """What handling a batch left: the rows whose answer is to be sent, and the events that failed."""

    to_answer: list[LineEvent]
    failed: list[tuple[int, BaseException]]


def events_handle(*, event_ids: list[int], worker: str) -> Handled:
    """Handle a claimed batch in one transaction: the events' effects and their rows commit together.

    A batch holds at most one event of each user (the claim's rule), so each conversation is locked once, with
    the others' in one query. No savepoint per event (two round trips each, half the time of a batch on a busy
    PostgreSQL): an event that raises rolls the whole batch back, and the caller then handles the events one by
    one, so only the bad one fails. Rows handled before a crash (`answering`) only have their answer left to send.
    """
    rows = list(LineEvent.objects.filter(pk__in=event_ids, leased_by=worker, status__in=WAITING).order_by("pk"))
    handled = Handled(to_answer=[row for row in rows if row.status == Status.ANSWERING], failed=[])
    inbounds: dict[int, Any] = {}
    for row in rows:
        if row.status != Status.RECEIVED:
            continue
        try:
            inbounds[row.pk] = processing.inbound_prepare(row)  # may download a photo: outside the transaction
        except Exception as error:
            logger.exception("LINE event row %s failed", row.pk)
            handled.failed.append((row.pk, error))
    if not inbounds:
        return handled
    done: list[LineEvent] = []
    with transaction.atomic():
        locked = list(
            LineEvent.objects.select_for_update()
            .filter(pk__in=list(inbounds), leased_by=worker, status=Status.RECEIVED)
            .order_by("pk")
        )  # a row missing here: our lease ran out and another worker took the event over
        people = [row.line_user_id for row in locked if processing.is_person_event(row)]
        conversations = services.line_conversations_lock(line_user_ids=people)
        now = timezone.now()
        for row in locked:
            conversation = conversations.get(row.line_user_id) if processing.is_person_event(row) else None
            outcome = processing.event_handle(row, inbounds[row.pk], conversation=conversation)
            _outcome_store(row, outcome, now)
            done.append(row)
        _handled_store(done, worker, now)
    handled.to_answer += [row for row in done if row.status == Status.ANSWERING]
    return handled


# --- 3. answer --------------------------------------------------------------------------------------------------


def _messages(line_event: LineEvent) -> list[Message]:
    return [Message.from_dict(item) for item in line_event.answer or []]


def _reply_token(line_event: LineEvent) -> str:
    """The event's reply token while it is fresh, else ""."""
    token = line_event.payload.get("replyToken") if isinstance(line_event.payload, dict) else None
    fresh = client.reply_token_is_fresh(line_event.event_timestamp)
    return token if isinstance(token, str) and token and fresh else ""


def _deliver(line_event: LineEvent, *, tried_before: bool) -> str:
    """Send the stored answer once; return how ("reply", "push" or "reply-before" when an earlier try went).

    No database access here (it runs in the batch's sending threads): the caller wrote down, before this runs,
    that the reply token is about to be used; `tried_before` says whether it had been tried before that.
    """
    messages = _messages(line_event)
    token = _reply_token(line_event)
    if token:
        for attempt in range(len(client.RETRY_DELAYS_SECONDS) + 1):
            try:
                client.reply_once(token, messages)
                return "reply"
            except client.LineDeliveryError as error:
                if error.status == 400:
                    if tried_before:  # our earlier try used the token, so the reporter has the answer
                        return "reply-before"
                    break  # LINE refused a token we never used: it expired or is invalid; push instead
                if not client.is_retryable_status(error.status) or attempt == len(client.RETRY_DELAYS_SECONDS):
                    raise
                tried_before = True  # the request may have reached LINE before the error
                client.sleep(client.RETRY_DELAYS_SECONDS[attempt])
    elif line_event.reply_tried_at is not None:
        logger.warning(
            "LINE event %s: a reply was tried before a crash and its token has expired since; pushing the answer, "
            "which the reporter may receive twice",
            line_event.webhook_event_id,
        )
    if not line_event.line_user_id:
        raise client.LineDeliveryError("no fresh reply token and no user to push to")
    client.push_messages(
        line_event.line_user_id, messages, client.retry_key_for(line_event.webhook_event_id, "answer")
    )
    return "push"


# LINE answers in 30–80 ms from Thailand: 16 threads keep up with 200 answers/s and more (LINE allows 2,000/s).
SENDING_THREADS = 16
_sending: dict[str, ThreadPoolExecutor] = {}


def _sending_pool() -> ThreadPoolExecutor:
    """The worker's sending threads, kept across batches so that each keeps its open connection to LINE."""
    if "pool" not in _sending:
        _sending["pool"] = ThreadPoolExecutor(max_workers=SENDING_THREADS, thread_name_prefix="line-send")
    return _sending["pool"]


os.register_at_fork(after_in_child=_sending.clear)  # a forked child has none of its parent's threads


def events_answer(*, line_events: list[LineEvent], worker: str) -> list[tuple[LineEvent, str | BaseException]]:
    """Deliver the answers of handled events (one per user) at once; mark the delivered ones processed.

    1. one UPDATE writes down, for every event about to use its reply token, that the token is being used;
    2. the answers go out concurrently (LINE calls only, no database);
    3. one UPDATE per way of delivery marks the delivered events processed (only those still leased to us).
    Returns each event with how it went out, or the exception that stopped it.
    """
    if not line_events:
        return []
    tried_before = {line_event.pk: line_event.reply_tried_at is not None for line_event in line_events}
    first_tries = [e.pk for e in line_events if _reply_token(e) and not tried_before[e.pk]]
    if first_tries:
        LineEvent.objects.filter(pk__in=first_tries, leased_by=worker).update(reply_tried_at=timezone.now())

    def send(line_event: LineEvent) -> str | BaseException:
        try:
            return _deliver(line_event, tried_before=tried_before[line_event.pk])
        except Exception as error:
            return error

    alone = len(line_events) == 1  # one answer goes out from this thread
    outcomes = [send(line_events[0])] if alone else list(_sending_pool().map(send, line_events))
    now = timezone.now()
    by_way: dict[str, list[int]] = {}
    for line_event, outcome in zip(line_events, outcomes, strict=True):
        if isinstance(outcome, str):
            by_way.setdefault(outcome[:8], []).append(line_event.pk)
    for way, ids in by_way.items():
        LineEvent.objects.filter(pk__in=ids, leased_by=worker, status=Status.ANSWERING).update(
            status=Status.PROCESSED, answered_at=now, answered_via=way, leased_by="", lease_until=None
        )
    return list(zip(line_events, outcomes, strict=True))


# --- failures ---------------------------------------------------------------------------------------------------


def event_failed(*, event_id: int, worker: str, error: BaseException, config: QueueSettings) -> None:
    """Record a failure: back off, or park the event as failed after too many."""
    text = f"{type(error).__name__}: {error}"[:2000]
    line_event = LineEvent.objects.filter(_mine(event_id, worker)).first()
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


def _park_worn_out(config: QueueSettings) -> None:
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


# --- a pass and the loop ----------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def events_work(*, worker: str, config: QueueSettings | None = None) -> int:
    """One pass: claim a batch, handle and answer each event; log the acknowledgement→answer lag. Return claimed."""
    config = config or QueueSettings.current()
    _park_worn_out(config)
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
