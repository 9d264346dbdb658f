"""Kiosk settings: one frozen object, read from TOML over embedded defaults.

`load(path, demo=...)` checks every value before anything else runs and raises
ConfigError naming the file, the key and what was expected. What each key
accepts is data, in `RULES` (the README's configuration table shows the same
words; a test holds them together), plus the few checks that compare two keys
in `CROSS_CHECKS`. Nothing is read at import.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.clock import ZONES
from kiosk.errors import ConfigError, KioskError


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
    #: Kiosk mode (fullscreen, not --demo) hides the mouse cursor on the touch screen (ui/lockdown.py).
    hide_cursor: bool = True


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
    #: False for a printer model that cannot report paper/cover status; its tickets are then
    #: recorded as unconfirmed rather than printed.
    reports_status: bool = True


@dataclass(frozen=True)
class CentralSettings:
    """[central]: the central MPP service (empty: none)."""

    url: str = ""


@dataclass(frozen=True)
class CatalogSettings:
    """[catalog]: the hall's service catalog file (empty: the shipped one)."""

    path: str = ""


@dataclass(frozen=True)
class SpeechSettings:
    """[speech]: spoken prompts and the ticket number read aloud (devices/speech.py, ui/speech.py)."""

    enabled: bool = True
    engine: str = "auto"  # auto (Qt's voice, else espeak-ng) | qt | espeak | none
    rate: int = 150  # words per minute
    volume: int = 100  # percent


@dataclass(frozen=True)
class ScannerSettings:
    """[scanner]: the barcode/QR scanner (devices/scanner.py); `--demo` uses a simulated one."""

    kind: str = "wedge"  # wedge (USB keyboard) | serial | camera | simulated | none
    port: str = "/dev/ttyACM0"  # kind = "serial"
    baudrate: int = 9600
    suffix: str = "CR"  # what ends a code on the serial line: CR | LF | CRLF | TAB | none (silence)
    idle_ms: int = 100  # suffix = "none": a code ends after this much silence
    aim_prefix: bool = False  # the scanner starts each code with its AIM id (]Q1, ]C0, ]E0 ...)
    repeat_seconds: float = 3.0  # the same code again within this is one scan
    wedge_max_gap_ms: int = 35  # keys closer than this are a scanner's burst
    wedge_min_length: int = 4  # characters before Enter for a burst to be a scan


@dataclass(frozen=True)
class TechnicianSettings:
    """[technician]: the way in to the diagnostics screen at the kiosk (kiosk/pin.py)."""

    pin_hash: str = ""  # from `kiosk pin hash`; empty: no way in at the kiosk (`kiosk diag` in a shell)


@dataclass(frozen=True)
class SupervisorSettings:
    """[supervisor]: the way in to the supervisor screen at the kiosk (kiosk/pin.py, kiosk/flow/supervisor.py)."""

    pin_hash: str = ""  # from `kiosk pin hash`; empty: only a signed supervisor badge QR opens it


@dataclass(frozen=True)
class CameraSettings:
    """[camera]: the camera for face identity, QR codes and the technician's preview (devices/camera.py)."""

    kind: str = "opencv"  # opencv | simulated | none
    source: str = "/dev/video0"  # a device index ("0"), a device path, a stream URL or a video/image file
    width: int = 640  # asked of a real camera; files play at their own size
    height: int = 480
    fps: int = 30  # asked of a real camera; images and the test pattern are handed out at this rate
    mirror: bool = True  # the preview shows a mirror image (frames themselves are never mirrored)
    stale_seconds: float = 3.0  # no frame for this long: the camera is ERROR


@dataclass(frozen=True)
class FaceSettings:
    """[face]: face identity (kiosk/face/; README, "Face recognition")."""

    threshold: float = 0.5  # the largest encoding distance that is the same person (calibrated)
    frames: int = 3  # consecutive frames that must agree before a decision
    detect_width: int = 640  # the detector sees a copy this wide
    min_face_px: int = 80  # a smaller face (in the camera frame) is "too small"
    key_file: str = ""  # the template key; empty: DATA_DIR/face.key
    challenges: int = 2  # liveness challenges (blink, turn left, turn right) asked, in random order
    enrol: bool = True  # offer a visitor who proved who they are with an account QR to enrol their face


@dataclass(frozen=True)
class Settings:
    """Everything the kiosk is configured with; frozen, validated by `load`."""

    hall: HallSettings = HallSettings()
    kiosk: KioskSettings = KioskSettings()
    timeouts: TimeoutSettings = TimeoutSettings()
    printer: PrinterSettings = PrinterSettings()
    central: CentralSettings = CentralSettings()
    catalog: CatalogSettings = CatalogSettings()
    speech: SpeechSettings = SpeechSettings()
    camera: CameraSettings = CameraSettings()
    face: FaceSettings = FaceSettings()
    scanner: ScannerSettings = ScannerSettings()
    technician: TechnicianSettings = TechnicianSettings()
    supervisor: SupervisorSettings = SupervisorSettings()
    demo: bool = False
    data_dir: Path = Path(".")
    source: str = "(built-in defaults)"
    #: The hall config version from central merged over the file (kiosk/central_config.py), and
    #: the file's own values of the keys it set ("section.key", value); None / () without one.
    central_config_version: int | None = None
    central_overridden: tuple = ()

    @property
    def tz(self):
        """The hall's time zone."""
        return ZONES[self.hall.timezone]


SECTIONS = {
    f.name: f.type
    for f in fields(Settings)
    if f.name not in ("demo", "data_dir", "source", "central_config_version", "central_overridden")
}
_SECTION_CLASSES = {
    "hall": HallSettings,
    "kiosk": KioskSettings,
    "timeouts": TimeoutSettings,
    "printer": PrinterSettings,
    "central": CentralSettings,
    "catalog": CatalogSettings,
    "speech": SpeechSettings,
    "camera": CameraSettings,
    "face": FaceSettings,
    "scanner": ScannerSettings,
    "technician": TechnicianSettings,
    "supervisor": SupervisorSettings,
}
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", float: "a number"}

#: Biggest config or catalog file read (a wrong path such as /dev/zero must not fill memory).
MAX_FILE_BYTES = 4 * 1024 * 1024

# --- what values look like -------------------------------------------------------------------

_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def is_text(max_chars: int) -> Callable[[str], bool]:
    """Text a person wrote: not blank, at most `max_chars`, no control characters."""

    def check(value: str) -> bool:
        return bool(value.strip()) and len(value) <= max_chars and not _has_control(value)

    return check


def _has_control(value: str) -> bool:
    return any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value)


def is_host(value: str) -> bool:
    """A host name (RFC 1123 labels) or an IPv4/IPv6 address."""
    import ipaddress  # only when a host is configured: it costs 5 ms at start-up

    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        pass
    labels = value.split(".")
    if len(value) > 253 or all(label.isdigit() for label in labels):
        return False  # all digits: a mistyped IPv4 address such as 192.168.1.300
    return all(_LABEL.fullmatch(label) for label in labels)


def _is_url(value: str) -> bool:
    if value == "":
        return True
    if _has_control(value) or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and is_host(parts.hostname) and port != 0


def _optional(check: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda value: value == "" or check(value)


@cache
def escpos_profiles() -> frozenset[str]:
    """The printer profile names python-escpos knows, from its capabilities.json (read once, by
    the ticket encoder, without importing escpos). Empty when the file cannot be read; the
    profile is then not checked here."""
    from kiosk.escpos_encode import capabilities

    try:
        return frozenset(str(name) for name in capabilities()["profiles"])
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()


def _similar_profile(value: str) -> str | None:
    from difflib import get_close_matches  # only for an error message

    by_lower = {name.lower(): name for name in escpos_profiles()}
    close = get_close_matches(value.lower(), by_lower, 1, 0.75)
    return by_lower[close[0]] if close else None


def _is_profile(value: str) -> bool:
    known = escpos_profiles()
    return not known or value in known


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """What one key accepts; `expected` is the wording of the error and of the README table."""

    expected: str
    low: int | float | None = None
    high: int | float | None = None
    choices: tuple = ()
    test: Callable[[Any], bool] | None = None

    def accepts(self, value: Any) -> bool:
        """Whether `value` (already of the key's type) is acceptable."""
        if self.low is not None and not (self.low <= value <= self.high):  # also false for nan
            return False
        if self.choices and value not in self.choices:
            return False
        return self.test is None or self.test(value)


BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)
PRINTER_KINDS = ("file", "network", "usb", "serial", "none")
SPEECH_ENGINES = ("auto", "qt", "espeak", "none")
CAMERA_KINDS = ("opencv", "simulated", "none")
SCANNER_KINDS = ("wedge", "serial", "camera", "simulated", "none")
SCANNER_SUFFIXES = ("CR", "LF", "CRLF", "TAB", "none")

#: What `kiosk pin hash` prints (kiosk/pin.py HASH_SHAPE; argon2 is not imported to check it).
_PIN_HASH = re.compile(r"\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+")

#: Every key's accepted values ("section.key" -> Rule); booleans need no rule.
RULES: dict[str, Rule] = {
    "hall.name": Rule("the hall's name, 1..60 characters on one line", test=is_text(60)),
    "hall.code": Rule("2..8 characters A-Z or 0-9", test=lambda v: bool(re.fullmatch(r"[A-Z0-9]{2,8}", v))),
    "hall.timezone": Rule("one of " + ", ".join(ZONES), choices=tuple(ZONES)),
    "kiosk.id": Rule(
        "1..40 characters a-z, A-Z, 0-9, '.', '_' or '-' (no spaces)",
        test=lambda v: bool(re.fullmatch(r"[A-Za-z0-9._-]{1,40}", v)),
    ),
    "kiosk.short_code": Rule(
        "1-2 characters 0-9 or A-Z, unique in the hall", test=lambda v: bool(re.fullmatch(r"[0-9A-Z]{1,2}", v))
    ),
    "kiosk.language": Rule("one of id, en", choices=("id", "en")),
    "timeouts.inactivity_seconds": Rule("10..3600 seconds", 10, 3600),
    "timeouts.countdown_seconds": Rule("1..3599 seconds, less than timeouts.inactivity_seconds", 1, 3599),
    "timeouts.ticket_seconds": Rule("5..600 seconds", 5, 600),
    "printer.kind": Rule("one of " + ", ".join(PRINTER_KINDS), choices=PRINTER_KINDS),
    "printer.profile": Rule("a python-escpos printer profile, e.g. TM-T88V, TM-T20II, default", test=_is_profile),
    "printer.columns": Rule("32..64 characters per line (42 or 48 for 80 mm paper)", 32, 64),
    "printer.host": Rule('a host name or IP address (required when kind = "network")', test=_optional(is_host)),
    "printer.port": Rule("a TCP port, 1..65535", 1, 65535),
    "printer.usb_vendor": Rule("a USB vendor id, 0..0xFFFF (from lsusb)", 0, 0xFFFF),
    "printer.usb_product": Rule("a USB product id, 0..0xFFFF (from lsusb)", 0, 0xFFFF),
    "printer.serial_port": Rule(
        'a serial device path, e.g. /dev/ttyUSB0 (required when kind = "serial")', test=_optional(is_text(255))
    ),
    "printer.baudrate": Rule("one of " + ", ".join(map(str, BAUDRATES)), choices=BAUDRATES),
    "printer.timeout_seconds": Rule("a finite number of seconds, 0.1..60", 0.1, 60),
    "central.url": Rule('"" (none) or an http:// or https:// address', test=_is_url),
    "catalog.path": Rule(
        '"" (the shipped catalog) or the path of an existing catalog file', test=_optional(is_text(4096))
    ),
    "speech.engine": Rule("one of " + ", ".join(SPEECH_ENGINES), choices=SPEECH_ENGINES),
    "speech.rate": Rule("80..300 words per minute", 80, 300),
    "speech.volume": Rule("0..100 percent", 0, 100),
    "camera.kind": Rule("one of " + ", ".join(CAMERA_KINDS), choices=CAMERA_KINDS),
    "camera.source": Rule(
        'a device index ("0"), a device path, an rtsp:// or http:// address or a video or image file '
        '(required unless kind = "simulated")',
        test=_optional(is_text(4096)),
    ),
    "camera.width": Rule("160..3840 pixels", 160, 3840),
    "camera.height": Rule("120..2160 pixels", 120, 2160),
    "camera.fps": Rule("1..60 frames per second", 1, 60),
    "camera.stale_seconds": Rule("a finite number of seconds, 0.2..60", 0.2, 60),
    "face.threshold": Rule("a distance, 0.2..0.9 (calibrated default 0.5; face_recognition's own is 0.6)", 0.2, 0.9),
    "face.frames": Rule("1..30 consecutive frames", 1, 30),
    "face.detect_width": Rule("320..1920 pixels", 320, 1920),
    "face.min_face_px": Rule("40..1000 pixels", 40, 1000),
    "face.key_file": Rule('"" (DATA_DIR/face.key) or a file path', test=_optional(is_text(255))),
    "face.challenges": Rule("1..3 liveness challenges", 1, 3),
    "face.enrol": Rule("true or false", test=lambda v: isinstance(v, bool)),
    "technician.pin_hash": Rule(
        '"" (no technician screen at the kiosk) or the argon2id hash printed by `kiosk pin hash`',
        test=lambda v: v == "" or bool(_PIN_HASH.fullmatch(v)),
    ),
    "supervisor.pin_hash": Rule(
        '"" (only a supervisor badge QR opens the supervisor screen) or the argon2id hash printed by `kiosk pin hash`',
        test=lambda v: v == "" or bool(_PIN_HASH.fullmatch(v)),
    ),
    "scanner.kind": Rule("one of " + ", ".join(SCANNER_KINDS), choices=SCANNER_KINDS),
    "scanner.port": Rule('a serial device path, e.g. /dev/ttyACM0 (used when kind = "serial")', test=is_text(255)),
    "scanner.baudrate": Rule("one of " + ", ".join(map(str, BAUDRATES)), choices=BAUDRATES),
    "scanner.suffix": Rule("one of " + ", ".join(SCANNER_SUFFIXES), choices=SCANNER_SUFFIXES),
    "scanner.idle_ms": Rule('10..2000 ms of silence that end a code (suffix = "none")', 10, 2000),
    "scanner.repeat_seconds": Rule("a finite number of seconds, 0..60 (0: every read counts)", 0, 60),
    "scanner.wedge_max_gap_ms": Rule("5..200 ms between a scanner's keys", 5, 200),
    "scanner.wedge_min_length": Rule("1..64 characters", 1, 64),
}


def _check_countdown(s: Settings) -> str | None:
    t = s.timeouts
    if t.countdown_seconds >= t.inactivity_seconds:
        return (
            f"expected fewer seconds than timeouts.inactivity_seconds ({t.inactivity_seconds}), "
            f"got {t.countdown_seconds}"
        )
    return None


def _check_host(s: Settings) -> str | None:
    if s.printer.kind == "network" and not s.printer.host:
        return 'expected a host name or IP address: kind = "network" needs one'
    return None


def _check_serial_port(s: Settings) -> str | None:
    if s.printer.kind == "serial" and not s.printer.serial_port:
        return 'expected a serial device path such as /dev/ttyUSB0: kind = "serial" needs one'
    return None


def _check_catalog_path(s: Settings) -> str | None:
    path = s.catalog.path
    if path and not Path(path).is_file():
        return f"expected the path of an existing catalog file, got {show_value(path)} (no such file)"
    return None


def _check_camera_source(s: Settings) -> str | None:
    c = s.camera
    if c.kind == "opencv" and not c.source.strip():
        return 'expected a device index, device path, stream address or file: kind = "opencv" needs one'
    if c.kind == "simulated" and c.source and not Path(c.source).expanduser().is_file():
        return f"expected the path of an existing video or image file, got {show_value(c.source)} (no such file)"
    return None


#: Checks that compare keys with each other, run on the whole (file + defaults) settings.
CROSS_CHECKS: tuple[tuple[str, Callable[[Settings], str | None]], ...] = (
    ("timeouts.countdown_seconds", _check_countdown),
    ("printer.host", _check_host),
    ("printer.serial_port", _check_serial_port),
    ("catalog.path", _check_catalog_path),
    ("camera.source", _check_camera_source),
)


# --- reading -----------------------------------------------------------------------------------


def show_value(value: Any) -> str:
    """A value for an error message: one short line whatever it holds."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 64 else "a number larger than 64 bits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        shown = repr(value)
        return shown if len(shown) <= 60 else shown[:56] + "...'"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


def show_key(key: str) -> str:
    """A key from the file for an error message (quoted if it holds odd characters)."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", key) else show_value(key)


def read_toml(path: str | os.PathLike, error: type[KioskError]) -> dict[str, Any]:
    """The TOML file at `path` as a dict; any problem raises `error(file=, key=, problem=)`."""
    file = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise error(file=file, key="-", problem="file not found") from None
    except OSError as exc:
        raise error(file=file, key="-", problem=exc.strerror or str(exc)) from None
    except ValueError as exc:  # a NUL in the path
        raise error(file=file, key="-", problem=f"not a usable file name ({exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise error(file=file, key="-", problem=f"file too large (over {MAX_FILE_BYTES // 1024 // 1024} MiB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise error(
            file=file,
            key=f"line {line}, column {column}",
            problem=f"not valid UTF-8 text (byte 0x{data[exc.start]:02X} at offset {exc.start}); save it as UTF-8",
        ) from None
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        key = f"line {where[1]}, column {where[2]}" if where else "-"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise error(file=file, key=key, problem=f"not valid TOML: {reason}") from None
    except ValueError:  # an integer of more than 4300 digits
        raise error(file=file, key="-", problem="not valid TOML: a number with thousands of digits") from None
    except RecursionError:
        raise error(file=file, key="-", problem="not valid TOML: arrays or tables nested too deeply") from None


def default_data_dir() -> Path:
    """The per-user data folder (KIOSK_DATA_DIR overrides it)."""
    if env := os.environ.get("KIOSK_DATA_DIR"):
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("mpp-kiosk", appauthor=False))


def load(path: str | os.PathLike | None = None, *, demo: bool = False, data_dir: Path | None = None) -> Settings:
    """Settings from `path` (or only the defaults); raises ConfigError on a broken file or value."""
    raw: dict[str, Any] = {}
    source = "(built-in defaults)"
    if path is not None:
        source = str(path)
        raw = read_toml(path, ConfigError)
    sections = {}
    for name, value in raw.items():
        if name not in _SECTION_CLASSES:
            raise ConfigError(
                file=source,
                key=show_key(name),
                problem=f"unknown section (expected one of: {', '.join(_SECTION_CLASSES)})",
            )
        if not isinstance(value, dict):
            raise ConfigError(file=source, key=name, problem=f"expected a [table], got {show_value(value)}")
        sections[name] = _section(source, name, value)
    settings = Settings(**sections, demo=demo, data_dir=data_dir or default_data_dir(), source=source)
    for key, check in CROSS_CHECKS:  # on the values as configured, before --demo replaces any
        if problem := check(settings):
            raise ConfigError(file=source, key=key, problem=problem)
    # Central's hall config (pulled by sync) over the file: defaults < file < central. One that
    # does not pass with this file is ignored and logged, never a reason not to start.
    from kiosk.central_config import apply_to

    settings, _ = apply_to(settings, settings.data_dir)
    if demo:
        # Simulated devices and a hall open around the clock.
        settings = replace(
            settings,
            hall=replace(settings.hall, always_open=True),
            printer=replace(settings.printer, kind="file"),
            kiosk=replace(settings.kiosk, fullscreen=False),
            # The fixture clip (or a test pattern) unless a simulated source is configured.
            camera=replace(
                settings.camera,
                kind="simulated",
                source=settings.camera.source if settings.camera.kind == "simulated" else "",
            ),
            scanner=replace(settings.scanner, kind="simulated"),
        )
    return settings


def _section(source: str, name: str, values: dict[str, Any]):
    cls = _SECTION_CLASSES[name]
    known = {f.name: f for f in fields(cls)}
    defaults = cls()
    kwargs = {}
    for key, value in values.items():
        where = f"{name}.{show_key(key)}"
        if key not in known:
            raise ConfigError(file=source, key=where, problem=f"unknown key (expected one of: {', '.join(known)})")
        expected = type(getattr(defaults, key))
        rule = RULES.get(where)
        ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True  # 5 for 5.0; converted once the range is checked (a huge int would overflow)
        if expected is float and isinstance(value, float) and not math.isfinite(value):
            ok = rule is not None  # nan and inf fail the range, with the range's words
        if not ok:
            what = _TYPE_NAMES[expected] if expected is not float else "a finite number"
            if rule is not None:
                what = f"{what}: {rule.expected}"
            raise ConfigError(file=source, key=where, problem=f"expected {what}, got {show_value(value)}")
        if rule is not None and not rule.accepts(value):
            problem = f"expected {rule.expected}, got {show_value(value)}"
            if where == "printer.profile" and (close := _similar_profile(value)):
                problem += f" (did you mean {close}?)"
            raise ConfigError(file=source, key=where, problem=problem)
        kwargs[key] = float(value) if expected is float else value
    return cls(**kwargs)
