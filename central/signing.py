"""Signed QR credentials, central's half: the text form and Ed25519 signing.

Central imports no kiosk code, so the layout is written out here once more; the kiosk's
verifier is kiosk/credential.py, and tests/central/test_credentials.py checks that what this
module signs, that one accepts. Text form::

    MPP1.<base64url(body)>.<base64url(Ed25519 signature over b"MPP1." + body)>

    body: kind (1 byte: 1 account, 2 booking, 3 ticket, 4 badge), issued_at, not_before,
          expires_at (4 bytes each, Unix seconds, big-endian), nonce (12 random bytes),
          key id (1 length byte + ASCII), subject (1 length byte + UTF-8)
"""

from __future__ import annotations

import base64
import os
import re
import struct
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PREFIX = b"MPP1."
KINDS = ("account", "booking", "ticket", "badge")
MAX_KEY_ID = 16
MAX_SUBJECT = 48
NONCE_BYTES = 12
_HEAD = struct.Struct(">BIII")
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9-]{1,16}")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_keypair() -> tuple[str, str]:
    """(private seed, public key), both base64url of 32 raw bytes."""
    key = Ed25519PrivateKey.generate()
    return keypair_of(key.private_bytes_raw())


def keypair_of(seed: bytes) -> tuple[str, str]:
    key = Ed25519PrivateKey.from_private_bytes(seed)
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64(seed), b64(public)


def check_subject(subject: str) -> str:
    """The subject as signed; ValueError when it cannot be."""
    if not subject or subject != subject.strip() or not subject.isprintable():
        raise ValueError("subject: printable text without spaces at either end")
    if len(subject.encode("utf-8")) > MAX_SUBJECT:
        raise ValueError(f"subject: at most {MAX_SUBJECT} bytes of UTF-8")
    return subject


@dataclass(frozen=True)
class Issued:
    text: str
    nonce: str
    key_id: str
    not_before: datetime
    expires_at: datetime


def sign(
    *,
    private_key: str,
    key_id: str,
    kind: str,
    subject: str,
    issued_at: datetime,
    not_before: datetime,
    expires_at: datetime,
    nonce: bytes | None = None,
) -> Issued:
    """The QR text of one credential; ValueError for a field that cannot be signed."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r}: one of {', '.join(KINDS)}")
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise ValueError(f"key id {key_id!r}: 1..16 of A-Z, a-z, 0-9, '-'")
    subject = check_subject(subject)
    if expires_at <= not_before:
        raise ValueError("it must expire after it becomes valid")
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    sub, kid = subject.encode("utf-8"), key_id.encode("ascii")
    times = [int(t.timestamp()) for t in (issued_at, not_before, expires_at)]
    if not all(0 <= t < 2**32 for t in times):
        raise ValueError("times: 1970..2106")
    body = _HEAD.pack(KINDS.index(kind) + 1, *times) + nonce + bytes([len(kid)]) + kid + bytes([len(sub)]) + sub
    signature = Ed25519PrivateKey.from_private_bytes(unb64(private_key)).sign(PREFIX + body)
    text = f"{PREFIX.decode()}{b64(body)}.{b64(signature)}"
    return Issued(text, b64(nonce), key_id, not_before, expires_at)
