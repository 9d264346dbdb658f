"""Kiosks: enrolment tokens, credentials, revocation, heartbeats, the hall's fleet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from central import security
from central.errors import CentralError
from central.models import EnrolToken, Gap, Kiosk
from central.repo import halls
from central.schemas import KIOSK_ID_PATTERN, SHORT_CODE_PATTERN, HeartbeatIn

ASK_SUPERVISOR = "ask the hall supervisor for a new one (central kiosk add HALL KIOSK_ID)"

#: Short codes handed out when `kiosk add` is not given one, in this order.
SHORT_CODES = [*"123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"] + [a + b for a in "123456789" for b in "0123456789"]


def get(session: Session, kiosk_id: str) -> Kiosk:
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise CentralError("not_found", f"no kiosk {kiosk_id!r}")
    return kiosk


def lock(session: Session, kiosk_id: str) -> Kiosk:
    """The kiosk, re-read and locked until the commit (one push of a kiosk at a time)."""
    return session.scalars(
        select(Kiosk)
        .where(Kiosk.id == kiosk_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).one()


@dataclass(frozen=True)
class Enrolment:
    kiosk: Kiosk
    token: str
    expires_at: datetime
    created: bool


def add_enrolment(
    session: Session, hall_code: str, kiosk_id: str, now: datetime, *, ttl: timedelta, short_code: str | None = None
) -> Enrolment:
    """Add the kiosk (or take the existing one) and a new one-time enrolment token for it.

    An earlier unused token of the kiosk stops working. Exchanging the new one gives the kiosk a
    new secret and lifts a revocation: re-enrolling is the supervisor's deliberate act.
    """
    hall = halls.get(session, hall_code)
    if not re.fullmatch(KIOSK_ID_PATTERN, kiosk_id):
        raise CentralError("request.invalid", f"kiosk id {kiosk_id!r}: 1..40 characters a-z, A-Z, 0-9, '.', '_' or '-'")
    if short_code is not None and not re.fullmatch(SHORT_CODE_PATTERN, short_code):
        raise CentralError("request.invalid", f"short code {short_code!r}: 1-2 characters 0-9 or A-Z")
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is not None and kiosk.hall_code != hall.code:
        raise CentralError("request.invalid", f"kiosk {kiosk_id} belongs to hall {kiosk.hall_code}, not {hall.code}")
    taken = {
        code: other
        for other, code in session.execute(
            select(Kiosk.id, Kiosk.short_code).where(Kiosk.hall_code == hall.code, Kiosk.id != kiosk_id)
        )
    }
    if short_code is not None and short_code in taken:
        raise CentralError(
            "request.invalid", f"short code {short_code} is kiosk {taken[short_code]}'s in hall {hall.code}"
        )
    if short_code is None:
        short_code = kiosk.short_code if kiosk is not None else next((c for c in SHORT_CODES if c not in taken), None)
        if short_code is None:
            raise CentralError("request.invalid", f"hall {hall.code} has no free short code left")
    created = kiosk is None
    if kiosk is None:
        kiosk = Kiosk(
            id=kiosk_id, hall_code=hall.code, short_code=short_code, created_at=now, contiguous_seq=0, max_seq=0
        )
        session.add(kiosk)
    else:
        kiosk.short_code = short_code
        session.execute(delete(EnrolToken).where(EnrolToken.kiosk_id == kiosk_id, EnrolToken.used_at.is_(None)))
    session.flush()
    token = security.new_enrol_token()
    expires = now + ttl
    session.add(
        EnrolToken(
            token_hash=security.sha256_hex(token),
            hall_code=hall.code,
            kiosk_id=kiosk_id,
            created_at=now,
            expires_at=expires,
        )
    )
    session.flush()
    return Enrolment(kiosk, token, expires, created)


def enroll(session: Session, token: str, now: datetime) -> tuple[Kiosk, str]:
    """Exchange a one-time token for the kiosk's credential secret (returned once, stored hashed).

    The token is spent by one conditional UPDATE, so two kiosks racing with the same token
    cannot both win. Raises enroll.token_unknown / token_used / token_expired.
    """
    token_hash = security.sha256_hex(token)
    kiosk_id = session.execute(
        update(EnrolToken)
        .where(EnrolToken.token_hash == token_hash, EnrolToken.used_at.is_(None), EnrolToken.expires_at > now)
        .values(used_at=now)
        .returning(EnrolToken.kiosk_id)
    ).scalar_one_or_none()
    if kiosk_id is None:
        row = session.get(EnrolToken, token_hash)
        if row is None:
            raise CentralError("enroll.token_unknown", f"unknown enrolment token: {ASK_SUPERVISOR}")
        if row.used_at is not None:
            raise CentralError(
                "enroll.token_used",
                f"this enrolment token was exchanged already (kiosk {row.kiosk_id}); {ASK_SUPERVISOR}",
            )
        raise CentralError(
            "enroll.token_expired",
            f"this enrolment token expired at {row.expires_at:%Y-%m-%d %H:%M} UTC; {ASK_SUPERVISOR}",
        )
    kiosk = lock(session, kiosk_id)
    secret = security.new_secret()
    kiosk.secret_hash = security.sha256_hex(secret)
    kiosk.enrolled_at = now
    kiosk.revoked_at = None
    session.flush()
    return kiosk, secret


def set_secret(session: Session, kiosk: Kiosk, secret: str, now: datetime) -> None:
    """Give the kiosk a known secret (the demo's kiosks only)."""
    kiosk.secret_hash = security.sha256_hex(secret)
    kiosk.enrolled_at = kiosk.enrolled_at or now
    session.flush()


def authenticate(session: Session, credential: str) -> Kiosk:
    """The kiosk of a `kiosk_id:secret` credential; auth.unknown_kiosk or auth.revoked."""
    kiosk_id, _, secret = credential.partition(":")
    kiosk = session.get(Kiosk, kiosk_id) if re.fullmatch(KIOSK_ID_PATTERN, kiosk_id) else None
    if not security.matches(secret, kiosk.secret_hash if kiosk is not None else None):
        raise CentralError("auth.unknown_kiosk", "unknown kiosk or wrong secret")
    assert kiosk is not None
    if kiosk.revoked_at is not None:
        raise CentralError("auth.revoked", revoked_message(kiosk))
    return kiosk


def revoked_message(kiosk: Kiosk) -> str:
    return (
        f"kiosk {kiosk.id} was revoked by the hall supervisor at {kiosk.revoked_at:%Y-%m-%d %H:%M} UTC; "
        "it keeps its backlog until it is enrolled again"
    )


def revoke(session: Session, kiosk_id: str, now: datetime) -> Kiosk:
    """Revoke the kiosk's credential (and any unused enrolment token); idempotent."""
    kiosk = get(session, kiosk_id)
    if kiosk.revoked_at is None:
        kiosk.revoked_at = now
    session.execute(delete(EnrolToken).where(EnrolToken.kiosk_id == kiosk_id, EnrolToken.used_at.is_(None)))
    session.flush()
    return kiosk


def record_heartbeat(session: Session, kiosk: Kiosk, beat: HeartbeatIn, now: datetime) -> float:
    """Store the heartbeat; returns the clock skew (kiosk minus central, seconds)."""
    skew = round((beat.kiosk_time - now).total_seconds(), 3)
    kiosk.heartbeat_at = now
    kiosk.kiosk_time = beat.kiosk_time.isoformat()
    kiosk.clock_skew_seconds = skew
    kiosk.backlog = beat.backlog
    kiosk.oldest_unsent_age_seconds = beat.oldest_unsent_age_seconds
    kiosk.last_sync_at = beat.last_sync_at.isoformat() if beat.last_sync_at else None
    kiosk.devices = [d.model_dump() for d in beat.devices]
    kiosk.app_version = beat.app_version
    session.flush()
    return skew


def of_hall(session: Session, hall_code: str) -> list[tuple[Kiosk, list[tuple[int, int]]]]:
    """The hall's kiosks (by short code) with the open gaps in what each has pushed."""
    kiosks = list(session.scalars(select(Kiosk).where(Kiosk.hall_code == hall_code).order_by(Kiosk.short_code)))
    gaps: dict[str, list[tuple[int, int]]] = {}
    rows = session.execute(
        select(Gap.kiosk_id, Gap.from_seq, Gap.to_seq)
        .join(Kiosk, Kiosk.id == Gap.kiosk_id)
        .where(Kiosk.hall_code == hall_code, Gap.resolved_at.is_(None))
        .order_by(Gap.kiosk_id, Gap.from_seq)
    )
    for kiosk_id, a, b in rows:
        gaps.setdefault(kiosk_id, []).append((a, b))
    return [(k, gaps.get(k.id, [])) for k in kiosks]
