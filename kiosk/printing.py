"""A ticket's print outcome: sent, answered, recorded; and settled after a kill.

A ticket's print state is one of

    pending      committed; the printer's answer is not recorded yet
    printed      the printer confirmed the job (status asked after it, no fault)
    failed       not printed, with the reason (no paper, cover open, offline, ...)
    unconfirmed  sent to a printer that cannot report status, or the kiosk stopped before the
                 printer's answer was saved: nobody knows

`send()` never raises: whatever goes wrong between the committed ticket and the printer is an
outcome. `record()` writes the outcome with its outbox row in one transaction; when that fails
(a full disk), the ticket stays `pending` and `reconcile()` settles it at the next start,
comparing the store with the simulated printer's files.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from devices.printer import REASON_DISABLED
from kiosk.errors import KioskError, PrinterError
from kiosk.lease import alive
from kiosk.queue import Ticket
from kiosk.store import Store
from kiosk.tr import QT_TRANSLATE_NOOP

log = logging.getLogger("kiosk.printing")

REASON_LAYOUT = QT_TRANSLATE_NOOP("Errors", "the ticket could not be laid out")
REASON_ADAPTER = QT_TRANSLATE_NOOP("Errors", "the printer adapter failed")
REASON_INTERRUPTED = QT_TRANSLATE_NOOP("Errors", "interrupted: the kiosk stopped before the printer's answer was saved")
REASON_NEVER_SENT = QT_TRANSLATE_NOOP("Errors", "interrupted: the kiosk stopped before the ticket reached the printer")

#: A stale `.part` file of the simulated printer is removed after this long (seconds).
STALE_PART_SECONDS = 600


class PrintState(StrEnum):
    """Where a ticket's printing stands, as stored in `tickets.print_state`."""

    PENDING = "pending"
    PRINTED = "printed"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"


#: The outbox kind that carries each settled state to central.
OUTBOX_KIND = {
    PrintState.PRINTED: "ticket.printed",
    PrintState.FAILED: "ticket.print_failed",
    PrintState.UNCONFIRMED: "ticket.print_unconfirmed",
}


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to one ticket at the printer."""

    state: PrintState
    output: str | None = None
    error: PrinterError | None = None
    #: Why the outcome could not be stored (e.g. a full disk); the ticket then stays pending
    #: until `reconcile()` at the next start.
    record_error: KioskError | None = None

    @property
    def printed(self) -> bool:
        """True only when the printer confirmed the job."""
        return self.state == PrintState.PRINTED

    @property
    def fault(self) -> str | None:
        """The stable fault code (paper_out, cover_open, ...), when there was one."""
        if self.error is None:
            return None
        return self.error.params.get("fault") or None


def failed(device: str, reason: str, fault: str) -> PrintOutcome:
    """A failed outcome with a PrinterError naming the fault."""
    return PrintOutcome(PrintState.FAILED, None, PrinterError(device=device, reason=reason, fault=fault))


def job_name(day: str, number: str, ticket_id: str) -> str:
    """The name of a ticket's print job (the simulated printer's file name without suffix)."""
    return f"{day}_{number}_{ticket_id[:8]}"


def send(printer, data_of, ticket: Ticket, *, job: str | None = None) -> PrintOutcome:
    """Lay the ticket out (`data_of(ticket)`) and hand it to `printer` as job `job` (default: the
    ticket's job_name); never raises."""
    if printer is None:
        return failed("printer", REASON_DISABLED, "disabled")
    try:
        data = data_of(ticket)
    except Exception:  # a layout bug must not cost the visitor their ticket: it is shown anyway
        log.exception("ticket %s could not be laid out", ticket.number)
        return failed(printer.name, REASON_LAYOUT, "layout")
    try:
        result = printer.send(data, job=job or job_name(ticket.day, ticket.number, ticket.id))
    except PrinterError as exc:
        return PrintOutcome(PrintState.FAILED, None, exc)
    except Exception as exc:  # an adapter that let something through: still an outcome
        log.exception("printer adapter failed on ticket %s", ticket.number)
        return failed(printer.name, f"{REASON_ADAPTER}: {exc}", "adapter")
    confirmed = getattr(result, "confirmed", True)
    return PrintOutcome(PrintState.PRINTED if confirmed else PrintState.UNCONFIRMED, result.output)


def _write(store: Store, ticket_id: str, number: str, day: str, outcome: PrintOutcome, now: datetime, **extra) -> bool:
    """Settle one pending ticket inside the caller's transaction; False if it was settled already."""
    error = outcome.error.message if outcome.error else None
    changed = store.conn.execute(
        "UPDATE tickets SET print_state = ?, printed_at = ?, print_error = ?, printer_output = ? "
        "WHERE id = ? AND print_state = 'pending'",
        (
            str(outcome.state),
            now.isoformat(timespec="seconds") if outcome.printed else None,
            error,
            outcome.output,
            ticket_id,
        ),
    ).rowcount
    if changed:
        payload = {"ticket_id": ticket_id, "number": number, "day": day, "state": str(outcome.state), "error": error}
        if outcome.fault:
            payload["fault"] = outcome.fault
        store.add_outbox(OUTBOX_KIND[outcome.state], {**payload, **extra}, now)
    return bool(changed)


def record(store: Store, ticket: Ticket, outcome: PrintOutcome, now: datetime) -> None:
    """Store the outcome with its outbox row (writer thread); raises StoreError."""
    with store.transaction():
        _write(store, ticket.id, ticket.number, ticket.day, outcome, now)


def reconcile(store: Store, printer, run_dir: Path, now: datetime) -> int:
    """Settle the pending tickets of processes that died before recording their printer's
    answer; clean up the simulated printer's leftover `.part` files. Returns how many."""
    rows = store.query("SELECT id, number, day, owner FROM tickets WHERE print_state = 'pending'")
    owners = {r["owner"] for r in rows}
    dead = {o for o in owners if not alive(run_dir, o)}
    rows = [r for r in rows if r["owner"] in dead]
    jobs = printer.jobs() if hasattr(printer, "jobs") else None
    settled = []
    for r in rows:
        job = job_name(r["day"], r["number"], r["id"])
        name = printer.name if printer is not None else "printer"
        if jobs is None:
            outcome = PrintOutcome(
                PrintState.UNCONFIRMED, None, PrinterError(device=name, reason=REASON_INTERRUPTED, fault="interrupted")
            )
        elif job in jobs:  # the simulated printer's file is its paper: the job was printed
            outcome = PrintOutcome(PrintState.PRINTED, str(jobs[job]))
        else:
            outcome = failed(name, REASON_NEVER_SENT, "interrupted")
        settled.append((r, job, outcome))
    if settled:
        with store.transaction():
            count = sum(_write(store, r["id"], r["number"], r["day"], o, now, reconciled=True) for r, _, o in settled)
        log.warning("settled %d ticket(s) left pending by a stopped kiosk process", count)
    if hasattr(printer, "stale_parts"):
        ours = {job for _, job, _ in settled}
        for part in printer.stale_parts():
            with contextlib.suppress(OSError):
                if part.stem in ours or time.time() - part.stat().st_mtime > STALE_PART_SECONDS:
                    part.unlink()
    return len(settled)
