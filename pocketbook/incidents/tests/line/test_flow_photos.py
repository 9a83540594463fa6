"""The chat flow in Thai, end to end, exact messages: photos downloaded from LINE's data host and attached to the
report being told, to an opened incident, or kept for the next report; external and missing photos."""

from __future__ import annotations

import pytest

from pocketbook.incidents.models import Incident, IncidentAttachment
from pocketbook.incidents.tests.line.conftest import (
    TEST_TOKEN,
    image_event,
    location_event,
    postback_event,
    sent,
    text_event,
    texts_sent,
)

pytestmark = pytest.mark.django_db


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
