"""POST /heartbeat: the kiosk's health, backlog and clock."""

from __future__ import annotations

from fastapi import APIRouter

from central.deps import CurrentKiosk, NowDep, SessionDep
from central.repo import kiosks
from central.schemas import HeartbeatIn, HeartbeatOut
from central.timezones import iso_utc

router = APIRouter(tags=["heartbeat"])


@router.post("/heartbeat", response_model=HeartbeatOut)
def heartbeat(body: HeartbeatIn, kiosk: CurrentKiosk, session: SessionDep, now: NowDep) -> HeartbeatOut:
    """Store the heartbeat; answer central's time and the kiosk's skew (kiosk minus central)."""
    skew = kiosks.record_heartbeat(session, kiosk, body, now)
    session.commit()
    return HeartbeatOut(server_time=iso_utc(now), clock_skew_seconds=skew)
