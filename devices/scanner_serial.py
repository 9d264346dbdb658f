"""A USB-serial (CDC/ACM) or RS-232 barcode scanner, read through pyserial on its own thread.

The scanner sends each code followed by a suffix (`[scanner] suffix`: CR, LF, CRLF, TAB) or
with none, in which case a code ends after `idle_ms` of silence. `SuffixParser` splits the
byte stream into codes, whatever way it is cut into reads; it never raises. Line noise is
dropped: bytes that are not UTF-8, NULs and other control characters never reach a code, and
a code that is left empty is no code. A stream that never ends a code is cut at `MAX_CODE`
bytes and thrown away.

With `aim_prefix = true` the scanner starts every code with its AIM symbology identifier
("]Q1" QR, "]C0"/"]C1" Code 128, "]E0" EAN-13 ...), which is removed from the text and names
the symbology; without it the symbology is "unknown".

When the port disappears (cable pulled, USB reset) health turns ERROR with the reason and
the time, and the thread tries again after 0.2 s, 0.4 s, ... up to `max_backoff` seconds;
when the port is back it is OK again by itself.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from devices.health import DeviceHealth, Status
from devices.scanner import UNKNOWN, Deduper, OnScan, _Source, parse_aim

log = logging.getLogger(__name__)

SUFFIXES: dict[str, bytes] = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "TAB": b"\t", "none": b""}

#: The longest code kept (a QR holds at most 2953 bytes); a longer run without a suffix is noise.
MAX_CODE = 8192


def clean(raw: bytes) -> str:
    """A code's text from its bytes: UTF-8, with undecodable bytes and control characters dropped."""
    text = raw.decode("utf-8", errors="replace")
    return "".join(ch for ch in text if ch != "\ufffd" and (ord(ch) >= 32 and not 127 <= ord(ch) < 160))


class SuffixParser:
    """Splits a serial byte stream into codes at `suffix` ("CR", "LF", "CRLF", "TAB" or "none").

    `feed(data, now)` returns the codes completed by `data`; with suffix "none",
    `flush(now)` returns the code pending once `idle_seconds` have passed since its last byte.
    Codes come back as cleaned text (see `clean`); empty ones are dropped.
    """

    def __init__(self, suffix: str = "CR", *, idle_seconds: float = 0.1) -> None:
        if suffix not in SUFFIXES:
            raise ValueError(f"unknown suffix {suffix!r}; one of {', '.join(SUFFIXES)}")
        self.suffix = suffix
        self.sep = SUFFIXES[suffix]
        self.idle_seconds = idle_seconds
        self._buf = bytearray()
        self._last = 0.0
        self.dropped = 0  # overlong runs thrown away

    def feed(self, data: bytes, now: float = 0.0) -> list[str]:
        codes: list[str] = []
        if not data:
            return codes
        if not self.sep and self._buf and now - self._last >= self.idle_seconds:
            codes += self.flush(now)
        self._buf += data
        self._last = now
        if self.sep:
            while (i := self._buf.find(self.sep)) >= 0:
                raw = bytes(self._buf[:i])
                del self._buf[: i + len(self.sep)]
                if text := clean(raw):
                    codes.append(text)
        if len(self._buf) > MAX_CODE:
            self._buf.clear()
            self.dropped += 1
        return codes

    def flush(self, now: float) -> list[str]:
        """With suffix "none": the pending code once the line has been quiet long enough."""
        if self.sep or not self._buf or now - self._last < self.idle_seconds:
            return []
        raw = bytes(self._buf)
        self._buf.clear()
        text = clean(raw)
        return [text] if text else []

    @property
    def pending(self) -> bool:
        return bool(self._buf)


class SerialScanner(_Source):
    """A scanner on a serial port (`/dev/ttyACM0`, `/dev/ttyUSB0`, a /dev/serial/by-id/ link)."""

    source = "serial"

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        suffix: str = "CR",
        idle_ms: int = 100,
        aim_prefix: bool = False,
        deduper: Deduper | None = None,
        min_backoff: float = 0.2,
        max_backoff: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(deduper=deduper)
        self.port, self.baudrate, self.aim_prefix = port, baudrate, aim_prefix
        self.parser = SuffixParser(suffix, idle_seconds=idle_ms / 1000.0)
        self.min_backoff, self.max_backoff = min_backoff, max_backoff
        self.clock = clock
        self.name = f"scanner (serial {port})"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._tried = threading.Event()  # the thread's first open attempt is over
        self._state = (Status.ABSENT, "not started", datetime.now(UTC))
        self.connects = 0

    # --- the thread --------------------------------------------------------------------------

    def start(self, on_scan: OnScan) -> None:
        if self._thread is not None:
            return
        self._on_scan = on_scan
        self._stop.clear()
        self._tried.clear()
        self._set(Status.WARNING, f"opening {self.port}")
        self._thread = threading.Thread(target=self._run, name="scanner-serial", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(3)
            self._thread = None
        self._on_scan = None
        self._set(Status.ABSENT, "stopped")

    def _open(self):
        import serial

        return serial.Serial(self.port, self.baudrate, timeout=0.05)

    def _run(self) -> None:
        backoff = self.min_backoff
        while not self._stop.is_set():
            try:
                port = self._open()
            except Exception as exc:  # SerialException, OSError, ValueError: all mean "not there"
                self._set_error(f"cannot open {self.port}: {_why(exc)}")
                self._tried.set()
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            backoff = self.min_backoff
            self.connects += 1
            self._set(Status.OK, f"connected to {self.port} at {self.baudrate} baud; {self._last_scan_words()}")
            self._tried.set()
            log.info("scanner: %s connected", self.port)
            try:
                self._read(port)
            except Exception as exc:
                self._set_error(f"{self.port} disconnected: {_why(exc)}")
                self._stop.wait(backoff)
            finally:
                with contextlib.suppress(Exception):  # the device is gone already
                    port.close()

    def _read(self, port) -> None:
        while not self._stop.is_set():
            data = port.read(max(1, port.in_waiting))
            now = self.clock()
            codes = self.parser.feed(data, now) if data else self.parser.flush(now)
            for text in codes:
                symbology = UNKNOWN
                if self.aim_prefix:
                    symbology, text = parse_aim(text)
                if self._emit(text, symbology):
                    self._set(Status.OK, f"connected to {self.port}; {self._last_scan_words()}")

    # --- health ------------------------------------------------------------------------------

    def _set(self, status: Status, reason: str) -> None:
        self._state = (status, reason, datetime.now(UTC))

    def _set_error(self, reason: str) -> None:
        if self._state[0] != Status.ERROR or self._state[1] != reason:
            log.warning("scanner: %s", reason)
            self._set(Status.ERROR, reason)

    def health(self) -> DeviceHealth:
        """While running: the reading thread's state (ERROR since `checked_at` while the port is
        gone; just after `start`, up to 1 s for the first open to finish). Not started: whether
        the port opens now."""
        try:
            if self._thread is None:
                try:
                    self._open().close()
                except Exception as exc:
                    return DeviceHealth(self.name, self.kind, Status.ERROR, f"cannot open {self.port}: {_why(exc)}")
                return DeviceHealth(self.name, self.kind, Status.OK, f"{self.port} opens (not listening)")
            self._tried.wait(1.0)
            status, reason, since = self._state
            return DeviceHealth(self.name, self.kind, status, reason, since)
        except Exception as exc:  # health never raises
            return DeviceHealth(self.name, self.kind, Status.ERROR, f"{type(exc).__name__}: {exc}")


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc)
    # pyserial: "[Errno 2] could not open port /dev/x: [Errno 2] No such file or directory: '/dev/x'"
    if "] " in text:
        text = text.rsplit("] ", 1)[-1].split(":")[0]
    return text or type(exc).__name__
