"""The webhook's signature check: the tests' signer against LINE's published vectors; unsigned, wrongly signed
or altered bodies refused with nothing stored; without a channel secret the webhook refuses and logs."""

from __future__ import annotations

import logging

import pytest
from linebot.v3.webhook import SignatureValidator

from pocketbook.incidents.channels.line.signature import signature_for, signature_is_valid
from pocketbook.incidents.models import LineEvent
from pocketbook.incidents.tests.line.conftest import WEBHOOK_URL, fixture_bytes, fixture_json, line_sign, post_signed

pytestmark = pytest.mark.django_db


def test_the_tests_signer_is_lines():
    # given: line-bot-sdk's published vector
    sdk = fixture_json("signature_vectors.json")["sdk_vector"]

    # when / then
    assert line_sign(sdk["channel_secret"], sdk["body"].encode()) == sdk["x_line_signature"]
    assert SignatureValidator(sdk["channel_secret"]).validate(sdk["body"], sdk["x_line_signature"])


def test_signing_matches_the_vectors_of_line_bot_sdk_and_of_the_fixtures():
    # given
    vectors = fixture_json("signature_vectors.json")
    sdk = vectors["sdk_vector"]
    derived = vectors["derived_for_fixture_files"]

    # when / then
    assert signature_for(sdk["channel_secret"], sdk["body"].encode()) == sdk["x_line_signature"]
    assert derived["channel_secret"] == "testsecret"
    for name, signature in derived["signatures"].items():
        assert signature_for("testsecret", fixture_bytes(name)) == signature, name


def test_signature_check_refuses_empty_secret_or_signature():
    assert signature_is_valid("", b"{}", line_sign("", b"{}")) is False
    assert signature_is_valid("testsecret", b"{}", "") is False
    assert signature_is_valid("testsecret", b"{}", line_sign("testsecret", b"{} ")) is False


def test_the_fixture_signature_header_is_accepted_as_given(client, line_settings):
    # given: the signature published beside the fixture, in LINE's lower-case header
    body = fixture_bytes("docs_follow_event_new_friend.json")
    signature = fixture_json("signature_vectors.json")["derived_for_fixture_files"]["signatures"][
        "docs_follow_event_new_friend.json"
    ]

    # when
    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers={"x-line-signature": signature}
    )

    # then
    assert response.status_code == 200
    assert LineEvent.objects.get().webhook_event_id == "01HMQGW40RZJPJM3RAJP7BHC2Q"


def test_missing_signature_is_refused_and_nothing_stored(client, line_settings, caplog):
    # given
    body = fixture_bytes("sdk_follow_event.json")

    # when
    with caplog.at_level(logging.WARNING):
        response = client.post(WEBHOOK_URL, data=body, content_type="application/json")

    # then
    assert response.status_code == 400
    assert LineEvent.objects.count() == 0
    assert "missing signature" in caplog.text


def test_wrong_signature_is_refused_and_nothing_stored(client, line_settings):
    # given: signed with another channel's secret
    body = fixture_bytes("sdk_follow_event.json")

    # when
    response = post_signed(client, body, secret="another-secret")

    # then
    assert response.status_code == 400
    assert LineEvent.objects.count() == 0


def test_a_body_changed_after_signing_is_refused(client, line_settings):
    # given
    body = fixture_bytes("sdk_follow_event.json")
    signature = line_sign("testsecret", body)

    # when
    response = client.post(
        WEBHOOK_URL,
        data=body.replace(b"follow", b"unfollow"),
        content_type="application/json",
        HTTP_X_LINE_SIGNATURE=signature,
    )

    # then
    assert response.status_code == 400
    assert LineEvent.objects.count() == 0


def test_without_a_channel_secret_the_webhook_refuses_and_logs(client, settings, caplog):
    # given: production started without LINE_CHANNEL_SECRET
    settings.LINE_CHANNEL_SECRET = ""
    body = fixture_bytes("sdk_follow_event.json")

    # when
    with caplog.at_level(logging.ERROR):
        response = post_signed(client, body, secret="")

    # then
    assert response.status_code == 503
    assert LineEvent.objects.count() == 0
    assert "LINE_CHANNEL_SECRET is not set" in caplog.text
