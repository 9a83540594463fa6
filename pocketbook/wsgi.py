"""WSGI entry point: `gunicorn pocketbook.wsgi`.

LINE's webhook must be acknowledged hundreds of times a second on a small machine, and it needs none
of the pages' middleware (sessions, users, two-factor, messages, locale, lock-out). Its requests go
to a second Django handler with only the request id and security middleware; every other request
goes through the full stack.
"""

import os
from typing import Any

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocketbook.settings")

LEAN_PATHS = ("/ess/line/webhook",)
LEAN_MIDDLEWARE = [
    "pocketbook.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
]


class LeanWSGIHandler(WSGIHandler):
    """Django, with only the middleware a machine-to-machine webhook needs."""

    def load_middleware(self, is_async: bool = False) -> None:
        # Django's own loop, over a short list: these middleware have no view or exception hooks.
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(LEAN_MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self._middleware_chain = handler


pages = get_wsgi_application()
webhooks = LeanWSGIHandler()


def application(environ, start_response):
    """Send the webhook to the lean handler, everything else to the full one."""
    handler = webhooks if environ.get("PATH_INFO", "") in LEAN_PATHS else pages
    return handler(environ, start_response)
