"""Process one stored LINE event: claim it, parse it with line-bot-sdk, run the chat flow, then answer.

The claim (`UPDATE … WHERE status = 'received'`) is committed before anything else, so an event is handled
at most once however often its task runs; the answer is sent after the flow's transaction commits.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from linebot.v3.messaging import Message
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    ImageMessageContent,
    JoinEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from pocketbook.incidents.channels.line import client, flow, messages, texts
from pocketbook.incidents.models import LineEvent

logger = logging.getLogger(__name__)

PHOTO_FOLDER = "incidents/line-pending"


@dataclass
class Outcome:
    """What processing did: the messages to send, or why the event was only stored."""

    answer: list[Message] = field(default_factory=list)
    ignored_because: str = ""


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
        return Outcome(answer=[messages.text_message(texts.GROUP_JOIN)])
    if not isinstance(event.source, UserSource) or not line_event.line_user_id:
        return Outcome(ignored_because="group or room chat: reports are taken only in one-to-one chats")
    user_id = line_event.line_user_id
    if isinstance(event, FollowEvent):
        with transaction.atomic():
            return Outcome(answer=flow.conversation_follow(user_id))
    if isinstance(event, UnfollowEvent):
        with transaction.atomic():
            flow.conversation_unfollow(user_id)
        return Outcome()
    if isinstance(event, MessageEvent | PostbackEvent):
        inbound = _inbound(line_event, event)
        with transaction.atomic():
            return Outcome(answer=flow.conversation_step(inbound))
    return Outcome(ignored_because=f"{line_event.event_type} events are not used by the bot")


def _unknown(line_event: LineEvent, error: Exception) -> Outcome:
    """An event line-bot-sdk cannot read (its `UnknownEvent`): keep it, say so loudly, answer a person."""
    logger.warning(
        "LINE event %s of type %r is unknown to line-bot-sdk; stored as row %s, not handled: %s",
        line_event.webhook_event_id,
        line_event.event_type,
        line_event.pk,
        str(error)[:300],
    )
    reason = f"unknown to line-bot-sdk: {str(error)[:500]}"
    is_person = line_event.source_type == "user" and line_event.event_type == "message"
    if is_person and line_event.mode != "standby" and line_event.payload.get("replyToken"):
        with transaction.atomic():
            answer = flow.conversation_step(
                flow.Inbound(
                    event_id=line_event.webhook_event_id, line_user_id=line_event.line_user_id, kind="unsupported"
                )
            )
        return Outcome(answer=answer, ignored_because=reason)
    return Outcome(ignored_because=reason)


def _inbound(line_event: LineEvent, event: MessageEvent | PostbackEvent) -> flow.Inbound:
    inbound = flow.Inbound(event_id=line_event.webhook_event_id, line_user_id=line_event.line_user_id, kind="")
    if isinstance(event, PostbackEvent):
        inbound.kind = "postback"
        inbound.postback = flow.parse_postback(event.postback.data or "")
        return inbound
    message = event.message
    if isinstance(message, TextMessageContent):
        inbound.kind, inbound.text = "text", message.text or ""
    elif isinstance(message, LocationMessageContent):
        inbound.kind = "location"
        inbound.latitude, inbound.longitude = message.latitude, message.longitude
        inbound.place = (message.address or message.title or "").strip()[:500]
    elif isinstance(message, ImageMessageContent):
        inbound.kind, inbound.message_id = "image", message.id
        if message.image_set and message.image_set.index and message.image_set.total:
            inbound.is_last_of_set = message.image_set.index >= message.image_set.total
        provider = message.content_provider
        if provider is not None and provider.type == "external":
            inbound.photo_url = provider.original_content_url or ""
        else:
            inbound.photo_path = _photo_download(message.id)
    elif isinstance(message, StickerMessageContent):
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
