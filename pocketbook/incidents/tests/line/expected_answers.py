"""The bot's answers as LINE receives them, for exact assertions on the chat flow: the quick-reply buttons,
the fixed Thai texts, and a reply or a text message built the way the bot sends it."""

from __future__ import annotations

from pocketbook.incidents.tests.line.conftest import sent

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
