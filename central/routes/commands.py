"""POST /commands/{id}/ack: the kiosk's answer to a command it pulled."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from central.deps import CurrentKiosk, NowDep, SessionDep
from central.repo import changes
from central.schemas import CommandAckIn, CommandOut
from central.timezones import iso_utc

router = APIRouter(prefix="/commands", tags=["commands"])


@router.post("/{command_id}/ack", response_model=CommandOut)
def ack(command_id: UUID, body: CommandAckIn, kiosk: CurrentKiosk, session: SessionDep, now: NowDep) -> CommandOut:
    """Set the command's state (done or failed); the first answer stands."""
    command = changes.ack_command(session, kiosk, str(command_id), body.state, body.detail, now)
    out = CommandOut(
        id=command.id,
        kiosk_id=command.kiosk_id,
        kind=command.kind,
        args=command.args,
        state=command.state,
        detail=command.detail,
        created_at=iso_utc(command.created_at),
        acked_at=iso_utc(command.acked_at),
    )
    session.commit()
    return out
