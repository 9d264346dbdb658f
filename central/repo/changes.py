"""What kiosks pull: catalog versions, hall configuration versions (repo/hall_config.py) and
commands, as changes with a cursor."""

from __future__ import annotations

import re
import tomllib
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from central.errors import CentralError
from central.models import Catalog, Change, Command, Kiosk
from central.repo import audit, halls, kiosks
from central.schemas import KIND_PATTERN, unstorable


def add(
    session: Session,
    hall_code: str,
    kind: str,
    data: dict[str, Any],
    now: datetime,
    *,
    kiosk_id: str | None = None,
    version: int | None = None,
) -> Change:
    """A change for every kiosk of the hall (kiosk_id None) or for one. Locks the hall first:
    see halls.lock (a kiosk's cursor must never pass a change that commits later)."""
    halls.lock(session, hall_code)
    change = Change(hall_code=hall_code, kiosk_id=kiosk_id, kind=kind, version=version, data=data, created_at=now)
    session.add(change)
    session.flush()
    return change


def pull(session: Session, kiosk: Kiosk, cursor: int, limit: int) -> tuple[list[Change], bool]:
    """The kiosk's changes strictly after `cursor`, oldest first, at most `limit`; and whether more wait."""
    rows = list(
        session.scalars(
            select(Change)
            .where(
                Change.hall_code == kiosk.hall_code,
                or_(Change.kiosk_id.is_(None), Change.kiosk_id == kiosk.id),
                Change.cursor > cursor,
            )
            .order_by(Change.cursor)
            .limit(limit + 1)
        )
    )
    return rows[:limit], len(rows) > limit


def set_catalog(
    session: Session, hall_code: str, toml_text: str, now: datetime, *, created_by: str | None = None
) -> Catalog:
    """Store the catalog file's text as the hall's next version and tell its kiosks.

    Central only checks that the text is TOML; the kiosk checks every field when it applies it
    (and keeps its current catalog if the new one is refused).
    """
    halls.lock(session, hall_code)
    if unstorable(toml_text):
        raise CentralError("request.invalid", "the catalog holds a NUL character")
    try:
        tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise CentralError("request.invalid", f"the catalog is not TOML: {exc}") from None
    version = (session.scalar(select(func.max(Catalog.version)).where(Catalog.hall_code == hall_code)) or 0) + 1
    catalog = Catalog(hall_code=hall_code, version=version, toml=toml_text, created_at=now, created_by=created_by)
    session.add(catalog)
    add(session, hall_code, "catalog", {"toml": toml_text}, now, version=version)
    return catalog


def latest_catalog(session: Session, hall_code: str) -> Catalog | None:
    return session.scalars(
        select(Catalog).where(Catalog.hall_code == hall_code).order_by(Catalog.version.desc()).limit(1)
    ).first()


def add_command(
    session: Session, kiosk_id: str, kind: str, args: dict[str, Any], now: datetime, *, by: str | None = None
) -> Command:
    """A command for one kiosk, delivered by pull; the kiosk acknowledges it (ack_command).
    `by`: who sent it (a username, "operator"; None: the CLI)."""
    kiosk = kiosks.get(session, kiosk_id)
    if len(kind) > 40 or not re.fullmatch(KIND_PATTERN, kind):
        raise CentralError(
            "request.invalid", f"command kind {kind!r}: lower-case words with '_' or '.', e.g. refresh_catalog"
        )
    if not isinstance(args, dict) or unstorable(args):
        raise CentralError("request.invalid", 'command args: a JSON object of plain text, e.g. {"minutes": 10}')
    command = Command(
        id=str(uuid.uuid4()), kiosk_id=kiosk.id, kind=kind, args=args, state="pending", created_at=now, created_by=by
    )
    session.add(command)
    add(
        session,
        kiosk.hall_code,
        "command",
        {"id": command.id, "kind": kind, "args": args},
        now,
        kiosk_id=kiosk.id,
    )
    return command


def ack_command(
    session: Session, kiosk: Kiosk, command_id: str, state: str, detail: str | None, now: datetime
) -> Command:
    """Record the kiosk's answer to its command (and audit it). The first answer stands; a repeat
    is a no-op."""
    command = session.scalars(
        select(Command).where(Command.id == command_id).with_for_update(key_share=True)
    ).one_or_none()
    if command is None or command.kiosk_id != kiosk.id:
        raise CentralError("not_found", f"no command {command_id} for kiosk {kiosk.id}")
    if command.state == "pending":
        command.state = state
        command.detail = detail
        command.acked_at = now
        session.flush()
        audit.record(
            session,
            now,
            actor=kiosk.id,
            action=f"command.{state}",
            via="kiosk",
            hall_code=kiosk.hall_code,
            kiosk_id=kiosk.id,
            detail={"command_id": command.id, "kind": command.kind, "detail": detail},
        )
    return command
