"""Secrets and tokens: generated with `secrets`, stored as SHA-256, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """A kiosk secret: 43 url-safe characters (256 bits)."""
    return secrets.token_urlsafe(32)


def new_enrol_token() -> str:
    """A one-time enrolment token: 32 url-safe characters (192 bits)."""
    return secrets.token_urlsafe(24)


def matches(secret: str, stored_hash: str | None) -> bool:
    """Whether `secret` hashes to `stored_hash`, in constant time (also when there is no hash)."""
    return hmac.compare_digest(sha256_hex(secret), stored_hash or "0" * 64) and stored_hash is not None


def same_token(given: str, expected: str | None) -> bool:
    """Whether `given` is `expected`, in constant time; never true when `expected` is None."""
    if expected is None:
        hmac.compare_digest(given.encode(), b"-")
        return False
    return hmac.compare_digest(given.encode(), expected.encode())
