"""Encryption at rest and keyed hashes for personal identifiers (national IDs).

FIELD_ENCRYPTION_KEY holds one or more Fernet keys separated by commas: the first encrypts, all
decrypt, so keys can be rotated. The keyed hash (HMAC-SHA256) lets the database find a person by
exact ID without ever holding the ID in clear; its key is derived from the *last* key in the list,
so adding a new encryption key in front does not change existing hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
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


def encrypt_many(plains: list[str]) -> list[str]:
    """Encrypt many short texts for a bulk import: each token is what `encrypt` would make, with its own IV.

    Fernet is AES-128-CBC plus HMAC-SHA256. A text of at most 15 bytes pads to one AES block, and CBC over one
    block is AES(IV xor block), so one AES pass over the whole batch does every token's encryption at once
    instead of building a cipher per text; longer texts go through Fernet itself.
    """
    key = base64.urlsafe_b64decode(_keys()[0])
    signing_key, encryption_key = key[:16], key[16:]
    header = b"\x80" + int(time.time()).to_bytes(8, "big")
    datas = [plain.encode() for plain in plains]
    size = 16 * len(datas)
    ivs = os.urandom(size)
    padded = b"".join(data + _PADDING[16 - len(data)] if len(data) < 16 else bytes(16) for data in datas)
    blocks = (int.from_bytes(ivs, "big") ^ int.from_bytes(padded, "big")).to_bytes(size, "big")
    encryptor = Cipher(algorithms.AES(encryption_key), modes.ECB()).encryptor()  # noqa: S305 - one block each, see above
    ciphertext = encryptor.update(blocks) + encryptor.finalize()
    tokens = []
    for index, data in enumerate(datas):
        if len(data) >= 16:
            tokens.append(_fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(data).decode())
            continue
        signed = header + ivs[16 * index : 16 * index + 16] + ciphertext[16 * index : 16 * index + 16]
        tokens.append(base64.urlsafe_b64encode(signed + hmac.digest(signing_key, signed, "sha256")).decode())
    return tokens


# PKCS7 padding of a text that is n bytes short of a block.
_PADDING = [bytes([n]) * n for n in range(17)]


def lookup_hashes(plains: list[str]) -> list[str]:
    """`lookup_hash` of each text, for a bulk import."""
    key = _hash_key(settings.FIELD_ENCRYPTION_KEY)
    return [hmac.digest(key, plain.encode(), "sha256").hex() for plain in plains]
