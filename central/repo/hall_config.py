"""A hall's configuration at central: a SMALL allow-list of kiosk settings a hall may set for
all its kiosks, versioned (`hall_configs`), pushed with the pull as a `config` change
{"version": N, "settings": {"section.key": value, ...}}.

Each version is the whole set central holds for the hall (a key left out is not set by central:
the kiosk's own config file, or its default, applies). The ranges are the kiosk's (kiosk/config.py
RULES), copied here as data: central does not import kiosk code. The kiosk checks every key
again with its own rules when the version arrives and refuses the whole version if one fails.

`supervisor.pin_hash` is how supervisor PINs come from central: `central supervisor-pin set HALL`
stores the argon2id hash (the format `kiosk pin hash` prints) in a new version.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central import security
from central.errors import CentralError
from central.models import Hall, HallConfig
from central.repo import audit, changes, halls
from central.repo.users import Supervisor

#: What the kiosk's config accepts for `[supervisor] pin_hash` (kiosk/config.py _PIN_HASH).
PIN_HASH = re.compile(r"\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+")
#: A PIN is 4..12 digits (kiosk/pin.py PIN_DIGITS).
PIN_DIGITS = (4, 12)


@dataclass(frozen=True)
class Allowed:
    """One key a hall may set centrally: its type, range and words (kiosk/config.py RULES)."""

    kind: type
    expected: str
    low: float | None = None
    high: float | None = None
    label: str = ""

    def problem(self, value: Any) -> str | None:
        if self.kind is bool:
            return None if isinstance(value, bool) else "expected true or false"
        if self.kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                return f"expected an integer: {self.expected}"
        elif self.kind is float:
            if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
                return f"expected a finite number: {self.expected}"
        elif self.kind is str:
            if not isinstance(value, str):
                return f"expected text: {self.expected}"
            return None if value == "" or PIN_HASH.fullmatch(value) else f"expected {self.expected}"
        if self.low is not None and not self.low <= value <= self.high:
            return f"expected {self.expected}"
        return None


#: The keys a hall may set centrally ("section.key" -> what it accepts), in the form's order.
ALLOWED: dict[str, Allowed] = {
    "timeouts.inactivity_seconds": Allowed(int, "10..3600 seconds", 10, 3600, "Inactivity timeout (s)"),
    "timeouts.countdown_seconds": Allowed(
        int, "1..3599 seconds, less than timeouts.inactivity_seconds", 1, 3599, "Countdown before the wipe (s)"
    ),
    "timeouts.ticket_seconds": Allowed(int, "5..600 seconds", 5, 600, "Ticket screen shown for (s)"),
    "speech.enabled": Allowed(bool, "true or false", label="Speech on"),
    "speech.rate": Allowed(int, "80..300 words per minute", 80, 300, "Speech rate (words per minute)"),
    "speech.volume": Allowed(int, "0..100 percent", 0, 100, "Speech volume (%)"),
    "face.threshold": Allowed(float, "a distance, 0.2..0.9", 0.2, 0.9, "Face match threshold"),
    "face.challenges": Allowed(int, "1..3 liveness challenges", 1, 3, "Liveness challenges"),
    "face.enrol": Allowed(bool, "true or false", label="Offer face enrolment"),
    "hall.always_open": Allowed(bool, "true or false", label="Ignore opening hours (always open)"),
    "supervisor.pin_hash": Allowed(
        str,
        '"" (no supervisor PIN) or the argon2id hash printed by `kiosk pin hash`',
        label="Supervisor PIN hash",
    ),
}
#: Keys set with the form's checkboxes.
BOOL_KEYS = tuple(k for k, a in ALLOWED.items() if a.kind is bool)


class ConfigInvalid(CentralError):
    """A configuration refused before it was stored: `problems`, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("request.invalid", "the configuration was not stored: " + "; ".join(problems))
        self.problems = problems


def problems(values: Any) -> list[str]:
    """What is wrong with a hall configuration (empty: nothing)."""
    if not isinstance(values, dict):
        return ['settings: expected an object {"section.key": value, ...}']
    out: list[str] = []
    for key, value in values.items():
        allowed = ALLOWED.get(key) if isinstance(key, str) else None
        if allowed is None:
            out.append(f"{str(key)[:60]}: not a key a hall sets centrally (one of: {', '.join(ALLOWED)})")
        elif problem := allowed.problem(value):
            out.append(f"{key}: {problem}, got {value!r}"[:300])
    inactivity, countdown = values.get("timeouts.inactivity_seconds"), values.get("timeouts.countdown_seconds")
    if not out and inactivity is not None and countdown is not None and countdown >= inactivity:
        out.append(
            f"timeouts.countdown_seconds: expected fewer seconds than timeouts.inactivity_seconds ({inactivity}), "
            f"got {countdown}"
        )
    return out


def visible_hall(session: Session, who: Supervisor, code: str) -> Hall:
    """The hall, when `who` is an administrator or one of its supervisors; another hall is
    answered like one that does not exist (404)."""
    hall = session.get(Hall, code) if isinstance(code, str) and len(code) <= 8 else None
    if hall is None or not who.may_see(hall.code):
        raise CentralError("not_found", f"no hall {code!r}")
    return hall


def latest(session: Session, hall_code: str) -> HallConfig | None:
    return session.scalars(
        select(HallConfig).where(HallConfig.hall_code == hall_code).order_by(HallConfig.version.desc()).limit(1)
    ).first()


def versions(session: Session, hall_code: str, *, limit: int = 50) -> list[HallConfig]:
    return list(
        session.scalars(
            select(HallConfig).where(HallConfig.hall_code == hall_code).order_by(HallConfig.version.desc()).limit(limit)
        )
    )


def save(session: Session, hall_code: str, values: Any, now: datetime, *, by: str, via: str) -> HallConfig:
    """Check `values` and store them as the hall's next configuration version (ConfigInvalid
    listing every problem otherwise); its kiosks get it with their next pull. Audited."""
    halls.lock(session, hall_code)
    found = problems(values)
    if found:
        raise ConfigInvalid(found)
    clean = {k: (float(v) if ALLOWED[k].kind is float else v) for k, v in sorted(values.items())}
    number = (session.scalar(select(func.max(HallConfig.version)).where(HallConfig.hall_code == hall_code)) or 0) + 1
    row = HallConfig(hall_code=hall_code, version=number, settings=clean, created_by=by, created_at=now)
    session.add(row)
    changes.add(session, hall_code, "config", {"version": number, "settings": clean}, now, version=number)
    previous = latest_before(session, hall_code, number)
    changed = sorted(k for k in set(clean) | set(previous) if clean.get(k) != previous.get(k))
    audit.record(
        session,
        now,
        actor=by,
        action="config.saved",
        via=via,
        hall_code=hall_code,
        # a PIN hash is not a secret to hide, but it is long and says nothing: only that it changed
        detail={"version": number, "changed": changed},
    )
    return row


def latest_before(session: Session, hall_code: str, number: int) -> dict[str, Any]:
    row = session.get(HallConfig, (hall_code, number - 1)) if number > 1 else None
    return dict(row.settings) if row is not None else {}


def current_settings(session: Session, hall_code: str) -> dict[str, Any]:
    row = latest(session, hall_code)
    return dict(row.settings) if row is not None else {}


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and PIN_DIGITS[0] <= len(pin) <= PIN_DIGITS[1]


def set_supervisor_pin(session: Session, hall_code: str, pin: str, now: datetime, *, by: str, via: str) -> HallConfig:
    """A new configuration version: the current one with `supervisor.pin_hash` = the PIN's
    argon2id hash (argon2-cffi's defaults, the format `kiosk pin hash` prints)."""
    if not valid_pin(pin):
        raise CentralError("request.invalid", f"a PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits 0-9")
    halls.get(session, hall_code)
    values = current_settings(session, hall_code)
    values["supervisor.pin_hash"] = security.hash_password(pin)
    return save(session, hall_code, values, now, by=by, via=via)


def to_json(row: HallConfig | None, hall_code: str) -> dict[str, Any]:
    from central.timezones import iso_utc

    if row is None:
        return {"hall_code": hall_code, "version": None, "settings": {}, "created_at": None, "created_by": None}
    return {
        "hall_code": row.hall_code,
        "version": row.version,
        "settings": row.settings,
        "created_at": iso_utc(row.created_at),
        "created_by": row.created_by,
    }
