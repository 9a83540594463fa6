"""Build the LINE messages the bot sends (line-bot-sdk v3 models), always in the bot's language (Thai)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.utils.functional import Promise
from linebot.v3.messaging import (
    CameraAction,
    CameraRollAction,
    LocationAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

from pocketbook.incidents.channels.line import texts

MAX_TEXT_LENGTH = 5000  # LINE's limit for one text message


def postback_data(action: str, **values: str) -> str:
    """Encode what a button means; the chat flow reads it back with `parse_qs`."""
    return urlencode({"action": action, **values})


def postback_item(
    label: str | Promise, action: str, *, display_text: str | Promise = "", **values: str
) -> QuickReplyItem:
    """A quick-reply button that sends a postback (and shows what was chosen in the chat)."""
    return QuickReplyItem(
        action=PostbackAction(
            label=str(label), data=postback_data(action, **values), display_text=str(display_text or label)
        )
    )


def location_item() -> QuickReplyItem:
    """The quick-reply button that opens LINE's location picker."""
    return QuickReplyItem(action=LocationAction(label=str(texts.LABEL_SEND_LOCATION)))


def camera_items() -> list[QuickReplyItem]:
    """The quick-reply buttons to take or choose a photo."""
    return [
        QuickReplyItem(action=CameraAction(label=str(texts.LABEL_CAMERA))),
        QuickReplyItem(action=CameraRollAction(label=str(texts.LABEL_CAMERA_ROLL))),
    ]


def report_item() -> QuickReplyItem:
    return postback_item(texts.LABEL_REPORT, "report")


def status_item() -> QuickReplyItem:
    return postback_item(texts.LABEL_STATUS, "status")


def cancel_item() -> QuickReplyItem:
    return postback_item(texts.LABEL_CANCEL, "cancel")


def submit_item() -> QuickReplyItem:
    return postback_item(texts.LABEL_SUBMIT, "submit")


def type_items() -> list[QuickReplyItem]:
    """The five ESS types and "something else", as postbacks."""
    return [postback_item(label, "type", type=key) for key, label in texts.TYPE_LABELS]


def text_message(text: str | Promise, items: Sequence[QuickReplyItem] = ()) -> TextMessage:
    """One text message, with quick-reply buttons when given."""
    body = str(text)[:MAX_TEXT_LENGTH]
    return TextMessage(text=body, quick_reply=QuickReply(items=list(items)) if items else None)
