"""Process one stored LINE event: claim it, parse it with line-bot-sdk, run the chat flow, then answer.

The claim (`UPDATE … WHERE status = 'received'`) is committed before anything else, so an event is handled
at most once however often its task runs; the answer is sent after the flow's transaction commits.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from linebot.v3.messaging import Message
from linebot.v3.webhooks import Event, FollowEvent, JoinEvent, MessageEvent, PostbackEvent, UnfollowEvent, UserSource

from pocketbook.incidents.channels.line import client, flow, messages, texts
from pocketbook.incidents.models import LineEvent

logger = logging.getLogger(__name__)

PHOTO_FOLDER = "incidents/line-pending"


@dataclass
class Outcome:
    """What processing did: the messages to send, or why the event was only stored."""

    answer: list[Message] = field(default_factory=list)
    ignored_because: str = ""
    note: str = ""  # kept on the row even when the event was handled


def line_event_process(*, event_id: int) -> None:
    """Handle one stored event once: claim it, run the flow, answer; record failures on the row."""
    claimed = LineEvent.objects.filter(pk=event_id, status=LineEvent.Status.RECEIVED).update(
        status=LineEvent.Status.PROCESSED, processed_at=timezone.now()
    )
    if not claimed:
        logger.info("LINE event row %s was processed before; nothing to do", event_id)
        return
    line_event = LineEvent.objects.get(pk=event_id)
    try:
        with override(texts.BOT_LANGUAGE):
            outcome = _handle(line_event)
            if outcome.answer:
                _answer(line_event, outcome.answer)
    except Exception as error:
        logger.exception("LINE event %s (%s) failed", line_event.webhook_event_id, line_event.event_type)
        _mark(line_event, LineEvent.Status.FAILED, f"{type(error).__name__}: {error}"[:2000])
        return
    if outcome.ignored_because:
        _mark(line_event, LineEvent.Status.IGNORED, outcome.ignored_because)
    elif outcome.note:
        _mark(line_event, LineEvent.Status.PROCESSED, outcome.note)


def _mark(line_event: LineEvent, status: str, error: str) -> None:
    LineEvent.objects.filter(pk=line_event.pk).update(status=status, error=error)


def _answer(line_event: LineEvent, answer: list[Message]) -> None:
    payload = line_event.payload
    client.send_messages(
        line_user_id=line_event.line_user_id,
        reply_token=payload.get("replyToken") or "",
        event_timestamp_ms=line_event.event_timestamp,
        messages=answer[:5],  # LINE takes at most five messages at once
        retry_key=client.retry_key_for(line_event.webhook_event_id, "answer"),
    )


def _handle(line_event: LineEvent) -> Outcome:
    if line_event.mode == "standby":
        return Outcome(ignored_because="standby mode: another channel answers this chat")
    try:
        event = Event.from_dict(line_event.payload)
    except (ValueError, TypeError) as error:
        return _unknown(line_event, error)
    if isinstance(event, JoinEvent):
        # Decision: in a group or room the bot introduces itself once (on joining) and otherwise stays silent.
        # It never pushes to a group: without a fresh reply token it says nothing.
        if not client.reply_token_is_fresh(line_event.event_timestamp):
            return Outcome(ignored_because="joined a group or room; the reply token had expired")
        return Outcome(answer=[messages.text_message(texts.GROUP_JOIN)])
    if not isinstance(event.source, UserSource):
        return Outcome(ignored_because=GROUP_REASON)
    if isinstance(event, FollowEvent | UnfollowEvent | MessageEvent | PostbackEvent):
        return _person(line_event)
    return Outcome(ignored_because=f"{line_event.event_type} events are not used by the bot")


GROUP_REASON = "group or room chat: reports are taken only in one-to-one chats"
PERSON_EVENT_TYPES = {"follow", "unfollow", "message", "postback"}


def _unknown(line_event: LineEvent, error: Exception) -> Outcome:
    """An event line-bot-sdk cannot read (its `UnknownEvent`): keep it, log it loudly, and still serve a person.

    The SDK is stricter than LINE (a text without `quoteToken`, a new message type): when the event is one a
    person sends in a one-to-one chat, the flow reads the few fields it needs from the raw JSON.
    """
    logger.warning(
        "LINE event %s of type %r is unknown to line-bot-sdk; stored as row %s: %s",
        line_event.webhook_event_id,
        line_event.event_type,
        line_event.pk,
        str(error)[:300],
    )
    reason = f"unknown to line-bot-sdk: {str(error)[:500]}"
    if line_event.event_type not in PERSON_EVENT_TYPES:
        return Outcome(ignored_because=reason)
    if line_event.source_type != "user":
        return Outcome(ignored_because=GROUP_REASON)
    outcome = _person(line_event)
    outcome.note = reason
    return outcome


def _person(line_event: LineEvent) -> Outcome:
    """Follow, unfollow, a message or a postback in a one-to-one chat: the chat flow."""
    user_id = line_event.line_user_id
    if not user_id:
        return Outcome(ignored_because="no user id in the event")
    if line_event.event_type == "follow":
        with transaction.atomic():
            return Outcome(answer=flow.conversation_follow(user_id))
    if line_event.event_type == "unfollow":
        with transaction.atomic():
            flow.conversation_unfollow(user_id)
        return Outcome()
    inbound = _inbound(line_event)
    with transaction.atomic():
        return Outcome(answer=flow.conversation_step(inbound))


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _inbound(line_event: LineEvent) -> flow.Inbound:
    """Reduce a message or postback to what the flow needs, tolerant of missing and unknown fields."""
    payload = line_event.payload
    inbound = flow.Inbound(event_id=line_event.webhook_event_id, line_user_id=line_event.line_user_id, kind="")
    if line_event.event_type == "postback":
        data = _object(payload.get("postback")).get("data")
        inbound.kind, inbound.postback = "postback", flow.parse_postback(data if isinstance(data, str) else "")
        return inbound
    message = _object(payload.get("message"))
    kind = message.get("type")
    message_id = str(message.get("id") or "")
    if kind == "text":
        inbound.kind, inbound.text = "text", str(message.get("text") or "")
    elif (
        kind == "location"
        and _number(message.get("latitude")) is not None
        and _number(message.get("longitude")) is not None
    ):
        inbound.kind = "location"
        inbound.latitude, inbound.longitude = _number(message["latitude"]), _number(message["longitude"])
        place = message.get("address") or message.get("title") or ""
        inbound.place = place.strip()[:500] if isinstance(place, str) else ""
    elif kind == "image" and message_id:
        inbound.kind, inbound.message_id = "image", message_id
        image_set = _object(message.get("imageSet"))
        index, total = image_set.get("index"), image_set.get("total")
        if isinstance(index, int) and isinstance(total, int) and total > 0:
            inbound.is_last_of_set = index >= total
        provider = _object(message.get("contentProvider"))
        if provider.get("type") == "external":
            url = provider.get("originalContentUrl")
            inbound.photo_url = url if isinstance(url, str) else ""
        else:
            inbound.photo_path = _photo_download(message_id)
    elif kind == "sticker":
        inbound.kind = "sticker"
    else:
        inbound.kind = "unsupported"
    return inbound


def _photo_download(message_id: str) -> str:
    """Fetch a photo from LINE's data host before the flow's transaction, and keep it until it is attached."""
    try:
        content = client.content_download(message_id)
    except client.LineDeliveryError:
        logger.warning("Could not download LINE photo %s; it is recorded by its id only", message_id)
        return ""
    extension = "png" if content.startswith(b"\x89PNG") else "jpg"
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "", message_id)[:64] or "photo"
    return default_storage.save(f"{PHOTO_FOLDER}/{safe_id}.{extension}", ContentFile(content))
