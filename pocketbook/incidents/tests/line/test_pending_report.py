"""A report left at the details step is opened anyway after a while: the reporter may be unable to go on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pocketbook.incidents.channels.line import flow
from pocketbook.incidents.channels.line.client import retry_key_for
from pocketbook.incidents.channels.line.flow import line_pending_report_open
from pocketbook.incidents.models import Incident, LineConversation
from pocketbook.incidents.tests.line.conftest import USER_ID, location_event, postback_event, sent, text_event

pytestmark = pytest.mark.django_db


def test_a_silent_reporter_s_report_is_opened_and_its_number_pushed(chat, fake_line_ok):
    # given: type and place given, then nothing more
    chat(text_event("แจ้งเหตุ"))
    chat(postback_event("action=type&type=confinement"))
    chat(location_event(7.5563, 99.6114))
    token = LineConversation.objects.get().data["pending_token"]

    # when: the delayed task runs
    line_pending_report_open.call(line_user_id=USER_ID, token=token)

    # then
    incident = Incident.objects.get()
    assert (incident.incident_type, incident.latitude) == ("confinement", 7.5563)
    path, body, headers = sent(fake_line_ok)[-1]
    assert path == "/v2/bot/message/push"
    assert body["messages"][0]["text"].startswith(f"รับแจ้งเหตุแล้ว เลขที่ {incident.number}")
    assert headers["X-Line-Retry-Key"] == retry_key_for(token, "pending-report")

    # and when it runs again, nothing more happens
    line_pending_report_open.call(line_user_id=USER_ID, token=token)
    assert Incident.objects.count() == 1
    assert len([call for call in sent(fake_line_ok) if call[0] == "/v2/bot/message/push"]) == 1


def test_a_report_the_reporter_sent_is_not_opened_twice(chat, fake_line_ok):
    chat(text_event("แจ้งเหตุ"))
    chat(postback_event("action=type&type=assault"))
    chat(location_event(7.5563, 99.6114))
    token = LineConversation.objects.get().data["pending_token"]
    chat(text_event("ส่งเรื่อง"))

    line_pending_report_open.call(line_user_id=USER_ID, token=token)

    assert Incident.objects.count() == 1


def test_the_task_is_scheduled_ten_minutes_later_when_the_backend_can(settings, django_capture_on_commit_callbacks):
    # given: a backend that runs tasks later (as the database backend does)
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    conversation = LineConversation.objects.create(
        line_user_id=USER_ID, state="awaiting_location", data={"incident_type": "gathering"}
    )
    inbound = flow.Inbound(event_id="e1", line_user_id=USER_ID, kind="location", latitude=7.5, longitude=99.6)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        flow.conversation_step(inbound)

    # then
    conversation.refresh_from_db()
    [result] = default_task_backend.results
    assert result.task.func is line_pending_report_open.func
    assert result.kwargs == {"line_user_id": USER_ID, "token": conversation.data["pending_token"]}
    assert timezone.now() + timedelta(minutes=9) < result.task.run_after <= timezone.now() + timedelta(minutes=10)
