"""From a LINE friend to a dispatched and resolved incident, with the reporter told each step in Thai."""

from __future__ import annotations

import re

import pytest

from pocketbook.incidents import services
from pocketbook.incidents.messages import status_text
from pocketbook.incidents.models import Incident
from pocketbook.incidents.tests.line.conftest import (
    USER_ID,
    location_event,
    postback_event,
    sent,
    text_event,
    user_event,
)

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0e00-\u0e7f]")


def test_from_follow_to_resolved_with_thai_status_pushes(
    chat, fake_line_ok, ess_operator, unit_responder, django_capture_on_commit_callbacks
):
    # given: a new friend reports a threat by the chat
    chat(user_event("follow", follow={"isUnblocked": False}))
    chat(text_event("แจ้งเหตุ"))
    chat(postback_event("action=type&type=assault"))
    chat(location_event(7.5563, 99.6114, address="ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง"))
    chat(text_event("มีคนถือมีดขู่เด็ก"))
    incident = Incident.objects.get()
    assert incident.unit == unit_responder.unit  # routed to the district unit that covers 9201
    replies = len(sent(fake_line_ok))

    # when: the operator and the responder work it
    expected: list[str] = []
    steps = [
        lambda: services.incident_acknowledge(incident=incident, actor=ess_operator),
        lambda: services.incident_dispatch(incident=incident, responders=[unit_responder], actor=ess_operator),
        lambda: services.dispatch_accept(dispatch=incident.dispatches.get(), actor=unit_responder.user),
        lambda: services.dispatch_on_scene(dispatch=incident.dispatches.get(), actor=unit_responder.user),
        lambda: services.dispatch_complete(
            dispatch=incident.dispatches.get(), outcome="แยกเด็กออกมาอย่างปลอดภัย", actor=unit_responder.user
        ),
    ]
    for step in steps:
        with django_capture_on_commit_callbacks(execute=True):
            step()
        incident.refresh_from_db()
        expected.append(status_text(incident))

    # then: one push per status change, to the reporter, in Thai, each with its own retry key
    pushes = sent(fake_line_ok)[replies:]
    assert incident.status == "resolved"
    assert [path for path, _body, _headers in pushes] == ["/v2/bot/message/push"] * len(pushes)
    assert [body["to"] for _path, body, _headers in pushes] == [USER_ID] * len(pushes)
    texts = [body["messages"][0]["text"] for _path, body, _headers in pushes]
    statuses_told = [text for text in dict.fromkeys(expected)]  # accepting a dispatch changes no status
    assert texts == statuses_told
    assert all(THAI.search(text) and incident.number in text for text in texts)
    keys = [headers["X-Line-Retry-Key"] for _path, _body, headers in pushes]
    assert len(set(keys)) == len(keys)


def test_a_reporter_who_unfollowed_is_not_pushed(chat, fake_line_ok, ess_operator, django_capture_on_commit_callbacks):
    # given
    chat(location_event(7.5563, 99.6114))
    chat(user_event("unfollow"))
    incident = Incident.objects.get()
    before = len(sent(fake_line_ok))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_acknowledge(incident=incident, actor=ess_operator)

    # then
    assert len(sent(fake_line_ok)) == before
