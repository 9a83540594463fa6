"""`POST /ess/line/webhook`: check size and signature, store each event once, answer 200 fast."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pocketbook.incidents.channels.line.receive import line_webhook_receive
from pocketbook.incidents.channels.line.signature import signature_is_valid
from pocketbook.incidents.channels.line.storage import MalformedWebhookError

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _read_body(request: HttpRequest, declared_length: int) -> bytes:
    """Read at most one byte over the limit, also from a chunked body that declares no length.

    Django reads nothing when `Content-Length` is missing; a proxy that does not buffer sends the body
    chunked, and the WSGI server (gunicorn) gives the de-chunked stream as `wsgi.input`.
    """
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if declared_length or not chunked:
        return request.read(MAX_BODY_BYTES + 1)
    stream = request.META["wsgi.input"]
    parts: list[bytes] = []
    size = 0
    while size <= MAX_BODY_BYTES:
        part = stream.read(min(64 * 1024, MAX_BODY_BYTES + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


@csrf_exempt
@require_POST
def line_webhook(request: HttpRequest) -> HttpResponse:
    """Receive LINE's webhook: 400 bad signature or body, 413 too large, 503 not configured, else 200."""
    secret = settings.LINE_CHANNEL_SECRET
    if not secret:
        logger.error("LINE webhook refused: LINE_CHANNEL_SECRET is not set")
        return _plain("LINE channel secret is not configured", 503)
    try:
        declared_length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _plain("bad Content-Length", 400)
    if declared_length > MAX_BODY_BYTES:
        logger.warning("LINE webhook refused: body of %d bytes declared", declared_length)
        return _plain("body too large", 413)
    body = _read_body(request, declared_length)
    if len(body) > MAX_BODY_BYTES:
        logger.warning("LINE webhook refused: body over %d bytes", MAX_BODY_BYTES)
        return _plain("body too large", 413)
    if not signature_is_valid(secret, body, request.headers.get("X-Line-Signature", "")):
        logger.warning(
            "LINE webhook refused: %s signature from %s (%d bytes)",
            "wrong" if request.headers.get("X-Line-Signature") else "missing",
            request.META.get("REMOTE_ADDR", "?"),
            len(body),
        )
        return _plain("bad signature", 400)
    try:
        line_webhook_receive(body=body)
    except MalformedWebhookError as error:
        logger.warning("LINE webhook refused a signed but malformed body: %s; first bytes %r", error, body[:200])
        return _plain("malformed body", 400)
    return _plain("OK", 200)
