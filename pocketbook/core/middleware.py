"""Request id on every request (logs, audit rows, response header), safe response headers, no NUL in input."""

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext, gettext_lazy

from pocketbook.core.api import error_body
from pocketbook.core.views import bad_request_page

logger = logging.getLogger(__name__)

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID_HEADER = "X-Request-ID"


def current_request_id() -> str:
    """Return the id of the request being served, or "-" outside a request (commands, tasks)."""
    return _request_id.get()


class RequestIdLogFilter(logging.Filter):
    """Put the current request id on every log record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class RequestIdMiddleware:
    """Give every request an id: the proxy's X-Request-ID when it is sane, else a new one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware returns, and
        # that log line must carry the id too. The next request on this thread sets its own.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class SecurityHeadersMiddleware:
    """Add the headers Django does not set itself: a content security policy and a permissions policy."""

    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'"
    )
    PERMISSIONS_POLICY = "geolocation=(self), camera=(self), microphone=(), payment=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # Ninja's interactive docs use inline scripts of their own.
            response.headers.setdefault(
                "Content-Security-Policy",
                self.CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
            )
        else:
            response.headers.setdefault("Content-Security-Policy", self.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        return response


class NulCharacterMiddleware:
    """Refuse a NUL character in a query string, a form or a JSON body with a clear answer, not a 500.

    PostgreSQL's text cannot hold NUL: a `?q=%00` reached the database as a filter and failed there. Nobody
    types NUL, so a request carrying one is refused whole: 422 naming the fields on the API, the 400 page
    elsewhere. Uploaded files (multipart) may hold NUL bytes and are not looked at; their form fields are
    checked by Django's own form validators. JSON bodies are looked at on the API only: the LINE webhook keeps
    a NUL as U+FFFD rather than lose a report (and in production passes through `pocketbook.wsgi`'s lean handler).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = _nul_fields(request)
        if not fields:
            return self.get_response(request)
        logger.warning("Refused a request with NUL in %s: %s %s", ", ".join(fields), request.method, request.path)
        if request.path.startswith("/api/"):
            body = error_body(
                422,
                "validation_error",
                gettext("Some fields are not valid."),
                [{"path": field, "message": str(NUL_MESSAGE)} for field in fields],
            )
            return JsonResponse(body, status=422)
        return bad_request_page(request, message=str(NUL_PAGE_MESSAGE))


NUL_MESSAGE = gettext_lazy("Contains an invisible control character (NUL); retype the value.")
NUL_PAGE_MESSAGE = gettext_lazy(
    "The request holds an invisible control character (NUL). Nothing was saved; retype the value and send it again."
)


def _nul_fields(request: HttpRequest) -> list[str]:
    """Name each query parameter, form field or JSON body path whose value (or name) holds NUL."""
    fields = [f"query.{name}" for name in _names_with_nul(request.META.get("QUERY_STRING", ""))]
    content_type = request.content_type or ""
    if request.method in {"POST", "PUT", "PATCH"}:
        if content_type == "application/x-www-form-urlencoded" and b"%00" in request.body:
            fields += [f"form.{name}" for name in _names_with_nul(request.body.decode("latin-1"))]
        elif content_type == "application/json" and request.path.startswith("/api/") and b"\\u0000" in request.body:
            fields += _json_paths_with_nul(request.body)
    return fields


def _names_with_nul(encoded: str) -> list[str]:
    if "%00" not in encoded:
        return []
    pairs = parse_qsl(encoded, keep_blank_values=True, encoding="latin-1")
    return [name.replace("\x00", "?") for name, value in pairs if "\x00" in name or "\x00" in value] or ["?"]


def _json_paths_with_nul(body: bytes) -> list[str]:
    try:
        document = json.loads(body)
    except ValueError:
        return []  # not JSON: the API's own parser answers it
    paths: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, str):
            if "\x00" in value:
                paths.append(path)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}.{index}")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key.replace(chr(0), '?')}")
                if "\x00" in key:
                    paths.append(f"{path}.{key.replace(chr(0), '?')}")

    walk(document, "body")
    return paths
