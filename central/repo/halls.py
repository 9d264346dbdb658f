"""Halls: add, find, lock (to order the changes of a hall)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.errors import CentralError
from central.models import Hall
from central.schemas import HALL_CODE_PATTERN, TIMEZONES, unstorable


def get(session: Session, code: str) -> Hall:
    """The hall `code`; CentralError not_found if there is none."""
    hall = session.get(Hall, code)
    if hall is None:
        raise CentralError("not_found", f"no hall {code!r}")
    return hall


def lock(session: Session, code: str) -> Hall:
    """The hall, locked until the commit: changes of one hall are added one transaction at a
    time, so their cursors become visible in order and a kiosk's cursor never skips one that
    commits late. FOR NO KEY UPDATE does not block foreign keys that point at the hall."""
    hall = session.scalars(
        select(Hall).where(Hall.code == code).with_for_update(key_share=True).execution_options(populate_existing=True)
    ).one_or_none()
    if hall is None:
        raise CentralError("not_found", f"no hall {code!r}")
    return hall


def add(session: Session, code: str, name: str, timezone: str, now: datetime) -> Hall:
    """A new hall; CentralError request.invalid when a value is wrong or the code is taken."""
    if not re.fullmatch(HALL_CODE_PATTERN, code):
        raise CentralError("request.invalid", f"hall code {code!r}: 2..8 characters A-Z or 0-9")
    name = name.strip()
    if not 1 <= len(name) <= 60 or "\n" in name or unstorable(name):
        raise CentralError("request.invalid", "hall name: 1..60 characters on one line")
    if timezone not in TIMEZONES:
        raise CentralError("request.invalid", f"timezone {timezone!r}: one of {', '.join(TIMEZONES)}")
    if session.get(Hall, code) is not None:
        raise CentralError("request.invalid", f"hall {code} exists already")
    hall = Hall(code=code, name=name, timezone=timezone, created_at=now)
    session.add(hall)
    session.flush()
    return hall


def all_halls(session: Session) -> list[Hall]:
    return list(session.scalars(select(Hall).order_by(Hall.code)))
