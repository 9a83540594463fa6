"""Encryption at rest and keyed hashes for personal identifiers (national IDs).

FIELD_ENCRYPTION_KEY holds one or more Fernet keys separated by commas: the first encrypts, all
decrypt, so keys can be rotated. The keyed hash (HMAC-SHA256) lets the database find a person by
exact ID without ever holding the ID in clear; its key is derived from the *last* key in the list,
so adding a new encryption key in front does not change existing hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _keys() -> list[str]:
    keys = [key.strip() for key in settings.FIELD_ENCRYPTION_KEY.split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is empty.")
    return keys


@cache
def _fernet(key_setting: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in _keys()])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes); "
            "make one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from error


@cache
def _hash_key(key_setting: str) -> bytes:
    return hashlib.sha256(b"pocketbook-lookup-hash:" + _keys()[-1].encode()).digest()


def encrypt(plain: str) -> str:
    """Encrypt a short text; the result is ASCII and safe to store in a text column."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt what `encrypt` made; raise ValueError when the key does not fit."""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The encrypted value cannot be read with the configured keys.") from error


def lookup_hash(plain: str) -> str:
    """Return a keyed hash (hex HMAC-SHA256) for exact look-ups of an identifier."""
    return hmac.new(_hash_key(settings.FIELD_ENCRYPTION_KEY), plain.encode(), hashlib.sha256).hexdigest()
