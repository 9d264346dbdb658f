"""Signed QR credentials: the nonces of a hall used more than once (two offline kiosks that
both accepted one booking). A kiosk reads its own hall; the operator token every hall."""

from __future__ import annotations

from fastapi import APIRouter

from central.deps import CurrentPrincipal, ReadSessionDep
from central.errors import CentralError
from central.repo import credentials, halls

router = APIRouter(prefix="/halls", tags=["credentials"])


@router.get("/{hall_code}/credential-conflicts")
def credential_conflicts(hall_code: str, who: CurrentPrincipal, session: ReadSessionDep) -> dict:
    """`{"hall_code", "conflicts": [{"nonce", "kind", "subject", "uses": [{"kiosk_id",
    "ticket_id", "used_at", "received_at", "conflict"}]}]}`, oldest use first."""
    hall = halls.get(session, hall_code)
    if not who.may_read_hall(hall.code):
        raise CentralError("auth.forbidden", f"kiosk {who.kiosk.id} may read its own hall only, not {hall.code}")
    return {"hall_code": hall.code, "conflicts": [c.to_json() for c in credentials.conflicts(session, hall.code)]}
