"""The chat flow in Thai, end to end, exact messages: what is not a report. Help for what the bot does not
understand, group and room chats, standby mode, and every event type line-bot-sdk knows (or does not)."""

from __future__ import annotations

import logging

import pytest

from pocketbook.incidents.models import Incident, LineConversation, LineEvent
from pocketbook.incidents.tests.line.conftest import (
    fixture_json,
    postback_event,
    sent,
    text_event,
    texts_sent,
    user_event,
)
from pocketbook.incidents.tests.line.expected_answers import HELP, LOCATION, REPORT, STATUS, calls, reply_of, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("words", ["สวัสดีครับ", "Hello, world", "🙂", "richmenu-changed-to-b"])
def test_anything_not_understood_gets_a_short_help(chat, fake_line_ok, words):
    chat(text_event(words))

    assert calls(fake_line_ok)[0][1]["messages"] == [text(HELP, REPORT, STATUS, LOCATION)]


def test_sticker_and_unknown_postback_get_help(chat, fake_line_ok):
    sticker = fixture_json("sdk_sticker_message_event.json")["events"][0]
    sticker.update(webhookEventId="sticker-1")
    chat(sticker)
    chat(postback_event("richmenu-changed-to-b"))

    assert texts_sent(fake_line_ok) == [HELP, HELP]


def test_a_video_gets_told_what_the_chat_takes(chat, fake_line_ok):
    chat(
        user_event(
            "message", message={"id": "1", "type": "video", "duration": 1000, "contentProvider": {"type": "line"}}
        )
    )

    assert texts_sent(fake_line_ok) == [
        "แชตนี้รับข้อความ ตำแหน่ง และรูปภาพ กด “แจ้งเหตุ” เพื่อแจ้งเหตุฉุกเฉิน หรือโทรสายด่วน 1300 ตลอด 24 ชั่วโมง"
    ]


def test_group_chats_are_stored_but_get_no_answer(chat, fake_line_ok):
    # given: LINE's group text with a mention
    event = fixture_json("docs_text_message_event_group_mention_emoji.json")["events"][0]

    # when
    chat(event)

    # then
    assert sent(fake_line_ok) == []
    stored = LineEvent.objects.get()
    assert stored.status == LineEvent.Status.IGNORED
    assert stored.error == "group or room chat: reports are taken only in one-to-one chats"
    assert Incident.objects.count() == 0


def test_a_room_photo_is_not_downloaded_or_answered(chat, fake_line_ok):
    chat(fixture_json("sdk_image_message_event_external_room.json")["events"][0])

    assert sent(fake_line_ok) == []
    assert LineEvent.objects.get().status == LineEvent.Status.IGNORED


def test_joining_a_group_answers_once_politely(chat, fake_line_ok):
    join = user_event("join", source={"type": "group", "groupId": "Cxxxxxxxx"})

    chat(join)

    assert calls(fake_line_ok) == [
        reply_of(
            join,
            text(
                "ขอบคุณที่เพิ่ม ESS เข้ากลุ่ม เพื่อความปลอดภัยของผู้แจ้ง เรารับแจ้งเหตุเฉพาะในแชตส่วนตัวกับบัญชีนี้เท่านั้น "
                "ไม่รับแจ้งในกลุ่ม และโทรสายด่วน 1300 ได้ตลอด 24 ชั่วโมง"
            ),
        )
    ]


def test_standby_events_are_stored_and_not_answered(chat, fake_line_ok):
    event = text_event("แจ้งเหตุ", mode="standby")
    del event["replyToken"]

    chat(event)

    assert sent(fake_line_ok) == []
    stored = LineEvent.objects.get()
    assert (stored.mode, stored.status) == ("standby", LineEvent.Status.IGNORED)
    assert LineConversation.objects.count() == 0


def test_unknown_event_type_is_stored_and_logged_loudly(chat, fake_line_ok, caplog):
    # given: line-bot-sdk's own unknown event
    event = fixture_json("sdk_unknown_event_redelivery.json")["events"][0]

    # when
    with caplog.at_level(logging.WARNING):
        chat(event)

    # then
    stored = LineEvent.objects.get()
    assert (stored.event_type, stored.status) == ("undefined", LineEvent.Status.IGNORED)
    assert stored.error.startswith("unknown to line-bot-sdk")
    assert "testwebhookeventid of type 'undefined' is unknown to line-bot-sdk" in caplog.text
    assert [r.levelname for r in caplog.records if "unknown to line-bot-sdk" in r.getMessage()] == ["WARNING"]
    assert sent(fake_line_ok) == []


def test_every_event_type_of_line_bot_sdk_is_stored_and_none_fails(chat, fake_line_ok):
    # given: the SDK's 28 events, each with its own id (the file gives them all the same one)
    events = fixture_json("sdk_v3_webhook_all_events.json")["events"]
    for number, event in enumerate(events):
        event["webhookEventId"] = f"all-{number:02d}"

    # when
    chat(*events)

    # then
    statuses = list(LineEvent.objects.order_by("id").values_list("event_type", "status"))
    assert len(statuses) == 28
    assert not [row for row in statuses if row[1] in {LineEvent.Status.FAILED, LineEvent.Status.RECEIVED}]
