"""Kiosk settings: one frozen object, read from TOML over embedded defaults.

`load(path, demo=...)` raises ConfigError naming the file, the key and what
was expected. Nothing is read at import.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from kiosk.clock import ZONES
from kiosk.errors import ConfigError


@dataclass(frozen=True)
class HallSettings:
    """[hall]: the hall this kiosk stands in."""

    name: str = "MPP Kota Demo"
    code: str = "DEMO"
    timezone: str = "WIB"
    always_open: bool = False


@dataclass(frozen=True)
class KioskSettings:
    """[kiosk]: this kiosk; `short_code` is part of every ticket number."""

    id: str = "kiosk-1"
    short_code: str = "1"
    language: str = "id"
    fullscreen: bool = True


@dataclass(frozen=True)
class TimeoutSettings:
    """[timeouts]: when a walked-away visitor's session is wiped."""

    inactivity_seconds: int = 60
    countdown_seconds: int = 15
    ticket_seconds: int = 30


@dataclass(frozen=True)
class PrinterSettings:
    """[printer]: which receipt printer, and how to reach it."""

    kind: str = "usb"  # file | network | usb | serial | none
    profile: str = "TM-T88V"
    columns: int = 42
    host: str = ""
    port: int = 9100
    usb_vendor: int = 0x04B8
    usb_product: int = 0x0202
    serial_port: str = "/dev/ttyUSB0"
    baudrate: int = 19200
    timeout_seconds: float = 5.0


@dataclass(frozen=True)
class CentralSettings:
    """[central]: the central MPP service (empty: none)."""

    url: str = ""


@dataclass(frozen=True)
class CatalogSettings:
    """[catalog]: the hall's service catalog file (empty: the shipped one)."""

    path: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything the kiosk is configured with; frozen, validated by `load`."""

    hall: HallSettings = HallSettings()
    kiosk: KioskSettings = KioskSettings()
    timeouts: TimeoutSettings = TimeoutSettings()
    printer: PrinterSettings = PrinterSettings()
    central: CentralSettings = CentralSettings()
    catalog: CatalogSettings = CatalogSettings()
    demo: bool = False
    data_dir: Path = Path(".")
    source: str = "(built-in defaults)"

    @property
    def tz(self):
        """The hall's time zone."""
        return ZONES[self.hall.timezone]


SECTIONS = {f.name: f.type for f in fields(Settings) if f.name not in ("demo", "data_dir", "source")}
_SECTION_CLASSES = {
    "hall": HallSettings,
    "kiosk": KioskSettings,
    "timeouts": TimeoutSettings,
    "printer": PrinterSettings,
    "central": CentralSettings,
    "catalog": CatalogSettings,
}
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", float: "a number"}
_CHOICES = {
    ("hall", "timezone"): tuple(ZONES),
    ("kiosk", "language"): ("id", "en"),
    ("printer", "kind"): ("file", "network", "usb", "serial", "none"),
}


def default_data_dir() -> Path:
    """The per-user data folder (KIOSK_DATA_DIR overrides it)."""
    if env := os.environ.get("KIOSK_DATA_DIR"):
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("mpp-kiosk", appauthor=False))


def load(path: str | os.PathLike | None = None, *, demo: bool = False, data_dir: Path | None = None) -> Settings:
    """Settings from `path` (or only the defaults); raises ConfigError on a broken file."""
    raw: dict[str, Any] = {}
    source = "(built-in defaults)"
    if path is not None:
        source = str(path)
        try:
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError(file=source, key="-", problem="file not found") from None
        except OSError as exc:
            raise ConfigError(file=source, key="-", problem=exc.strerror or str(exc)) from None
        except tomllib.TOMLDecodeError as exc:
            where = re.search(r"at line (\d+), column (\d+)", str(exc))
            key = f"line {where[1]}, column {where[2]}" if where else "-"
            reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
            raise ConfigError(file=source, key=key, problem=f"not valid TOML: {reason}") from None
        except UnicodeDecodeError:
            raise ConfigError(file=source, key="-", problem="not valid UTF-8 text") from None
    sections = {}
    for name, value in raw.items():
        if name not in _SECTION_CLASSES:
            raise ConfigError(
                file=source, key=name, problem=f"unknown section (expected one of: {', '.join(_SECTION_CLASSES)})"
            )
        if not isinstance(value, dict):
            raise ConfigError(file=source, key=name, problem="expected a [table]")
        sections[name] = _section(source, name, value)
    settings = Settings(**sections, demo=demo, data_dir=data_dir or default_data_dir(), source=source)
    if demo:
        # Simulated devices and a hall open around the clock.
        settings = replace(
            settings,
            hall=replace(settings.hall, always_open=True),
            printer=replace(settings.printer, kind="file"),
            kiosk=replace(settings.kiosk, fullscreen=False),
        )
    return settings


def _section(source: str, name: str, values: dict[str, Any]):
    cls = _SECTION_CLASSES[name]
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in values.items():
        where = f"{name}.{key}"
        if key not in known:
            raise ConfigError(file=source, key=where, problem=f"unknown key (expected one of: {', '.join(known)})")
        expected = type(getattr(cls(), key))
        ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            raise ConfigError(file=source, key=where, problem=f"expected {_TYPE_NAMES[expected]}, got {value!r}")
        choices = _CHOICES.get((name, key))
        if choices and value not in choices:
            raise ConfigError(file=source, key=where, problem=f"expected one of {', '.join(choices)}, got {value!r}")
        if expected is int and value < 0:
            raise ConfigError(file=source, key=where, problem=f"expected a number >= 0, got {value}")
        kwargs[key] = value
    section = cls(**kwargs)
    if name == "kiosk" and not re.fullmatch(r"[0-9A-Z]{1,2}", section.short_code):
        raise ConfigError(
            file=source,
            key="kiosk.short_code",
            problem=f"expected 1-2 characters 0-9 or A-Z, unique in the hall, got {section.short_code!r}",
        )
    return section
