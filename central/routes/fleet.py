"""The fleet for supervisors: the kiosks they may see (status from heartbeat age, health,
backlog, alerts), the halls' queue figures, remote commands, the audit. A kiosk of another
hall is answered 404, like one that does not exist."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from central.deps import CurrentSupervisor, NowDep, ReadSessionDep, SessionDep, SettingsDep
from central.repo import audit, fleet, users
from central.schemas import (
    AuditEventOut,
    FleetCommandIn,
    FleetCommandOut,
    FleetKioskOut,
    HallFiguresOut,
)
from central.timezones import iso_utc

router = APIRouter(tags=["fleet"])


@router.get("/kiosks", response_model=list[FleetKioskOut])
def list_kiosks(who: CurrentSupervisor, session: ReadSessionDep, settings: SettingsDep, now: NowDep) -> list[dict]:
    """The kiosks the caller may see, by hall and short code."""
    return [row.to_json() for row in fleet.kiosks(session, who, now, settings)]


@router.get("/kiosks/{kiosk_id}", response_model=FleetKioskOut)
def get_kiosk(
    kiosk_id: str, who: CurrentSupervisor, session: ReadSessionDep, settings: SettingsDep, now: NowDep
) -> dict:
    return fleet.kiosk_row(session, who, kiosk_id, now, settings).to_json()


@router.get("/kiosks/{kiosk_id}/commands", response_model=list[FleetCommandOut])
def list_commands(
    kiosk_id: str,
    who: CurrentSupervisor,
    session: ReadSessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict]:
    """The kiosk's commands, newest first, each pending, done or failed."""
    kiosk = fleet.visible_kiosk(session, who, kiosk_id)
    return [fleet.command_json(c) for c in fleet.commands_of(session, kiosk.id, limit=limit)]


@router.post("/kiosks/{kiosk_id}/commands", response_model=FleetCommandOut, status_code=201)
def send_command(kiosk_id: str, body: FleetCommandIn, who: CurrentSupervisor, session: SessionDep, now: NowDep) -> dict:
    """Send a command; the kiosk gets it on its next pull and acknowledges it (done or failed)."""
    command = fleet.send_command(session, who, kiosk_id, body.kind, body.args, now, via="api")
    out = fleet.command_json(command)
    session.commit()
    return out


@router.get("/fleet/halls", response_model=list[HallFiguresOut])
def hall_figures(who: CurrentSupervisor, session: ReadSessionDep, settings: SettingsDep, now: NowDep) -> list[dict]:
    """Today's queue figures of each hall the caller sees."""
    return [fleet.hall_figures(session, h, now, settings).to_json() for h in users.visible_halls(session, who)]


@router.get("/fleet/audit", response_model=list[AuditEventOut])
def audit_events(
    who: CurrentSupervisor,
    session: ReadSessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEventOut]:
    """The newest audit events: an administrator's all, a supervisor's of their halls and own."""
    return [
        AuditEventOut(
            at=iso_utc(e.at),
            actor=e.actor,
            action=e.action,
            via=e.via,
            hall_code=e.hall_code,
            kiosk_id=e.kiosk_id,
            detail=e.detail,
        )
        for e in audit.recent(session, who, limit=limit)
    ]
