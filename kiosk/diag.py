"""Technician diagnostics: the checks `kiosk diag` runs headless and the technician screen shows.

    report = run_checks(settings)           # every configured device, then the kiosk's checks
    report.failed                           # a configured device is ERROR: `kiosk diag` exits 1
    print(json.dumps(report.to_json()))     # {"devices": [{name, kind, status, reason, ...}], ...}

Devices (printer, scanner, camera, speech) come from the configuration, one `DeviceHealth` each; a
device configured as `kind = "none"` (or a speech engine switched off) is ABSENT, which is not a
failure. The scanner and camera modules are imported lazily: a build without one reports it ABSENT.

Checks (`Check(name, status, detail, data)`; they inform, only devices decide `failed`):

    central    reachability and latency of `GET /healthz` (short timeout); WARNING when unreachable:
               offline is a normal mode
    sync       backlog (outbox rows central has not acknowledged) and the age of the oldest
    disk       free space where the data folder is (WARNING under DISK_WARN_BYTES, ERROR under
               DISK_ERROR_BYTES)
    store      SQLite's full `PRAGMA integrity_check`, read-only
    versions   app, Python, SQLite, Qt, python-escpos, OpenCV (package metadata: nothing imported)
    log        the last lines of DATA_DIR/logs/kiosk.log

`device_healths(settings, ...)` is the device part alone, for the UI's devices thread and the
heartbeat; `print_test_page` prints the test page; `export_bundle` writes the diagnostics zip.
Nothing here imports Qt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import platform
import shutil
import sqlite3
import time
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from devices.health import DeviceHealth, Status

log = logging.getLogger("kiosk.diag")

#: How long the central check waits for an answer (seconds).
CENTRAL_TIMEOUT = 2.0
#: Free space on the data folder's disk below which the disk check warns / fails.
DISK_WARN_BYTES = 500 * 1024 * 1024
DISK_ERROR_BYTES = 50 * 1024 * 1024
#: How many log lines the report carries.
LOG_LINES = 20
#: How long the camera check waits for a first frame (seconds).
CAMERA_WAIT = 5.0
#: How long a camera that reports ERROR gets to come up before the check stops waiting (seconds).
CAMERA_GRACE = 1.0
#: The device kinds, in the order they are reported.
KINDS = ("printer", "scanner", "camera", "speech")
#: Versions reported, by distribution name.
PACKAGES = {
    "app": ("mpp-kiosk",),
    "qt": ("PySide6", "PySide6_Essentials", "PySide6-Essentials"),
    "python-escpos": ("python-escpos",),
    "opencv": ("opencv-python-headless", "opencv-python"),
}

#: Passed for a device that is not injected: build it from the settings.
_FROM_SETTINGS = object()


@dataclass(frozen=True)
class Check:
    """One non-device check: its name, OK/WARNING/ERROR/ABSENT, a one-line detail, and numbers."""

    name: str
    status: Status
    detail: str
    data: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"name": self.name, "status": str(self.status), "detail": self.detail, **self.data}


@dataclass(frozen=True)
class DiagReport:
    """What `run_checks` found."""

    devices: list[DeviceHealth]
    checks: list[Check]
    at: datetime
    kiosk_id: str = ""
    hall_code: str = ""

    @property
    def failed(self) -> bool:
        """A configured device is ERROR (ABSENT, WARNING and the other checks are not failures)."""
        return any(d.status == Status.ERROR for d in self.devices)

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def to_json(self) -> dict:
        """One object: `devices` [{name, kind, status, reason, checked_at}], `checks`, `failed`."""
        return {
            "kiosk_id": self.kiosk_id,
            "hall_code": self.hall_code,
            "at": self.at.isoformat(timespec="seconds"),
            "failed": self.failed,
            "devices": [d.to_json() for d in self.devices],
            "checks": [c.to_json() for c in self.checks],
        }

    def table(self) -> str:
        """The report as a technician reads it in a terminal."""
        rows = [f"kiosk {self.kiosk_id} (hall {self.hall_code}), {self.at.isoformat(timespec='seconds')}", ""]
        rows.append(f"{'DEVICE':<8} {'STATUS':<8} {'NAME':<34} REASON")
        for d in self.devices:
            rows.append(f"{d.kind:<8} {d.status!s:<8} {d.name:<34} {d.reason}")
        rows.append("")
        rows.append(f"{'CHECK':<8} {'STATUS':<8} DETAIL")
        for c in self.checks:
            if c.name == "log":
                continue
            rows.append(f"{c.name:<8} {c.status!s:<8} {c.detail}")
        log_check = self.check("log")
        if log_check is not None:
            rows.append("")
            rows.append(f"log: {log_check.detail}")
            rows.extend(f"  {line}" for line in log_check.data.get("lines", []))
        rows.append("")
        bad = [d.kind for d in self.devices if d.status == Status.ERROR]
        rows.append(f"FAILED: {', '.join(bad)} not working" if bad else "devices: no errors")
        return "\n".join(rows)


# --- devices -----------------------------------------------------------------------------------


def _absent(kind: str, reason: str) -> DeviceHealth:
    return DeviceHealth(f"{kind} (none)", kind, Status.ABSENT, reason)


def _safe_health(kind: str, device) -> DeviceHealth:
    """The device's own health; a health() that raises (it must not) is an ERROR saying so."""
    try:
        health = device.health()
    except Exception as exc:  # noqa: BLE001 - health never raises; if it does, that is the finding
        return DeviceHealth(getattr(device, "name", kind), kind, Status.ERROR, f"health check failed: {exc!r}"[:200])
    if health is None:
        return _absent(kind, "not configured")
    return health


def _section_kind(settings, section: str) -> str | None:
    """`[section] kind` when the config has that section, else None (a build without it)."""
    part = getattr(settings, section, None)
    return getattr(part, "kind", None) if part is not None else None


def printer_health(settings, printer=_FROM_SETTINGS) -> DeviceHealth:
    """The printer's health; `[printer] kind = "none"` is ABSENT."""
    if printer is _FROM_SETTINGS:
        if settings.printer.kind == "none":
            return _absent("printer", 'not configured ([printer] kind = "none")')
        from kiosk.app import make_printer

        try:
            printer = make_printer(settings)
        except Exception as exc:  # noqa: BLE001 - a broken adapter is a finding, not a crash
            return DeviceHealth("printer", "printer", Status.ERROR, f"adapter failed: {exc}"[:200])
    if printer is None:
        return _absent("printer", 'not configured ([printer] kind = "none")')
    return _safe_health("printer", printer)


def scanner_health(settings, scanner=_FROM_SETTINGS) -> DeviceHealth:
    """The scanner's health (devices.scanner.make_scanner); started for the check, then stopped."""
    if scanner is not _FROM_SETTINGS:
        return _safe_health("scanner", scanner) if scanner is not None else _absent("scanner", "not configured")
    if _section_kind(settings, "scanner") in (None, "none"):
        return _absent("scanner", 'not configured ([scanner] kind = "none")')
    try:
        from devices.scanner import make_scanner
    except ImportError as exc:
        return _absent("scanner", f"no scanner support in this build ({exc.name})")
    camera = None
    try:
        if _section_kind(settings, "scanner") == "camera":  # it reads codes through the camera: open that too
            from devices.camera import make_camera

            camera = make_camera(settings)
            if camera is not None:
                camera.start()
        scanner = make_scanner(settings, camera)
    except Exception as exc:  # noqa: BLE001
        _stop_quietly(camera)
        return DeviceHealth("scanner", "scanner", Status.ERROR, f"could not open: {exc}"[:200])
    if scanner is None:
        _stop_quietly(camera)
        return _absent("scanner", 'not configured ([scanner] kind = "none")')
    started = False
    try:
        with contextlib.suppress(Exception):
            scanner.start(lambda _event: None)
            started = True
        if camera is not None:  # give the camera its first frame, as the camera check does
            began = time.monotonic()
            while camera.latest() is None and time.monotonic() - began < CAMERA_WAIT:
                if time.monotonic() - began > CAMERA_GRACE and _safe_health("camera", camera).status == Status.ERROR:
                    break
                time.sleep(0.05)
        return _safe_health("scanner", scanner)
    finally:
        if started:
            with contextlib.suppress(Exception):
                scanner.stop()
        _stop_quietly(camera)


def _stop_quietly(device) -> None:
    if device is not None:
        with contextlib.suppress(Exception):
            device.stop()


def camera_health(settings, camera=_FROM_SETTINGS, *, wait: float = CAMERA_WAIT) -> DeviceHealth:
    """The camera's health (devices.camera.make_camera): started, given up to `wait` seconds for a
    first frame, asked, stopped. An injected camera is asked as it is (it runs already)."""
    if camera is not _FROM_SETTINGS:
        return _safe_health("camera", camera) if camera is not None else _absent("camera", "not configured")
    if _section_kind(settings, "camera") in (None, "none"):
        return _absent("camera", 'not configured ([camera] kind = "none")')
    try:
        from devices.camera import make_camera
    except ImportError as exc:
        return _absent("camera", f"no camera support in this build ({exc.name})")
    try:
        camera = make_camera(settings)
    except Exception as exc:  # noqa: BLE001
        return DeviceHealth("camera", "camera", Status.ERROR, f"could not open: {exc}"[:200])
    if camera is None:
        return _absent("camera", 'not configured ([camera] kind = "none")')
    try:
        camera.start()
        started = time.monotonic()
        while camera.latest() is None and time.monotonic() - started < wait:
            # an unplugged camera says so at once: after a short grace, do not wait the whole time
            if time.monotonic() - started > CAMERA_GRACE and _safe_health("camera", camera).status == Status.ERROR:
                break
            time.sleep(0.05)
        return _safe_health("camera", camera)
    except Exception as exc:  # noqa: BLE001
        return DeviceHealth(getattr(camera, "name", "camera"), "camera", Status.ERROR, f"{exc}"[:200])
    finally:
        with contextlib.suppress(Exception):
            camera.stop()


def speech_health(settings, speaker=_FROM_SETTINGS) -> DeviceHealth:
    """The headless speaker's health (espeak-ng); switched off is ABSENT."""
    if speaker is not _FROM_SETTINGS:
        return _safe_health("speech", speaker) if speaker is not None else _absent("speech", "not configured")
    from devices.speech import make_speaker

    speaker = make_speaker(settings.speech)
    try:
        return _safe_health("speech", speaker)
    finally:
        with contextlib.suppress(Exception):
            speaker.close()


def device_healths(
    settings,
    *,
    printer=_FROM_SETTINGS,
    scanner=_FROM_SETTINGS,
    camera=_FROM_SETTINGS,
    speaker=_FROM_SETTINGS,
    camera_wait: float = CAMERA_WAIT,
) -> list[DeviceHealth]:
    """Every device's health, printer, scanner, camera, speech, in that order; never raises.

    Pass the devices a running kiosk already holds (the UI's printer, scanner, camera, speaker:
    their own threads keep running; None for one it does not have); a device not passed is built
    from `settings` for the check and closed again (`kiosk diag`). Blocking (a network printer's
    timeout, the camera's first frame): call it off the GUI thread. The result's `to_json()`
    entries are what the sync heartbeat's `devices` carries.
    """
    return [
        printer_health(settings, printer),
        scanner_health(settings, scanner),
        camera_health(settings, camera, wait=camera_wait),
        speech_health(settings, speaker),
    ]


# --- the other checks -------------------------------------------------------------------------


def check_central(settings, *, timeout: float = CENTRAL_TIMEOUT) -> Check:
    """`GET <central>/healthz` with a short timeout: reachable and how fast."""
    url = settings.central.url
    if not url:
        return Check("central", Status.ABSENT, 'not configured ([central] url = "")')
    import httpx

    target = url.rstrip("/") + "/healthz"
    url = public_url(url)  # what is shown: without a user:password part
    started = time.perf_counter()
    try:
        reply = httpx.get(target, timeout=timeout)
    except httpx.HTTPError as exc:
        detail = f"{url} unreachable: {type(exc).__name__}"
        return Check("central", Status.WARNING, detail[:200], {"url": url, "reachable": False})
    ms = (time.perf_counter() - started) * 1000
    data = {"url": url, "reachable": reply.status_code < 500, "latency_ms": round(ms, 1), "http": reply.status_code}
    if reply.status_code >= 400:
        return Check("central", Status.WARNING, f"{url} answered HTTP {reply.status_code} in {ms:.0f} ms", data)
    return Check("central", Status.OK, f"{url} reachable, {ms:.0f} ms", data)


def public_url(url: str) -> str:
    """`url` without a user:password part."""
    from urllib.parse import urlsplit, urlunsplit

    if "@" not in url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return urlunsplit(parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host))


def _store_path(settings) -> Path:
    return Path(settings.data_dir) / "kiosk.sqlite3"


def check_sync(settings, now: datetime) -> Check:
    """Outbox rows central has not acknowledged and the age of the oldest (read-only)."""
    path = _store_path(settings)
    if not path.exists():
        return Check("sync", Status.ABSENT, "no local database yet", {"backlog": 0, "oldest_age_seconds": None})
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
        try:
            count, oldest = conn.execute(
                "SELECT count(*), min(created_at) FROM outbox WHERE acked_at IS NULL"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return Check("sync", Status.ERROR, f"cannot read the outbox: {exc}")
    age = None
    if oldest:
        with contextlib.suppress(ValueError):
            age = max(0, int((now - datetime.fromisoformat(oldest)).total_seconds()))
    data = {"backlog": count, "oldest_age_seconds": age, "central": bool(settings.central.url)}
    if not count:
        return Check("sync", Status.OK, "backlog 0", data)
    where = "" if settings.central.url else " (no central configured: kept locally)"
    status = Status.WARNING if settings.central.url and age is not None and age > 3600 else Status.OK
    return Check("sync", status, f"backlog {count}, oldest {_age(age)}{where}", data)


def _age(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def check_disk(settings) -> Check:
    """Free space on the data folder's disk."""
    folder = Path(settings.data_dir)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        usage = shutil.disk_usage(folder)
    except OSError as exc:
        return Check("disk", Status.ERROR, f"{settings.data_dir}: {exc.strerror or exc}")
    free_mb = usage.free / 1024 / 1024
    data = {"path": str(settings.data_dir), "free_bytes": usage.free, "total_bytes": usage.total}
    detail = f"{free_mb:,.0f} MiB free of {usage.total / 1024**3:,.1f} GiB at {settings.data_dir}"
    if usage.free < DISK_ERROR_BYTES:
        return Check("disk", Status.ERROR, detail + ": tickets cannot be stored soon", data)
    if usage.free < DISK_WARN_BYTES:
        return Check("disk", Status.WARNING, detail, data)
    return Check("disk", Status.OK, detail, data)


def check_store(settings) -> Check:
    """SQLite's full integrity check of the store, read-only."""
    from kiosk.errors import StoreError
    from kiosk.store import check_file

    path = _store_path(settings)
    if not path.exists():
        return Check("store", Status.ABSENT, f"{path}: no local database yet", {"path": str(path)})
    started = time.perf_counter()
    try:
        problems = check_file(path)
    except StoreError as exc:
        return Check("store", Status.ERROR, exc.message, {"path": str(path)})
    ms = (time.perf_counter() - started) * 1000
    data = {"path": str(path), "problems": problems, "ms": round(ms, 1)}
    if problems:
        return Check("store", Status.ERROR, f"DAMAGED: {problems[0]}", data)
    return Check("store", Status.OK, f"integrity_check ok ({ms:.0f} ms)", data)


def versions() -> dict[str, str]:
    """App, Python, SQLite and library versions, from package metadata (nothing imported)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for key, dists in PACKAGES.items():
        out[key] = "-"
        for dist in dists:
            try:
                out[key] = version(dist)
                break
            except PackageNotFoundError:
                continue
    return out


def check_central_config(settings) -> Check:
    """The hall config from central (kiosk/central_config.py): the version in force, the one stored."""
    from kiosk.central_config import read

    merged = getattr(settings, "central_config_version", None)
    data = read(settings.data_dir)
    stored = data["version"] if data is not None else None
    info = {"version_in_force": merged, "version_stored": stored, "keys": sorted(data["settings"]) if data else []}
    if stored is None:
        return Check("config", Status.OK, "no hall config from central: the config file alone", info)
    if stored != merged:
        return Check("config", Status.OK, f"central config version {stored} stored, in force at the next start", info)
    return Check("config", Status.OK, f"central config version {stored} in force ({', '.join(info['keys'])})", info)


def check_versions() -> Check:
    v = versions()
    detail = ", ".join(f"{k} {val}" for k, val in v.items())
    return Check("versions", Status.OK, detail, {"versions": v})


def check_log(settings, lines: int = LOG_LINES) -> Check:
    """The tail of the technicians' log."""
    from kiosk import logs

    path = logs.log_path(settings.data_dir)
    tail = logs.tail(settings.data_dir, lines)
    if not path.exists():
        return Check("log", Status.ABSENT, f"{path}: no log yet", {"path": str(path), "lines": []})
    return Check("log", Status.OK, f"{path}, last {len(tail)} line(s)", {"path": str(path), "lines": tail})


def run_checks(
    settings,
    *,
    clock=None,
    printer=_FROM_SETTINGS,
    scanner=_FROM_SETTINGS,
    camera=_FROM_SETTINGS,
    speaker=_FROM_SETTINGS,
    central: bool = True,
    log_lines: int = LOG_LINES,
    camera_wait: float = CAMERA_WAIT,
) -> DiagReport:
    """Every check, headless. Devices not passed are built from `settings` (and closed again);
    `central=False` skips the network check (the technician screen runs it on its own)."""
    now = clock.now() if clock is not None else datetime.now(UTC).astimezone(settings.tz)
    devices = device_healths(
        settings, printer=printer, scanner=scanner, camera=camera, speaker=speaker, camera_wait=camera_wait
    )
    checks = []
    if central:
        checks.append(check_central(settings))
    checks += [check_sync(settings, now), check_disk(settings), check_store(settings), check_versions()]
    checks.append(check_central_config(settings))
    checks.append(check_log(settings, log_lines))
    report = DiagReport(devices, checks, now, settings.kiosk.id, settings.hall.code)
    for d in devices:
        if d.status == Status.ERROR:
            log.warning("diag: %s %s: ERROR (%s)", d.kind, d.name, d.reason)
    return report


# --- test page, snapshot, bundle ------------------------------------------------------------


def print_test_page(settings, printer=_FROM_SETTINGS, *, now: datetime | None = None) -> Check:
    """Print the test page (kiosk.ticket_layout.render_test_page) on the configured printer and
    say what happened: OK printed (confirmed), WARNING sent unconfirmed, ERROR with the reason.
    `settings` may be a Kiosk: its settings and its printer are used."""
    from kiosk.errors import PrinterError
    from kiosk.ticket_layout import render_test_page

    if hasattr(settings, "printer") and hasattr(settings, "settings"):  # a Kiosk: its printer, its settings
        settings, printer = settings.settings, (settings.printer if printer is _FROM_SETTINGS else printer)
    if printer is _FROM_SETTINGS:
        from kiosk.app import make_printer

        printer = make_printer(settings)
    if printer is None:
        return Check("print-test", Status.ABSENT, 'no printer configured ([printer] kind = "none")')
    now = now or datetime.now(UTC).astimezone(settings.tz)
    data = render_test_page(settings, now=now)
    job = f"test-page_{now.strftime('%Y%m%d-%H%M%S')}"
    started = time.perf_counter()
    try:
        result = printer.send(data, job=job)
    except PrinterError as exc:
        fault = exc.params.get("fault")
        return Check("print-test", Status.ERROR, exc.message, {"fault": fault, "bytes": len(data)})
    except Exception as exc:  # noqa: BLE001 - an adapter that let something through
        return Check("print-test", Status.ERROR, f"printer adapter failed: {exc}"[:200], {"bytes": len(data)})
    ms = (time.perf_counter() - started) * 1000
    info = {"bytes": len(data), "ms": round(ms, 1), "output": result.output}
    if not getattr(result, "confirmed", True):
        return Check(
            "print-test", Status.WARNING, "sent; this printer model does not report status (check the paper)", info
        )
    where = f" ({result.output})" if result.output else ""
    log.info("test page printed on %s", printer.name)
    return Check("print-test", Status.OK, f"test page printed, {len(data)} bytes in {ms:.0f} ms{where}", info)


def snapshot(settings, path: Path, *, timeout: float = CAMERA_WAIT, camera=None) -> Check:
    """Save one camera frame as an image file (devices.camera.snapshot)."""
    try:
        from devices.camera import make_camera
        from devices.camera import snapshot as take
    except ImportError as exc:
        return Check("snapshot", Status.ABSENT, f"no camera support in this build ({exc.name})")
    own = camera is None
    if own:
        if _section_kind(settings, "camera") in (None, "none"):
            return Check("snapshot", Status.ABSENT, 'no camera configured ([camera] kind = "none")')
        camera = make_camera(settings)
        if camera is None:
            return Check("snapshot", Status.ABSENT, 'no camera configured ([camera] kind = "none")')
    try:
        if own:
            camera.start()
        ok = take(camera, path, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        return Check("snapshot", Status.ERROR, f"{path}: {exc}"[:200])
    finally:
        if own:
            with contextlib.suppress(Exception):
                camera.stop()
    if not ok:
        return Check("snapshot", Status.ERROR, f"no frame within {timeout:.0f} s; nothing saved")
    return Check("snapshot", Status.OK, f"saved {path}", {"path": str(path)})


#: Config keys never written into a bundle: credentials, tokens, PIN hashes, secrets.
SECRET_KEY_WORDS = ("secret", "token", "password", "pin", "credential", "key", "hash")


def _secret(key: str) -> bool:
    k = key.lower()
    return any(word in k.split("_") or k.endswith(word) or k.startswith(word) for word in SECRET_KEY_WORDS)


def redacted_config(settings) -> dict:
    """The settings in force as plain data, without secrets: any key naming a secret, token,
    password, PIN, credential or key is dropped, and a URL's user:password part is removed."""
    from dataclasses import fields, is_dataclass

    out: dict = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if not is_dataclass(value):
            continue
        section = {}
        for g in fields(value):
            if _secret(g.name):
                continue
            v = getattr(value, g.name)
            if isinstance(v, str) and "://" in v:
                v = public_url(v)
            section[g.name] = v if isinstance(v, (str, int, float, bool)) or v is None else str(v)
        out[f.name] = section
    out["source"] = settings.source
    out["central_config_version"] = getattr(settings, "central_config_version", None)
    return out


def export_bundle(settings, dest_dir: Path, *, report: DiagReport | None = None, now: datetime | None = None) -> Path:
    """Write `diag-<kiosk>-<time>.zip` into `dest_dir` (a USB stick's folder, say): the config in
    force without secrets (config.json), the logs (logs/kiosk.log*), the diagnostics report
    (report.json) and the health history when one is kept (health-history.jsonl). Never the
    store, the credential file (central.json) or anything with personal data. Returns its path."""
    from kiosk import logs

    now = now or datetime.now(UTC).astimezone(settings.tz)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    path = dest_dir / f"diag-{settings.kiosk.id}-{now.strftime('%Y%m%d-%H%M%S')}.zip"
    tmp = path.with_suffix(".zip.part")
    if report is None:
        report = run_checks(settings, central=False)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", json.dumps(redacted_config(settings), indent=2, ensure_ascii=False))
        z.writestr("report.json", json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        z.writestr("report.txt", report.table())
        folder = logs.log_path(settings.data_dir).parent
        if folder.is_dir():
            for f in sorted(folder.iterdir()):
                if f.is_file() and f.name.startswith(logs.LOG_NAME):
                    z.write(f, f"logs/{f.name}")
        history = Path(settings.data_dir) / "health-history.jsonl"
        if history.is_file():
            z.write(history, "health-history.jsonl")
    tmp.replace(path)
    log.info("diagnostics bundle written: %s", path)
    return path
