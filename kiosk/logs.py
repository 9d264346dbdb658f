"""The kiosk's log for technicians: DATA_DIR/logs/kiosk.log, rotated, no personal data.

Every line starts with the hall's local time and zone (`2026-11-24 09:00:00.123 +07:00 WIB`), so a
technician reads it against the hall clock. What is written:

* one line when a process starts (`started: ...`) and one when it stops cleanly
  (`stopped: ...`, also after SIGTERM; a kill -9 or power cut leaves no stop line, which is itself
  the sign);
* one line when a device's state changes (`DeviceStateLog.note`), not one per poll;
* warnings and errors from every part.

No personal data: the code logs ticket numbers and codes, never a NIK, a name or a face; as a
safety net `NoPersonalData` masks any run of 16 digits (the shape of a NIK) before it is written.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from datetime import datetime, tzinfo
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_NAME = "kiosk.log"
#: Rotation: this many bytes per file, this many old files kept.
MAX_BYTES = 1 << 20
BACKUPS = 5

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
NIK_MASK = "[NIK removed]"

log = logging.getLogger("kiosk")


class HallTimeFormatter(logging.Formatter):
    """Timestamps in the hall's time zone, with the offset and the zone's name."""

    def __init__(self, fmt: str = FORMAT, *, tz: tzinfo | None = None) -> None:
        super().__init__(fmt)
        self.tz = tz

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        when = datetime.fromtimestamp(record.created, self.tz).astimezone(self.tz)
        offset = when.strftime("%z")
        offset = f"{offset[:3]}:{offset[3:]}" if offset else ""
        name = when.tzname() or ""
        zone = f" {name}" if name and not name.startswith(("UTC", "+", "-")) else ""
        return f"{when:%Y-%m-%d %H:%M:%S}.{int(record.msecs):03d} {offset}{zone}"


class NoPersonalData(logging.Filter):
    """Masks anything shaped like a NIK (16 digits in a row) in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is logging's problem, not ours
            return True
        if _NIK.search(message):
            record.msg, record.args = _NIK.sub(NIK_MASK, message), None
        return True


def log_path(data_dir: Path) -> Path:
    """Where the log file is."""
    return Path(data_dir) / "logs" / LOG_NAME


def setup(data_dir: Path, *, tz: tzinfo | None = None, level: int = logging.INFO) -> Path | None:
    """Log to a rotating file (5 x 1 MiB) with hall-time stamps (`tz`: the hall's zone, usually
    `settings.tz`); returns its path, or None when the folder is not writable. Calling it again
    for the same file adds no second handler."""
    path = log_path(data_dir)
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path.resolve():
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(HallTimeFormatter(tz=tz))
    handler.addFilter(NoPersonalData())
    root.addHandler(handler)
    root.setLevel(level)
    return path


def started(settings, what: str) -> None:
    """The start line: which program, hall, kiosk, config, version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        app = version("mpp-kiosk")
    except PackageNotFoundError:
        app = "unknown"
    log.info(
        "started: %s, version %s, hall %s (%s), kiosk %s, config %s",
        what,
        app,
        settings.hall.name,
        settings.hall.code,
        settings.kiosk.id,
        settings.source,
    )


def stopped(what: str, reason: str = "normal exit") -> None:
    """The clean-shutdown line (the last line a clean stop writes)."""
    log.info("stopped: %s (%s)", what, reason)
    for handler in logging.getLogger().handlers:
        try:
            handler.flush()
        except Exception:  # noqa: BLE001, S110 - a closed handler: nothing more to flush
            pass


def tail(data_dir: Path, lines: int = 20) -> list[str]:
    """The last `lines` lines of the log (the current file only); [] when there is none."""
    path = log_path(data_dir)
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - 256 * max(1, lines)))
            data = fh.read()
    except OSError:
        return []
    text = data.decode("utf-8", errors="replace").splitlines()
    if size > 256 * max(1, lines) and text:
        text = text[1:]  # the first line read may be cut in half
    return text[-lines:] if lines > 0 else []


class DeviceStateLog:
    """One log line per device state change: `note(health)` after every poll, it writes only
    when the device's status changed since the last note, with the reason of the new state (a
    reason alone changes at every poll: a camera's frame rate, a frame's age); thread-safe."""

    #: The history file is cut to its newer half past this size (a kiosk runs for years).
    HISTORY_MAX_BYTES = 1_000_000

    def __init__(self, logger: logging.Logger | None = None, history: Path | None = None) -> None:
        self.logger = logger or logging.getLogger("kiosk.devices")
        #: Where each state change is appended as one JSON line (the diagnostics bundle's
        #: health-history.jsonl); None: the log only.
        self.history = history
        self._last: dict[tuple[str, str], tuple[str, str]] = {}
        self._lock = threading.Lock()

    def note(self, health) -> bool:
        """Log `health` (a devices.health.DeviceHealth) if it differs from the last one of its
        device; True when a line was written."""
        key = (health.kind, health.name)
        now = (str(health.status), health.reason)
        with self._lock:
            before = self._last.get(key)
            if before is not None and before[0] == now[0]:
                return False
            self._last[key] = now
        level = logging.INFO if now[0] in ("OK", "ABSENT") else logging.WARNING
        was = f"{before[0]} -> " if before else ""
        self.logger.log(level, "%s %s: %s%s (%s)", health.kind, health.name, was, now[0], health.reason or "-")
        if self.history is not None:
            self._remember(health)
        return True

    def _remember(self, health) -> None:
        """Append the change to the history file; a full disk costs the history, never the kiosk."""
        import json

        line = json.dumps(health.to_json(), ensure_ascii=False) + "\n"
        try:
            with self._lock:
                if self.history.exists() and self.history.stat().st_size > self.HISTORY_MAX_BYTES:
                    kept = self.history.read_bytes()[-self.HISTORY_MAX_BYTES // 2 :]
                    self.history.write_bytes(kept[kept.find(b"\n") + 1 :])
                with self.history.open("a", encoding="utf-8") as fh:
                    fh.write(line)
        except OSError as exc:
            self.logger.warning("device history not written: %s", exc)
