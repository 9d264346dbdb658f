"""The hall's service catalog: agencies, their services, hours and quotas.

`load_catalog(path)` raises CatalogError naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from kiosk.errors import CatalogError, UnknownService

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "assets" / "catalog.toml"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
IDENTITIES = ("none", "qr", "face", "nik")
AGENCY_KEYS = ("code", "name_id", "name_en", "short_id", "short_en", "color", "service")
SERVICE_KEYS = (
    "code",
    "name_id",
    "name_en",
    "prefix",
    "counter_group",
    "counters",
    "identity",
    "documents",
    "daily_quota",
    "hours",
    "avg_minutes",
    "offline",
)
_HOURS = re.compile(r"^(?P<d1>[a-z]{3})(?:-(?P<d2>[a-z]{3}))? (?P<h1>\d\d):(?P<m1>\d\d)-(?P<h2>\d\d):(?P<m2>\d\d)$")


@dataclass(frozen=True)
class Text:
    """A string in both languages."""

    id: str
    en: str

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.id


@dataclass(frozen=True)
class Hours:
    """Opening intervals per weekday (0 = Monday)."""

    intervals: tuple[tuple[int, time, time], ...]

    def is_open(self, at: datetime) -> bool:
        """Whether `at` (hall time) falls inside an opening interval."""
        return any(day == at.weekday() and start <= at.time() < end for day, start, end in self.intervals)

    def next_opening(self, after: datetime, *, skip_today: bool = False) -> datetime | None:
        """The next start of an interval after `after` (a later day if skip_today)."""
        for offset in range(0 if not skip_today else 1, 9):
            date = (after + timedelta(days=offset)).date()
            starts = sorted(s for d, s, _ in self.intervals if d == date.weekday())
            for start in starts:
                candidate = datetime.combine(date, start, after.tzinfo)
                if candidate > after:
                    return candidate
        return None


@dataclass(frozen=True)
class Service:
    """One service at one agency's desk, as the catalog describes it."""

    code: str
    agency_code: str
    name: Text
    prefix: str
    counter_group: str
    counters: int
    identity: str
    documents: tuple[Text, ...]
    daily_quota: int
    hours: Hours
    avg_minutes: int
    offline: bool


@dataclass(frozen=True)
class Agency:
    """An agency (tenant) of the hall with its services."""

    code: str
    name: Text
    short: Text
    color: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class Catalog:
    """The hall's agencies and services, immutable once loaded."""

    agencies: tuple[Agency, ...]

    def service(self, code: str) -> Service:
        """The service with `code`; raises UnknownService."""
        for agency in self.agencies:
            for service in agency.services:
                if service.code == code:
                    return service
        raise UnknownService(service_code=code)

    def agency(self, code: str) -> Agency:
        """The agency with `code`; raises KeyError."""
        for agency in self.agencies:
            if agency.code == code:
                return agency
        raise KeyError(code)

    def services(self) -> list[Service]:
        """Every service of every agency, in catalog order."""
        return [s for a in self.agencies for s in a.services]

    def to_json(self, language: str) -> dict:
        """The catalog as plain data, names in `language`."""
        return {
            "agencies": [
                {
                    "code": a.code,
                    "name": a.name(language),
                    "services": [
                        {
                            "code": s.code,
                            "name": s.name(language),
                            "prefix": s.prefix,
                            "counter_group": s.counter_group,
                            "identity": s.identity,
                            "documents": [d(language) for d in s.documents],
                            "daily_quota": s.daily_quota,
                            "avg_minutes": s.avg_minutes,
                            "offline": s.offline,
                        }
                        for s in a.services
                    ],
                }
                for a in self.agencies
            ]
        }


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Parse and check the catalog TOML; raises CatalogError."""
    path = Path(path) if path else DEFAULT_PATH
    file = str(path)
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise CatalogError(file=file, key="-", problem=exc.strerror or str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(file=file, key="-", problem=f"not valid TOML ({exc})") from None

    def need(obj: dict, key: str, kind: type, where: str):
        if key not in obj:
            raise CatalogError(file=file, key=f"{where}.{key}", problem="missing")
        value = obj[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise CatalogError(file=file, key=f"{where}.{key}", problem=f"expected {kind.__name__}")
        return value

    def only(obj: dict, allowed: tuple[str, ...], where: str) -> None:
        for key in obj:
            if key not in allowed:
                raise CatalogError(
                    file=file,
                    key=f"{where}.{key}" if where else key,
                    problem=f"unknown key (expected one of: {', '.join(allowed)})",
                )

    only(raw, ("version", "agency"), "")
    agencies = []
    seen: set[str] = set()
    for i, a in enumerate(raw.get("agency", [])):
        where = f"agency[{i}]"
        only(a, AGENCY_KEYS, where)
        code = need(a, "code", str, where)
        services = []
        for j, s in enumerate(a.get("service", [])):
            sw = f"{where}.service[{j}]"
            only(s, SERVICE_KEYS, sw)
            for k, d in enumerate(need(s, "documents", list, sw)):
                if not isinstance(d, dict) or set(d) != {"id", "en"}:
                    raise CatalogError(file=file, key=f"{sw}.documents[{k}]", problem="expected { id = ..., en = ... }")
            scode = need(s, "code", str, sw)
            if scode in seen:
                raise CatalogError(file=file, key=f"{sw}.code", problem=f"duplicate service code {scode}")
            seen.add(scode)
            identity = need(s, "identity", str, sw)
            if identity not in IDENTITIES:
                raise CatalogError(file=file, key=f"{sw}.identity", problem=f"expected one of {IDENTITIES}")
            prefix = need(s, "prefix", str, sw)
            if not re.fullmatch(r"[A-Z]{1,2}", prefix):
                raise CatalogError(file=file, key=f"{sw}.prefix", problem="expected 1-2 letters A-Z")
            services.append(
                Service(
                    code=scode,
                    agency_code=code,
                    name=Text(need(s, "name_id", str, sw), need(s, "name_en", str, sw)),
                    prefix=prefix,
                    counter_group=need(s, "counter_group", str, sw),
                    counters=max(1, need(s, "counters", int, sw)),
                    identity=identity,
                    documents=tuple(Text(d["id"], d["en"]) for d in need(s, "documents", list, sw)),
                    daily_quota=need(s, "daily_quota", int, sw),
                    hours=_parse_hours(need(s, "hours", list, sw), file, f"{sw}.hours"),
                    avg_minutes=max(1, need(s, "avg_minutes", int, sw)),
                    offline=need(s, "offline", bool, sw),
                )
            )
        agencies.append(
            Agency(
                code=code,
                name=Text(need(a, "name_id", str, where), need(a, "name_en", str, where)),
                short=Text(need(a, "short_id", str, where), need(a, "short_en", str, where)),
                color=need(a, "color", str, where),
                services=tuple(services),
            )
        )
    if not agencies:
        raise CatalogError(file=file, key="agency", problem="no agencies")
    return Catalog(tuple(agencies))


def _parse_hours(items: list, file: str, key: str) -> Hours:
    intervals = []
    for item in items:
        m = _HOURS.match(str(item).strip().lower())
        if not m or m["d1"] not in DAYS or (m["d2"] and m["d2"] not in DAYS):
            raise CatalogError(file=file, key=key, problem=f"expected 'mon-fri 08:00-15:00', got {item!r}")
        d1 = DAYS.index(m["d1"])
        d2 = DAYS.index(m["d2"]) if m["d2"] else d1
        start = time(int(m["h1"]), int(m["m1"]))
        end = time(int(m["h2"]), int(m["m2"]))
        if end <= start or d2 < d1:
            raise CatalogError(file=file, key=key, problem=f"interval runs backwards: {item!r}")
        intervals += [(d, start, end) for d in range(d1, d2 + 1)]
    return Hours(tuple(intervals))
