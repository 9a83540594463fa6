"""The webhook signature agrees with LINE's own SDK (its SignatureValidator), not with itself.

The SDK is the reference: a body it accepts we accept, one byte changed or another secret we refuse.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from linebot.v3.webhook import SignatureValidator

from pocketbook.incidents.channels.line.signature import signature_for, signature_is_valid

SECRET = "8f5c0d5b1d7e4c2a9b3e6f1a2c4d6e8f"
BODIES = [b'{"destination":"U0","events":[]}', '{"events":[{"type":"message","text":"ช่วยด้วย"}]}'.encode(), b""]


def sdk_signature(secret: str, body: bytes) -> str:
    """What LINE signs (the SDK's documented computation), independent of the code under test."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@pytest.mark.parametrize("body", BODIES)
def test_a_body_the_sdk_accepts_is_accepted(body):
    signature = sdk_signature(SECRET, body)
    assert SignatureValidator(SECRET).validate(body.decode(), signature) is True

    assert signature_for(SECRET, body) == signature
    assert signature_is_valid(SECRET, body, signature) is True
    assert signature_is_valid(SECRET, body, f"  {signature}\n") is True


@pytest.mark.parametrize("body", BODIES[:2])
def test_a_changed_byte_another_secret_or_no_signature_is_refused(body):
    signature = sdk_signature(SECRET, body)
    changed = body[:-1] + bytes([body[-1] ^ 1])

    assert SignatureValidator(SECRET).validate(changed.decode(), signature) is False
    assert signature_is_valid(SECRET, changed, signature) is False
    assert signature_is_valid("another-secret", body, signature) is False
    assert signature_is_valid(SECRET, body, "") is False
    assert signature_is_valid("", body, signature) is False
    assert signature_is_valid(SECRET, body, signature[:-2]) is False


@pytest.mark.parametrize("body", BODIES)
def test_an_unset_channel_secret_refuses_even_a_body_signed_with_the_empty_secret(body):
    # given: a server whose LINE secret was never set; the attacker signs with the empty key (HMAC allows it)
    forged = sdk_signature("", body)

    # when / then: nothing is accepted until the secret is set
    assert signature_is_valid("", body, forged) is False
