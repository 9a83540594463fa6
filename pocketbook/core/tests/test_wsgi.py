"""The WSGI entry point: LINE's webhook through the lean handler, pages through the full one."""

import io
import json

import pytest

from pocketbook.incidents.models import LineEvent
from pocketbook.incidents.tests.line.conftest import line_sign

pytestmark = pytest.mark.django_db(transaction=True)


def call(path, body=b"", method="GET", headers=None):
    from pocketbook.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
        **(headers or {}),
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    answer["body"] = b"".join(application(environ, start_response))
    return answer


def test_the_webhook_is_served_by_the_lean_handler_and_stores_events(settings):
    settings.LINE_CHANNEL_SECRET = "wsgi-test-secret"
    body = json.dumps(
        {
            "events": [
                {
                    "type": "unfollow",
                    "webhookEventId": "01WSGI",
                    "timestamp": 1,
                    "source": {"type": "user", "userId": "U1"},
                }
            ]
        }
    ).encode()
    signed = call("/ess/line/webhook", body, "POST", {"HTTP_X_LINE_SIGNATURE": line_sign("wsgi-test-secret", body)})
    unsigned = call("/ess/line/webhook", body, "POST", {"HTTP_X_LINE_SIGNATURE": "bad"})
    assert (signed["status"], unsigned["status"]) == (200, 400)
    assert LineEvent.objects.filter(webhook_event_id="01WSGI").count() == 1
    assert "X-Request-ID" in signed["headers"]
    assert "Set-Cookie" not in signed["headers"]  # no session or CSRF machinery on the webhook


def test_pages_still_get_the_full_middleware():
    page = call("/accounts/login/")
    assert page["status"] == 200
    assert "default-src 'self'" in page["headers"]["Content-Security-Policy"]
    assert "csrftoken" in page["headers"].get("Set-Cookie", "")
