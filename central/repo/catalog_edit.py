"""Editing a hall's service catalog at central (dashboard and API): check the text, store it as
the hall's next version (changes.set_catalog, which the kiosks pull), restore an older one, audit.

Central does not import the kiosk's catalog loader (a separate program: import-linter forbids
it), so `problems` checks the structure the kiosk needs, with the kiosk's words where it can:
TOML, `version = 1`, the declared `agencies` / `services` / `needs` counts, each [[agency]] with
its fields and at least one [[agency.service]], each service's fields and ranges, unique codes,
[[need]] tables naming a service of the file. Every problem is listed, not only the first. The
kiosk still checks every field with its own loader when the version arrives (and keeps the
catalog it has when one does not load): this check only keeps obvious mistakes from leaving
central. `central catalog set` (the command line) keeps its old, TOML-only check.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.errors import CentralError
from central.models import Catalog
from central.repo import audit, changes, halls
from central.schemas import unstorable

#: The biggest catalog text stored (the shipped one is about 40 KiB).
MAX_BYTES = 1024 * 1024
FORMAT_VERSION = 1
IDENTITIES = ("none", "qr", "face", "nik")
MAX_NEEDS = 8
_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,15}")
_PREFIX = re.compile(r"[A-Z]{1,2}")
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_HOURS = re.compile(r"[a-z]{3}(?:-[a-z]{3})? +[0-9]{2}:[0-9]{2} *- *[0-9]{2}:[0-9]{2}")

_TOP = ("version", "agencies", "services", "needs", "need", "agency")
_AGENCY = {
    "code": "code",
    "name_id": 80,
    "name_en": 80,
    "short_id": 30,
    "short_en": 30,
    "color": "color",
}
_AGENCY_OPTIONAL = ("examples_id", "examples_en", "service")
_SERVICE = {
    "code": "code",
    "name_id": 80,
    "name_en": 80,
    "prefix": "prefix",
    "counter_group": 30,
    "counters": (1, 99),
    "identity": "identity",
    "documents": "documents",
    "daily_quota": (0, 9999),
    "hours": "hours",
    "avg_minutes": (1, 480),
    "offline": "bool",
}
_SERVICE_OPTIONAL = ("keywords_id", "keywords_en", "counter_group_en", "location_id", "location_en")


class CatalogInvalid(CentralError):
    """A catalog refused before it was stored: `problems`, one line each."""

    def __init__(self, problems: list[str]) -> None:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        super().__init__("request.invalid", f"the catalog was not stored: {shown}")
        self.problems = problems


def _text(value: Any, chars: int) -> bool:
    return (
        isinstance(value, str)
        and bool(value.strip())
        and len(value) <= chars
        and not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value)
    )


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_keys(table: dict, where: str, required: dict, optional, out: list[str]) -> None:
    """An agency's or service's table: no unknown key, every required key there and in range."""
    for key in table:
        if key not in required and key not in optional:
            out.append(f"{where}.{key}: unknown key")
    for key, spec in required.items():
        if key not in table:
            out.append(f"{where}.{key}: missing")
        elif problem := _field(f"{where}.{key}", table[key], spec):
            out.append(problem)


def _field(where: str, value: Any, spec: Any) -> str | None:
    """A problem with one field, or None."""
    if spec == "code":
        ok, expected = isinstance(value, str) and bool(_CODE.fullmatch(value)), "2..16 characters A-Z, 0-9 or '-'"
    elif spec == "prefix":
        ok, expected = isinstance(value, str) and bool(_PREFIX.fullmatch(value)), "1-2 letters A-Z (the ticket letter)"
    elif spec == "color":
        ok, expected = isinstance(value, str) and bool(_COLOR.fullmatch(value)), "'#RRGGBB'"
    elif spec == "identity":
        ok, expected = value in IDENTITIES, "one of " + ", ".join(IDENTITIES)
    elif spec == "bool":
        ok, expected = isinstance(value, bool), "true or false"
    elif spec == "documents":
        ok = isinstance(value, list) and len(value) <= 10
        ok = ok and all(isinstance(d, dict) and _text(d.get("id"), 80) and _text(d.get("en"), 80) for d in value)
        expected = "0..10 items { id = ..., en = ... }"
    elif spec == "hours":
        ok = isinstance(value, list) and bool(value)
        ok = ok and all(isinstance(h, str) and _HOURS.fullmatch(h.strip()) for h in value)
        expected = "at least one 'mon-fri 08:00-15:00'"
    elif isinstance(spec, tuple):
        ok, expected = _int(value) and spec[0] <= value <= spec[1], f"an integer {spec[0]}..{spec[1]}"
    else:
        ok, expected = _text(value, spec), f"text, 1..{spec} characters on one line"
    return None if ok else f"{where}: expected {expected}, got {_show(value)}"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:36] + "...'"


def _tables(raw: dict, key: str, where: str, problems: list[str]) -> list[dict]:
    found = raw.get(key, [])
    if not isinstance(found, list) or not all(isinstance(t, dict) for t in found):
        problems.append(f"{where}{key}: expected [[{key}]] tables, got {_show(found)}")
        return []
    return found


def problems(text: str) -> list[str]:
    """What is wrong with the catalog text (empty: nothing central can see)."""
    if unstorable(text):
        return ["the catalog holds a NUL character"]
    if len(text.encode("utf-8")) > MAX_BYTES:
        return [f"the catalog is larger than {MAX_BYTES // 1024} KiB"]
    try:
        raw = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        return [f"not valid TOML: {exc}"]
    except (ValueError, RecursionError):
        return ["not valid TOML"]
    out: list[str] = []
    for key in raw:
        if key not in _TOP:
            out.append(f"{key}: unknown key (expected one of: {', '.join(_TOP)})")
    if raw.get("version") != FORMAT_VERSION or isinstance(raw.get("version"), bool):
        out.append(
            f"version: expected {FORMAT_VERSION} (the catalog format the kiosks read), got {_show(raw.get('version'))}"
        )
    agencies = _tables(raw, "agency", "", out)
    needs = _tables(raw, "need", "", out)
    if not agencies and "agency" not in raw:
        out.append("agency: expected [[agency]] tables, at least one, got none")
    service_codes: dict[str, str] = {}
    agency_codes: dict[str, str] = {}
    letters: dict[str, tuple[str, Any, Any]] = {}
    held = 0
    for i, agency in enumerate(agencies):
        where = f"agency[{i}]"
        _check_keys(agency, where, _AGENCY, _AGENCY_OPTIONAL, out)
        code = agency.get("code")
        if isinstance(code, str) and (first := agency_codes.setdefault(code, where)) != where:
            out.append(f"{where}.code: duplicate agency code {code} (also {first}.code)")
        services = _tables(agency, "service", f"{where}.", out)
        if not services:
            out.append(f"{where}.service: expected [[agency.service]] tables, at least one, got none")
        held += len(services)
        for j, service in enumerate(services):
            sw = f"{where}.service[{j}]"
            _check_keys(service, sw, _SERVICE, _SERVICE_OPTIONAL, out)
            scode = service.get("code")
            if isinstance(scode, str) and (first := service_codes.setdefault(scode, sw)) != sw:
                out.append(f"{sw}.code: duplicate service code {scode} (also {first}.code)")
            prefix = service.get("prefix")
            if isinstance(prefix, str):
                group = (service.get("counter_group"), service.get("counters"))
                other = letters.setdefault(prefix, (sw, *group))
                if other[1:] != group:
                    out.append(
                        f"{sw}.prefix: letter {prefix} is already used by {other[0]} with another counter_group "
                        "or counters: one letter is one queue"
                    )
    for key, count in (("agencies", len(agencies)), ("services", held)):
        declared = raw.get(key)
        if not _int(declared):
            out.append(f"{key}: expected {key} = N before the first table (this file holds {count})")
        elif declared != count:
            out.append(f"{key}: the file declares {declared} but holds {count}")
    if needs or "needs" in raw:
        declared = raw.get("needs")
        if not _int(declared) or not 0 <= declared <= MAX_NEEDS or declared != len(needs):
            out.append(f"needs: expected needs = {len(needs)} (0..{MAX_NEEDS}), got {_show(declared)}")
    for k, need in enumerate(needs):
        nw = f"need[{k}]"
        for key in ("label_id", "label_en"):
            if problem := _field(f"{nw}.{key}", need.get(key), 40):
                out.append(problem)
        if need.get("service") not in service_codes:
            out.append(f"{nw}.service: expected the code of a service in this file, got {_show(need.get('service'))}")
    return out


def versions(session: Session, hall_code: str) -> list[Catalog]:
    """The hall's catalog versions, newest first."""
    return list(session.scalars(select(Catalog).where(Catalog.hall_code == hall_code).order_by(Catalog.version.desc())))


def version(session: Session, hall_code: str, number: int) -> Catalog:
    found = session.get(Catalog, (hall_code, number))
    if found is None:
        raise CentralError("not_found", f"no catalog version {number} of hall {hall_code}")
    return found


def save(
    session: Session, hall_code: str, text: str, now: datetime, *, by: str, via: str, restored_from: int | None = None
) -> Catalog:
    """Check `text` and store it as the hall's next version (CatalogInvalid listing every problem
    otherwise), for its kiosks' next pull; audited as catalog.saved (or catalog.restored)."""
    halls.get(session, hall_code)
    found = problems(text)
    if found:
        raise CatalogInvalid(found)
    catalog = changes.set_catalog(session, hall_code, text, now, created_by=by)
    detail: dict[str, Any] = {"version": catalog.version, "bytes": len(text.encode("utf-8"))}
    if restored_from is not None:
        detail["restored_from"] = restored_from
    audit.record(
        session,
        now,
        actor=by,
        action="catalog.restored" if restored_from is not None else "catalog.saved",
        via=via,
        hall_code=hall_code,
        detail=detail,
    )
    return catalog


def restore(session: Session, hall_code: str, number: int, now: datetime, *, by: str, via: str) -> Catalog:
    """An older version stored again as the next version (checked like a new one)."""
    old = version(session, hall_code, number)
    return save(session, hall_code, old.toml, now, by=by, via=via, restored_from=number)


def to_json(c: Catalog, *, with_toml: bool = False) -> dict[str, Any]:
    from central.timezones import iso_utc

    out: dict[str, Any] = {
        "version": c.version,
        "created_at": iso_utc(c.created_at),
        "created_by": c.created_by,
        "bytes": len(c.toml.encode("utf-8")),
    }
    if with_toml:
        out["toml"] = c.toml
    return out
