"""POST /audit/push: a kiosk's audit events (its hash chain), stored once and checked again.

The chain and its storage are described in central/repo/audit_chain.py; `central audit verify
KIOSK_ID` checks what a kiosk pushed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictInt, StringConstraints

from central.deps import CurrentKiosk, NowDep, SessionDep, SettingsDep
from central.errors import CentralError
from central.repo import audit_chain
from central.schemas import In
from central.timezones import iso_utc

router = APIRouter(prefix="/audit", tags=["audit"])

UuidText = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class AuditEventIn(In):
    """One event as the kiosk's `audit` table holds it; `data` is its canonical JSON text, hashed
    as is (so it stays text here)."""

    seq: Annotated[StrictInt, Field(ge=1, le=2**62)]
    id: UuidText
    at: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    kind: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    data: Annotated[str, StringConstraints(max_length=1_000_000)]
    outbox_id: UuidText | None = None
    prev_hash: Hash
    hash: Hash


class AuditPushIn(In):
    events: Annotated[list[AuditEventIn], Field(max_length=1000)]


class AuditAckOut(BaseModel):
    seq: int
    status: str


class AuditPushOut(BaseModel):
    acks: list[AuditAckOut]
    server_time: str


@router.post("/push", response_model=AuditPushOut)
def push(
    body: AuditPushIn, kiosk: CurrentKiosk, session: SessionDep, settings: SettingsDep, now: NowDep
) -> AuditPushOut:
    """Store a batch of the kiosk's audit events in one transaction; every event gets an ack."""
    if len(body.events) > settings.max_items:
        raise CentralError("request.too_large", f"too many events in one push: at most {settings.max_items}")
    acks = audit_chain.push(session, kiosk, [e.model_dump() for e in body.events], now)
    session.commit()
    return AuditPushOut(acks=[AuditAckOut(seq=s, status=st) for s, st in acks], server_time=iso_utc(now))
