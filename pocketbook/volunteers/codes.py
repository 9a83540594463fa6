"""The codes people type or scan: certificate verification codes and the secret of a participant's QR."""

from __future__ import annotations

import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


def random_code(length: int = 10) -> str:
    """A random code people can type: capitals and digits without look-alikes."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_check_in_token() -> str:
    """The secret a participant's personal QR carries (unguessable, URL-safe)."""
    return secrets.token_urlsafe(18)
