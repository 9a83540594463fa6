"""`pocketbook line_simulate` against a live server: the person types, the bot's Thai answers are shown."""

from __future__ import annotations

import io
import socket
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from pocketbook.incidents.channels.line.queue.worker import events_run
from pocketbook.incidents.models import Incident


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_person_reports_from_the_terminal(live_server, line_settings, settings):
    # given: the server answers to the simulator's fake LINE API
    port = free_port()
    settings.LINE_API_BASE_URL = f"http://127.0.0.1:{port}"
    settings.LINE_DATA_API_BASE_URL = f"http://127.0.0.1:{port}"
    # A pass that fails (the database busy) leaves its event to wait for the lease to run out: short leases and
    # a patient simulator keep that a delay, not a missed answer.
    settings.LINE_EVENT_LEASE_SECONDS = 1
    settings.LINE_EVENT_BACKOFF_SECONDS = 0.2
    typed = io.StringIO("/follow\n#1\n#1\n/loc\nมีคนถือมีดขู่\n/photo\nสถานะ\n/nonsense\n#42\n/quit\n")
    out = io.StringIO()

    # when: a worker works the LINE events beside the server, as `pocketbook db_worker` does
    stop = threading.Event()
    worker = threading.Thread(target=_worker, args=(stop, connections["default"]))
    worker.start()
    try:
        call_command(
            "line_simulate", url=live_server.url, port=port, user="Usimtest", wait=20, stdin=typed, stdout=out
        )
    finally:
        stop.set()
        worker.join(timeout=30)

    # then
    incident = Incident.objects.get()
    assert (incident.incident_type, incident.reporter_line_user_id) == ("assault", "Usimtest")
    assert incident.description == "มีคนถือมีดขู่"
    assert incident.attachments.count() == 1
    shown = out.getvalue()
    assert "สวัสดีค่ะ ที่นี่ ESS" in shown
    assert "[#1 แจ้งเหตุ]  [#2 สถานะ]" in shown
    assert f"รับแจ้งเหตุแล้ว เลขที่ {incident.number}" in shown
    assert f"แนบรูปในเรื่องเลขที่ {incident.number} แล้ว" in shown
    assert "เรื่องที่ท่านแจ้งและกำลังดำเนินการ:" in shown
    assert "Unknown command /nonsense" in shown
    assert "There is no button #42." in shown
    assert "no answer within" not in shown


def _worker(stop: threading.Event, main_connection) -> None:
    # An in-memory SQLite test database lives in the main thread's connection: share it, as the live server
    # does. A file database (the test settings' choice) or PostgreSQL gives this thread its own connection.
    shared = main_connection.vendor == "sqlite" and main_connection.is_in_memory_db()
    if shared:
        main_connection.inc_thread_sharing()
        connections["default"] = main_connection
    try:
        events_run(stop=stop, interval=0.05)
    finally:
        if shared:
            main_connection.dec_thread_sharing()
        else:
            connection.close()


def test_without_a_secret_it_says_what_to_set(settings):
    settings.LINE_CHANNEL_SECRET = ""

    with pytest.raises(Exception, match="LINE_CHANNEL_SECRET"):
        call_command("line_simulate", stdin=io.StringIO(""), stdout=io.StringIO())
