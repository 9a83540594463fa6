"""The webhook called as gunicorn calls it (the WSGI application, its lean handler): chunked bodies without a
Content-Length, and a kept database connection that the server has dropped."""

from __future__ import annotations

import io
import logging

import psycopg
import pytest
from django.db import connection

from pocketbook.incidents.models import LineEvent
from pocketbook.incidents.tests.line.conftest import TEST_SECRET, WEBHOOK_URL, body_of, line_sign, text_event
from pocketbook.wsgi import application as wsgi_application

pytestmark = pytest.mark.django_db


def _post_chunked(body: bytes, signature: str) -> int:
    """Post as a proxy that does not buffer: chunked, no Content-Length (the WSGI server de-chunks)."""
    return _post_through_wsgi(body, signature, {"HTTP_TRANSFER_ENCODING": "chunked"})


def _post_through_wsgi(body: bytes, signature: str, headers: dict[str, str]) -> int:
    """Call the WSGI application as gunicorn does (its lean handler for the webhook); return the status."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": WEBHOOK_URL,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "CONTENT_TYPE": "application/json",
        "HTTP_X_LINE_SIGNATURE": signature,
        **headers,
    }
    status = []
    b"".join(wsgi_application(environ, lambda line, headers, exc_info=None: status.append(int(line.split()[0]))))
    return status[0]


@pytest.mark.django_db(transaction=True)  # the WSGI handler closes the connection at the end of the request
def test_a_chunked_body_without_content_length_is_read(line_settings):
    # given
    event = text_event("สวัสดี")
    body = body_of(event)

    # when
    status = _post_chunked(body, line_sign("testsecret", body))

    # then
    assert status == 200
    assert LineEvent.objects.get().webhook_event_id == event["webhookEventId"]


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_over_one_mebibyte_is_refused(line_settings):
    # given: a signed body of 1 MiB and one byte, without Content-Length
    body = body_of(text_event("x" * (1024 * 1024)))
    assert len(body) > 1024 * 1024

    # when
    status = _post_chunked(body, line_sign("testsecret", body))

    # then
    assert status == 413
    assert LineEvent.objects.count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no server connection to lose; checked on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_the_server_dropped_is_opened_again_and_the_event_stored_once(
    line_settings, caplog, monkeypatch
):
    # given: connections kept between requests, as in production (tests otherwise close them after each one)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    # and: the webhook skips Django's per-request health check, and the server has ended the kept connection
    first, second = text_event("หนึ่ง"), text_event("สอง")
    assert _post_lean(body_of(first)) == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with psycopg.connect(_admin_dsn(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])

    # when
    with caplog.at_level(logging.WARNING, logger="pocketbook.incidents.channels.line.storage"):
        status = _post_lean(body_of(second))

    # then
    assert status == 200
    assert sorted(LineEvent.objects.values_list("webhook_event_id", flat=True)) == sorted(
        [first["webhookEventId"], second["webhookEventId"]]
    )
    assert "reconnecting once" in caplog.text


def _post_lean(body: bytes) -> int:
    """Post with a Content-Length, as LINE does."""
    return _post_through_wsgi(body, line_sign(TEST_SECRET, body), {"CONTENT_LENGTH": str(len(body))})


def _admin_dsn() -> str:
    settings_dict = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        password=settings_dict["PASSWORD"] or None,
    )
