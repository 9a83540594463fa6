"""LINE's webhook signature: base64(HMAC-SHA256(channel secret, raw body)), compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac


def signature_for(secret: str, body: bytes) -> str:
    """Compute the `x-line-signature` LINE sends with this body."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_is_valid(secret: str, body: bytes, signature: str) -> bool:
    """Check a received signature against the raw body bytes, in constant time."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(signature_for(secret, body).encode("ascii"), signature.strip().encode("utf-8"))
