"""Processes killed with SIGKILL at random moments lose nothing and repeat nothing (issue 9).

Workers and web servers run in forked processes (fork is fast, so many kills fit in a few seconds) and are
killed with SIGKILL while they work: during the claim, the flow's transaction, the reply or push, the commits.
Afterwards every event is done, each answer reached the reporter exactly once, and each SOS opened one incident.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable

from django.db import connections

from pocketbook.incidents.channels.line import client as line_client
from pocketbook.incidents.channels.line.queue.leases import WAITING
from pocketbook.incidents.channels.line.queue.worker import events_run, events_work, worker_name
from pocketbook.incidents.models import Incident, LineEvent
from pocketbook.incidents.tests.line.conftest import (
    TEST_SECRET,
    body_of,
    line_sign,
    location_event,
    post_signed,
    text_event,
    user_event,
)

USERS = 50
MID_WORK_KILLS = 20  # kills that must strike a worker holding events
MAX_KILLS = 200  # a bound, so a worker that never holds events cannot loop the test forever


def _events_of_fifty_users() -> list[dict]:
    """200 events: each of 50 users follows, presses SOS, sends the location, asks for the status."""
    events = []
    for step in range(4):
        for number in range(USERS):
            user_id = f"U{number:032d}"
            if step == 0:
                events.append(user_event("follow", user_id=user_id))
            elif step == 1:
                events.append(text_event("SOS", user_id=user_id))
            elif step == 2:
                events.append(location_event(7.5563, 99.6114, user_id=user_id))
            else:
                events.append(text_event("สถานะ", user_id=user_id))
    return events


def _in_child(work: Callable[[], None]) -> int:
    """Fork; the child forgets the parent's database connections (without closing them) and does `work`."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        kept = []
        for conn in connections.all(initialized_only=True):
            kept.append(conn.connection)  # closing would end the parent's session too
            conn.connection = None
        random.seed()
        work()
    except BaseException:
        code = 1
    os._exit(code)


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _work_until_done() -> None:
    worker = worker_name()
    deadline = time.monotonic() + 60
    while LineEvent.objects.filter(status__in=WAITING).exists() and time.monotonic() < deadline:
        if not events_work(worker=worker):
            time.sleep(0.05)  # a dead worker's lease has not run out yet


def _finish_in_child() -> None:
    pid = _in_child(_work_until_done)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def _assert_every_event_answered_once(events: list[dict], line_like) -> None:
    assert Counter(LineEvent.objects.values_list("status", flat=True)) == Counter({"processed": len(events)})
    by_token = {event["replyToken"]: event["webhookEventId"] for event in events}
    by_key = {
        line_client.retry_key_for(event["webhookEventId"], "answer"): event["webhookEventId"] for event in events
    }
    delivered = []
    for how, _to, body, key in line_like.delivered:
        delivered.append(by_token[body["replyToken"]] if how == "reply" else by_key[key])
    assert sorted(delivered) == sorted(event["webhookEventId"] for event in events)  # each once, none missing
    incidents = Counter(Incident.objects.values_list("reporter_line_user_id", flat=True))
    assert incidents == Counter({f"U{number:032d}": 1 for number in range(USERS)})


def test_a_worker_killed_at_random_moments_answers_every_event_exactly_once(
    database_for_threads, fake_line_ok, line_like, client, settings
):
    # given: 200 events of 50 users, stored by the webhook; short leases so a dead worker's events return soon
    settings.LINE_EVENT_LEASE_SECONDS = 0.3
    settings.LINE_EVENT_BATCH = 8
    events = _events_of_fifty_users()
    for start in range(0, len(events), 10):
        assert post_signed(client, body_of(*events[start : start + 10])).status_code == 200
    rng = random.Random(9)
    seen: Counter[str] = Counter()
    holding = 0

    # when: a worker starts, is killed with SIGKILL after a random moment, and another starts, until 20 kills
    # struck a worker in the middle of events (on a fast machine a worker gets through more before it dies)
    for _ in range(MAX_KILLS):
        if holding >= MID_WORK_KILLS or not LineEvent.objects.filter(status__in=WAITING).exists():
            break
        pid = _in_child(lambda: events_run(stop=_never(), interval=0.01))
        # Short lives: on a fast machine a worker that lives longer gets through the 200 events before 20 kills.
        time.sleep(rng.uniform(0.005, 0.08))
        _kill(pid)
        phases = _where_it_died()
        seen.update(phases)
        holding += phases != ["between batches"]
    _finish_in_child()

    # then
    _assert_every_event_answered_once(events, line_like)
    print(dict(seen))  # what the dead workers held: claimed or handling, handled but not sent, replying
    assert holding >= 20  # at least 20 kills struck a worker in the middle of events


def test_a_web_worker_killed_while_posting_loses_and_repeats_nothing(database_for_threads, fake_line_ok, line_like):
    # given: a web server in a child process, and LINE's habit of sending again what got no 200
    events = _events_of_fifty_users()
    bodies = [body_of(*events[start : start + 5]) for start in range(0, len(events), 5)]
    waiting = list(range(len(bodies)))
    rng = random.Random(8)
    kills = 0

    # when: the server is killed at random moments while bodies are posted, and started again
    while waiting:
        port = _free_port()
        pid = _in_child(lambda port=port: _serve(port))
        _wait_for(port)
        deadline = time.monotonic() + rng.uniform(0.05, 0.3)
        while waiting and time.monotonic() < deadline:
            if _post(port, bodies[waiting[0]]) == 200:
                waiting.pop(0)
        _kill(pid)
        kills += 1
    _finish_in_child()

    # then
    assert kills >= 2
    assert LineEvent.objects.count() == len(events)
    _assert_every_event_answered_once(events, line_like)


# --- helpers ----------------------------------------------------------------------------------------------------


def _never():
    import threading

    return threading.Event()


def _where_it_died() -> list[str]:
    """What the killed worker held: each leased row by its phase."""
    phases = []
    for status, tried in LineEvent.objects.exclude(leased_by="").values_list("status", "reply_tried_at"):
        if status == "received":
            phases.append("claimed or handling")
        elif tried is None:
            phases.append("handled, before sending")
        else:
            phases.append("replying")
    return phases or ["between batches"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(port: int) -> None:
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from pocketbook.wsgi import application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    with make_server("127.0.0.1", port, application, handler_class=Quiet) as server:
        server.serve_forever()


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.01)
    raise AssertionError("the web server did not start")


def _post(port: int, body: bytes) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/ess/line/webhook",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Line-Signature": line_sign(TEST_SECRET, body)},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # the connection died with the server: LINE sends the body again later
