"""Barcode/QR scanners: one event shape, three real sources and a simulated one.

Every scanner hands out a `ScanEvent(text, symbology, source, at)`:

* `WedgeScanner` (source "wedge"): a USB scanner that types like a keyboard. The UI
  feeds it every key; a burst faster than a person types, ending in Enter, is a scan
  and never reaches the focused field (the rule is in `WedgeScanner`'s docstring).
* `devices.scanner_serial.SerialScanner` (source "serial"): a USB-serial (CDC/ACM) or
  RS-232 scanner read through pyserial on its own thread.
* `devices.scanner_camera.CameraScanner` (source "camera"): QR and barcodes decoded
  from the camera's newest frame on its own thread (`devices.decode`).
* `SimulatedScanner` (source "simulated"): the `--demo` scanner; `inject()` scans.

The same text read again within `[scanner] repeat_seconds` is one scan: every source
passes its reads through a `Deduper` (one per kiosk, shared when several sources run).
`on_scan` is called on the scanner's own thread (the UI's thread for the wedge); the UI
re-emits it as a Qt signal. `health()` never raises. Nothing here imports Qt.

Symbologies are named like pyzbar names them: "QRCODE", "CODE128", "EAN13", "EAN8",
"UPCA", "UPCE", "CODE39", "CODE93", "I25", "CODABAR", "DATAMATRIX", "PDF417", "AZTEC",
"DATABAR", else "unknown".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from devices.health import DeviceHealth, Status

OnScan = Callable[["ScanEvent"], None]

UNKNOWN = "unknown"

#: AIM symbology identifiers (ISO/IEC 15424: "]" + code character + modifier) by code
#: character; a modifier is only needed where it changes the symbology (E4 is EAN-8).
AIM_CODES: dict[str, str] = {
    "Q": "QRCODE",
    "C": "CODE128",
    "E": "EAN13",  # E0: EAN-13 / UPC-A; E4: EAN-8 (below)
    "A": "CODE39",
    "G": "CODE93",
    "I": "I25",
    "F": "CODABAR",
    "d": "DATAMATRIX",
    "L": "PDF417",
    "z": "AZTEC",
    "e": "DATABAR",
    "X": UNKNOWN,
}
AIM_MODIFIERS: dict[str, str] = {"E4": "EAN8"}


def parse_aim(text: str) -> tuple[str, str]:
    """(symbology, text without the prefix) for a code that starts with an AIM id, e.g.
    "]Q1MPPQ1|..." -> ("QRCODE", "MPPQ1|..."); a code without one: ("unknown", text)."""
    if len(text) >= 3 and text[0] == "]" and text[1] in AIM_CODES:
        symbology = AIM_MODIFIERS.get(text[1:3], AIM_CODES[text[1]])
        return symbology, text[3:]
    return UNKNOWN, text


@dataclass(frozen=True)
class ScanEvent:
    """One scan: the code's text, its symbology ("QRCODE", "CODE128", ... or "unknown"),
    where it came from ("wedge", "serial", "camera" or "simulated") and when (UTC)."""

    text: str
    symbology: str
    source: str
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class Scanner(Protocol):
    """A barcode/QR scanner: start delivering scans, stop, report health."""

    name: str
    kind: str  # "scanner"

    def start(self, on_scan: OnScan) -> None:
        """Deliver every scan to `on_scan` (on the scanner's own thread) until `stop()`."""
        ...

    def stop(self) -> None:
        """Stop delivering; joins the scanner's thread. Safe to call twice."""
        ...

    def health(self) -> DeviceHealth:
        """Current state; never raises."""
        ...


class Deduper:
    """The same text seen again within `repeat_seconds` of its last sighting is not a new scan.

    The window runs from the last *sighting*, so a QR held in front of the camera for a
    minute is one scan, and a code scanned again after a pause of `repeat_seconds` is a new
    one. Thread-safe (sources on different threads share one). `clock` is monotonic seconds.
    """

    def __init__(self, repeat_seconds: float = 3.0, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.repeat_seconds = repeat_seconds
        self.clock = clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def accept(self, text: str) -> bool:
        """True when `text` is a new scan (and remember it), False for a repeat."""
        now = self.clock()
        with self._lock:
            last = self._seen.get(text)
            self._seen[text] = now
            if len(self._seen) > 256:  # forget what is long past
                self._seen = {t: s for t, s in self._seen.items() if now - s < self.repeat_seconds}
            return last is None or now - last >= self.repeat_seconds


class _Source:
    """What every scanner shares: the callback, the deduper, a count and the last scan."""

    kind = "scanner"
    source = ""

    def __init__(self, *, deduper: Deduper | None = None) -> None:
        self.deduper = deduper or Deduper()
        self._on_scan: OnScan | None = None
        self.scans = 0
        self.last_scan: ScanEvent | None = None

    def _emit(self, text: str, symbology: str = UNKNOWN) -> ScanEvent | None:
        """Hand a read to `on_scan` unless it is empty or a repeat; the event, or None."""
        if not text or not self.deduper.accept(text):
            return None
        event = ScanEvent(text, symbology, self.source)
        self.scans += 1
        self.last_scan = event
        if self._on_scan is not None:
            self._on_scan(event)
        return event

    def _last_scan_words(self) -> str:
        if self.last_scan is None:
            return "no scan yet"
        return f"{self.scans} scan(s), last at {self.last_scan.at.isoformat(timespec='seconds')}"


class SimulatedScanner(_Source):
    """The `--demo` scanner: always OK; `inject(text)` is a scan (tests, diagnostics)."""

    source = "simulated"

    def __init__(self, *, deduper: Deduper | None = None) -> None:
        super().__init__(deduper=deduper)
        self.name = "scanner (simulated)"

    def start(self, on_scan: OnScan) -> None:
        self._on_scan = on_scan

    def stop(self) -> None:
        self._on_scan = None

    def inject(self, text: str, symbology: str = "QRCODE") -> ScanEvent | None:
        """Scan `text` now, on the caller's thread; the event, or None for a repeat."""
        return self._emit(text, symbology)

    def health(self) -> DeviceHealth:
        return DeviceHealth(self.name, self.kind, Status.OK, f"simulated; {self._last_scan_words()}")


#: What the UI passes for Enter (Qt's Key_Return and Key_Enter give "\r").
ENTER_KEYS = frozenset({"\r", "\n", "\r\n"})


class WedgeScanner(_Source):
    """A keyboard-wedge scanner, told apart from a person typing by timing alone (no Qt here).

    The UI's application-wide key filter calls `feed(key_text, at)` for every key press
    (`at` in monotonic seconds; modifier keys, whose text is "", are ignored) and then
    `release(now)`, and types whatever `release` returns into the focused field *before*
    delivering the key itself when `feed` returned False. It also arms a single-shot timer
    for `deadline()` and calls `release(now)` when it fires.

    The rule. A key with text is *held back* (`feed` returns True) while it may belong to a
    scanner's burst: the first such key always, each next one when it comes at most
    `max_gap_ms` after the previous. The held keys are
      * a **scan** when Enter comes at most `max_gap_ms` after the last of them and there are
        at least `min_length` of them: `on_scan` gets their text, the keys and the Enter are
        swallowed (they never reach the field);
      * **typing** otherwise: `release(now)` hands them back, in order, as soon as
        `max_gap_ms` has passed without a next key, or a slower key, a too-short Enter, or a
        control key (Tab, Backspace, Escape...) arrives. Enter alone, Enter after typing and
        control keys are never held (`feed` returns False).
    So a person's key reaches the field at most `max_gap_ms` (default 35 ms) late, which
    nobody notices; scanners send a key every 5-15 ms and people type 80-300 ms apart. A
    person would have to type `min_length` characters and Enter with every gap under 35 ms.
    """

    source = "wedge"

    def __init__(
        self,
        *,
        max_gap_ms: float = 35,
        min_length: int = 4,
        aim_prefix: bool = False,
        deduper: Deduper | None = None,
    ) -> None:
        super().__init__(deduper=deduper)
        self.name = "scanner (keyboard wedge)"
        self.max_gap = max_gap_ms / 1000.0
        self.min_length = min_length
        self.aim_prefix = aim_prefix
        self._held: list[str] = []
        self._last_at = 0.0
        self._released: list[str] = []

    def start(self, on_scan: OnScan) -> None:
        self._on_scan = on_scan

    def stop(self) -> None:
        self._on_scan = None
        self._released.extend(self._held)
        self._held.clear()

    def feed(self, key_text: str, at: float) -> bool:
        """One key press; True: hold it back (a possible scan), False: deliver it now
        (after typing whatever `release` returns). Never raises."""
        if not isinstance(key_text, str) or not key_text:
            return False  # a modifier (Shift between a scanner's capitals): no text, no effect
        in_burst = bool(self._held) and 0 <= at - self._last_at <= self.max_gap
        if key_text in ENTER_KEYS:
            if in_burst and len(self._held) >= self.min_length:
                text = "".join(self._held)
                self._held.clear()
                symbology = UNKNOWN
                if self.aim_prefix:
                    symbology, text = parse_aim(text)
                self._emit(text, symbology)
                return True
            self._release_held()
            return False
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in key_text):
            self._release_held()  # Tab, Backspace, Escape: editing keys, never part of a scan
            return False
        if not in_burst:
            self._release_held()  # a slower key: what was held was typing
        self._held.append(key_text)
        self._last_at = at
        return True

    def release(self, now: float) -> str:
        """Held keys that turned out to be typing, in order, for the UI to type ("" if none)."""
        if self._held and now - self._last_at > self.max_gap:
            self._release_held()
        text = "".join(self._released)
        self._released.clear()
        return text

    def deadline(self) -> float | None:
        """When `release` will hand back the held keys if nothing else comes (monotonic), or None."""
        return self._last_at + self.max_gap + 0.001 if self._held else None

    @property
    def holding(self) -> bool:
        """True while keys are held back."""
        return bool(self._held)

    def _release_held(self) -> None:
        self._released.extend(self._held)
        self._held.clear()

    def health(self) -> DeviceHealth:
        return DeviceHealth(
            self.name,
            self.kind,
            Status.OK,
            f"keyboard wedge (presence cannot be checked; scan to test); {self._last_scan_words()}",
        )


def make_scanner(settings, camera=None, *, deduper: Deduper | None = None) -> Scanner | None:
    """The scanner `[scanner] kind` names (None for "none"); `--demo` gives the simulated one.
    `camera` (anything with `latest()`) is what kind = "camera" decodes from."""
    s = settings.scanner
    deduper = deduper or Deduper(s.repeat_seconds)
    kind = "simulated" if getattr(settings, "demo", False) else s.kind
    if kind == "none":
        return None
    if kind == "simulated":
        return SimulatedScanner(deduper=deduper)
    if kind == "wedge":
        return WedgeScanner(
            max_gap_ms=s.wedge_max_gap_ms, min_length=s.wedge_min_length, aim_prefix=s.aim_prefix, deduper=deduper
        )
    if kind == "serial":
        from devices.scanner_serial import SerialScanner

        return SerialScanner(
            s.port,
            baudrate=s.baudrate,
            suffix=s.suffix,
            idle_ms=s.idle_ms,
            aim_prefix=s.aim_prefix,
            deduper=deduper,
        )
    if kind == "camera":
        from devices.scanner_camera import CameraScanner

        return CameraScanner(camera, deduper=deduper)
    raise ValueError(f"unknown scanner kind {kind!r}")
