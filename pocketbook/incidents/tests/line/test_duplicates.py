"""Redelivery and the same body posted many times at once: stored once, answered once."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from pocketbook.core.tests.threads import run_at_once, run_together
from pocketbook.incidents.channels.line.queue.worker import events_drain
from pocketbook.incidents.models import Incident, LineEvent
from pocketbook.incidents.tests.line.conftest import body_of, location_event, post_signed, sent, text_event

THREADS = 8


@pytest.mark.django_db
def test_redelivery_is_not_answered_twice(chat, fake_line_ok):
    # given: a message answered once
    event = text_event("สวัสดี")
    chat(event)
    assert len(sent(fake_line_ok)) == 1

    # when: LINE redelivers it (same id, same reply token)
    redelivered = json.loads(json.dumps(event))
    redelivered["deliveryContext"]["isRedelivery"] = True
    chat(redelivered)

    # then
    assert len(sent(fake_line_ok)) == 1
    assert LineEvent.objects.count() == 1


@pytest.mark.django_db
def test_working_the_queue_again_does_nothing(chat, fake_line_ok):
    # given: an SOS, processed
    chat(location_event(7.5563, 99.6114))

    # when: workers look at the queue again
    claimed = events_drain() + events_drain(worker="another")

    # then
    assert claimed == 0
    assert Incident.objects.count() == 1
    assert len(sent(fake_line_ok)) == 1


def test_the_same_body_posted_at_once_by_many_is_stored_and_answered_once(database_for_threads, fake_line_ok):
    # given: one SOS event, posted by several connections at the same moment
    body = body_of(location_event(7.5563, 99.6114))
    statuses: list[int] = []

    def deliver() -> None:
        statuses.append(post_signed(Client(), body).status_code)

    # when: posted at once, then worked by several workers at once
    errors = run_at_once(deliver, threads=THREADS)
    _work_with_threads(3)

    # then
    assert errors == []
    assert statuses == [200] * THREADS
    assert LineEvent.objects.count() == 1
    assert LineEvent.objects.get().status == LineEvent.Status.PROCESSED
    assert Incident.objects.count() == 1
    assert [path for path, _body, _headers in sent(fake_line_ok)] == ["/v2/bot/message/reply"]


def test_overlapping_bodies_posted_at_once_store_each_event_once(database_for_threads, fake_line_ok):
    # given: ten events; each thread posts a different, overlapping slice of them
    events = [text_event(f"ข้อความ {number}", user_id=f"U{number:032d}") for number in range(10)]
    bodies = [body_of(*events[number : number + 5]) for number in range(0, 6)]
    statuses: list[int] = []

    def deliver(body: bytes) -> None:
        statuses.append(post_signed(Client(), body).status_code)

    # when
    errors = run_together([lambda body=body: deliver(body) for body in bodies])
    _work_with_threads(3)

    # then: every event once, each answered once
    assert errors == []
    assert statuses == [200] * len(bodies)
    assert sorted(LineEvent.objects.values_list("webhook_event_id", flat=True)) == sorted(
        event["webhookEventId"] for event in events
    )
    replies = [body["replyToken"] for path, body, _h in sent(fake_line_ok) if path == "/v2/bot/message/reply"]
    assert sorted(replies) == sorted(event["replyToken"] for event in events)


def _work_with_threads(count: int) -> None:
    """Several workers drain the queue at the same moment (each its own database connection)."""
    assert run_at_once(events_drain, threads=count) == []
