"""The receipt printer: one Protocol, adapters that differ only in how bytes travel.

The ticket layout (ESC/POS bytes) is built once in `kiosk.ticket_layout`;
an adapter sends them. `health()` never raises; `send()` raises
kiosk.errors.PrinterError with one of the REASON_* strings. "No answer" is
never read as "no paper".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from devices.health import DeviceHealth
from kiosk.tr import QT_TRANSLATE_NOOP

REASON_NO_PAPER = QT_TRANSLATE_NOOP("Errors", "out of paper")
REASON_COVER_OPEN = QT_TRANSLATE_NOOP("Errors", "cover open")
REASON_NOT_CONNECTED = QT_TRANSLATE_NOOP("Errors", "not connected")
REASON_NO_ANSWER = QT_TRANSLATE_NOOP("Errors", "no answer")
REASON_WRITE_FAILED = QT_TRANSLATE_NOOP("Errors", "could not send the ticket")
REASON_DISABLED = QT_TRANSLATE_NOOP("Errors", "no printer configured")

#: DLE EOT 4: transmit the paper roll sensor status.
PAPER_STATUS_REQUEST = b"\x10\x04\x04"
#: DLE EOT 2: transmit the offline cause (bit 2 = cover open).
OFFLINE_STATUS_REQUEST = b"\x10\x04\x02"


@dataclass(frozen=True)
class PrintResult:
    """Where the bytes went: a file path for the simulated printer, else None."""

    output: str | None = None


class Printer(Protocol):
    """A receipt printer: send bytes, report health."""

    name: str

    def send(self, data: bytes, *, job: str) -> PrintResult:
        """Hand ESC/POS bytes to the printer; raises PrinterError."""
        ...

    def health(self) -> DeviceHealth:
        """Current state; never raises."""
        ...


def paper_out(status_byte: int) -> bool:
    """True when a DLE EOT 4 reply says the roll is at its end (bits 5 and 6)."""
    return bool(status_byte & 0x60)


def cover_open(status_byte: int) -> bool:
    """True when a DLE EOT 2 reply says the cover is open (bit 2)."""
    return bool(status_byte & 0x04)


def output_dir(data_dir: Path) -> Path:
    """Where the simulated printer writes its jobs."""
    return data_dir / "prints"
