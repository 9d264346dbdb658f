"""Central's audit of what people did (logins, logouts, commands sent, users added): who, when,
what, in which hall. Written in the transaction of the act itself (a refused login too)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.models import AuditEvent
from central.repo.users import Supervisor


def record(
    session: Session,
    now: datetime,
    *,
    actor: str,
    action: str,
    via: str,
    hall_code: str | None = None,
    kiosk_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        at=now,
        actor=actor[:40],
        action=action,
        via=via,
        hall_code=hall_code,
        kiosk_id=kiosk_id,
        detail=detail or {},
    )
    session.add(event)
    session.flush()
    return event


def recent(session: Session, who: Supervisor, *, limit: int = 100, kiosk_id: str | None = None) -> list[AuditEvent]:
    """The newest events `who` may read: an administrator all, a supervisor those of their halls
    and their own."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    scope = who.hall_filter()
    if scope is not None:
        query = query.where(AuditEvent.hall_code.in_(scope) | (AuditEvent.actor == who.username))
    if kiosk_id is not None:
        query = query.where(AuditEvent.kiosk_id == kiosk_id)
    return list(session.scalars(query))
