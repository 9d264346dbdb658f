"""Secrets and tokens: generated with `secrets`, stored as SHA-256, compared in constant time.
Users' passwords: argon2id (argon2-cffi's RFC 9106 low-memory profile)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


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


def new_user_token() -> str:
    """A supervisor's bearer token or dashboard session: 43 url-safe characters (256 bits)."""
    return secrets.token_urlsafe(32)


def csrf_of(token: str) -> str:
    """The CSRF token of a dashboard session: derived from its (HttpOnly) session token, so a
    page of another site can neither read nor guess it, and nothing more is stored."""
    return hmac.new(token.encode("utf-8"), b"mpp-dashboard-csrf", hashlib.sha256).hexdigest()


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of `password` (with its own salt and parameters)."""
    return _hasher().hash(password)


#: Verified when the username is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH: list[str] = []


def password_matches(password: str, stored_hash: str | None) -> bool:
    """Whether `password` matches `stored_hash` (argon2); as slow when there is no hash."""
    if stored_hash is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hash_password("not-a-password"))
        stored_hash, password = _DUMMY_HASH[0], password + "-never"
        try:
            _hasher().verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
