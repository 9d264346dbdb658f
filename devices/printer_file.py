"""The simulated printer: writes the real ESC/POS bytes to one file per job."""

from __future__ import annotations

import os
from pathlib import Path

from devices.health import DeviceHealth, Status
from devices.printer import REASON_NO_PAPER, REASON_WRITE_FAILED, PrintResult
from kiosk.errors import PrinterError


class FilePrinter:
    """Each job becomes `<folder>/<job>.escpos`; `paper = False` simulates an empty roll."""

    kind = "printer"

    def __init__(self, folder: Path, name: str = "printer (simulated, file)") -> None:
        self.folder = Path(folder)
        self.name = name
        self.paper = True

    def send(self, data: bytes, *, job: str) -> PrintResult:
        if not self.paper:
            raise PrinterError(device=self.name, reason=REASON_NO_PAPER)
        path = self.folder / f"{job}.escpos"
        tmp = path.with_suffix(".part")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise PrinterError(device=self.name, reason=f"{REASON_WRITE_FAILED}: {exc.strerror}") from exc
        return PrintResult(output=str(path))

    def health(self) -> DeviceHealth:
        if not self.paper:
            return DeviceHealth(self.name, self.kind, Status.ERROR, REASON_NO_PAPER)
        if self.folder.exists() and not os.access(self.folder, os.W_OK):
            return DeviceHealth(self.name, self.kind, Status.ERROR, f"{self.folder} is not writable")
        return DeviceHealth(self.name, self.kind, Status.OK, f"writes to {self.folder}")
