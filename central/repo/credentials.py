"""Signed QR credentials at central: each hall's signing keys (rotate, revoke), issuing a
credential, revoking credentials, and the credentials kiosks report as used.

Kiosks learn keys and revocations through the pull (docs/sync-api.md, Keys and revocations):
every change to a hall's keys adds one `keys` change listing all of the hall's public keys,
every revocation one `revocations` change. A `credential.used` item that kiosks push is kept in
`credential_uses`; a second use of the same nonce in a hall (two kiosks that were offline, or a
kiosk whose store was reset) is marked `conflict` for the supervisor.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central import signing
from central.errors import CentralError, describe_validation
from central.models import CredentialRevocation, CredentialUse, Kiosk, SigningKey
from central.repo import changes, halls
from central.schemas import ItemIn
from central.timezones import iso_utc

log = logging.getLogger("central.credentials")

USED_KIND = "credential.used"
NONCE_PATTERN = r"^[A-Za-z0-9_-]{16}$"


class CredentialUsedPayload(BaseModel):
    """A `credential.used` item's payload (kiosk/credential.py `use`)."""

    model_config = ConfigDict(extra="allow")

    kind: str = Field(pattern="^(account|booking|ticket|badge)$")
    subject: str = Field(min_length=1, max_length=48)
    nonce: str = Field(pattern=NONCE_PATTERN)
    ticket_id: str | None = Field(default=None, max_length=36)
    used_at: str = Field(min_length=1, max_length=40)


# --- keys --------------------------------------------------------------------------------------


def keys_of(session: Session, hall_code: str) -> list[SigningKey]:
    return list(
        session.scalars(select(SigningKey).where(SigningKey.hall_code == hall_code).order_by(SigningKey.created_at))
    )


def _publish_keys(session: Session, hall_code: str, now: datetime) -> None:
    entries = [
        {
            "key_id": k.key_id,
            "public_key": k.public_key,
            "valid_from": iso_utc(k.valid_from),
            "valid_until": iso_utc(k.valid_until),
            "revoked": k.revoked_at is not None,
        }
        for k in keys_of(session, hall_code)
    ]
    changes.add(session, hall_code, "keys", {"keys": entries}, now)


def add_key(session: Session, hall_code: str, now: datetime, *, seed: bytes | None = None, key_id: str | None = None):
    """A new signing key for the hall (it signs from now on; older keys stay trusted until
    revoked), published to the hall's kiosks. `seed`/`key_id`: the demo's fixed key only."""
    halls.lock(session, hall_code)
    if key_id is None:
        count = session.scalar(select(func.count()).select_from(SigningKey).where(SigningKey.hall_code == hall_code))
        key_id = f"{hall_code}-{count + 1}"
        while session.get(SigningKey, key_id) is not None:
            count += 1
            key_id = f"{hall_code}-{count + 1}"
    private, public = signing.keypair_of(seed) if seed is not None else signing.new_keypair()
    key = SigningKey(
        key_id=key_id, hall_code=hall_code, public_key=public, private_key=private, created_at=now, valid_from=now
    )
    session.add(key)
    session.flush()
    _publish_keys(session, hall_code, now)
    return key


def revoke_key(session: Session, key_id: str, now: datetime) -> SigningKey:
    """Revoke a key: kiosks refuse every credential it signed once they pulled this."""
    key = session.get(SigningKey, key_id)
    if key is None:
        raise CentralError("not_found", f"no signing key {key_id!r}")
    halls.lock(session, key.hall_code)
    if key.revoked_at is None:
        key.revoked_at = now
        session.flush()
        _publish_keys(session, key.hall_code, now)
    return key


def signing_key(session: Session, hall_code: str) -> SigningKey:
    """The hall's newest key that is not revoked."""
    key = session.scalars(
        select(SigningKey)
        .where(SigningKey.hall_code == hall_code, SigningKey.revoked_at.is_(None))
        .order_by(SigningKey.created_at.desc(), SigningKey.key_id.desc())
        .limit(1)
    ).first()
    if key is None:
        raise CentralError("not_found", f"hall {hall_code} has no signing key: run 'central key rotate {hall_code}'")
    return key


def issue(
    session: Session,
    hall_code: str,
    kind: str,
    subject: str,
    now: datetime,
    *,
    valid_minutes: int = 60,
    not_before: datetime | None = None,
) -> signing.Issued:
    """A credential signed with the hall's current key."""
    halls.get(session, hall_code)
    if not 1 <= valid_minutes <= 366 * 24 * 60:
        raise CentralError("request.invalid", "valid minutes: 1..527040 (a year)")
    key = signing_key(session, hall_code)
    start = not_before or now
    try:
        return signing.sign(
            private_key=key.private_key,
            key_id=key.key_id,
            kind=kind,
            subject=subject,
            issued_at=now,
            not_before=start,
            expires_at=start + timedelta(minutes=valid_minutes),
        )
    except ValueError as exc:
        raise CentralError("request.invalid", str(exc)) from None


# --- revocations -------------------------------------------------------------------------------


def revoke(
    session: Session, hall_code: str, now: datetime, *, nonce: str | None = None, subject: str | None = None
) -> CredentialRevocation:
    """Revoke one credential (its nonce) or every credential of a subject issued until now."""
    halls.lock(session, hall_code)
    if (nonce is None) == (subject is None):
        raise CentralError("request.invalid", "revoke a nonce or a subject (one of them)")
    if nonce is not None and not re.fullmatch(NONCE_PATTERN, nonce):
        raise CentralError("request.invalid", f"nonce {nonce!r}: 16 base64url characters")
    if subject is not None:
        try:
            signing.check_subject(subject)
        except ValueError as exc:
            raise CentralError("request.invalid", str(exc)) from None
    row = CredentialRevocation(
        hall_code=hall_code, nonce=nonce, subject=subject, issued_before=now if subject else None, created_at=now
    )
    session.add(row)
    session.flush()
    entry = {"nonce": nonce} if nonce else {"subject": subject, "issued_before": iso_utc(now)}
    changes.add(session, hall_code, "revocations", {"revocations": [entry]}, now)
    return row


# --- uses, pushed by kiosks --------------------------------------------------------------------


def check_items(items: list[ItemIn]) -> None:
    """Refuse (422, naming the item) a `credential.used` whose payload is not one, before
    anything of the batch is stored."""
    for pos, item in enumerate(items):
        if item.kind == USED_KIND:
            try:
                CredentialUsedPayload.model_validate(item.payload)
            except ValidationError as exc:
                _, message = describe_validation([{**e, "loc": ("payload", *e["loc"])} for e in exc.errors()])
                raise CentralError("request.invalid", f"items[{pos}].{message} ({item.kind})") from None


def record_push(session: Session, kiosk: Kiosk, items: list[ItemIn], statuses: list[str], now: datetime) -> int:
    """Keep the new (`stored`) `credential.used` items of a push, in its transaction; a nonce
    the hall has seen used before is marked `conflict`. Returns how many conflicts were found."""
    found = 0
    for item, status in zip(items, statuses, strict=True):
        if status != "stored" or item.kind != USED_KIND:
            continue
        used = CredentialUsedPayload.model_validate(item.payload)
        earlier = session.scalars(
            select(CredentialUse).where(CredentialUse.hall_code == kiosk.hall_code, CredentialUse.nonce == used.nonce)
        ).all()
        conflict = bool(earlier)
        session.add(
            CredentialUse(
                item_id=str(item.id),
                hall_code=kiosk.hall_code,
                kiosk_id=kiosk.id,
                kind=used.kind,
                subject=used.subject,
                nonce=used.nonce,
                ticket_id=used.ticket_id,
                used_at=used.used_at,
                received_at=now,
                conflict=conflict,
            )
        )
        session.flush()
        if conflict:
            found += 1
            others = ", ".join(sorted({u.kiosk_id for u in earlier}))
            log.warning(
                "credential %s (%s %s) used again at kiosk %s; used before at %s",
                used.nonce,
                used.kind,
                used.subject,
                kiosk.id,
                others,
            )
    return found


@dataclass(frozen=True)
class ConflictOut:
    nonce: str
    kind: str
    subject: str
    uses: list[dict]

    def to_json(self) -> dict:
        return {"nonce": self.nonce, "kind": self.kind, "subject": self.subject, "uses": self.uses}


def conflicts(session: Session, hall_code: str) -> list[ConflictOut]:
    """Every nonce of the hall used more than once, with each use (oldest first)."""
    nonces = select(CredentialUse.nonce).where(CredentialUse.hall_code == hall_code, CredentialUse.conflict.is_(True))
    uses = session.scalars(
        select(CredentialUse)
        .where(CredentialUse.hall_code == hall_code, CredentialUse.nonce.in_(nonces))
        .order_by(CredentialUse.nonce, CredentialUse.id)
    ).all()
    out: dict[str, ConflictOut] = {}
    for u in uses:
        c = out.setdefault(u.nonce, ConflictOut(u.nonce, u.kind, u.subject, []))
        c.uses.append(
            {
                "kiosk_id": u.kiosk_id,
                "ticket_id": u.ticket_id,
                "used_at": u.used_at,
                "received_at": iso_utc(u.received_at),
                "conflict": u.conflict,
            }
        )
    return list(out.values())
