"""POST /enroll: a one-time token for the kiosk's credential."""

from __future__ import annotations

from fastapi import APIRouter

from central.deps import NowDep, SessionDep
from central.repo import kiosks
from central.schemas import EnrollIn, EnrollOut

router = APIRouter(tags=["enrolment"])


@router.post("/enroll", response_model=EnrollOut)
def enroll(body: EnrollIn, session: SessionDep, now: NowDep) -> EnrollOut:
    """Exchange the token `central kiosk add` printed; the credential is shown this once."""
    kiosk, secret = kiosks.enroll(session, body.token, now)
    out = EnrollOut(
        kiosk_id=kiosk.id, hall_code=kiosk.hall_code, short_code=kiosk.short_code, credential=f"{kiosk.id}:{secret}"
    )
    session.commit()
    return out
