"""The chat flow in Thai, end to end, exact messages: a location or the SOS button opens an incident at once
(a silent SOS), and the reporter asks for the status of what they reported."""

from __future__ import annotations

import pytest

from pocketbook.core.dates import format_datetime
from pocketbook.incidents.models import Incident
from pocketbook.incidents.tests.line.conftest import (
    fixture_json,
    location_event,
    postback_event,
    text_event,
    texts_sent,
)
from pocketbook.incidents.tests.line.expected_answers import REPORT, STATUS, calls, reply_of, text

pytestmark = pytest.mark.django_db


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
