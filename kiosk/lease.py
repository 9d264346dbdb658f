"""Which process prints which ticket: a lock file each printing process holds for its life.

A ticket is committed with its printing process's token (`tickets.owner`) before it goes to
the printer. When that process dies between the commit and recording the printer's answer (a
kill, a power cut, a full disk), the ticket stays `pending`; the next kiosk process to start
finds the owner's lock free and settles the ticket (`kiosk.printing.reconcile`). A live
owner's tickets are never touched, so several kiosk processes may share one data folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
import uuid
from pathlib import Path


def lease_dir(data_dir: Path) -> Path:
    """Where the printing processes keep their lock files."""
    return Path(data_dir) / "run"


class Lease:
    """This process's lock file, held until `release()` or the process's end (also kill -9)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.token = uuid.uuid4().hex[:16]
        # Locked under a hidden name first and renamed into place, so no other process can see
        # the file before it is held.
        tmp = self.folder / f".{self.token}.tmp"
        self._fd = os.open(tmp, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.path = self.folder / f"{self.token}.lock"
        os.replace(tmp, self.path)

    def release(self) -> None:
        """Give the lease up (a clean exit: every outcome of this process is recorded)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None


def alive(folder: Path, token: str | None) -> bool:
    """Whether the process that holds `token` is still running."""
    if not token:
        return False
    try:
        fd = os.open(Path(folder) / f"{token}.lock", os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the probe's own lock
    return False


def sweep(folder: Path) -> None:
    """Remove the lock files of dead processes (and hidden ones older than a minute)."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.suffix == ".lock" and not alive(folder, path.stem):
                path.unlink()
            elif path.suffix == ".tmp" and time.time() - path.stat().st_mtime > 60:
                path.unlink()
