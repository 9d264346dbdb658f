"""The kiosk's credential for central, kept in `DATA_DIR/central.json` (mode 0600).

`kiosk enroll TOKEN` exchanges a one-time enrolment token for a credential
`"<kiosk_id>:<secret>"` and `save_credential` writes it: created with mode 0600 under a hidden
name, flushed, then renamed into place, so a reader never sees half a file and the secret is
never readable by anyone else, not even for a moment. `load_credential` refuses a file other
users can read (or write), a file that is not what `save_credential` writes, and a credential
of another kiosk than the one configured (its tickets would be numbered with the wrong code).

With `--demo` and no file, kiosks `kiosk-1` and `kiosk-2` use the demo credentials of
`central --demo` (`kiosk-1:demo-secret-kiosk-1`), as docs/sync-api.md says.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kiosk.config import Settings
from sync.errors import SyncCredentialError

FILE_NAME = "central.json"
#: The demo kiosks `central --demo` creates, and their short codes.
DEMO_KIOSKS = {"kiosk-1": "1", "kiosk-2": "2"}
DEMO_HALL = "DEMO"
MAX_FILE_BYTES = 64 * 1024

_KIOSK_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
#: The secret: url-safe characters (32+ from central; the demo ones are shorter).
_SECRET = re.compile(r"[A-Za-z0-9._~-]{8,256}")
_HALL = re.compile(r"[A-Z0-9]{2,8}")
_SHORT = re.compile(r"[0-9A-Z]{1,2}")


@dataclass(frozen=True)
class Credential:
    """Who this kiosk is at central; `bearer` goes in the Authorization header."""

    kiosk_id: str
    secret: str = field(repr=False)
    hall_code: str | None = None
    short_code: str | None = None
    #: The file it came from, or "demo".
    source: str = "demo"

    @property
    def bearer(self) -> str:
        """The credential as central expects it: `<kiosk_id>:<secret>`."""
        return f"{self.kiosk_id}:{self.secret}"

    @property
    def fingerprint(self) -> str:
        """A short hash that tells credentials apart without showing the secret."""
        return hashlib.sha256(self.bearer.encode()).hexdigest()[:16]


def credential_path(data_dir: Path) -> Path:
    """Where the kiosk keeps its credential."""
    return Path(data_dir) / FILE_NAME


def parse_bearer(value: object) -> tuple[str, str]:
    """(kiosk_id, secret) from `"<kiosk_id>:<secret>"`; raises ValueError when it is not one."""
    if not isinstance(value, str) or value.count(":") != 1:
        raise ValueError("expected '<kiosk_id>:<secret>'")
    kiosk_id, secret = value.split(":")
    if not _KIOSK_ID.fullmatch(kiosk_id):
        raise ValueError("the kiosk id is not 1..40 characters a-z, A-Z, 0-9, '.', '_' or '-'")
    if not _SECRET.fullmatch(secret):
        raise ValueError("the secret is not 8..256 url-safe characters")
    return kiosk_id, secret


def save_credential(
    data_dir: Path, *, credential: str, hall_code: str, short_code: str, central_url: str, now: datetime
) -> Path:
    """Write the credential file atomically with mode 0600; raises ValueError for a bad
    credential (before anything is written) and SyncCredentialError when it cannot be written."""
    kiosk_id, _ = parse_bearer(credential)
    if not _HALL.fullmatch(hall_code) or not _SHORT.fullmatch(short_code):
        raise ValueError(f"hall code {hall_code!r} or short code {short_code!r} is not valid")
    path = credential_path(data_dir)
    body = {
        "kiosk_id": kiosk_id,
        "hall_code": hall_code,
        "short_code": short_code,
        "credential": credential,
        "central_url": central_url,
        "enrolled_at": now.isoformat(timespec="seconds"),
    }
    data = (json.dumps(body, indent=2) + "\n").encode()
    tmp = path.with_name(f".{FILE_NAME}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.fchmod(fd, 0o600)  # whatever the umask, and on a file system that kept other bits
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SyncCredentialError(detail=f"{path}: cannot save the credential: {exc.strerror or exc}") from exc
    return path


def read_credential_file(path: Path) -> Credential | None:
    """The credential in `path`, or None when there is no such file; raises SyncCredentialError
    for a file others can read, or one that is not a credential file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SyncCredentialError(detail=f"{path}: cannot read the credential: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SyncCredentialError(detail=f"{path}: not a regular file")
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise SyncCredentialError(
                detail=f"{path}: other users can read or change this credential (mode {mode:04o}); "
                f"refused. Run 'chmod 600 {path}', or enroll the kiosk again"
            )
        raw = os.read(fd, MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SyncCredentialError(detail=f"{path}: cannot read the credential: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)

    def bad(problem: str) -> SyncCredentialError:
        return SyncCredentialError(detail=f"{path}: not a kiosk credential file ({problem}); enroll the kiosk again")

    if len(raw) > MAX_FILE_BYTES:
        raise bad("too large")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise bad("not JSON") from None
    if not isinstance(body, dict):
        raise bad("not a JSON object")
    try:
        kiosk_id, secret = parse_bearer(body.get("credential"))
    except ValueError as exc:
        raise bad(f"credential: {exc}") from None
    hall, short = body.get("hall_code"), body.get("short_code")
    if not (isinstance(hall, str) and _HALL.fullmatch(hall)):
        raise bad("hall_code")
    if not (isinstance(short, str) and _SHORT.fullmatch(short)):
        raise bad("short_code")
    return Credential(kiosk_id, secret, hall, short, str(path))


def load_credential(settings: Settings) -> Credential:
    """The credential this kiosk syncs with; raises SyncCredentialError when there is none
    usable, or when it is for another kiosk than `settings` describes."""
    path = credential_path(settings.data_dir)
    cred = read_credential_file(path)
    if cred is None:
        kiosk_id = settings.kiosk.id
        if settings.demo and kiosk_id in DEMO_KIOSKS:
            cred = Credential(kiosk_id, f"demo-secret-{kiosk_id}", DEMO_HALL, DEMO_KIOSKS[kiosk_id], "demo")
        else:
            raise SyncCredentialError(
                detail=f"this kiosk is not enrolled with central (no {path}): run 'kiosk enroll TOKEN' "
                "with the token from the hall supervisor"
            )
    check_matches(cred, settings)
    return cred


def check_matches(cred: Credential, settings: Settings) -> None:
    """Refuse a credential of another kiosk, hall or short code than the configured one: its
    tickets would reach central under a name and number range that are not this kiosk's."""
    mine = (settings.kiosk.id, settings.hall.code, settings.kiosk.short_code)
    theirs = (cred.kiosk_id, cred.hall_code or settings.hall.code, cred.short_code or settings.kiosk.short_code)
    if mine != theirs:
        raise SyncCredentialError(
            detail=f"the credential ({cred.source}) is for kiosk {theirs[0]} of hall {theirs[1]}, short code "
            f"{theirs[2]}, but this kiosk is configured as {mine[0]} of hall {mine[1]}, short code {mine[2]}; "
            "fix [kiosk] id / short_code and [hall] code in the config, or enroll this kiosk"
        )


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
