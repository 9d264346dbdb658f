"""The hall's service catalog: agencies, their services, hours and quotas.

`load_catalog(path)` checks every field before the kiosk issues anything and raises
CatalogError naming the file, the key and what was expected. What each field accepts
is data (`TOP_FIELDS`, `AGENCY_FIELDS`, `SERVICE_FIELDS`, `DOCUMENT_FIELDS`); the
README's catalog table uses the same words and a test holds them together.

The file declares how many agencies and services it holds (`agencies = 11`,
`services = 27` before the first table), so a file cut short is refused, not
loaded with fewer services.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, NoReturn

from kiosk.config import is_text, read_toml, show_key, show_value
from kiosk.errors import CatalogError, UnknownService

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "assets" / "catalog.toml"
#: The catalog format this kiosk reads (the file's `version`).
FORMAT_VERSION = 1
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
IDENTITIES = ("none", "qr", "face", "nik")
#: An interval's end of 24:00 (midnight at the end of the day).
END_OF_DAY = time.max
_HOURS = re.compile(
    r"(?P<d1>[a-z]{3})(?:-(?P<d2>[a-z]{3}))? +(?P<h1>[0-9]{2}):(?P<m1>[0-9]{2}) *- *(?P<h2>[0-9]{2}):(?P<m2>[0-9]{2})"
)
_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,15}")
_SINGULAR = {"agencies": "agency", "services": "service"}
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "an array"}


def contrast_with_white(color: str) -> float:
    """The WCAG contrast ratio of white text on `color` ("#RRGGBB")."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(color[i : i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def _is_dark_color(value: str) -> bool:
    return bool(re.fullmatch(r"#[0-9A-Fa-f]{6}", value)) and contrast_with_white(value) >= 4.5


@dataclass(frozen=True)
class Field:
    """What one catalog key accepts; `expected` is the wording of the error and of the README table."""

    kind: type
    expected: str
    low: int | None = None
    high: int | None = None
    test: Callable[[Any], bool] | None = None

    def accepts(self, value: Any) -> bool:
        """Whether `value` (already of the field's type) is acceptable."""
        if self.low is not None and not (self.low <= value <= self.high):
            return False
        return self.test is None or self.test(value)


def _code(value: str) -> bool:
    return bool(_CODE.fullmatch(value))


#: Keys before the first table.
TOP_FIELDS: dict[str, Field] = {
    "version": Field(int, f"{FORMAT_VERSION} (the catalog format this kiosk reads)", FORMAT_VERSION, FORMAT_VERSION),
    "agencies": Field(int, "how many [[agency]] tables the file holds, 1..999", 1, 999),
    "services": Field(int, "how many [[agency.service]] tables the file holds, 1..9999", 1, 9999),
    "agency": Field(list, "[[agency]] tables, at least one"),
}
AGENCY_FIELDS: dict[str, Field] = {
    "code": Field(str, "2..16 characters A-Z, 0-9 or '-', unique in the file", test=_code),
    "name_id": Field(str, "text, 1..80 characters", test=is_text(80)),
    "name_en": Field(str, "text, 1..80 characters", test=is_text(80)),
    "short_id": Field(str, "text, 1..30 characters (the tile label)", test=is_text(30)),
    "short_en": Field(str, "text, 1..30 characters (the tile label)", test=is_text(30)),
    "color": Field(str, "'#RRGGBB', dark enough for white text (contrast 4.5:1 or more)", test=_is_dark_color),
    "service": Field(list, "[[agency.service]] tables, at least one"),
}
SERVICE_FIELDS: dict[str, Field] = {
    "code": Field(str, "2..16 characters A-Z, 0-9 or '-', unique in the file", test=_code),
    "name_id": Field(str, "text, 1..80 characters", test=is_text(80)),
    "name_en": Field(str, "text, 1..80 characters", test=is_text(80)),
    "prefix": Field(
        str,
        "1-2 letters A-Z (the ticket letter)",
        test=lambda v: bool(re.fullmatch(r"[A-Z]{1,2}", v)),
    ),
    "counter_group": Field(str, "text, 1..30 characters", test=is_text(30)),
    "counters": Field(int, "1..99 counters", 1, 99),
    "identity": Field(str, "one of " + ", ".join(IDENTITIES), test=lambda v: v in IDENTITIES),
    "documents": Field(list, "0..10 items { id = ..., en = ... }"),
    "daily_quota": Field(int, "0..9999 tickets a day", 0, 9999),
    "hours": Field(list, "at least one 'mon-fri 08:00-15:00' (HH:MM 00:00..24:00)"),
    "avg_minutes": Field(int, "1..480 minutes", 1, 480),
    "offline": Field(bool, "true or false"),
}
DOCUMENT_FIELDS: dict[str, Field] = {
    "id": Field(str, "text, 1..80 characters", test=is_text(80)),
    "en": Field(str, "text, 1..80 characters", test=is_text(80)),
}
AGENCY_KEYS = tuple(AGENCY_FIELDS)
SERVICE_KEYS = tuple(SERVICE_FIELDS)
MAX_DOCUMENTS = 10


@dataclass(frozen=True)
class Text:
    """A string in both languages."""

    id: str
    en: str

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.id


@dataclass(frozen=True)
class Hours:
    """Opening intervals per weekday (0 = Monday); an interval to 24:00 ends at END_OF_DAY."""

    intervals: tuple[tuple[int, time, time], ...]

    def is_open(self, at: datetime) -> bool:
        """Whether `at` (hall time) falls inside an opening interval (an END_OF_DAY end is 24:00)."""
        now, weekday = at.time(), at.weekday()
        return any(
            day == weekday and start <= now and (now < end or end == END_OF_DAY) for day, start, end in self.intervals
        )

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
    return _Reader(str(path)).catalog(read_toml(path, CatalogError))


class _Reader:
    """Checks one parsed catalog file, field by field, and builds the Catalog."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str, problem: str) -> NoReturn:
        raise CatalogError(file=self.file, key=key, problem=problem)

    def only(self, obj: dict, allowed, where: str) -> None:
        for key in obj:
            if key not in allowed:
                self.fail(
                    f"{where}.{show_key(key)}" if where else show_key(key),
                    f"unknown key (expected one of: {', '.join(allowed)})",
                )

    def value(self, obj: dict, key: str, spec: Field, where: str, hint: str = ""):
        """obj[key], checked against `spec`."""
        name = f"{where}.{key}" if where else key
        if key not in obj:
            self.fail(name, f"missing: expected {spec.expected}{hint}")
        value = obj[key]
        if not isinstance(value, spec.kind) or (spec.kind is int and isinstance(value, bool)):
            what = _TYPE_NAMES[spec.kind]
            what = spec.expected if spec.expected == what else f"{what}: {spec.expected}"
            self.fail(name, f"expected {what}, got {show_value(value)}")
        if not spec.accepts(value):
            problem = f"expected {spec.expected}, got {show_value(value)}"
            if key == "color" and re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
                problem += f" (contrast {contrast_with_white(value):.1f}:1)"
            self.fail(name, problem)
        return value

    def tables(self, obj: dict, key: str, where: str, header: str) -> list[dict]:
        """obj[key] as a list of tables ([[header]] in the file); none when the key is missing."""
        items = obj.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            got = show_value(items) if not isinstance(items, list) else "an array of values"
            self.fail(f"{where}.{key}" if where else key, f"expected [[{header}]] tables, got {got}")
        return items

    def catalog(self, raw: dict) -> Catalog:
        self.only(raw, TOP_FIELDS, "")
        self.version(raw)
        # Counted before any field is read: a file cut short says so, not "missing: ...".
        agencies = self.tables(raw, "agency", "", "agency")
        services = [self.tables(a, "service", f"agency[{i}]", "agency.service") for i, a in enumerate(agencies)]
        self.count(raw, "agencies", len(agencies))
        self.count(raw, "services", sum(map(len, services)))
        if not agencies:
            self.fail("agency", f"expected {TOP_FIELDS['agency'].expected}, got none")
        for i, items in enumerate(services):
            if not items:
                self.fail(f"agency[{i}].service", f"expected {AGENCY_FIELDS['service'].expected}, got none")
        agency_codes: dict[str, str] = {}
        service_codes: dict[str, str] = {}
        prefixes: dict[str, tuple[str, Service]] = {}
        built = []
        for i, (a, items) in enumerate(zip(agencies, services, strict=True)):
            where = f"agency[{i}]"
            self.only(a, AGENCY_FIELDS, where)
            fields = {k: self.value(a, k, spec, where) for k, spec in AGENCY_FIELDS.items() if k != "service"}
            if (first := agency_codes.setdefault(fields["code"], where)) != where:
                self.fail(f"{where}.code", f"duplicate agency code {fields['code']} (also {first}.code)")
            agency_services = []
            for j, s in enumerate(items):
                sw = f"{where}.service[{j}]"
                last = i == len(agencies) - 1 and j == len(items) - 1
                service = self.service(s, sw, fields["code"], last)
                if (first := service_codes.setdefault(service.code, sw)) != sw:
                    self.fail(f"{sw}.code", f"duplicate service code {service.code} (also {first}.code)")
                other_place, other = prefixes.setdefault(service.prefix, (sw, service))
                if (other.counter_group, other.counters) != (service.counter_group, service.counters):
                    self.fail(
                        f"{sw}.prefix",
                        f"letter {service.prefix} is already used by {other_place} ({other.code}) with "
                        f"counter_group {other.counter_group!r} and counters = {other.counters}, here with "
                        f"{service.counter_group!r} and {service.counters}: one letter is one queue, so "
                        f"give it one counter_group and one counters, or use another letter",
                    )
                agency_services.append(service)
            built.append(
                Agency(
                    code=fields["code"],
                    name=Text(fields["name_id"], fields["name_en"]),
                    short=Text(fields["short_id"], fields["short_en"]),
                    color=fields["color"],
                    services=tuple(agency_services),
                )
            )
        return Catalog(tuple(built))

    def version(self, raw: dict) -> None:
        version = raw.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            self.fail(
                "version",
                f"version {show_value(version)} is newer than this kiosk reads ({FORMAT_VERSION}): "
                f"update the kiosk software, or use a version {FORMAT_VERSION} catalog",
            )
        self.value(raw, "version", TOP_FIELDS["version"], "")

    def count(self, raw: dict, key: str, held: int) -> None:
        if key not in raw:
            self.fail(
                key,
                f"missing: expected {key} = N before the first table, N being {TOP_FIELDS[key].expected} "
                f"(this file holds {held}: is that all?)",
            )
        declared = self.value(raw, key, TOP_FIELDS[key], "")
        said = f"{declared} {key}" if declared != 1 else f"1 {_SINGULAR[key]}"
        if declared > held:
            self.fail(key, f"the file declares {said} but holds {held}: is it complete?")
        if declared < held:
            self.fail(key, f"the file declares {said} but holds {held}: is the count out of date?")

    def service(self, s: dict, sw: str, agency_code: str, last: bool) -> Service:
        self.only(s, SERVICE_FIELDS, sw)
        hint = " (the file ends in this table: is it complete?)" if last else ""
        v = {k: self.value(s, k, spec, sw, hint) for k, spec in SERVICE_FIELDS.items()}
        documents = v["documents"]
        if len(documents) > MAX_DOCUMENTS:
            self.fail(f"{sw}.documents", f"expected {SERVICE_FIELDS['documents'].expected}, got {len(documents)}")
        texts = []
        for k, d in enumerate(documents):
            dw = f"{sw}.documents[{k}]"
            if not isinstance(d, dict) or set(d) != set(DOCUMENT_FIELDS):
                self.fail(dw, f"expected {{ id = ..., en = ... }}, got {show_value(d)}")
            texts.append(Text(*(self.value(d, key, spec, dw) for key, spec in DOCUMENT_FIELDS.items())))
        return Service(
            code=v["code"],
            agency_code=agency_code,
            name=Text(v["name_id"], v["name_en"]),
            prefix=v["prefix"],
            counter_group=v["counter_group"],
            counters=v["counters"],
            identity=v["identity"],
            documents=tuple(texts),
            daily_quota=v["daily_quota"],
            hours=self.hours(v["hours"], f"{sw}.hours"),
            avg_minutes=v["avg_minutes"],
            offline=v["offline"],
        )

    def hours(self, items: list, key: str) -> Hours:
        if not items:
            self.fail(key, f"expected {SERVICE_FIELDS['hours'].expected}, got none (remove the service to close it)")
        intervals = []
        for k, item in enumerate(items):
            where = f"{key}[{k}]"
            m = _HOURS.fullmatch(item.strip().lower()) if isinstance(item, str) else None
            if not m or m["d1"] not in DAYS or (m["d2"] and m["d2"] not in DAYS):
                self.fail(where, f"expected 'mon-fri 08:00-15:00' (days mon..sun), got {show_value(item)}")
            h1, m1, h2, m2 = (int(m[g]) for g in ("h1", "m1", "h2", "m2"))
            if max(h1, h2) > 24 or max(m1, m2) > 59 or h1 == 24 or (h2 == 24 and m2 != 0):
                self.fail(
                    where,
                    "expected HH:MM with hours 00-24 and minutes 00-59 (24:00 only as a closing time), "
                    f"got {show_value(item)}",
                )
            d1 = DAYS.index(m["d1"])
            d2 = DAYS.index(m["d2"]) if m["d2"] else d1
            start = time(h1, m1)
            end = END_OF_DAY if h2 == 24 else time(h2, m2)
            if end <= start or d2 < d1:
                self.fail(
                    where, f"expected an interval that runs forwards (mon-fri, 08:00-15:00), got {show_value(item)}"
                )
            intervals += [(d, start, end) for d in range(d1, d2 + 1)]
        return Hours(tuple(intervals))
