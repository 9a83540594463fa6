"""Handle one stored LINE event: parse it with line-bot-sdk and run the chat flow; say what to answer.

The queue (`queue/handling.py`) claims events, calls this inside the transaction that marks the event handled, and
sends the answer afterwards.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import override
from linebot.v3.messaging import Message
from linebot.v3.webhooks import Event, FollowEvent, JoinEvent, MessageEvent, PostbackEvent, UnfollowEvent, UserSource

from pocketbook.incidents.channels.line import client, flow, messages, texts
from pocketbook.incidents.models import LineConversation, LineEvent

logger = logging.getLogger(__name__)

PHOTO_FOLDER = "incidents/line-pending"


@dataclass
class Outcome:
    """What processing did: the messages to send, or why the event was only stored."""

    answer: list[Message] = field(default_factory=list)
    ignored_because: str = ""
    note: str = ""  # kept on the row even when the event was handled


def inbound_prepare(line_event: LineEvent) -> flow.Inbound | None:
    """Read a person's message or postback, downloading a photo: done before the event's transaction.

    Nothing here writes to the database, so a worker that dies here leaves nothing behind but a file.
    """
    if not is_person_event(line_event) or line_event.event_type not in {"message", "postback"}:
        return None
    return _inbound(line_event)


def is_person_event(line_event: LineEvent) -> bool:
    """Whether the chat flow runs for this event, with its user's conversation (so the worker locks that first)."""
    return (
        line_event.mode != "standby"
        and line_event.event_type in PERSON_EVENT_TYPES
        and line_event.source_type == "user"
        and bool(line_event.line_user_id)
    )


def event_handle(
    line_event: LineEvent, inbound: flow.Inbound | None = None, *, conversation: LineConversation | None = None
) -> Outcome:
    """Run the chat flow for one stored event inside the caller's transaction; say what to answer.

    Events line-bot-sdk cannot read are still served when they are a person's; other events are only kept.
    `conversation`: the user's conversation when the caller has locked it already (the worker locks a batch's).
    """
    with override(texts.BOT_LANGUAGE):
        return _handle(line_event, inbound, conversation)


def _handle(line_event: LineEvent, inbound: flow.Inbound | None, conversation: LineConversation | None) -> Outcome:
    if line_event.mode == "standby":
        return Outcome(ignored_because="standby mode: another channel answers this chat")
    try:
        event = Event.from_dict(line_event.payload)
    except (ValueError, TypeError) as error:
        return _unknown(line_event, inbound, error, conversation)
    if isinstance(event, JoinEvent):
        # Decision: in a group or room the bot introduces itself once (on joining) and otherwise stays silent.
        # It never pushes to a group: without a fresh reply token it says nothing.
        if not client.reply_token_is_fresh(line_event.event_timestamp):
            return Outcome(ignored_because="joined a group or room; the reply token had expired")
        return Outcome(answer=[messages.text_message(texts.GROUP_JOIN)])
    if not isinstance(event.source, UserSource):
        return Outcome(ignored_because=GROUP_REASON)
    if isinstance(event, FollowEvent | UnfollowEvent | MessageEvent | PostbackEvent):
        return _person(line_event, inbound, conversation)
    return Outcome(ignored_because=f"{line_event.event_type} events are not used by the bot")


GROUP_REASON = "group or room chat: reports are taken only in one-to-one chats"
PERSON_EVENT_TYPES = {"follow", "unfollow", "message", "postback"}


def _unknown(
    line_event: LineEvent, inbound: flow.Inbound | None, error: Exception, conversation: LineConversation | None
) -> Outcome:
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
    outcome = _person(line_event, inbound, conversation)
    outcome.note = reason
    return outcome


def _person(line_event: LineEvent, inbound: flow.Inbound | None, conversation: LineConversation | None) -> Outcome:
    """Follow, unfollow, a message or a postback in a one-to-one chat: the chat flow."""
    user_id = line_event.line_user_id
    if not user_id:
        return Outcome(ignored_because="no user id in the event")
    if line_event.event_type == "follow":
        return Outcome(answer=flow.conversation_follow(user_id, locked=conversation))
    if line_event.event_type == "unfollow":
        flow.conversation_unfollow(user_id, locked=conversation)
        return Outcome()
    return Outcome(answer=flow.conversation_step(inbound or _inbound(line_event), locked=conversation))


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    """A finite number, or None (a bool, text, or an integer too large for a float are not coordinates)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


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
