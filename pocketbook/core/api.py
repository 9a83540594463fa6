"""The API's one shape of error body (its authentication is accounts' `api_auth`).

Every error answers `{"error": {"status": 422, "code": "validation_error", "message": "...",
"fields": [{"path": "body.payload.number", "message": "..."}]}}` so clients handle one shape.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

from pocketbook.core.api_messages import field_message

logger = logging.getLogger(__name__)


# Lists are paged by limit and offset; an offset past this is a mistake, not a page (and would overflow SQL).
MAX_OFFSET = 10_000_000


def error_body(status: int, code: str, message: str, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Build the one error shape the API uses."""
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _field_path(location: Any) -> str:
    return ".".join(str(part) for part in location)


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error of `api` answer in the one error shape, in the request's language."""

    def respond(request: HttpRequest, status: int, code: str, message: str, fields: Any = None) -> HttpResponse:
        return api.create_response(request, error_body(status, code, message, fields), status=status)

    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = [{"path": _field_path(error.get("loc", ())), "message": field_message(error)} for error in exc.errors]
        return respond(request, 422, "validation_error", _("Some fields are not valid."), fields)

    @api.exception_handler(ValidationError)
    def on_django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            fields = [
                {"path": f"body.{name}", "message": " ".join(str(m) for error in errors for m in error.messages)}
                for name, errors in exc.error_dict.items()
            ]
        else:
            fields = [{"path": "body", "message": " ".join(exc.messages)}]
        return respond(request, 422, "validation_error", _("Some fields are not valid."), fields)

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "not_authenticated", _("Sign in, or send a valid API token."))

    @api.exception_handler(PermissionDenied)
    def on_permission(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, "forbidden", _("Your role may not do this."))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(ObjectDoesNotExist)
    def on_missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unexpected API error on %s %s", request.method, request.path)
        request_id = getattr(request, "request_id", "")
        message = _("Something went wrong. Nothing was saved. Reference: %(request_id)s") % {"request_id": request_id}
        return respond(request, 500, "server_error", message)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}
        return respond(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


class ObjectBody(BaseModel):
    """A request body that must be a JSON object: 5, null, [] or "x" answer 422, never "no filter" or "no change".

    Ninja wraps whatever arrives so attribute look-ups fall back to the defaults; a schema whose fields all
    have defaults would otherwise take any JSON value as an empty object. Mix in before the Schema class.
    """

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        if not isinstance(getattr(value, "_obj", value), dict):
            raise PydanticCustomError("dict_type", str(_("Send a JSON object, for example {}.")))
        return value


def require_permission(request: HttpRequest, permission: str) -> None:
    """Raise PermissionDenied (403) unless the authenticated user holds `permission`."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
