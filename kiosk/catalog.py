"""The hall's service catalog: agencies, their services, hours and quotas.

`load_catalog(path)` checks every field before the kiosk issues anything and raises
CatalogError naming the file, the key and what was expected. What each field accepts
is data (`TOP_FIELDS`, `AGENCY_FIELDS`, `SERVICE_FIELDS`, `DOCUMENT_FIELDS`); the
README's catalog table uses the same words and a test holds them together.

The file declares how many agencies and services it holds (`agencies = 11`,
`services = 27` before the first table), so a file cut short is refused, not
loaded with fewer services; the same for the idle screen's needs (`needs = 7`)
when it has [[need]] tables.

Keys added after the first release are optional, so a hall's older catalog still
loads: search words (`keywords_id`, `keywords_en`), the counters' English name and
where they are (`counter_group_en`, `location_id`, `location_en`), an agency's
example services for its tile (`examples_id`, `examples_en`) and the [[need]]
tables (the hall's most requested needs, each pointing at one service).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property
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
_SINGULAR = {"agencies": "agency", "services": "service", "needs": "need"}
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "an array"}
_ICON = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")
#: How many [[need]] tables the idle screen shows at most.
MAX_NEEDS = 8


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
    #: A missing key is no error (keys added after the first catalog format); the reader's default applies.
    optional: bool = False
    #: For an array of texts: at most this many items, each `is_text(item_chars)`.
    max_items: int | None = None
    item_chars: int | None = None

    def accepts(self, value: Any) -> bool:
        """Whether `value` (already of the field's type) is acceptable."""
        if self.low is not None and not (self.low <= value <= self.high):
            return False
        return self.test is None or self.test(value)


def _code(value: str) -> bool:
    return bool(_CODE.fullmatch(value))


def _words(max_items: int, chars: int, what: str, note: str = "") -> Field:
    """An optional array of short texts (search words, examples)."""
    return Field(
        list,
        f"0..{max_items} {what}, each text 1..{chars} characters (optional{note})",
        optional=True,
        max_items=max_items,
        item_chars=chars,
    )


#: Keys before the first table.
TOP_FIELDS: dict[str, Field] = {
    "version": Field(int, f"{FORMAT_VERSION} (the catalog format this kiosk reads)", FORMAT_VERSION, FORMAT_VERSION),
    "agencies": Field(int, "how many [[agency]] tables the file holds, 1..999", 1, 999),
    "services": Field(int, "how many [[agency.service]] tables the file holds, 1..9999", 1, 9999),
    "needs": Field(
        int,
        f"how many [[need]] tables the file holds, 0..{MAX_NEEDS} (optional without [[need]])",
        0,
        MAX_NEEDS,
        optional=True,
    ),
    "need": Field(list, f"[[need]] tables, 0..{MAX_NEEDS}: the idle screen's most requested needs", optional=True),
    "agency": Field(list, "[[agency]] tables, at least one"),
}
NEED_FIELDS: dict[str, Field] = {
    "label_id": Field(str, "text, 1..40 characters (the button label; <= 24 fits one line)", test=is_text(40)),
    "label_en": Field(str, "text, 1..40 characters (the button label; <= 24 fits one line)", test=is_text(40)),
    "service": Field(str, "the code of a service in this file", test=_code),
    "icon": Field(
        str,
        "an icon name in assets/icons without .svg, A-Z a-z 0-9 '-' (optional; default: the service's agency)",
        test=lambda v: bool(_ICON.fullmatch(v)),
        optional=True,
    ),
}
AGENCY_FIELDS: dict[str, Field] = {
    "code": Field(str, "2..16 characters A-Z, 0-9 or '-', unique in the file", test=_code),
    "name_id": Field(str, "text, 1..80 characters", test=is_text(80)),
    "name_en": Field(str, "text, 1..80 characters", test=is_text(80)),
    "short_id": Field(str, "text, 1..30 characters (the tile label)", test=is_text(30)),
    "short_en": Field(str, "text, 1..30 characters (the tile label)", test=is_text(30)),
    "color": Field(str, "'#RRGGBB', dark enough for white text (contrast 4.5:1 or more)", test=_is_dark_color),
    "examples_id": _words(3, 30, "example services for the tile", "; default: the first services' names"),
    "examples_en": _words(3, 30, "example services for the tile", "; default: the first services' names"),
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
    "keywords_id": _words(30, 40, "search words or phrases visitors use"),
    "keywords_en": _words(30, 40, "search words or phrases visitors use"),
    "counter_group": Field(str, "text, 1..30 characters", test=is_text(30)),
    "counter_group_en": Field(
        str, "text, 1..30 characters (optional; default: counter_group)", test=is_text(30), optional=True
    ),
    "location_id": Field(
        str, "text, 1..40 characters: where the counters are (optional)", test=is_text(40), optional=True
    ),
    "location_en": Field(
        str, "text, 1..40 characters: where the counters are (optional)", test=is_text(40), optional=True
    ),
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
    #: The counters' name in both languages ("Loket 1-5" / "Counters 1-5"); `counter_group` stays
    #: the key that groups a letter's services.
    counter: Text | None = None
    #: Where the counters are ("Lantai 1, sayap kiri" / "Floor 1, left wing"); None when the catalog does not say.
    location: Text | None = None
    #: Words and phrases visitors search with (kiosk.search), per language.
    keywords: Keywords = field(default_factory=lambda: Keywords((), ()))

    def counter_name(self, language: str) -> str:
        """The counters' name in `language` ("Counters 1-5"); counter_group when the catalog has no English one."""
        return self.counter(language) if self.counter is not None else self.counter_group

    def where(self, language: str) -> str:
        """Where to go, for the ticket screen: "Counters 1-5, Floor 1, left wing" (no location: the counters)."""
        place = self.counter_name(language)
        return f"{place}, {self.location(language)}" if self.location is not None else place


@dataclass(frozen=True)
class Keywords:
    """A service's search words and phrases, per language."""

    id: tuple[str, ...]
    en: tuple[str, ...]

    def __call__(self, language: str) -> tuple[str, ...]:
        return self.en if language == "en" else self.id


@dataclass(frozen=True)
class Agency:
    """An agency (tenant) of the hall with its services."""

    code: str
    name: Text
    short: Text
    color: str
    services: tuple[Service, ...]
    #: Short example services for the agency's tile, per language; empty: the first service names.
    example_names: Keywords = field(default_factory=lambda: Keywords((), ()))

    def examples(self, language: str, limit: int = 3) -> tuple[str, ...]:
        """Up to `limit` short example services for the agency's tile, in `language`: the catalog's
        `examples_id`/`examples_en`, or else the names of its first services."""
        given = self.example_names(language)
        if given:
            return given[:limit]
        return tuple(s.name(language) for s in self.services[:limit])


@dataclass(frozen=True)
class Need:
    """One of the hall's most requested needs, for the idle screen: a label that leads to a service."""

    label: Text
    service_code: str
    #: An icon name in assets/icons (without .svg): the catalog's, else the service's agency code.
    icon: str


@dataclass(frozen=True)
class Catalog:
    """The hall's agencies and services, immutable once loaded."""

    agencies: tuple[Agency, ...]
    #: The idle screen's most requested needs, in the catalog's order (empty: the catalog names none).
    needs: tuple[Need, ...] = ()

    @cached_property
    def _by_code(self) -> dict[str, Service]:
        return {s.code: s for a in self.agencies for s in a.services}

    def service(self, code: str) -> Service:
        """The service with `code`, in any letter case ("ktp-el" is KTP-EL); raises UnknownService."""
        found = self._by_code.get(code)
        if found is None and isinstance(code, str):
            found = self._by_code.get(code.strip().upper())
        if found is None:
            raise UnknownService(service_code=code)
        return found

    def nearest_codes(self, code: str, limit: int = 3) -> list[str]:
        """Service codes that look like `code` (a mistyped code), nearest first; may be empty."""
        import difflib

        wanted = code.strip().upper()
        return difflib.get_close_matches(wanted, list(self._by_code), n=limit, cutoff=0.5)

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
                    "short": a.short(language),
                    "examples": list(a.examples(language)),
                    "services": [
                        {
                            "code": s.code,
                            "name": s.name(language),
                            "prefix": s.prefix,
                            "agency_code": s.agency_code,
                            "counter_group": s.counter_group,
                            "counter": s.counter_name(language),
                            "location": s.location(language) if s.location is not None else None,
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
            ],
            "needs": [{"label": n.label(language), "service_code": n.service_code, "icon": n.icon} for n in self.needs],
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
            if spec.optional:
                return None
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
        if spec.max_items is not None:
            if len(value) > spec.max_items:
                self.fail(name, f"expected {spec.expected}, got {len(value)} items")
            check = is_text(spec.item_chars)
            for k, item in enumerate(value):
                if not isinstance(item, str) or not check(item):
                    self.fail(f"{name}[{k}]", f"expected text, 1..{spec.item_chars} characters, got {show_value(item)}")
            value = tuple(value)
        return value

    def pair(self, fields: dict, key: str, where: str) -> Text | None:
        """Text(fields[key_id], fields[key_en]); None when both are missing, refused when one is."""
        got_id, got_en = fields[f"{key}_id"], fields[f"{key}_en"]
        if (got_id is None) != (got_en is None):
            missing = f"{key}_en" if got_en is None else f"{key}_id"
            self.fail(f"{where}.{missing}", f"missing: {key}_id and {key}_en go together (give both or neither)")
        return None if got_id is None else Text(got_id, got_en)

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
        needs = self.tables(raw, "need", "", "need")
        self.count(raw, "agencies", len(agencies))
        self.count(raw, "services", sum(map(len, services)))
        if needs or "needs" in raw:
            self.count(raw, "needs", len(needs))
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
            examples = self.pair(fields, "examples", where)
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
                if (other.counter, other.location) != (service.counter, service.location):
                    self.fail(
                        f"{sw}.prefix",
                        f"letter {service.prefix} is already used by {other_place} ({other.code}) at "
                        f"{other.where('en')!r}, here at {service.where('en')!r}: one letter is one queue at "
                        f"one place, so give it one counter_group_en, location_id and location_en",
                    )
                agency_services.append(service)
            built.append(
                Agency(
                    code=fields["code"],
                    name=Text(fields["name_id"], fields["name_en"]),
                    short=Text(fields["short_id"], fields["short_en"]),
                    color=fields["color"],
                    services=tuple(agency_services),
                    example_names=Keywords(examples.id, examples.en) if examples else Keywords((), ()),
                )
            )
        by_code = {s.code: s for a in built for s in a.services}
        return Catalog(tuple(built), tuple(self.need(n, f"need[{k}]", by_code) for k, n in enumerate(needs)))

    def need(self, n: dict, where: str, services: dict[str, Service]) -> Need:
        self.only(n, NEED_FIELDS, where)
        v = {k: self.value(n, k, spec, where) for k, spec in NEED_FIELDS.items()}
        service = services.get(v["service"])
        if service is None:
            self.fail(
                f"{where}.service",
                f"unknown service code {v['service']} (expected {NEED_FIELDS['service'].expected})",
            )
        return Need(Text(v["label_id"], v["label_en"]), service.code, v["icon"] or service.agency_code)

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
        location = self.pair(v, "location", sw)
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
            counter=Text(v["counter_group"], v["counter_group_en"] or v["counter_group"]),
            location=location,
            keywords=Keywords(v["keywords_id"] or (), v["keywords_en"] or ()),
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
