"""Talk to LINE through line-bot-sdk v3: reply, push and download, with a 5 s timeout and bounded retries.

Only network errors, 5xx and 429 are retried (with backoff); any other answer is final. Pushes carry an
`X-Line-Retry-Key` so that a retried push is delivered once. A failure after the retries raises
`LineDeliveryError`, which callers record.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

import urllib3
from django.conf import settings
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    Message,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    ReplyMessageRequest,
    TextMessage,
)

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5.0
RETRY_DELAYS_SECONDS = (0.5, 1.0, 2.0)  # three retries after the first attempt
REPLY_TOKEN_FRESH_SECONDS = 50  # LINE's reply token lasts about a minute; keep a margin
RETRY_KEY_NAMESPACE = uuid.UUID("7b0f3c52-5a7e-4d55-9a43-2f3f0e1f7c11")

# Replaced in tests so that backoff costs no time (time is one of the two things tests may mock).
sleep: Callable[[float], None] = time.sleep

T = TypeVar("T")


class LineDeliveryError(Exception):
    """LINE did not take the request, even after the retries allowed."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def retry_key_for(event_id: str, purpose: str) -> str:
    """Derive the push retry key (a UUID) from what the push is about, so a retry reuses it."""
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, f"{event_id}:{purpose}"))


def reply_token_is_fresh(event_timestamp_ms: int | None, *, now: float | None = None) -> bool:
    """Tell whether a reply token of an event sent at this LINE timestamp can still be used."""
    if not event_timestamp_ms:
        return False
    current = time.time() if now is None else now
    return current - event_timestamp_ms / 1000 < REPLY_TOKEN_FRESH_SECONDS


def _configuration(host: str) -> Configuration:
    configuration = Configuration(host=host.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN)
    configuration.retries = False  # urllib3 must not retry on its own: we retry only what is safe to retry
    return configuration


_clients = threading.local()


def _forget_clients() -> None:
    global _clients
    _clients = threading.local()  # a forked child must not share its parent's open connections


os.register_at_fork(after_in_child=_forget_clients)


def _messaging_client() -> ApiClient:
    """This thread's client of the messaging host, kept open so that replies and pushes reuse one connection."""
    key = (settings.LINE_API_BASE_URL, settings.LINE_CHANNEL_ACCESS_TOKEN)
    if getattr(_clients, "key", None) != key:
        _clients.key, _clients.client = key, ApiClient(_configuration(settings.LINE_API_BASE_URL))
    return _clients.client


def is_retryable_status(status: int | None) -> bool:
    """Network trouble (the SDK reports TLS errors as status 0), LINE's own errors and rate limiting."""
    return status is not None and (status == 0 or status == 429 or status >= 500)


def _drain(response: object) -> None:
    """Release the connection of a response whose body we do not need (LINE's 2xx is the acceptance)."""
    raw = getattr(response, "raw_data", None)
    release = getattr(raw, "release_conn", None)
    if callable(release):
        getattr(raw, "drain_conn", lambda: None)()
        release()


def _with_retries(call: Callable[[], T], *, what: str) -> T:
    """Run one call to LINE, retrying network errors, 5xx and 429 with backoff."""
    attempts = len(RETRY_DELAYS_SECONDS) + 1
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except ApiException as error:
            if not is_retryable_status(error.status) or attempt == attempts:
                logger.warning("LINE %s failed: HTTP %s %s", what, error.status, (error.body or "")[:300])
                raise LineDeliveryError(f"LINE {what} failed: HTTP {error.status}", status=error.status) from error
            logger.info("LINE %s: HTTP %s, retry %d", what, error.status, attempt)
        except (urllib3.exceptions.HTTPError, OSError) as error:
            if attempt == attempts:
                logger.warning("LINE %s failed: %s", what, error)
                raise LineDeliveryError(f"LINE {what} failed: {error}") from error
            logger.info("LINE %s: %s, retry %d", what, type(error).__name__, attempt)
        sleep(RETRY_DELAYS_SECONDS[attempt - 1])
    raise AssertionError("unreachable")  # pragma: no cover


def reply_once(reply_token: str, messages: Sequence[Message]) -> None:
    """One reply attempt, never retried here: after a failure only the caller knows whether the token was used.

    LINE takes a reply token once: a second use, or a token past its minute, answers 400.
    """
    api = MessagingApi(_messaging_client())
    request = ReplyMessageRequest(reply_token=reply_token, messages=list(messages))
    try:
        _drain(api.reply_message_with_http_info(request, _preload_content=False, _request_timeout=TIMEOUT_SECONDS))
    except ApiException as error:
        raise LineDeliveryError(f"LINE reply failed: HTTP {error.status}", status=error.status) from error
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise LineDeliveryError(f"LINE reply failed: {error}", status=0) from error


def push_messages(line_user_id: str, messages: Sequence[Message], retry_key: str) -> None:
    """Push messages to a LINE user; LINE drops a second push with the same retry key."""
    api = MessagingApi(_messaging_client())
    request = PushMessageRequest(to=line_user_id, messages=list(messages))

    def push() -> None:
        try:
            response = api.push_message_with_http_info(
                request, x_line_retry_key=retry_key, _preload_content=False, _request_timeout=TIMEOUT_SECONDS
            )
            _drain(response)
        except ApiException as error:
            if error.status == 409:  # this retry key was accepted before: the push is already delivered
                logger.info("LINE push with retry key %s was already accepted", retry_key)
                return
            raise

    _with_retries(push, what="push")


def push_text(line_user_id: str, text: str, retry_key: str) -> None:
    """Push one text message (what the reporter-update notifications use)."""
    push_messages(line_user_id, [TextMessage(text=text)], retry_key)


def content_download(message_id: str) -> bytes:
    """Fetch what a user sent (an image) from LINE's content endpoint on the data host."""
    with ApiClient(_configuration(settings.LINE_DATA_API_BASE_URL)) as api_client:
        api = MessagingApiBlob(api_client)
        content = _with_retries(
            lambda: api.get_message_content(message_id, _request_timeout=TIMEOUT_SECONDS), what="content download"
        )
        return bytes(content)
