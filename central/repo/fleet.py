"""The fleet as supervisors see it: each kiosk's status from its heartbeats, alerts, the halls'
queue figures, and the remote commands a supervisor may send.

A kiosk is `online` when its last heartbeat is at most `offline_after` old, `offline` when it is
older, `never` when it has sent none. A kiosk of a hall the caller does not look after is
answered exactly like one that does not exist (404), so nothing leaks about other halls.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.errors import CentralError
from central.models import Command, Hall, Kiosk, Ticket
from central.repo import audit, changes, hallqueue
from central.repo.users import Supervisor
from central.schemas import SERVICE_CODE_PATTERN
from central.settings import Settings
from central.timezones import hall_today, iso_utc

# --- commands -----------------------------------------------------------------------------------

#: The remote commands a supervisor may send, with what they do (the dashboard shows these words).
COMMAND_KINDS: dict[str, str] = {
    "lock": "Lock the kiosk (it shows 'out of service')",
    "unlock": "Unlock the kiosk",
    "pause_service": "Pause one service (no new tickets for it)",
    "resume_service": "Resume a paused service",
    "refresh_catalog": "Fetch the service catalog again",
    "refresh_config": "Fetch the configuration again",
    "diagnostics_bundle": "Send a diagnostics bundle",
    "restart": "Restart the kiosk app",
}
#: Kinds whose args name a service: {"service": CODE}.
SERVICE_KINDS = ("pause_service", "resume_service")


def check_command(kind: str, args: Any, services: dict[str, str] | None) -> dict[str, Any]:
    """The command's args, checked: `service` (a code of the hall's catalog, when it has one)
    for pause/resume, an optional `reason` (text) for every kind, nothing else."""
    if kind not in COMMAND_KINDS:
        raise CentralError("request.invalid", f"command kind {kind!r}: one of {', '.join(COMMAND_KINDS)}")
    if not isinstance(args, dict):
        raise CentralError("request.invalid", "args: a JSON object")
    allowed = {"reason"} | ({"service"} if kind in SERVICE_KINDS else set())
    extra = sorted(set(args) - allowed)
    if extra:
        raise CentralError("request.invalid", f"args of {kind}: unexpected {', '.join(extra)}")
    out: dict[str, Any] = {}
    if kind in SERVICE_KINDS:
        service = args.get("service")
        if not isinstance(service, str) or not re.fullmatch(SERVICE_CODE_PATTERN, service):
            raise CentralError(
                "request.invalid", f'{kind} needs args {{"service": CODE}}, e.g. {{"service": "KTP-BARU"}}'
            )
        if services and service not in services:
            raise CentralError("request.invalid", f"service {service}: not in the hall's catalog")
        out["service"] = service
    reason = args.get("reason")
    if reason is not None:
        if not isinstance(reason, str) or len(reason) > 200 or "\x00" in reason:
            raise CentralError("request.invalid", "reason: text, at most 200 characters")
        if reason.strip():
            out["reason"] = reason.strip()
    return out


def send_command(
    session: Session,
    who: Supervisor,
    kiosk_id: str,
    kind: str,
    args: Any,
    now: datetime,
    *,
    via: str,
) -> Command:
    """Send a command to a kiosk `who` may see (404 otherwise), through the pull like
    `central command add`, and audit it."""
    kiosk = visible_kiosk(session, who, kiosk_id)
    checked = check_command(kind, args, catalog_services(session, kiosk.hall_code))
    command = changes.add_command(session, kiosk.id, kind, checked, now, by=who.username)
    audit.record(
        session,
        now,
        actor=who.username,
        action="command.sent",
        via=via,
        hall_code=kiosk.hall_code,
        kiosk_id=kiosk.id,
        detail={"command_id": command.id, "kind": kind, "args": checked},
    )
    return command


def commands_of(session: Session, kiosk_id: str, *, limit: int = 50) -> list[Command]:
    """The kiosk's newest commands first."""
    return list(
        session.scalars(
            select(Command)
            .where(Command.kiosk_id == kiosk_id)
            .order_by(Command.created_at.desc(), Command.id)
            .limit(limit)
        )
    )


def command_json(c: Command) -> dict[str, Any]:
    return {
        "id": c.id,
        "kiosk_id": c.kiosk_id,
        "kind": c.kind,
        "args": c.args,
        "state": c.state,
        "detail": c.detail,
        "created_at": iso_utc(c.created_at),
        "created_by": c.created_by,
        "acked_at": iso_utc(c.acked_at),
    }


# --- the catalog's services ---------------------------------------------------------------------

_services_cache: dict[tuple[str, int, str], dict[str, str]] = {}
_services_lock = Lock()


def catalog_services(session: Session, hall_code: str) -> dict[str, str]:
    """The services of the hall's current catalog: code -> English name (empty: no catalog)."""
    catalog = changes.latest_catalog(session, hall_code)
    if catalog is None:
        return {}
    key = (hall_code, catalog.version, catalog.toml)  # the text too: see hallqueue._letters_of
    with _services_lock:
        found = _services_cache.get(key)
    if found is None:
        found = _services_of(catalog.toml)
        with _services_lock:
            if len(_services_cache) >= 256:
                _services_cache.clear()
            _services_cache[key] = found
    return found


def _services_of(toml_text: str) -> dict[str, str]:
    try:
        raw = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError:
        return {}
    out: dict[str, str] = {}
    agencies = raw.get("agency")
    for agency in agencies if isinstance(agencies, list) else []:
        services = agency.get("service") if isinstance(agency, dict) else None
        for s in services if isinstance(services, list) else []:
            if isinstance(s, dict) and isinstance(s.get("code"), str):
                name = s.get("name_en") or s.get("name_id") or s["code"]
                out[s["code"]] = str(name)
    return out


# --- kiosks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    level: str  # error, warning
    kind: str  # paper_out, paper_low, device, offline, never, backlog, clock
    hall_code: str
    kiosk_id: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {
            "level": self.level,
            "kind": self.kind,
            "hall_code": self.hall_code,
            "kiosk_id": self.kiosk_id,
            "message": self.message,
        }


@dataclass(frozen=True)
class KioskRow:
    """One kiosk as the fleet list shows it."""

    kiosk: Kiosk
    hall_name: str
    status: str  # online, offline, never
    heartbeat_age_seconds: float | None
    device_health: str  # ok, warning, error, unknown
    pending_commands: int
    clock_skew_flagged: bool
    backlog_age_seconds: float | None
    alerts: tuple[Alert, ...] = field(default=())

    @property
    def id(self) -> str:
        return self.kiosk.id

    @property
    def hall_code(self) -> str:
        return self.kiosk.hall_code

    def to_json(self) -> dict[str, Any]:
        k = self.kiosk
        return {
            "hall_code": k.hall_code,
            "hall_name": self.hall_name,
            "id": k.id,
            "short_code": k.short_code,
            "status": self.status,
            "last_heartbeat": iso_utc(k.heartbeat_at),
            "heartbeat_age_seconds": _round(self.heartbeat_age_seconds),
            "backlog": k.backlog,
            "backlog_age_seconds": _round(self.backlog_age_seconds),
            "app_version": k.app_version,
            "clock_skew_seconds": k.clock_skew_seconds,
            "clock_skew_flagged": self.clock_skew_flagged,
            "last_sync": k.last_sync_at,
            "last_push": iso_utc(k.last_push_at),
            "device_health": self.device_health,
            "devices": k.devices or [],
            "pending_commands": self.pending_commands,
            "enrolled": k.secret_hash is not None,
            "revoked": k.revoked_at is not None,
            "alerts": [a.to_json() for a in self.alerts],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def status_of(heartbeat_at: datetime | None, now: datetime, offline_after: timedelta) -> str:
    if heartbeat_at is None:
        return "never"
    return "online" if now - heartbeat_at <= offline_after else "offline"


_HEALTH_ORDER = {"ok": 0, "unknown": 1, "warning": 2, "error": 3}


def device_health(devices: list[Any] | None) -> str:
    """The worst status of the devices the kiosk reported (ABSENT ones aside): ok, warning, error;
    unknown when it reported none."""
    levels = [
        {"OK": "ok", "WARNING": "warning", "ERROR": "error"}.get(str(d.get("status", "")).upper(), "unknown")
        for d in devices or []
        if isinstance(d, dict) and str(d.get("status", "")).upper() != "ABSENT"
    ]
    return max(levels, key=_HEALTH_ORDER.__getitem__) if levels else "unknown"


def _minutes(seconds: float) -> str:
    """A duration in plain words: 45 s, 2 min 30 s, 25 min, 3.5 h."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest} s" if minutes < 10 and rest else f"{minutes} min"
    return f"{seconds / 3600:.1f} h"


def alerts_of(
    k: Kiosk, status: str, age: float | None, backlog_age: float | None, settings: Settings
) -> tuple[Alert, ...]:
    """What a supervisor should act on: paper out or near its end, a device fault, offline for
    longer than the bound, no heartbeat ever, a backlog older than the bound, a clock off."""
    if k.revoked_at is not None:
        return ()
    out: list[Alert] = []

    def alert(level: str, kind: str, message: str) -> None:
        out.append(Alert(level, kind, k.hall_code, k.id, message))

    if status == "never":
        alert("warning", "never", "has never sent a heartbeat" if k.secret_hash else "not enrolled yet")
    elif status == "offline":
        alert("error", "offline", f"offline: last heartbeat {_minutes(age or 0)} ago")
    for d in k.devices or []:
        if not isinstance(d, dict) or str(d.get("status", "")).upper() not in ("WARNING", "ERROR"):
            continue
        reason = str(d.get("reason") or "").strip()
        name = str(d.get("kind") or d.get("name") or "device")
        level = "error" if str(d["status"]).upper() == "ERROR" else "warning"
        if "paper" in reason.lower():
            near = "near" in reason.lower()
            alert("warning" if near else "error", "paper_low" if near else "paper_out", f"{name}: {reason}")
        else:
            alert(level, "device", f"{name}: {d['status']}" + (f" ({reason})" if reason else ""))
    if backlog_age is not None and backlog_age > settings.backlog_alert_minutes * 60:
        alert("warning", "backlog", f"{k.backlog} fact(s) unsent, the oldest for {_minutes(backlog_age)}")
    if k.clock_skew_seconds is not None and abs(k.clock_skew_seconds) > settings.clock_skew_bound_seconds:
        alert("warning", "clock", f"clock off by {k.clock_skew_seconds:+.0f} s")
    return tuple(out)


def _row(k: Kiosk, hall_name: str, pending: int, now: datetime, settings: Settings) -> KioskRow:
    status = status_of(k.heartbeat_at, now, timedelta(minutes=settings.offline_after_minutes))
    age = (now - k.heartbeat_at).total_seconds() if k.heartbeat_at is not None else None
    backlog_age = None
    if k.backlog and k.oldest_unsent_age_seconds is not None and age is not None:
        backlog_age = k.oldest_unsent_age_seconds + max(0.0, age)
    flagged = k.clock_skew_seconds is not None and abs(k.clock_skew_seconds) > settings.clock_skew_bound_seconds
    return KioskRow(
        kiosk=k,
        hall_name=hall_name,
        status=status,
        heartbeat_age_seconds=age,
        device_health=device_health(k.devices),
        pending_commands=pending,
        clock_skew_flagged=flagged,
        backlog_age_seconds=backlog_age,
        alerts=alerts_of(k, status, age, backlog_age, settings),
    )


def _pending(session: Session, kiosk_ids: list[str]) -> dict[str, int]:
    if not kiosk_ids:
        return {}
    return dict(
        session.execute(
            select(Command.kiosk_id, func.count())
            .where(Command.kiosk_id.in_(kiosk_ids), Command.state == "pending")
            .group_by(Command.kiosk_id)
        ).all()
    )


def kiosks(session: Session, who: Supervisor, now: datetime, settings: Settings) -> list[KioskRow]:
    """The kiosks `who` may see, by hall and short code."""
    query = (
        select(Kiosk, Hall.name).join(Hall, Hall.code == Kiosk.hall_code).order_by(Kiosk.hall_code, Kiosk.short_code)
    )
    scope = who.hall_filter()
    if scope is not None:
        query = query.where(Kiosk.hall_code.in_(scope))
    found = session.execute(query).all()
    pending = _pending(session, [k.id for k, _ in found])
    return [_row(k, name, pending.get(k.id, 0), now, settings) for k, name in found]


def visible_kiosk(session: Session, who: Supervisor, kiosk_id: str) -> Kiosk:
    """The kiosk, if `who` may see it; not_found otherwise (the same answer as an unknown id)."""
    k = session.get(Kiosk, kiosk_id) if len(kiosk_id) <= 40 else None
    if k is None or not who.may_see(k.hall_code):
        raise CentralError("not_found", f"no kiosk {kiosk_id!r}")
    return k


def kiosk_row(session: Session, who: Supervisor, kiosk_id: str, now: datetime, settings: Settings) -> KioskRow:
    k = visible_kiosk(session, who, kiosk_id)
    hall = session.get(Hall, k.hall_code)
    return _row(k, hall.name if hall else k.hall_code, _pending(session, [k.id]).get(k.id, 0), now, settings)


# --- halls --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceFigures:
    code: str
    name: str
    tickets: int


@dataclass(frozen=True)
class LetterFigures:
    prefix: str
    counters: int
    tickets: int
    waiting: int
    wait_now_seconds: int
    mean_wait_seconds: float


@dataclass(frozen=True)
class HallFigures:
    """A hall's queue today: tickets per service, waiting now, the modelled waits."""

    code: str
    name: str
    day: str
    tickets: int
    waiting: int
    #: The mean modelled wait (call minus arrival) over today's tickets, seconds.
    mean_wait_seconds: float
    services: tuple[ServiceFigures, ...]
    letters: tuple[LetterFigures, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "hall_code": self.code,
            "hall_name": self.name,
            "day": self.day,
            "tickets_today": self.tickets,
            "waiting_now": self.waiting,
            "average_wait_seconds": round(self.mean_wait_seconds),
            "services": [{"code": s.code, "name": s.name, "tickets_today": s.tickets} for s in self.services],
            "letters": [
                {
                    "prefix": lf.prefix,
                    "counters": lf.counters,
                    "tickets_today": lf.tickets,
                    "waiting_now": lf.waiting,
                    "wait_now_seconds": lf.wait_now_seconds,
                    "average_wait_seconds": round(lf.mean_wait_seconds),
                }
                for lf in self.letters
            ],
        }


def hall_figures(session: Session, hall: Hall, now: datetime, settings: Settings) -> HallFigures:
    """Today's figures of the hall (its local day), from its tickets and the hall queue model
    (repo/hallqueue.py)."""
    day = hall_today(hall.timezone, now)
    counts = dict(
        session.execute(
            select(Ticket.service_code, func.count())
            .where(Ticket.hall_code == hall.code, Ticket.day == day)
            .group_by(Ticket.service_code)
        ).all()
    )
    names = catalog_services(session, hall.code)
    services = tuple(
        ServiceFigures(code, names.get(code, code), n)
        for code, n in sorted(counts.items(), key=lambda c: (-c[1], c[0]))
    )
    q = hallqueue.hall_queue(session, hall, now, asking=None, skew_bound=settings.clock_skew_bound_seconds)
    letters = tuple(
        LetterFigures(lq.prefix, lq.counters, lq.tickets, lq.waiting, lq.wait_seconds, lq.mean_wait_seconds)
        for lq in q.letters
        if lq.tickets
    )
    modelled = sum(lf.tickets for lf in letters)
    mean = sum(lf.mean_wait_seconds * lf.tickets for lf in letters) / modelled if modelled else 0.0
    return HallFigures(
        code=hall.code,
        name=hall.name,
        day=day.isoformat(),
        tickets=sum(counts.values()),
        waiting=sum(lf.waiting for lf in letters),
        mean_wait_seconds=mean,
        services=services,
        letters=letters,
    )
