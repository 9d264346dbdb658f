"""The receipt printer: one Protocol, adapters that differ only in how bytes travel.

The ticket layout (ESC/POS bytes) is built once in `kiosk.ticket_layout`;
an adapter sends them. `health()` never raises. `send(data, job=...)` returns
a `PrintResult` or raises kiosk.errors.PrinterError.

What `send` promises:

* `PrintResult(confirmed=True)`: the printer confirmed the job. It answered
  real-time status requests (DLE EOT n) asked *after* the job on the same
  link, so it received every byte before them, and it reported no fault.
  (DLE EOT is answered on receipt, so this is "received whole, nothing
  wrong", not "the last line is on paper".)
  For the simulated file printer: the job file is written and fsynced.
* `PrintResult(confirmed=False)`: the bytes were handed to a printer that the
  configuration says cannot report status (`reports_status=False`). The
  kiosk records the ticket as "unconfirmed".
* `PrinterError(device=..., reason=..., fault=...)`: the job failed, or was
  not sent because the printer was faulty before it. `reason` is short
  English text starting with the fault's REASON_* string (a detail for the
  technician's log may follow after ": "); `fault` is a stable code that
  scripts, the store and the fleet dashboard can key on:

    paper_out        out of paper (roll sensor or "stopped by paper end")
    cover_open       the cover is open
    offline          the printer reports itself offline (or an error state)
    not_connected    the printer could not be reached before the job
    connection_lost  the link broke during the job or the status check after it
    not_answering    no reply to a status request where one was due
    bad_reply        a status reply that is not a valid DLE EOT reply byte
    write_failed     the ticket could not be handed over (write error)

A printer that does not answer a status request is `not_answering`, never
`paper_out`: "no answer" is its own state. Paper near its end is not a fault;
`health()` reports it as a WARNING.

Status (`read_status`) is asked the same way by every adapter that can ask:
DLE EOT 1 (printer status), 2 (offline cause), 4 (roll paper sensor), through
an `ask(request) -> int | None` callable supplied by the transport.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from devices.health import DeviceHealth
from kiosk.errors import PrinterError
from kiosk.tr import QT_TRANSLATE_NOOP

REASON_NO_PAPER = QT_TRANSLATE_NOOP("Errors", "out of paper")
REASON_COVER_OPEN = QT_TRANSLATE_NOOP("Errors", "cover open")
REASON_OFFLINE = QT_TRANSLATE_NOOP("Errors", "printer offline")
REASON_NOT_CONNECTED = QT_TRANSLATE_NOOP("Errors", "not connected")
REASON_CONNECTION_LOST = QT_TRANSLATE_NOOP("Errors", "connection lost during printing")
REASON_NOT_ANSWERING = QT_TRANSLATE_NOOP("Errors", "not answering status requests")
REASON_BAD_REPLY = QT_TRANSLATE_NOOP("Errors", "unreadable status reply")
REASON_WRITE_FAILED = QT_TRANSLATE_NOOP("Errors", "could not send the ticket")
REASON_DISABLED = QT_TRANSLATE_NOOP("Errors", "no printer configured")
#: Not a fault: `health()` reports it as a WARNING so staff bring a new roll in time.
REASON_PAPER_NEAR_END = QT_TRANSLATE_NOOP("Errors", "paper near end")
#: Deprecated alias: "no answer" is now `not_answering`.
REASON_NO_ANSWER = REASON_NOT_ANSWERING

#: Health reasons for a printer that is fine (technician's words, not shown to visitors).
READY = "ready"
READY_UNCONFIRMED = "ready (model does not report status)"

FAULT_PAPER_OUT = "paper_out"
FAULT_COVER_OPEN = "cover_open"
FAULT_OFFLINE = "offline"
FAULT_NOT_CONNECTED = "not_connected"
FAULT_CONNECTION_LOST = "connection_lost"
FAULT_NOT_ANSWERING = "not_answering"
FAULT_BAD_REPLY = "bad_reply"
FAULT_WRITE_FAILED = "write_failed"

#: Every stable fault code and the reason that names it.
FAULT_REASONS: dict[str, str] = {
    FAULT_PAPER_OUT: REASON_NO_PAPER,
    FAULT_COVER_OPEN: REASON_COVER_OPEN,
    FAULT_OFFLINE: REASON_OFFLINE,
    FAULT_NOT_CONNECTED: REASON_NOT_CONNECTED,
    FAULT_CONNECTION_LOST: REASON_CONNECTION_LOST,
    FAULT_NOT_ANSWERING: REASON_NOT_ANSWERING,
    FAULT_BAD_REPLY: REASON_BAD_REPLY,
    FAULT_WRITE_FAILED: REASON_WRITE_FAILED,
}

#: DLE EOT 1: transmit the printer status (bit 3 = offline).
PRINTER_STATUS_REQUEST = b"\x10\x04\x01"
#: DLE EOT 2: transmit the offline cause (bit 2 = cover open, bit 5 = stopped by paper end, bit 6 = error).
OFFLINE_STATUS_REQUEST = b"\x10\x04\x02"
#: DLE EOT 4: transmit the roll paper sensor status (bits 2-3 = near end, bits 5-6 = paper end).
PAPER_STATUS_REQUEST = b"\x10\x04\x04"
#: The requests `read_status` asks, in order.
STATUS_REQUESTS = (PRINTER_STATUS_REQUEST, OFFLINE_STATUS_REQUEST, PAPER_STATUS_REQUEST)

#: One status request on the transport: the reply byte, or None when nothing came back in time.
#: It raises PrinterError itself when the link breaks (the transport knows which fault that is).
Ask = Callable[[bytes], int | None]


@dataclass(frozen=True)
class PrintResult:
    """Where the bytes went (a file path for the simulated printer, else None) and whether
    the printer confirmed the job (False: sent to a printer that cannot report status)."""

    output: str | None = None
    confirmed: bool = True


@dataclass(frozen=True)
class StatusReport:
    """What the printer said: a fault code (None when fine), a detail for the log, and the near-end hook."""

    fault: str | None = None
    detail: str = ""
    paper_near_end: bool = False


class Printer(Protocol):
    """A receipt printer: send bytes, report health."""

    name: str

    def send(self, data: bytes, *, job: str) -> PrintResult:
        """Hand ESC/POS bytes to the printer; raises PrinterError (with a `fault`)."""
        ...

    def health(self) -> DeviceHealth:
        """Current state; never raises."""
        ...


def valid_reply(status_byte: int) -> bool:
    """True for a DLE EOT reply byte: bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0."""
    return (status_byte & 0x93) == 0x12


def offline(status_byte: int) -> bool:
    """True when a DLE EOT 1 reply says the printer is offline (bit 3)."""
    return bool(status_byte & 0x08)


def cover_open(status_byte: int) -> bool:
    """True when a DLE EOT 2 reply says the cover is open (bit 2)."""
    return bool(status_byte & 0x04)


def paper_out(status_byte: int) -> bool:
    """True when a DLE EOT 4 reply says the roll is at its end (bits 5 and 6)."""
    return bool(status_byte & 0x60)


def paper_near_end(status_byte: int) -> bool:
    """True when a DLE EOT 4 reply says the roll is near its end (bits 2 and 3)."""
    return bool(status_byte & 0x0C)


def read_status(ask: Ask) -> StatusReport:
    """Ask DLE EOT 1, 2 and 4 through `ask` and say what is wrong, if anything.

    Stops at the first request without a valid reply (`not_answering` / `bad_reply`),
    so a late reply cannot be taken for the answer to the next request. Order of
    blame when several things are wrong: cover open, paper out, offline.
    """
    replies: list[int] = []
    for request in STATUS_REQUESTS:
        reply = ask(request)
        if reply is None:
            return StatusReport(FAULT_NOT_ANSWERING)
        if not valid_reply(reply):
            return StatusReport(FAULT_BAD_REPLY, f"0x{reply:02x} to DLE EOT {request[2]}")
        replies.append(reply)
    printer, cause, paper = replies
    near_end = paper_near_end(paper)
    if cover_open(cause):
        return StatusReport(FAULT_COVER_OPEN, paper_near_end=near_end)
    if paper_out(paper) or cause & 0x20:
        return StatusReport(FAULT_PAPER_OUT, paper_near_end=near_end)
    if cause & 0x40:
        return StatusReport(FAULT_OFFLINE, "error", paper_near_end=near_end)
    if offline(printer):
        return StatusReport(FAULT_OFFLINE, paper_near_end=near_end)
    return StatusReport(paper_near_end=near_end)


def status_fault(ask: Ask) -> str | None:
    """The fault `read_status` finds, or None when the printer is fine."""
    return read_status(ask).fault


def fault_reason(fault: str, detail: str = "") -> str:
    """The English reason for `fault`: its REASON_* string, then ": detail" when there is one."""
    reason = FAULT_REASONS[fault]
    return f"{reason}: {detail}" if detail else reason


def printer_error(device: str, fault: str, detail: str = "") -> PrinterError:
    """A PrinterError for `fault`, with `reason` = fault_reason(fault, detail)."""
    return PrinterError(device=device, reason=fault_reason(fault, detail), fault=fault)


def fault_of(exc: PrinterError) -> str | None:
    """The stable fault code of a PrinterError (None for one raised without it)."""
    return exc.params.get("fault")  # type: ignore[return-value]


def output_dir(data_dir: Path) -> Path:
    """Where the simulated printer writes its jobs."""
    return data_dir / "prints"
