"""Signed QR credentials: verified offline with the public keys the kiosk keeps (no Qt).

A credential is what a citizen's MPP Digital app or booking shows as a QR code (an account, a
booking, a ticket) or what a supervisor wears (a badge). Central signs it with its hall's
Ed25519 key; the kiosk checks it with the public keys it pulled (several at once, for
rotation) and the revocations that came with them, without asking anyone.

Text form (README, "Signed QR credentials"), ASCII, about 160 characters for a typical one::

    MPP1.<base64url(body)>.<base64url(signature)>          (base64url without '=' padding)

    body       fixed binary layout, big-endian:
               kind        1 byte   1 account, 2 booking, 3 ticket, 4 badge
               issued_at   4 bytes  Unix seconds (UTC)
               not_before  4 bytes  Unix seconds
               expires_at  4 bytes  Unix seconds, after not_before
               nonce       12 bytes random; names this one credential (replay, revocation)
               key_id      1 byte length (1..16) + ASCII [A-Za-z0-9-]
               subject     1 byte length (1..48) + UTF-8, printable
    signature  64 bytes Ed25519 over b"MPP1." + body (the prefix is signed too)

`verify(text, keys, now, ...)` never raises: every input gets a `Verdict` with a stable
`reason_code` (REASONS) and an English `reason` for technicians; `VISITOR_MESSAGES` holds the
translated words for the visitor. Checks, in order: size (<= 1 KB), layout (garbled), key
known, key revoked, key in its validity window, signature, kind, credential revoked, not yet
valid (with CLOCK_SKEW of grace), expired (same grace), nonce already used at this kiosk.

`verify` uses nothing up; `use(store, verdict, ticket_id=...)` records the nonce in
`used_credentials` and queues a `credential.used` outbox row, inside the caller's transaction
(the ticket's), so central can flag a nonce two offline kiosks both accepted.
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.tr import QT_TRANSLATE_NOOP

PREFIX = "MPP1."
#: Input longer than this (characters or bytes) is refused before any decoding.
MAX_INPUT = 1024
#: Clocks of kiosks and central drift: not-before and expiry get this much grace.
CLOCK_SKEW = timedelta(seconds=60)
KINDS = ("account", "booking", "ticket", "badge")
MAX_KEY_ID = 16
MAX_SUBJECT = 48
NONCE_BYTES = 12
SIGNATURE_BYTES = 64
_HEAD = struct.Struct(">BIII")

#: The demo hall's public key (DEMO ONLY: its private key is in central/demo.py, published in
#: this repository). `kiosk --demo` trusts it with no set-up; a kiosk without --demo never does.
DEMO_KEY_ID = "DEMO-1"
DEMO_PUBLIC_KEY = "yh8q2EvEw7FFdZd12Yw28RDl8iU191PAcuc9hgU5QFw"

# Stable reason codes.
OK = "ok"
OVERSIZED = "credential.oversized"
GARBLED = "credential.garbled"
UNKNOWN_KEY = "credential.unknown_key"
REVOKED_KEY = "credential.revoked_key"
KEY_NOT_VALID = "credential.key_not_valid"
BAD_SIGNATURE = "credential.bad_signature"
WRONG_KIND = "credential.wrong_kind"
REVOKED = "credential.revoked"
NOT_YET_VALID = "credential.not_yet_valid"
EXPIRED = "credential.expired"
REPLAYED = "credential.replayed"
REASONS = (
    OK,
    OVERSIZED,
    GARBLED,
    UNKNOWN_KEY,
    REVOKED_KEY,
    KEY_NOT_VALID,
    BAD_SIGNATURE,
    WRONG_KIND,
    REVOKED,
    NOT_YET_VALID,
    EXPIRED,
    REPLAYED,
)

#: What the visitor is told for each reason code (translated through the "Credential" context).
VISITOR_MESSAGES = {
    OK: QT_TRANSLATE_NOOP("Credential", "Your code is valid."),
    OVERSIZED: QT_TRANSLATE_NOOP("Credential", "This code cannot be read. Please show your MPP code or use NIK."),
    GARBLED: QT_TRANSLATE_NOOP("Credential", "This code cannot be read. Please show your MPP code or use NIK."),
    UNKNOWN_KEY: QT_TRANSLATE_NOOP(
        "Credential", "This code was not issued for this hall. Please ask the officer at the information desk."
    ),
    REVOKED_KEY: QT_TRANSLATE_NOOP(
        "Credential", "This code is no longer accepted. Please open the MPP app again for a new code."
    ),
    KEY_NOT_VALID: QT_TRANSLATE_NOOP(
        "Credential", "This code is no longer accepted. Please open the MPP app again for a new code."
    ),
    BAD_SIGNATURE: QT_TRANSLATE_NOOP(
        "Credential", "This code is not genuine. Please ask the officer at the information desk."
    ),
    WRONG_KIND: QT_TRANSLATE_NOOP("Credential", "This code is not for this step. Please show the right code."),
    REVOKED: QT_TRANSLATE_NOOP(
        "Credential", "This code was cancelled. Please ask the officer at the information desk."
    ),
    NOT_YET_VALID: QT_TRANSLATE_NOOP(
        "Credential", "This code is not valid yet. Please come back at the time of your booking."
    ),
    EXPIRED: QT_TRANSLATE_NOOP("Credential", "This code has expired. Please open the MPP app again for a new code."),
    REPLAYED: QT_TRANSLATE_NOOP(
        "Credential", "This code was used already. Please ask the officer at the information desk."
    ),
}


@dataclass(frozen=True)
class TrustedKey:
    """A hall's public key as the kiosk keeps it (pulled from central, or the demo key)."""

    key_id: str
    public_key: bytes  # 32 raw Ed25519 bytes
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    revoked: bool = False


@dataclass(frozen=True)
class Revocations:
    """Credentials central revoked: by nonce, or every credential of a subject issued before a time."""

    nonces: frozenset[str] = frozenset()
    #: subject -> credentials of it issued at or before this instant are revoked.
    subjects: Mapping[str, datetime] | None = None


@dataclass(frozen=True)
class Credential:
    """The fields of a credential, decoded (not yet trusted until its signature is checked)."""

    kind: str
    subject: str
    issued_at: datetime
    not_before: datetime
    expires_at: datetime
    nonce: str  # base64url of the 12 random bytes
    key_id: str


@dataclass(frozen=True)
class Verdict:
    """The answer for one QR text: `valid`, a stable `reason_code`, English `reason`; the
    credential's fields when it could be decoded (also when refused: a technician sees them)."""

    valid: bool
    reason_code: str
    reason: str
    kind: str | None = None
    subject: str | None = None
    expires_at: str | None = None
    nonce: str | None = None
    key_id: str | None = None
    issued_at: str | None = None
    not_before: str | None = None

    @property
    def visitor_message(self) -> str:
        """The untranslated visitor words (translate through the "Credential" context)."""
        return VISITOR_MESSAGES.get(self.reason_code, VISITOR_MESSAGES[GARBLED])

    def to_json(self) -> dict:
        return {
            "valid": self.valid,
            "reason": self.reason,
            "reason_code": self.reason_code,
            "kind": self.kind,
            "subject": self.subject,
            "expires_at": self.expires_at,
            "not_before": self.not_before,
            "issued_at": self.issued_at,
            "nonce": self.nonce,
            "key_id": self.key_id,
        }


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    """Strict base64url without padding; ValueError on anything else."""
    if not text or len(text) % 4 == 1 or not all(c.isascii() and (c.isalnum() or c in "-_") for c in text):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _valid_key_id(key_id: str) -> bool:
    return 0 < len(key_id) <= MAX_KEY_ID and all(c.isascii() and (c.isalnum() or c == "-") for c in key_id)


def encode_body(
    *,
    kind: str,
    subject: str,
    issued_at: datetime,
    not_before: datetime,
    expires_at: datetime,
    nonce: bytes,
    key_id: str,
) -> bytes:
    """The signed body's bytes (central has its own copy of this layout: central/signing.py)."""
    sub = subject.encode("utf-8")
    kid = key_id.encode("ascii")
    return (
        _HEAD.pack(
            KINDS.index(kind) + 1, int(issued_at.timestamp()), int(not_before.timestamp()), int(expires_at.timestamp())
        )
        + nonce
        + bytes([len(kid)])
        + kid
        + bytes([len(sub)])
        + sub
    )


def decode_body(body: bytes) -> Credential:
    """The fields of a body; ValueError naming what is wrong."""
    if len(body) < _HEAD.size + NONCE_BYTES + 2:
        raise ValueError(f"body is {len(body)} bytes, too short")
    kind_no, issued, not_before, expires = _HEAD.unpack_from(body)
    if not 1 <= kind_no <= len(KINDS):
        raise ValueError(f"kind {kind_no} is not 1..{len(KINDS)}")
    pos = _HEAD.size
    nonce = body[pos : pos + NONCE_BYTES]
    pos += NONCE_BYTES
    key_len = body[pos]
    key_raw = body[pos + 1 : pos + 1 + key_len]
    pos += 1 + key_len
    if not 1 <= key_len <= MAX_KEY_ID or len(key_raw) != key_len or pos >= len(body):
        raise ValueError("key id: bad length")
    sub_len = body[pos]
    sub_raw = body[pos + 1 : pos + 1 + sub_len]
    pos += 1 + sub_len
    if not 1 <= sub_len <= MAX_SUBJECT or len(sub_raw) != sub_len:
        raise ValueError("subject: bad length")
    if pos != len(body):
        raise ValueError(f"{len(body) - pos} byte(s) after the subject")
    try:
        key_id = key_raw.decode("ascii")
        subject = sub_raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("key id or subject: not text") from None
    if not _valid_key_id(key_id):
        raise ValueError("key id: letters, digits and '-' only")
    if not subject.isprintable() or subject != subject.strip():
        raise ValueError("subject: not printable text")
    if expires <= not_before:
        raise ValueError("expires at or before it becomes valid")
    return Credential(
        kind=KINDS[kind_no - 1],
        subject=subject,
        issued_at=datetime.fromtimestamp(issued, UTC),
        not_before=datetime.fromtimestamp(not_before, UTC),
        expires_at=datetime.fromtimestamp(expires, UTC),
        nonce=b64encode(nonce),
        key_id=key_id,
    )


def parse(text: object) -> tuple[Credential, bytes, bytes]:
    """(credential, signed bytes, signature) of a QR text; ValueError naming what is wrong."""
    if isinstance(text, bytes | bytearray | memoryview):
        try:
            text = bytes(text).decode("ascii")
        except UnicodeDecodeError:
            raise ValueError("not ASCII text") from None
    if not isinstance(text, str):
        raise ValueError(f"expected text, got {type(text).__name__}")
    text = text.strip()
    if not text.startswith(PREFIX):
        raise ValueError(f"does not start with {PREFIX!r}")
    parts = text[len(PREFIX) :].split(".")
    if len(parts) != 2:
        raise ValueError("expected MPP1.<body>.<signature>")
    body, signature = b64decode(parts[0]), b64decode(parts[1])
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError(f"signature is {len(signature)} bytes, not {SIGNATURE_BYTES}")
    return decode_body(body), PREFIX.encode("ascii") + body, signature


def _keys_by_id(keys: Mapping[str, TrustedKey] | Iterable[TrustedKey]) -> Mapping[str, TrustedKey]:
    if isinstance(keys, Mapping):
        return keys
    return {k.key_id: k for k in keys}


def verify(
    text: object,
    keys: Mapping[str, TrustedKey] | Iterable[TrustedKey],
    now: datetime,
    *,
    kinds: Iterable[str] | None = None,
    seen: Container[str] | None = None,
    revoked: Revocations | None = None,
) -> Verdict:
    """Check a QR text offline; never raises. `kinds`: the kinds this step accepts (None: any);
    `seen`: nonces already used at this kiosk (`UsedNonces(store)`); `revoked`: central's
    revocations. Uses nothing up (see `use`)."""
    try:
        return _verify(text, _keys_by_id(keys), now, kinds=kinds, seen=seen, revoked=revoked)
    except Exception as exc:  # noqa: BLE001 - a verifier that raises is a kiosk that crashes on a QR
        return Verdict(False, GARBLED, f"the code could not be checked: {type(exc).__name__}")


def _verify(text, keys, now, *, kinds, seen, revoked) -> Verdict:
    size = len(text) if isinstance(text, str | bytes | bytearray | memoryview) else 0
    if size > MAX_INPUT:
        return Verdict(False, OVERSIZED, f"the code is {size} characters long; at most {MAX_INPUT} are read")
    try:
        cred, signed, signature = parse(text)
    except ValueError as exc:
        return Verdict(False, GARBLED, f"not an MPP credential: {exc}")
    fields = {
        "kind": cred.kind,
        "subject": cred.subject,
        "expires_at": _iso(cred.expires_at),
        "nonce": cred.nonce,
        "key_id": cred.key_id,
        "issued_at": _iso(cred.issued_at),
        "not_before": _iso(cred.not_before),
    }

    def refuse(code: str, reason: str) -> Verdict:
        return Verdict(False, code, reason, **fields)

    key = keys.get(cred.key_id)
    if key is None:
        return refuse(
            UNKNOWN_KEY, f"signed with key {cred.key_id}, which this kiosk does not know (sync with central?)"
        )
    if key.revoked:
        return refuse(REVOKED_KEY, f"signed with key {cred.key_id}, which central revoked")
    if key.valid_from is not None and cred.issued_at < key.valid_from - CLOCK_SKEW:
        return refuse(KEY_NOT_VALID, f"issued before key {cred.key_id} was valid ({_iso(key.valid_from)})")
    if key.valid_until is not None and now > key.valid_until + CLOCK_SKEW:
        return refuse(KEY_NOT_VALID, f"key {cred.key_id} was valid until {_iso(key.valid_until)}")
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(signature, signed)
    except (InvalidSignature, ValueError):
        return refuse(BAD_SIGNATURE, f"the signature does not match key {cred.key_id}: altered or forged")
    if kinds is not None and cred.kind not in set(kinds):
        return refuse(WRONG_KIND, f"a {cred.kind} credential; this step takes {', '.join(sorted(set(kinds)))}")
    if revoked is not None:
        if cred.nonce in revoked.nonces:
            return refuse(REVOKED, f"credential {cred.nonce} was revoked by central")
        before = (revoked.subjects or {}).get(cred.subject)
        if before is not None and cred.issued_at <= before:
            return refuse(REVOKED, f"credentials of {cred.subject} issued until {_iso(before)} were revoked by central")
    if now < cred.not_before - CLOCK_SKEW:
        return refuse(NOT_YET_VALID, f"valid from {_iso(cred.not_before)}; it is {_iso(now)}")
    if now > cred.expires_at + CLOCK_SKEW:
        return refuse(EXPIRED, f"expired at {_iso(cred.expires_at)}; it is {_iso(now)}")
    if seen is not None and cred.nonce in seen:
        return refuse(REPLAYED, f"credential {cred.nonce} was used at this kiosk already")
    return Verdict(True, OK, f"valid {cred.kind} credential of {cred.subject}, signed with key {cred.key_id}", **fields)


# --- the kiosk's store: trusted keys, revocations, used nonces ---------------------------------


def demo_key() -> TrustedKey:
    """The demo hall's key (DEMO ONLY)."""
    return TrustedKey(DEMO_KEY_ID, b64decode(DEMO_PUBLIC_KEY))


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def trusted_keys(store, *, demo: bool = False) -> dict[str, TrustedKey]:
    """The keys the kiosk keeps (pulled from central), plus the demo key under `--demo`."""
    keys = {DEMO_KEY_ID: demo_key()} if demo else {}
    for r in store.query("SELECT key_id, public_key, valid_from, valid_until, revoked FROM credential_keys"):
        try:
            keys[r["key_id"]] = TrustedKey(
                r["key_id"],
                b64decode(r["public_key"]),
                _when(r["valid_from"]),
                _when(r["valid_until"]),
                bool(r["revoked"]),
            )
        except ValueError:
            continue  # checked when pulled; a row that does not read trusts nothing
    return keys


def revocations(store) -> Revocations:
    """Central's revocations as the kiosk keeps them."""
    nonces: set[str] = set()
    subjects: dict[str, datetime] = {}
    for r in store.query("SELECT nonce, subject, issued_before FROM credential_revocations"):
        if r["nonce"]:
            nonces.add(r["nonce"])
        elif r["subject"]:
            try:
                before = _when(r["issued_before"]) or datetime.max.replace(tzinfo=UTC)
            except ValueError:
                continue
            subjects[r["subject"]] = max(before, subjects.get(r["subject"], before))
    return Revocations(frozenset(nonces), subjects)


class UsedNonces:
    """`nonce in UsedNonces(store)`: was it used at this kiosk (`used_credentials`)."""

    def __init__(self, store) -> None:
        self.store = store

    def __contains__(self, nonce: object) -> bool:
        return bool(self.store.query("SELECT 1 FROM used_credentials WHERE nonce = ?", [str(nonce)]))


def check(store, text: object, now: datetime, *, demo: bool = False, kinds: Iterable[str] | None = None) -> Verdict:
    """`verify` against everything the kiosk's store holds: keys, revocations, used nonces."""
    try:
        keys, revoked = trusted_keys(store, demo=demo), revocations(store)
    except Exception as exc:  # noqa: BLE001 - the store failing is a refusal, not a crash
        return Verdict(False, GARBLED, f"the kiosk's keys could not be read: {exc}")
    return verify(text, keys, now, kinds=kinds, seen=UsedNonces(store), revoked=revoked)


def use(store, verdict: Verdict, ticket_id: str | None, *, now: datetime) -> str:
    """Record a valid credential as used, inside the caller's transaction (the ticket's): a row
    in `used_credentials` and a `credential.used` outbox item; returns the outbox id. A nonce
    used already raises sqlite3.IntegrityError (the transaction rolls back: check first)."""
    if not verdict.valid or verdict.nonce is None:
        raise ValueError(f"only a valid credential can be used ({verdict.reason_code})")
    payload = {
        "kind": verdict.kind,
        "subject": verdict.subject,
        "nonce": verdict.nonce,
        "key_id": verdict.key_id,
        "ticket_id": ticket_id,
        "used_at": now.isoformat(timespec="seconds"),
    }
    outbox_id = store.add_outbox("credential.used", payload, now)
    store.conn.execute(
        "INSERT INTO used_credentials (nonce, kind, subject, ticket_id, used_at, outbox_id) VALUES (?, ?, ?, ?, ?, ?)",
        (verdict.nonce, verdict.kind, verdict.subject, ticket_id, now.isoformat(timespec="seconds"), outbox_id),
    )
    return outbox_id
