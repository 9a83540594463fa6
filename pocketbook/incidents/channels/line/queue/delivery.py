"""Step 3: send the stored answers (a reply token used once, pushes with a retry key) and mark them processed."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor

from django.utils import timezone
from linebot.v3.messaging import Message

from pocketbook.incidents.channels.line import client
from pocketbook.incidents.channels.line.queue.leases import Status
from pocketbook.incidents.models import LineEvent

logger = logging.getLogger(__name__)


def answer_messages(line_event: LineEvent) -> list[Message]:
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
    messages = answer_messages(line_event)
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
