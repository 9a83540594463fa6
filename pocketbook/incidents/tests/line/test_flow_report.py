"""The chat flow in Thai, end to end (webhook → queue → line-bot-sdk → a fake LINE server), exact messages:
reporting step by step, from the greeting to an opened incident; wrong answers, cancelling, a conversation
that runs out or is left."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pocketbook.incidents.channels.line.client import retry_key_for
from pocketbook.incidents.choices import Channel, Priority
from pocketbook.incidents.models import Incident, LineConversation, LineEvent
from pocketbook.incidents.tests.line.conftest import (
    TEST_TOKEN,
    USER_ID,
    fixture_json,
    location_event,
    postback_event,
    sent,
    text_event,
    texts_sent,
    user_event,
)
from pocketbook.incidents.tests.line.expected_answers import (
    ASK_DETAILS,
    ASK_LOCATION,
    ASK_TYPE,
    CAMERA,
    CAMERA_ROLL,
    CANCEL,
    GREETING,
    HELP,
    LOCATION,
    REPORT,
    STATUS,
    SUBMIT,
    TYPES,
    calls,
    reply_of,
    text,
)

pytestmark = pytest.mark.django_db


def test_follow_is_greeted_with_a_reply_offering_to_report(chat, fake_line_ok):
    # given
    follow = user_event("follow", follow={"isUnblocked": False})

    # when
    chat(follow)

    # then
    assert calls(fake_line_ok) == [reply_of(follow, text(GREETING, REPORT, STATUS))]
    headers = sent(fake_line_ok)[0][2]
    assert headers["Authorization"] == f"Bearer {TEST_TOKEN}"
    assert headers["Content-Type"] == "application/json"
    assert "X-Line-Retry-Key" not in headers
    conversation = LineConversation.objects.get(line_user_id=USER_ID)
    assert (conversation.state, conversation.is_following) == ("idle", True)
    assert LineEvent.objects.get().status == LineEvent.Status.PROCESSED


def test_a_stale_reply_token_is_replaced_by_a_push_with_a_retry_key(chat, fake_line_ok):
    # given: LINE's documented follow event, sent long ago (its reply token is no longer good)
    event = fixture_json("docs_follow_event_new_friend.json")["events"][0]

    # when
    chat(event)

    # then
    [(path, body, headers)] = sent(fake_line_ok)
    assert path == "/v2/bot/message/push"
    assert body == {
        "to": "U3d3edab4f36c6292e6d8a8131f141b8b",
        "messages": [text(GREETING, REPORT, STATUS)],
        "notificationDisabled": False,
    }
    assert headers["X-Line-Retry-Key"] == retry_key_for("01HMQGW40RZJPJM3RAJP7BHC2Q", "answer")
    assert headers["Authorization"] == f"Bearer {TEST_TOKEN}"


def test_retry_key_is_a_uuid_fixed_by_event_and_purpose():
    first = retry_key_for("01HMQGW40RZJPJM3RAJP7BHC2Q", "answer")

    assert first == retry_key_for("01HMQGW40RZJPJM3RAJP7BHC2Q", "answer")
    assert first != retry_key_for("01HMQGW40RZJPJM3RAJP7BHC2Q", "status")
    assert len(first) == 36 and first.count("-") == 4


def test_whole_report_from_follow_to_an_opened_incident(chat, fake_line_ok, province_unit):
    # given
    follow = user_event("follow", follow={"isUnblocked": False})
    report = text_event("แจ้งเหตุ")
    kind = postback_event("action=type&type=assault")
    place = location_event(7.5563, 99.6114, title="ตลาดสด", address="ถนนพระรามหก ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง")
    details = text_event("ชายเมาสุราทำร้ายภรรยา มีมีด")

    # when
    for event in (follow, report, kind, place, details):
        chat(event)

    # then
    incident = Incident.objects.get()
    assert incident.incident_type == "assault"
    assert incident.channel == Channel.LINE
    assert incident.priority == Priority.HIGH
    assert incident.description == "ชายเมาสุราทำร้ายภรรยา มีมีด"
    assert (incident.latitude, incident.longitude) == (7.5563, 99.6114)
    assert incident.address_text == "ถนนพระรามหก ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง"
    assert incident.area_code == "920101"
    assert incident.reporter_line_user_id == USER_ID
    assert incident.unit == province_unit
    opened = (
        f"รับแจ้งเหตุแล้ว เลขที่ {incident.number} (ข่มขู่ว่าจะทำร้ายหรือทำร้าย)\n"
        "ขั้นต่อไป: แจ้งเจ้าหน้าที่ที่รับผิดชอบพื้นที่แล้ว และจะดำเนินการทันที "
        "เราจะแจ้งความคืบหน้าในแชตนี้ทุกครั้งที่สถานะเปลี่ยน ส่งรูปเพิ่มได้\n"
        "หากมีผู้ตกอยู่ในอันตรายขณะนี้ โทร 191 หรือสายด่วน 1300 ตลอด 24 ชั่วโมง"
    )
    assert calls(fake_line_ok) == [
        reply_of(follow, text(GREETING, REPORT, STATUS)),
        reply_of(report, text(ASK_TYPE, *TYPES, CANCEL)),
        reply_of(kind, text(ASK_LOCATION, LOCATION, CANCEL)),
        reply_of(place, text(ASK_DETAILS, SUBMIT, CAMERA, CAMERA_ROLL, CANCEL)),
        reply_of(details, text(opened, STATUS, CAMERA, CAMERA_ROLL)),
    ]
    conversation = LineConversation.objects.get(line_user_id=USER_ID)
    assert conversation.state == "reported"
    assert conversation.data == {"incident_id": incident.pk, "needs_location": False}


def test_typed_address_and_type_by_number_then_send_without_details(chat, fake_line_ok):
    # given
    chat(text_event("report"))
    chat(text_event("4"))

    # when
    chat(text_event("หน้าโรงเรียน ต.นาตาล่วง อ.เมืองตรัง จ.ตรัง"))
    chat(postback_event("action=submit"))

    # then
    incident = Incident.objects.get()
    assert incident.incident_type == "deranged_person"
    assert incident.area_code == "920117"
    assert incident.address_text == "หน้าโรงเรียน ต.นาตาล่วง อ.เมืองตรัง จ.ตรัง"
    assert (incident.latitude, incident.longitude, incident.description) == (None, None, "")
    assert texts_sent(fake_line_ok)[2] == ASK_DETAILS


def test_an_address_that_cannot_be_placed_is_still_taken(chat, fake_line_ok):
    # given
    chat(text_event("แจ้งเหตุ"))
    chat(postback_event("action=type&type=gathering"))

    # when
    chat(text_event("ซอยข้างร้านเหล้า"))
    chat(text_event("ส่งเรื่อง"))

    # then
    incident = Incident.objects.get()
    assert incident.address_text == "ซอยข้างร้านเหล้า"
    assert incident.location_to_confirm is True
    assert texts_sent(fake_line_ok)[2].startswith("ยังหาที่อยู่นี้บนแผนที่ไม่พบ")


def test_a_wrong_answer_to_the_type_question_asks_again(chat, fake_line_ok):
    chat(text_event("แจ้งเหตุ"))

    chat(text_event("ไม่แน่ใจ"))

    assert calls(fake_line_ok)[-1][1]["messages"] == [
        text("กรุณาเลือกประเภทเหตุจากปุ่มด้านล่าง หรือพิมพ์หมายเลข 1 ถึง 6", *TYPES, CANCEL)
    ]
    assert LineConversation.objects.get().state == "choosing_type"


def test_cancel_forgets_the_report(chat, fake_line_ok):
    chat(text_event("แจ้งเหตุ"))
    chat(postback_event("action=type&type=assault"))

    chat(text_event("ยกเลิก"))

    assert texts_sent(fake_line_ok)[-1] == "ยกเลิกการแจ้งแล้ว กด “แจ้งเหตุ” เพื่อเริ่มใหม่"
    conversation = LineConversation.objects.get()
    assert (conversation.state, conversation.data) == ("idle", {})
    assert Incident.objects.count() == 0


def test_unfollow_forgets_the_conversation_and_sends_nothing(chat, fake_line_ok):
    chat(text_event("แจ้งเหตุ"))

    chat(user_event("unfollow"))

    conversation = LineConversation.objects.get()
    assert (conversation.state, conversation.is_following) == ("idle", False)
    assert len(sent(fake_line_ok)) == 1


def test_an_expired_conversation_starts_over(chat, fake_line_ok):
    # given: a report left half-told
    chat(text_event("แจ้งเหตุ"))
    LineConversation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    # when: "4" no longer answers the type question
    chat(text_event("4"))

    # then
    assert texts_sent(fake_line_ok)[-1] == HELP
    assert LineConversation.objects.get().state == "idle"
