"""The chat flow in Thai, end to end: webhook → task → line-bot-sdk → a fake LINE server; exact messages."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from pocketbook.core.dates import format_datetime
from pocketbook.incidents.channels.line.client import retry_key_for
from pocketbook.incidents.choices import Channel, Priority
from pocketbook.incidents.models import Incident, IncidentAttachment, LineConversation, LineEvent
from pocketbook.incidents.tests.line.conftest import (
    TEST_TOKEN,
    USER_ID,
    fixture_json,
    image_event,
    location_event,
    postback_event,
    sent,
    text_event,
    texts_sent,
    user_event,
)

pytestmark = pytest.mark.django_db

REPORT = {
    "type": "action",
    "action": {"type": "postback", "label": "แจ้งเหตุ", "data": "action=report", "displayText": "แจ้งเหตุ"},
}
STATUS = {
    "type": "action",
    "action": {"type": "postback", "label": "สถานะ", "data": "action=status", "displayText": "สถานะ"},
}
CANCEL = {
    "type": "action",
    "action": {"type": "postback", "label": "ยกเลิก", "data": "action=cancel", "displayText": "ยกเลิก"},
}
SUBMIT = {
    "type": "action",
    "action": {"type": "postback", "label": "ส่งเรื่องเลย", "data": "action=submit", "displayText": "ส่งเรื่องเลย"},
}
LOCATION = {"type": "action", "action": {"type": "location", "label": "ส่งตำแหน่ง"}}
CAMERA = {"type": "action", "action": {"type": "camera", "label": "ถ่ายรูป"}}
CAMERA_ROLL = {"type": "action", "action": {"type": "cameraRoll", "label": "เลือกรูป"}}


def type_item(label: str, key: str) -> dict:
    return {
        "type": "action",
        "action": {"type": "postback", "label": label, "data": f"action=type&type={key}", "displayText": label},
    }


TYPES = [
    type_item("ข่มขู่/ทำร้าย", "assault"),
    type_item("กักขังหน่วงเหนี่ยว", "confinement"),
    type_item("ล่วงละเมิดทางเพศ", "sexual_abuse"),
    type_item("ผู้คลุ้มคลั่ง", "deranged_person"),
    type_item("มั่วสุมก่อเหตุ", "gathering"),
    type_item("อื่น ๆ", "unknown"),
]
GREETING = (
    "สวัสดีค่ะ ที่นี่ ESS ศูนย์รับแจ้งเหตุฉุกเฉินทางสังคม แจ้งได้ตลอด 24 ชั่วโมง เมื่อมีคนถูกข่มขู่หรือถูกทำร้าย "
    "ถูกกักขังหน่วงเหนี่ยว เสี่ยงถูกล่วงละเมิดทางเพศ มีผู้คลุ้มคลั่งก่อเหตุร้าย หรือมีการมั่วสุมจนก่อเหตุร้าย\n"
    "ต้องการคุยกับเจ้าหน้าที่ โทรสายด่วน 1300 ได้ตลอด 24 ชั่วโมง\n"
    "แจ้งเหตุ: กดปุ่ม “แจ้งเหตุ” ด้านล่าง หรือพิมพ์ว่า แจ้งเหตุ ถ้าพิมพ์ไม่สะดวก "
    "ส่งตำแหน่งมาอย่างเดียวก็ถือเป็นการแจ้งเหตุแล้ว"
)
ASK_TYPE = (
    "เกิดเหตุอะไร เลือกจากปุ่มด้านล่าง หรือพิมพ์หมายเลข\n1 ถูกข่มขู่ว่าจะทำร้ายหรือถูกทำร้าย\n2 ถูกกักขังหน่วงเหนี่ยว\n"
    "3 เสี่ยงถูกล่วงละเมิดทางเพศ\n4 ผู้คลุ้มคลั่งก่อให้เกิดเหตุร้าย\n5 มั่วสุมจนก่อให้เกิดเหตุร้าย\n6 เหตุอื่น ๆ"
)
ASK_LOCATION = "เกิดเหตุที่ไหน กด “ส่งตำแหน่ง” เพื่อปักหมุดจุดเกิดเหตุ หรือพิมพ์ที่อยู่ (หมู่บ้าน ตำบล อำเภอ จังหวัด)"
ASK_DETAILS = "ได้รับตำแหน่งแล้ว เล่าสั้น ๆ ว่าเกิดอะไรขึ้น หรือส่งรูปภาพ ถ้าพิมพ์ไม่สะดวก กด “ส่งเรื่องเลย” ได้ทันที"
HELP = (
    "ขออภัย ไม่เข้าใจข้อความ กด “แจ้งเหตุ” เพื่อแจ้งเหตุฉุกเฉิน กด “สถานะ” เพื่อดูเรื่องที่แจ้งไว้ "
    "หรือส่งตำแหน่งเพื่อขอความช่วยเหลือด่วน (SOS) สายด่วน 1300 รับสายตลอด 24 ชั่วโมง"
)


def reply_of(event: dict, *messages: dict) -> tuple[str, dict]:
    return (
        "/v2/bot/message/reply",
        {"replyToken": event["replyToken"], "messages": list(messages), "notificationDisabled": False},
    )


def text(body: str, *items: dict) -> dict:
    message: dict = {"type": "text", "text": body}
    if items:
        message["quickReply"] = {"items": list(items)}
    return message


def calls(server) -> list[tuple[str, dict]]:
    return [(path, body) for path, body, _headers in sent(server)]


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


def test_a_location_on_its_own_is_a_silent_sos(chat, fake_line_ok):
    # given: nothing said before
    place = location_event(7.5563, 99.6114, address="ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง")

    # when
    chat(place)

    # then
    incident = Incident.objects.get()
    assert (incident.incident_type, incident.priority) == ("unknown", "high")
    assert (incident.latitude, incident.longitude) == (7.5563, 99.6114)
    assert incident.area_code == "920101"
    assert calls(fake_line_ok) == [
        reply_of(
            place,
            text(
                f"ได้รับ SOS แล้ว เลขที่ {incident.number}\nแจ้งเจ้าหน้าที่แล้ว เจ้าหน้าที่จะไปยังตำแหน่งที่ส่งมา "
                "เมื่อสะดวก เล่าให้เราทราบว่าเกิดอะไรขึ้น หรือโทร 191 หรือสายด่วน 1300",
                STATUS,
            ),
        )
    ]


def test_a_location_without_title_or_address_still_opens_an_sos(chat, fake_line_ok):
    # given: LINE allows a location with coordinates only
    chat(location_event(7.1, 99.5))

    incident = Incident.objects.get()
    assert (incident.incident_type, incident.address_text) == ("unknown", "")
    assert incident.location_to_confirm is True  # no centroid loaded, no address: the province's default unit


def test_the_documented_location_event_opens_an_sos_by_push(chat, fake_line_ok):
    # given: LINE's documented location message (Tokyo, 2016: the reply token is long gone)
    chat(fixture_json("docs_location_message_event.json")["events"][0])

    incident = Incident.objects.get()
    assert incident.address_text == "1-3 Kioicho, Chiyoda-ku, Tokyo, 102-8282 Japan"
    assert incident.reporter_line_user_id == "U4af4980629..."
    assert [path for path, _body in calls(fake_line_ok)] == ["/v2/bot/message/push"]


def test_sos_postback_opens_at_once_and_a_later_location_is_added(chat, fake_line_ok):
    # given: the rich menu's single SOS button
    chat(postback_event("SOS"))
    incident = Incident.objects.get()
    assert (incident.incident_type, incident.priority, incident.latitude) == ("unknown", "high", None)
    assert texts_sent(fake_line_ok)[0] == (
        f"ได้รับ SOS แล้ว เลขที่ {incident.number}\nแจ้งเจ้าหน้าที่แล้ว ถ้าทำได้ กรุณาส่งตำแหน่ง โดยกด “ส่งตำแหน่ง”"
    )

    # when
    chat(location_event(7.5563, 99.6114, address="ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง"))

    # then: the same incident, now placed; no second incident
    assert Incident.objects.count() == 1
    incident.refresh_from_db()
    assert incident.area_code == "920101"
    note = incident.events.filter(kind="note").get()
    assert note.params["text"] == "ผู้แจ้งส่งตำแหน่งทาง LINE: 7.556300, 99.611400 (ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง)"
    assert texts_sent(fake_line_ok)[1] == f"เพิ่มตำแหน่งในเรื่องเลขที่ {incident.number} แล้ว เจ้าหน้าที่กำลังดำเนินการ"


def test_status_lists_the_reporters_open_incidents(chat, fake_line_ok):
    # given
    chat(location_event(7.5563, 99.6114))
    incident = Incident.objects.get()

    # when
    chat(text_event("สถานะ"))

    # then
    [status] = texts_sent(fake_line_ok)[1:]
    since = format_datetime(incident.received_at, short=True)
    assert status == (
        f"เรื่องที่ท่านแจ้งและกำลังดำเนินการ:\n{incident.number} ยังไม่ทราบ (ขอความช่วยเหลือแบบเงียบ): แจ้งเข้ามาใหม่ (ตั้งแต่ {since})"
    )


def test_status_without_incidents(chat, fake_line_ok):
    chat(postback_event("action=status"))

    assert calls(fake_line_ok)[0][1]["messages"] == [
        text("ไม่มีเรื่องที่กำลังดำเนินการ ต้องการแจ้งเหตุ กด “แจ้งเหตุ”", REPORT, STATUS)
    ]


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


def test_photos_are_downloaded_from_the_data_host_and_attached(chat, fake_line_ok):
    # given
    fake_line_ok.expect_request("/v2/bot/message/5001/content", method="GET").respond_with_data(
        b"\xff\xd8\xff\xe0photo-one", content_type="image/jpeg"
    )
    fake_line_ok.expect_request("/v2/bot/message/5002/content", method="GET").respond_with_data(
        b"\x89PNGphoto-two", content_type="image/png"
    )
    chat(text_event("แจ้งเหตุ"))
    chat(postback_event("action=type&type=confinement"))
    chat(location_event(7.5563, 99.6114))

    # when: two photos sent together (an image set), then "send"
    chat(image_event("5001", image_set={"id": "SET1", "index": 1, "total": 2}))
    chat(image_event("5002", image_set={"id": "SET1", "index": 2, "total": 2}))
    chat(postback_event("action=submit"))

    # then
    incident = Incident.objects.get()
    attachments = list(IncidentAttachment.objects.filter(incident=incident).order_by("id"))
    assert [a.line_message_id for a in attachments] == ["5001", "5002"]
    assert [a.file.read() for a in attachments] == [b"\xff\xd8\xff\xe0photo-one", b"\x89PNGphoto-two"]
    downloads = [(p, h["Authorization"]) for p, _b, h in sent(fake_line_ok) if p.endswith("/content")]
    assert downloads == [
        ("/v2/bot/message/5001/content", f"Bearer {TEST_TOKEN}"),
        ("/v2/bot/message/5002/content", f"Bearer {TEST_TOKEN}"),
    ]
    # one answer for the set of two photos
    assert texts_sent(fake_line_ok)[3] == "ได้รับรูปแล้ว ส่งรูปเพิ่ม พิมพ์เล่าสั้น ๆ หรือกด “ส่งเรื่องเลย”"
    assert len(texts_sent(fake_line_ok)) == 5


def test_a_photo_after_the_report_is_attached_to_it(chat, fake_line_ok):
    # given
    fake_line_ok.expect_request("/v2/bot/message/6001/content", method="GET").respond_with_data(b"\xff\xd8jpeg")
    chat(location_event(7.5563, 99.6114))
    incident = Incident.objects.get()

    # when
    chat(image_event("6001"))

    # then
    assert IncidentAttachment.objects.get(incident=incident).line_message_id == "6001"
    assert texts_sent(fake_line_ok)[-1] == f"แนบรูปในเรื่องเลขที่ {incident.number} แล้ว"


def test_an_external_photo_is_recorded_with_its_url(chat, fake_line_ok):
    # given
    chat(location_event(7.5563, 99.6114))
    incident = Incident.objects.get()

    # when
    chat(
        image_event(
            "7001",
            provider={
                "type": "external",
                "originalContentUrl": "https://example.com/a.jpg",
                "previewImageUrl": "https://example.com/p.jpg",
            },
        )
    )

    # then: nothing downloaded, the URL kept on the timeline
    assert not [p for p, _b, _h in sent(fake_line_ok) if p.endswith("/content")]
    assert IncidentAttachment.objects.get(incident=incident).line_message_id == "7001"
    assert incident.events.get(kind="note").params["text"] == (
        "ผู้แจ้งส่งรูปทาง LINE ผ่านผู้ให้บริการภายนอก: https://example.com/a.jpg"
    )


def test_a_photo_that_cannot_be_downloaded_is_recorded_by_its_id(chat, fake_line_ok):
    fake_line_ok.expect_request("/v2/bot/message/8001/content", method="GET").respond_with_data(b"gone", status=404)
    chat(location_event(7.5563, 99.6114))

    chat(image_event("8001"))

    attachment = IncidentAttachment.objects.get()
    assert (attachment.line_message_id, bool(attachment.file)) == ("8001", False)


def test_a_photo_before_a_report_goes_with_it(chat, fake_line_ok):
    fake_line_ok.expect_request("/v2/bot/message/9001/content", method="GET").respond_with_data(b"\xff\xd8x")
    chat(image_event("9001"))
    assert texts_sent(fake_line_ok)[0] == "ได้รับรูปแล้ว กด “แจ้งเหตุ” เพื่อแจ้งเหตุฉุกเฉิน รูปนี้จะแนบไปกับเรื่องด้วย"

    chat(location_event(7.5563, 99.6114))

    assert IncidentAttachment.objects.get(incident=Incident.objects.get()).line_message_id == "9001"


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
