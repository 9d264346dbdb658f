"""The simulated printer: writes the real ESC/POS bytes to one file per job.

Job file convention, in `folder`:

    <job>.escpos   a printed job: written to `<job>.part`, fsynced, then renamed
                   (os.replace) and the folder fsynced, so it exists whole or not at all
    <job>.part     a job that was being written when the process died: never printed

`jobs()` and `stale_parts()` list them, so start-up can reconcile print outcomes
after a kill. The fsynced file is the "paper": a job whose file exists was printed.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from devices.health import DeviceHealth, Status
from devices.printer import (
    FAULT_WRITE_FAILED,
    REASON_PAPER_NEAR_END,
    PrintResult,
    fault_reason,
    printer_error,
    read_status,
)

JOB_SUFFIX = ".escpos"
PART_SUFFIX = ".part"


class FilePrinter:
    """Each job becomes `<folder>/<job>.escpos` (see the module docstring).

    Simulated printer states, as attributes a test or the technician's demo flips:
    `paper = False` (an empty roll), `cover_open = True`, `offline = True`,
    `paper_near_end = True` (a warning only). The states are turned into DLE EOT
    reply bytes and read by `devices.printer.read_status`, the code the real
    printers go through.
    """

    kind = "printer"

    def __init__(self, folder: Path, name: str = "printer (simulated, file)") -> None:
        self.folder = Path(folder)
        self.name = name
        self.paper = True
        self.cover_open = False
        self.offline = False
        self.paper_near_end = False

    def _ask(self, request: bytes) -> int:
        """The reply byte a real printer in this state would send to DLE EOT n."""
        n = request[2]
        empty = not self.paper
        if n == 1:
            return 0x12 | (0x08 if self.offline or self.cover_open or empty else 0)
        if n == 2:
            return 0x12 | (0x04 if self.cover_open else 0) | (0x20 if empty else 0)
        if n == 4:
            return 0x12 | (0x60 if empty else 0) | (0x0C if self.paper_near_end or empty else 0)
        return 0x12

    def job_path(self, job: str) -> Path:
        """Where job `job` is written."""
        return self.folder / f"{job}{JOB_SUFFIX}"

    def send(self, data: bytes, *, job: str) -> PrintResult:
        report = read_status(self._ask)
        if report.fault:
            raise printer_error(self.name, report.fault, report.detail)
        path = self.job_path(job)
        tmp = self.folder / f"{job}{PART_SUFFIX}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise printer_error(self.name, FAULT_WRITE_FAILED, exc.strerror or str(exc)) from exc
        _fsync_dir(self.folder)
        return PrintResult(output=str(path))

    def jobs(self) -> dict[str, Path]:
        """Every printed job in the folder: job name -> its `<job>.escpos` file."""
        if not self.folder.is_dir():
            return {}
        return {
            p.name[: -len(JOB_SUFFIX)]: p
            for p in sorted(self.folder.iterdir())
            if p.name.endswith(JOB_SUFFIX) and p.is_file()
        }

    def stale_parts(self) -> list[Path]:
        """`<job>.part` files left by a process that died mid-write: jobs that were never printed."""
        if not self.folder.is_dir():
            return []
        return [p for p in sorted(self.folder.iterdir()) if p.name.endswith(PART_SUFFIX) and p.is_file()]

    def health(self) -> DeviceHealth:
        report = read_status(self._ask)
        if report.fault:
            return DeviceHealth(self.name, self.kind, Status.ERROR, fault_reason(report.fault, report.detail))
        if self.folder.exists() and not os.access(self.folder, os.W_OK):
            return DeviceHealth(self.name, self.kind, Status.ERROR, f"{self.folder} is not writable")
        if report.paper_near_end:
            return DeviceHealth(self.name, self.kind, Status.WARNING, REASON_PAPER_NEAR_END)
        return DeviceHealth(self.name, self.kind, Status.OK, f"writes to {self.folder}")


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (a power cut after `send` returned keeps the job file); best effort:
    some file systems cannot fsync a folder, and the job file is already whole."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
