"""The hall configuration central pushes with the pull (a `config` change, sync/engine/apply.py): a
small allow-list of settings a hall sets for all its kiosks, kept in DATA_DIR/central-config.json
with its version, and merged OVER the kiosk's own config file by `kiosk.config.load`:

    built-in defaults  <  the config file (--config)  <  central's hall config

Only the keys of `ALLOWED` are taken; each is checked with the kiosk's own RULES (kiosk/config.py)
and types. A version with any key not allowed or out of range, or one that breaks a check across
keys with the local settings (countdown shorter than the inactivity timeout), is refused WHOLE:
logged, recorded, and the version in force stays. A central-config.json that is damaged or fails
the checks at start (the local file changed since) is ignored, logged, and the local settings
apply: central's configuration never stops a kiosk from starting.

`supervisor.pin_hash` is how supervisor PINs come from central: the supervisor's PIN gate
(kiosk/pin.py) reads the value here each time the PIN pad opens, so a new PIN works without a
restart.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

log = logging.getLogger("kiosk.config")

FILE_NAME = "central-config.json"
#: The keys a hall may set centrally (central/repo/hall_config.py holds the same list).
ALLOWED = (
    "timeouts.inactivity_seconds",
    "timeouts.countdown_seconds",
    "timeouts.ticket_seconds",
    "speech.enabled",
    "speech.rate",
    "speech.volume",
    "face.threshold",
    "face.challenges",
    "face.enrol",
    "hall.always_open",
    "supervisor.pin_hash",
)
#: Biggest file read (a handful of keys: anything larger is not ours).
MAX_BYTES = 64 * 1024


def path_of(data_dir: Path | str) -> Path:
    return Path(data_dir) / FILE_NAME


def check(values: Any) -> tuple[dict[str, Any], list[str]]:
    """The values typed as the kiosk's settings, and the problems (empty: all accepted), each
    key checked with kiosk/config.py's RULES and the key's type."""
    from dataclasses import fields

    from kiosk.config import _SECTION_CLASSES, RULES, show_value

    if not isinstance(values, dict):
        return {}, ["settings: expected an object"]
    out: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in values.items():
        if key not in ALLOWED:
            problems.append(f"{str(key)[:60]}: not a key central may set (one of: {', '.join(ALLOWED)})")
            continue
        section, name = key.split(".")
        kind = {f.name: type(getattr(_SECTION_CLASSES[section](), f.name)) for f in fields(_SECTION_CLASSES[section])}
        expected = kind[name]
        ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if expected is float and isinstance(value, float) and not math.isfinite(value):
            ok = False
        rule = RULES.get(key)
        if not ok or (rule is not None and not rule.accepts(value)):
            what = rule.expected if rule is not None else f"a value of type {expected.__name__}"
            problems.append(f"{key}: expected {what}, got {show_value(value)}")
            continue
        out[key] = float(value) if expected is float else value
    return out, problems


def merge(settings, values: dict[str, Any]):
    """`settings` with the (checked) central values put over it."""
    by_section: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        section, name = key.split(".")
        by_section.setdefault(section, {})[name] = value
    for section, changed in by_section.items():
        settings = replace(settings, **{section: replace(getattr(settings, section), **changed)})
    return settings


def cross_problem(settings) -> str | None:
    """The first check across keys (kiosk/config.py CROSS_CHECKS) the merged settings fail."""
    from kiosk.config import CROSS_CHECKS

    for key, test in CROSS_CHECKS:
        if key.split(".")[0] in ("timeouts", "speech", "face", "hall", "supervisor") and (problem := test(settings)):
            return f"{key}: {problem}"
    return None


def read(data_dir: Path | str) -> dict[str, Any] | None:
    """The stored central config {"version": N, "settings": {...}} as written, or None (none, or
    a damaged file: logged). The values are checked again by the callers that use them."""
    path = path_of(data_dir)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.error("central config %s unreadable (%s): ignored", path, exc.strerror or exc)
        return None
    try:
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_BYTES else None
    except (UnicodeDecodeError, ValueError):
        data = None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or not isinstance(data.get("settings"), dict):
        log.error("central config %s is damaged: ignored", path)
        return None
    return data


def version_in_force(data_dir: Path | str) -> int | None:
    data = read(data_dir)
    return data["version"] if data is not None else None


def write(data_dir: Path | str, version: int, values: dict[str, Any], received_at: str) -> None:
    """Store the version atomically (a crash leaves the old file or the new one, whole)."""
    from kiosk.pin import write_atomically

    write_atomically(path_of(data_dir), {"version": version, "settings": values, "received_at": received_at})


def apply_to(settings, data_dir: Path | str):
    """`settings` (from the local file) with the stored central config over it, and its version;
    the settings unchanged (and None) when there is none or it does not pass (logged)."""
    data = read(data_dir)
    if data is None:
        return settings, None
    values, problems = check(data["settings"])
    if problems:
        log.error("central config version %s ignored: %s", data["version"], "; ".join(problems))
        return settings, None
    merged = merge(settings, values)
    if problem := cross_problem(merged):
        log.error("central config version %s ignored with this config file: %s", data["version"], problem)
        return settings, None
    local = tuple((k, getattr(getattr(settings, k.split(".")[0]), k.split(".")[1])) for k in values)
    return replace(merged, central_config_version=data["version"], central_overridden=local), data["version"]


def supervisor_pin_hash(settings) -> str:
    """The supervisor PIN hash in force now: central's (from the stored file, read now) when it
    sets one, else the config file's. "" when neither has one."""
    data_dir = getattr(settings, "data_dir", None)
    data = read(data_dir) if data_dir is not None else None
    if data is not None and "supervisor.pin_hash" in data["settings"]:
        values, problems = check({"supervisor.pin_hash": data["settings"]["supervisor.pin_hash"]})
        if not problems:
            return values["supervisor.pin_hash"]
    overridden = dict(getattr(settings, "central_overridden", ()))
    if "supervisor.pin_hash" in overridden:
        # The settings were merged at start with a central config that set it, and central no
        # longer does: the config file's own value applies again.
        return overridden["supervisor.pin_hash"] or ""
    section = getattr(settings, "supervisor", None)
    return getattr(section, "pin_hash", "") or ""
