"""The chat with a reporter, in Thai: report (type → location → details), silent SOS, status, help.

One call handles one inbound message or postback of one LINE user, inside the caller's transaction, and
returns the messages to send back. The state lives in `LineConversation` and expires after a while.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task
from linebot.v3.messaging import Message, QuickReplyItem

from pocketbook.core.dates import format_datetime
from pocketbook.geo.selectors import area_get
from pocketbook.incidents import routing, selectors, services
from pocketbook.incidents.channels.line import client, messages, texts
from pocketbook.incidents.models import Incident, LineConversation

logger = logging.getLogger(__name__)

CONVERSATION_TTL = timedelta(minutes=30)
PENDING_REPORT_OPEN_AFTER = timedelta(minutes=10)


class State:
    IDLE = "idle"
    CHOOSING_TYPE = "choosing_type"
    AWAITING_LOCATION = "awaiting_location"
    AWAITING_DETAILS = "awaiting_details"
    REPORTED = "reported"


TYPE_KEYS = [key for key, _label in texts.TYPE_LABELS]

# What people type. Matched after removing spaces and lower-casing; Thai and English both work.
KEYWORDS = {
    "report": {"แจ้งเหตุ", "แจ้ง", "แจ้งเหตุฉุกเฉิน", "report", "เริ่ม", "start"},
    "status": {"สถานะ", "ติดตาม", "ติดตามเรื่อง", "status"},
    "cancel": {"ยกเลิก", "cancel"},
    "submit": {"ส่งเรื่อง", "ส่งเรื่องเลย", "ส่งเลย", "submit", "send"},
    "sos": {"sos", "ช่วยด้วย"},
    "help": {"help", "ช่วยเหลือ", "เมนู", "menu", "สวัสดี", "hello", "hi"},
}
TYPE_WORDS = {
    "assault": {"1", "ข่มขู่/ทำร้าย", "ข่มขู่", "ทำร้าย", "ข่มขู่ว่าจะทำร้ายหรือทำร้าย"},
    "confinement": {"2", "กักขังหน่วงเหนี่ยว", "กักขัง"},
    "sexual_abuse": {"3", "ล่วงละเมิดทางเพศ", "เสี่ยงถูกล่วงละเมิดทางเพศ", "ล่วงละเมิด"},
    "deranged_person": {"4", "ผู้คลุ้มคลั่ง", "คลุ้มคลั่ง", "ผู้คลุ้มคลั่งก่อให้เกิดเหตุร้าย"},
    "gathering": {"5", "มั่วสุมก่อเหตุ", "มั่วสุม", "มั่วสุมจนก่อให้เกิดเหตุร้าย"},
    "unknown": {"6", "อื่นๆ", "อื่น", "other"},
}


@dataclass
class Inbound:
    """One thing a LINE user did, reduced to what the flow needs."""

    event_id: str
    line_user_id: str
    kind: str  # text, location, image, sticker, postback, unsupported
    text: str = ""
    postback: dict[str, str] = field(default_factory=dict)
    latitude: float | None = None
    longitude: float | None = None
    place: str = ""  # the location's address, else its title
    message_id: str = ""
    photo_path: str = ""  # where the downloaded content was kept
    photo_url: str = ""  # an external provider's URL
    is_last_of_set: bool = True


def _normalize(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _keyword(text: str) -> str:
    word = _normalize(text)
    for action, words in KEYWORDS.items():
        if word in words:
            return action
    return ""


def _type_from_text(text: str) -> str:
    word = _normalize(text)
    for key, words in TYPE_WORDS.items():
        if word in words:
            return key
    labels = {_normalize(str(label)): key for key, label in texts.TYPE_LABELS}
    return labels.get(word, "")


def parse_postback(data: str) -> dict[str, str]:
    """Read our postback data (`action=...&...`); a bare "SOS" from a rich menu counts as the SOS action."""
    if _normalize(data) in KEYWORDS["sos"]:
        return {"action": "sos"}
    return {key: values[0] for key, values in parse_qs(data, keep_blank_values=False).items() if values}


# --- the conversation -------------------------------------------------------------------------------------------


def conversation_lock(line_user_id: str) -> LineConversation:
    """Get this user's conversation, locked for this transaction, starting over when it has expired."""
    locked = services.line_conversations_lock(line_user_ids=[line_user_id])
    return conversation_start_over_if_expired(locked[line_user_id])


def conversation_start_over_if_expired(conversation: LineConversation) -> LineConversation:
    """Forget a half-told report whose conversation expired (the caller holds the conversation's lock)."""
    expired = conversation.expires_at is not None and conversation.expires_at <= timezone.now()
    if expired and (conversation.state != State.IDLE or conversation.data):
        _discard_pending_photos(conversation.data)
        services.line_conversation_save(
            conversation=conversation, state=State.IDLE, data={}, expires_at=conversation.expires_at
        )
    return conversation


def _conversation(line_user_id: str, locked: LineConversation | None) -> LineConversation:
    """The conversation the caller locked already (the worker locks a batch's at once), else lock it now."""
    if locked is None:
        return conversation_lock(line_user_id)
    return conversation_start_over_if_expired(locked)


def _save(conversation: LineConversation, state: str, data: dict[str, Any]) -> None:
    services.line_conversation_save(
        conversation=conversation,
        state=state,
        data=data,
        expires_at=timezone.now() + CONVERSATION_TTL,
        is_following=True,
    )


def conversation_follow(line_user_id: str, *, locked: LineConversation | None = None) -> list[Message]:
    """A new friend (or one who unblocked us): greet, say what ESS is, offer to report."""
    conversation = _conversation(line_user_id, locked)
    _save(conversation, State.IDLE, {})
    return [messages.text_message(texts.GREETING, [messages.report_item(), messages.status_item()])]


def conversation_unfollow(line_user_id: str, *, locked: LineConversation | None = None) -> None:
    """The user blocked the account: forget the half-told report; nothing can be sent any more."""
    conversation = _conversation(line_user_id, locked)
    _discard_pending_photos(conversation.data)
    services.line_conversation_save(
        conversation=conversation, state=State.IDLE, data={}, expires_at=conversation.expires_at, is_following=False
    )


def conversation_step(inbound: Inbound, *, locked: LineConversation | None = None) -> list[Message]:
    """Handle one message or postback of a LINE user and say what to answer (`locked`: its conversation, locked)."""
    conversation = _conversation(inbound.line_user_id, locked)
    handler = {
        "text": _on_text,
        "postback": _on_postback,
        "location": _on_location,
        "image": _on_image,
    }.get(inbound.kind, _on_other)
    return handler(conversation, inbound)


# --- handlers ---------------------------------------------------------------------------------------------------


def _on_text(conversation: LineConversation, inbound: Inbound) -> list[Message]:
    action = _keyword(inbound.text)
    if action in {"report", "status", "cancel", "sos"}:
        return _on_action(conversation, inbound, action, {})
    state = conversation.state
    if state == State.CHOOSING_TYPE:
        incident_type = _type_from_text(inbound.text)
        if incident_type:
            return _type_chosen(conversation, incident_type)
        return [messages.text_message(texts.ASK_TYPE_AGAIN, [*messages.type_items(), messages.cancel_item()])]
    if state == State.AWAITING_LOCATION:
        return _address_typed(conversation, inbound.text)
    if state == State.AWAITING_DETAILS:
        if action == "submit":
            return _report_open(conversation, inbound)
        data = dict(conversation.data)
        data["description"] = inbound.text.strip()
        conversation.data = data
        return _report_open(conversation, inbound)
    return _help(conversation)


def _on_postback(conversation: LineConversation, inbound: Inbound) -> list[Message]:
    return _on_action(conversation, inbound, inbound.postback.get("action", ""), inbound.postback)


def _on_action(conversation: LineConversation, inbound: Inbound, action: str, values: dict[str, str]) -> list[Message]:
    if action == "report":
        _save(conversation, State.CHOOSING_TYPE, _kept_photos(conversation.data))
        return [messages.text_message(texts.ASK_TYPE, [*messages.type_items(), messages.cancel_item()])]
    if action == "type" and values.get("type") in TYPE_KEYS:
        return _type_chosen(conversation, values["type"])
    if action == "submit" and conversation.state == State.AWAITING_DETAILS:
        return _report_open(conversation, inbound)
    if action == "status":
        return _status(conversation)
    if action == "cancel":
        _discard_pending_photos(conversation.data)
        _save(conversation, State.IDLE, {})
        return [messages.text_message(texts.CANCELLED, [messages.report_item(), messages.status_item()])]
    if action == "sos":
        return _sos(conversation, inbound)
    return _help(conversation)


def _on_location(conversation: LineConversation, inbound: Inbound) -> list[Message]:
    data = dict(conversation.data)
    if conversation.state in {State.AWAITING_LOCATION, State.AWAITING_DETAILS}:
        data.update(latitude=inbound.latitude, longitude=inbound.longitude, address_text=inbound.place, area_code="")
        _save(conversation, State.AWAITING_DETAILS, _pending_report_schedule(conversation, data))
        return [messages.text_message(texts.ASK_DETAILS, _details_items())]
    if conversation.state == State.REPORTED and data.get("needs_location"):
        return _sos_location_add(conversation, inbound)
    # A location on its own is a silent SOS: the reporter may be unable to type.
    return _sos(conversation, inbound)


def _on_image(conversation: LineConversation, inbound: Inbound) -> list[Message]:
    data = dict(conversation.data)
    if conversation.state == State.REPORTED and data.get("incident_id"):
        incident = _incident_get(data["incident_id"])
        _attach(incident, [_photo_of(inbound)])
        _save(conversation, State.REPORTED, data)
        if not inbound.is_last_of_set:
            return []
        return [messages.text_message(texts.PHOTO_ADDED % {"number": incident.number})]
    data["photos"] = [*data.get("photos", []), _photo_of(inbound)]
    _save(conversation, conversation.state, data)
    if not inbound.is_last_of_set:
        return []  # one answer for a set of photos sent together
    if conversation.state == State.AWAITING_DETAILS:
        return [messages.text_message(texts.PHOTO_RECEIVED, _details_items())]
    if conversation.state in {State.CHOOSING_TYPE, State.AWAITING_LOCATION}:
        return _prompt_again(conversation)
    return [messages.text_message(texts.PHOTO_KEPT, [messages.report_item(), messages.status_item()])]


def _on_other(conversation: LineConversation, inbound: Inbound) -> list[Message]:
    if inbound.kind == "sticker" and conversation.state != State.IDLE:
        return _prompt_again(conversation)
    if inbound.kind == "unsupported":
        return [messages.text_message(texts.UNSUPPORTED_MESSAGE, [messages.report_item(), messages.status_item()])]
    return _help(conversation)


# --- steps ------------------------------------------------------------------------------------------------------


def _details_items() -> list[QuickReplyItem]:
    return [messages.submit_item(), *messages.camera_items(), messages.cancel_item()]


def _prompt_again(conversation: LineConversation) -> list[Message]:
    if conversation.state == State.CHOOSING_TYPE:
        return [messages.text_message(texts.ASK_TYPE_AGAIN, [*messages.type_items(), messages.cancel_item()])]
    if conversation.state == State.AWAITING_LOCATION:
        return [messages.text_message(texts.ASK_LOCATION_AGAIN, [messages.location_item(), messages.cancel_item()])]
    if conversation.state == State.AWAITING_DETAILS:
        return [messages.text_message(texts.ASK_DETAILS, _details_items())]
    return _help(conversation)


def _help(conversation: LineConversation) -> list[Message]:
    if conversation.state in {State.CHOOSING_TYPE, State.AWAITING_LOCATION, State.AWAITING_DETAILS}:
        return _prompt_again(conversation)
    return [
        messages.text_message(texts.HELP, [messages.report_item(), messages.status_item(), messages.location_item()])
    ]


def _type_chosen(conversation: LineConversation, incident_type: str) -> list[Message]:
    data = _kept_photos(conversation.data)
    data["incident_type"] = incident_type
    _save(conversation, State.AWAITING_LOCATION, data)
    return [messages.text_message(texts.ASK_LOCATION, [messages.location_item(), messages.cancel_item()])]


def _address_typed(conversation: LineConversation, text: str) -> list[Message]:
    address = text.strip()[:500]
    code = routing.area_from_address(address)
    matched_code = code if len(code) == 6 else ""  # a subdistrict; a wider area is placed again when opened
    # Pass the code only when that area is loaded; otherwise the incident's routing places the address itself.
    area_code = matched_code if matched_code and area_get(matched_code) is not None else ""
    data = dict(conversation.data)
    data.update(latitude=None, longitude=None, address_text=address, area_code=area_code)
    _save(conversation, State.AWAITING_DETAILS, _pending_report_schedule(conversation, data))
    return [messages.text_message(texts.ASK_DETAILS if matched_code else texts.ADDRESS_NOT_FOUND, _details_items())]


def _report_open(conversation: LineConversation, inbound: Inbound) -> list[Message]:
    data = conversation.data
    incident = _incident_open(
        inbound,
        incident_type=data.get("incident_type", "unknown"),
        description=data.get("description", ""),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        address_text=data.get("address_text", ""),
        area_code=data.get("area_code", ""),
        priority=None,
    )
    _attach(incident, data.get("photos", []))
    _save(conversation, State.REPORTED, {"incident_id": incident.pk, "needs_location": False})
    text = texts.REPORT_OPENED % {"number": incident.number, "type": incident.get_incident_type_display()}
    return [messages.text_message(text, [messages.status_item(), *messages.camera_items()])]


def _sos(conversation: LineConversation, inbound: Inbound) -> list[Message]:
    has_location = inbound.latitude is not None and inbound.longitude is not None
    incident = _incident_open(
        inbound,
        incident_type="unknown",
        description="",
        latitude=inbound.latitude,
        longitude=inbound.longitude,
        address_text=inbound.place,
        area_code="",
        priority="high",
    )
    _attach(incident, conversation.data.get("photos", []))
    _save(conversation, State.REPORTED, {"incident_id": incident.pk, "needs_location": not has_location})
    if has_location:
        return [messages.text_message(texts.SOS_OPENED % {"number": incident.number}, [messages.status_item()])]
    return [
        messages.text_message(
            texts.SOS_NEEDS_LOCATION % {"number": incident.number}, [messages.location_item(), messages.status_item()]
        )
    ]


def _sos_location_add(conversation: LineConversation, inbound: Inbound) -> list[Message]:
    """Add the location sent after an SOS to that incident: its area (re-routed) and the point as a note."""
    incident = _incident_get(conversation.data["incident_id"])
    placement = routing.place(address_text=inbound.place, latitude=inbound.latitude, longitude=inbound.longitude)
    if placement.method != "default":
        incident = services.incident_location_set(incident=incident, area_code=placement.area_code, actor=None)
    note = texts.NOTE_LOCATION % {
        "latitude": f"{inbound.latitude:.6f}",
        "longitude": f"{inbound.longitude:.6f}",
        "place": inbound.place or "-",
    }
    services.incident_note_add(incident=incident, text=str(note), actor=None)
    _save(conversation, State.REPORTED, {"incident_id": incident.pk, "needs_location": False})
    return [messages.text_message(texts.SOS_LOCATION_ADDED % {"number": incident.number}, [messages.status_item()])]


def _status(conversation: LineConversation) -> list[Message]:
    incidents = selectors.incident_list_for_line_user(conversation.line_user_id)
    items = [messages.report_item(), messages.status_item()]
    if not incidents:
        return [messages.text_message(texts.STATUS_NONE, items)]
    lines = [str(texts.STATUS_HEADER)]
    for incident in incidents[:10]:
        lines.append(
            texts.STATUS_LINE
            % {
                "number": incident.number,
                "type": incident.get_incident_type_display(),
                "status": incident.get_status_display(),
                "date": format_datetime(incident.received_at, short=True),
            }
        )
    return [messages.text_message("\n".join(lines), items)]


# --- a report left at the details step -------------------------------------------------------------------------


def _pending_report_schedule(conversation: LineConversation, data: dict[str, Any]) -> dict[str, Any]:
    """Open the report anyway if the reporter falls silent at the details step (they may be unable to go on).

    Needs a task backend that can run a task later (the database backend); without one, the report waits for
    the reporter's next message as before.
    """
    token = uuid.uuid4().hex
    data = {**data, "pending_token": token}
    if line_pending_report_open.get_backend().supports_defer:
        task = line_pending_report_open.using(run_after=timezone.now() + PENDING_REPORT_OPEN_AFTER)
        line_user_id = conversation.line_user_id
        transaction.on_commit(lambda: task.enqueue(line_user_id=line_user_id, token=token))
    return data


@task()
def line_pending_report_open(*, line_user_id: str, token: str) -> None:
    """Open a report its reporter left at the details step, and push them its number."""
    with override(texts.BOT_LANGUAGE):
        with transaction.atomic():
            answer = pending_report_open(line_user_id=line_user_id, token=token)
        if answer:
            client.push_messages(line_user_id, answer, client.retry_key_for(token, "pending-report"))


def pending_report_open(*, line_user_id: str, token: str) -> list[Message]:
    """Open a report still waiting at the details step under this token; say what to push (nothing if moved on)."""
    conversation = conversation_lock(line_user_id)
    if conversation.state != State.AWAITING_DETAILS or conversation.data.get("pending_token") != token:
        return []
    inbound = Inbound(event_id=f"pending-{token}", line_user_id=line_user_id, kind="")
    return _report_open(conversation, inbound)


# --- incidents --------------------------------------------------------------------------------------------------


def _incident_open(inbound: Inbound, **fields: Any) -> Any:
    return services.incident_open(channel="line", reporter_line_user_id=inbound.line_user_id, actor=None, **fields)


def _incident_get(incident_id: int) -> Any:
    return Incident.objects.get(pk=incident_id)


def _photo_of(inbound: Inbound) -> dict[str, str]:
    return {"message_id": inbound.message_id, "path": inbound.photo_path, "url": inbound.photo_url}


def _kept_photos(data: dict[str, Any]) -> dict[str, Any]:
    return {"photos": data["photos"]} if data.get("photos") else {}


def _attach(incident: Incident, photos: list[dict[str, str]]) -> None:
    """Attach photos to the incident; a photo LINE would not give us is still recorded by its message id."""
    for photo in photos:
        content = None
        if photo.get("path") and default_storage.exists(photo["path"]):
            with default_storage.open(photo["path"], "rb") as stored:
                content = ContentFile(stored.read(), name=photo["path"].rsplit("/", 1)[-1])
        services.incident_attachment_add(
            incident=incident, line_message_id=photo.get("message_id", ""), file=content, actor=None
        )
        if photo.get("url"):
            note = texts.NOTE_EXTERNAL_PHOTO % {"url": photo["url"][:1000]}
            services.incident_note_add(incident=incident, text=str(note), actor=None)
    transaction.on_commit(lambda: _discard_pending_photos({"photos": photos}))


def _discard_pending_photos(data: dict[str, Any]) -> None:
    for photo in data.get("photos", []) or []:
        path = photo.get("path") if isinstance(photo, dict) else None
        if path:
            try:
                default_storage.delete(path)
            except OSError:  # a leftover file is harmless; the incident has its own copy
                logger.warning("Could not delete the pending LINE photo %s", path)
