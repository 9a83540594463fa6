"""The LINE events' queue: leases, one user's order, answers sent once, failures backed off and parked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pocketbook.incidents.channels.line import client as line_client
from pocketbook.incidents.channels.line.queue.delivery import answer_messages
from pocketbook.incidents.channels.line.queue.handling import event_handle
from pocketbook.incidents.channels.line.queue.leases import events_claim
from pocketbook.incidents.channels.line.queue.worker import events_drain, events_work
from pocketbook.incidents.models import Incident, LineConversation, LineEvent
from pocketbook.incidents.tests.line.conftest import body_of, image_event, post_signed, text_event, user_event

pytestmark = pytest.mark.django_db

OTHER_USER = "U" + "7" * 32


def _store(client, *events) -> None:
    assert post_signed(client, body_of(*events)).status_code == 200


def _row(event) -> LineEvent:
    return LineEvent.objects.get(webhook_event_id=event["webhookEventId"])


def test_one_users_events_are_claimed_one_at_a_time_in_timestamp_order(client, fake_line_ok):
    # given: a user's two events stored in the opposite order of their timestamps, and another user's event
    first = text_event("สวัสดี")
    second = text_event("สถานะ")
    second["timestamp"] = first["timestamp"] + 1
    _store(client, second, first)
    other = text_event("สวัสดี", user_id=OTHER_USER)
    _store(client, other)

    # when: two workers claim at once
    claimed_a = events_claim(worker="a", limit=10, lease_seconds=30)
    claimed_b = events_claim(worker="b", limit=10, lease_seconds=30)

    # then: the earlier event of the user and the other user's; nothing more until the first is done
    assert claimed_a == sorted([_row(first).pk, _row(other).pk])
    assert claimed_b == []


def test_an_expired_lease_is_claimed_again_and_the_first_worker_then_does_nothing(client, fake_line_ok, line_like):
    # given: worker a claimed an SOS and its lease ran out before it handled it
    event = text_event("SOS")
    _store(client, event)
    assert events_claim(worker="a", limit=10, lease_seconds=-1) == [_row(event).pk]

    # when: worker b claims and works it, then worker a wakes up
    assert events_work(worker="b") == 1
    late = event_handle(event_id=_row(event).pk, worker="a")

    # then
    assert late is None
    assert Incident.objects.count() == 1
    assert len(line_like.delivered) == 1
    assert (_row(event).status, _row(event).attempts) == ("processed", 2)


def test_a_reply_tried_before_a_crash_is_not_sent_again(client, fake_line_ok, line_like):
    # given: the answer went out by reply, then the worker died before writing it down
    event = text_event("สวัสดี")
    _store(client, event)
    worker = "a"
    events_claim(worker=worker, limit=1, lease_seconds=30)
    handled = event_handle(event_id=_row(event).pk, worker=worker)
    LineEvent.objects.filter(pk=handled.pk).update(reply_tried_at=timezone.now())
    line_client.reply_once(event["replyToken"], answer_messages(handled))
    LineEvent.objects.filter(pk=handled.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    # when: another worker takes the event up
    events_drain()

    # then: LINE refused the used token, which tells us it was delivered: no push
    assert [how for how, *_rest in line_like.delivered] == ["reply"]
    assert (_row(event).status, _row(event).answered_via) == ("processed", "reply-be")


def test_a_token_never_used_but_refused_gives_way_to_one_push_with_the_events_retry_key(
    client, fake_line_ok, line_like
):
    # given: a reply token LINE does not know (it expired early)
    event = text_event("สวัสดี", replyToken="unknown-token")

    # when
    _store(client, event)
    events_drain()

    # then
    assert [(how, key) for how, _to, _body, key in line_like.delivered] == [
        ("push", line_client.retry_key_for(event["webhookEventId"], "answer"))
    ]


def test_a_push_already_accepted_counts_as_delivered(client, fake_line_ok, line_like):
    # given: an event too old to reply to, whose push LINE accepted before the worker died
    event = text_event("สวัสดี", fresh=False)
    _store(client, event)
    line_like.accepted_keys[line_client.retry_key_for(event["webhookEventId"], "answer")] = "req-0"

    # when
    events_drain()

    # then: LINE answered 409 and delivered nothing again
    assert line_like.delivered == []
    assert (_row(event).status, _row(event).answered_via) == ("processed", "push")


def test_failures_back_off_then_park_without_blocking_others_and_an_admin_retries(
    client, fake_line, settings, admin_client
):
    # given: LINE answers pushes with 500 for now; two failures park an event
    settings.LINE_EVENT_MAX_FAILURES = 2
    settings.LINE_EVENT_BACKOFF_SECONDS = 0
    pushes = []

    def broken(request):
        from werkzeug import Response

        pushes.append(request)
        return Response("{}", status=500, content_type="application/json")

    fake_line.expect_request("/v2/bot/message/push").respond_with_handler(broken)
    stuck = text_event("สวัสดี", fresh=False)
    _store(client, stuck)

    # when
    events_drain()

    # then: parked as failed with its error, after two rounds of four attempts
    row = _row(stuck)
    assert (row.status, row.failures) == ("failed", 2)
    assert row.error == "LineDeliveryError: LINE push failed: HTTP 500"
    assert len(pushes) == 8

    # and a later event of the same user is not blocked by the parked one
    later = user_event("unfollow")
    _store(client, later)
    events_drain()
    assert _row(later).status == "processed"

    # when: LINE is back and an administrator retries
    fake_line.clear()
    fake_line.expect_request("/v2/bot/message/push").respond_with_json({})
    response = admin_client.post(
        "/admin/incidents/lineevent/", {"action": "retry", "_selected_action": [row.pk]}, follow=True
    )
    events_drain()

    # then
    assert response.status_code == 200
    assert _row(stuck).status == "processed"


def test_healthz_is_503_when_line_events_wait_without_a_worker(client, line_settings, settings):
    # given: an event that has waited two minutes, none leased
    settings.HEALTHZ_MAX_EVENT_WAIT_SECONDS = 60
    _store(client, text_event("สวัสดี"))
    assert client.get("/healthz").status_code == 200
    LineEvent.objects.update(received_at=timezone.now() - timedelta(seconds=120))

    # when
    response = client.get("/healthz")

    # then
    assert response.status_code == 503
    reason = response.json()["problems"]["line_events"]
    assert reason.startswith("a LINE event has waited 120 s for a worker (limit 60 s)")
    assert "pocketbook db_worker" in reason


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between rounds, as in production
def test_db_worker_works_the_line_events_too(client, fake_line_ok, line_like, settings):
    # given: production's task backend and an event waiting
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    event = text_event("สวัสดี")
    _store(client, event)

    # when: the worker runs once through everything waiting
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    # then
    assert (_row(event).status, _row(event).answered_via) == ("processed", "reply")
    assert [how for how, *_rest in line_like.delivered] == ["reply"]


def test_a_batch_is_one_transaction_where_a_failing_event_rolls_back_alone(client, fake_line_ok, line_like):
    # given: one user's conversation points at an incident that is gone (bad data), another user presses SOS;
    # both events are in one batch
    LineConversation.objects.create(line_user_id=OTHER_USER, state="reported", data={"incident_id": 987654})
    bad = image_event("5551", provider={"type": "external", "originalContentUrl": "https://x.test/a.jpg"})
    bad["source"]["userId"] = OTHER_USER
    sos = text_event("SOS")
    _store(client, bad, sos)

    # when: one pass of a worker
    claimed = events_work(worker="w")

    # then: the SOS opened its incident and was answered; the bad event alone failed, backed off, changed nothing
    assert claimed == 2
    assert (_row(sos).status, _row(sos).answered_via) == ("processed", "reply")
    assert Incident.objects.filter(channel="line", priority="high").count() == 1
    failed = _row(bad)
    assert (failed.status, failed.failures, failed.leased_by) == ("received", 1, "")
    assert failed.error == "DoesNotExist: Incident matching query does not exist."
    assert failed.not_before is not None
    conversation = LineConversation.objects.get(line_user_id=OTHER_USER)
    assert (conversation.state, conversation.data) == ("reported", {"incident_id": 987654})
    assert [how for how, *_rest in line_like.delivered] == ["reply"]
