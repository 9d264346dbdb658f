"""POST /sync/push (a kiosk's facts, stored once) and GET /sync/pull (what central decided).

A pull also tops the kiosk's quota leases up first (repo/leases.py): in a writing transaction
of its own, only when there is something to grant or ask, so the page answered already holds
the `lease` change.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request

from central.deps import CurrentKiosk, CurrentKioskReading, NowDep, ReadSessionDep, SessionDep, SettingsDep
from central.errors import CentralError
from central.repo import changes, credentials, items, leases
from central.schemas import AckOut, ChangeOut, PullOut, PushIn, PushOut
from central.timezones import iso_utc

log = logging.getLogger("central.sync")

router = APIRouter(prefix="/sync", tags=["sync"])


@router.post("/push", response_model=PushOut)
def push(body: PushIn, kiosk: CurrentKiosk, session: SessionDep, settings: SettingsDep, now: NowDep) -> PushOut:
    """Store a batch of the kiosk's facts in one transaction; every item gets an ack."""
    if len(body.items) > settings.max_items:
        raise CentralError("request.too_large", f"too many items in one push: at most {settings.max_items}")
    leases.check_items(body.items)
    credentials.check_items(body.items)
    result = items.push(session, kiosk, body.items, now)
    leases.record_push(session, kiosk, body.items, [a.status for a in result.acks], now)
    credentials.record_push(session, kiosk, body.items, [a.status for a in result.acks], now)
    session.commit()
    if result.conflicts:
        log.warning("kiosk %s: %d conflicting item(s) recorded", kiosk.id, result.conflicts)
    return PushOut(
        acks=[AckOut(id=a.id, seq=a.seq, status=a.status) for a in result.acks],
        gaps=result.gaps,
        server_time=iso_utc(now),
    )


@router.get("/pull", response_model=PullOut)
def pull(
    request: Request,
    kiosk: CurrentKioskReading,
    session: ReadSessionDep,
    now: NowDep,
    cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> PullOut:
    """The kiosk's changes after `cursor`, oldest first; send back the `cursor` answered. The
    kiosk's quota leases are topped up first (a `lease` change, when there is news)."""
    if leases.needs_top_up(session, kiosk, now):
        with request.app.state.db.transaction() as writing:
            leases.top_up(writing, kiosk.id, now)
        session.commit()  # a new snapshot (SQLite), so this page holds the change just added
    rows, more = changes.pull(session, kiosk, cursor, limit)
    return PullOut(
        cursor=rows[-1].cursor if rows else cursor,
        more=more,
        changes=[ChangeOut(cursor=c.cursor, kind=c.kind, version=c.version, data=c.data) for c in rows],
    )
