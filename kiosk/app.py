"""Composition root: `build(settings)` wires store, catalog, queue and devices into one Kiosk.

The touch UI, the CLI and the tests all go through the same Kiosk object.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.printer import Printer, output_dir
from kiosk.catalog import Catalog, load_catalog
from kiosk.clock import Clock, SystemClock
from kiosk.config import Settings
from kiosk.errors import PrinterError
from kiosk.queue import Queue, Ticket
from kiosk.store import Store


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to one ticket at the printer."""

    printed: bool
    output: str | None = None
    error: PrinterError | None = None


def make_printer(settings: Settings) -> Printer | None:
    """The configured printer adapter, or None when printing is switched off."""
    p = settings.printer
    if p.kind == "file":
        from devices.printer_file import FilePrinter

        return FilePrinter(output_dir(settings.data_dir))
    if p.kind == "network":
        from devices.printer_network import NetworkPrinter

        return NetworkPrinter(p.host, p.port, p.timeout_seconds)
    if p.kind == "usb":
        from devices.printer_escpos import EscposTransportPrinter

        return EscposTransportPrinter("usb", p.profile, idVendor=p.usb_vendor, idProduct=p.usb_product)
    if p.kind == "serial":
        from devices.printer_escpos import EscposTransportPrinter

        return EscposTransportPrinter("serial", p.profile, devfile=p.serial_port, baudrate=p.baudrate)
    return None


class Kiosk:
    """The kiosk core: one per process, used from one thread at a time."""

    def __init__(
        self, settings: Settings, catalog: Catalog, store: Store, clock: Clock, printer: Printer | None
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.clock = clock
        self.printer = printer
        self.queue = Queue(settings, catalog, store, clock)
        #: Whether the central system is reachable. There is no sync client yet, so the kiosk
        #: runs offline: services marked `offline = false` in the catalog are refused plainly.
        self.online = False

    def issue_ticket(self, service_code: str, *, language: str | None = None) -> Ticket:
        """Commit one ticket (with its outbox row); raises UnknownService, NeedsOnline, QuotaFull, ServiceClosed."""
        return self.queue.issue(service_code, language=language or self.settings.kiosk.language, online=self.online)

    def render_ticket(self, ticket: Ticket) -> bytes:
        """The ticket's ESC/POS bytes (no I/O); raises UnknownService for a ticket of a removed service."""
        from kiosk.ticket_layout import render_ticket

        service = self.catalog.service(ticket.service_code)
        return render_ticket(ticket, service, self.catalog.agency(service.agency_code), self.settings)

    def send_ticket(self, ticket: Ticket) -> PrintOutcome:
        """Render the ticket and hand it to the printer; touches no database (device thread).

        A printer failure is returned, not raised.
        """
        if self.printer is None:
            from devices.printer import REASON_DISABLED

            return PrintOutcome(False, None, PrinterError(device="printer", reason=REASON_DISABLED))
        data = self.render_ticket(ticket)
        try:
            result = self.printer.send(data, job=f"{ticket.day}_{ticket.number}_{ticket.id[:8]}")
        except PrinterError as exc:
            return PrintOutcome(False, None, exc)
        return PrintOutcome(True, result.output)

    def record_print(self, ticket: Ticket, outcome: PrintOutcome) -> None:
        """Remember whether the ticket was printed, with its outbox row (writer thread)."""
        now = self.clock.now()
        error = outcome.error.message if outcome.error else None
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE tickets SET printed_at = ?, print_error = ?, printer_output = ? WHERE id = ?",
                (now.isoformat(timespec="seconds") if outcome.printed else None, error, outcome.output, ticket.id),
            )
            self.store.add_outbox(
                "ticket.printed" if outcome.printed else "ticket.print_failed",
                {"ticket_id": ticket.id, "number": ticket.number, "day": ticket.day, "error": error},
                now,
            )

    def print_ticket(self, ticket: Ticket) -> PrintOutcome:
        """send_ticket + record_print, for callers with one thread (CLI, tests)."""
        outcome = self.send_ticket(ticket)
        self.record_print(ticket, outcome)
        return outcome

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def build(settings: Settings, *, clock: Clock | None = None, printer: Printer | None = None) -> Kiosk:
    """Wire a Kiosk from settings; `clock` and `printer` may be injected (tests, benchmarks)."""
    catalog = load_catalog(settings.catalog.path or None)
    store = Store(settings.data_dir / "kiosk.sqlite3")
    return Kiosk(
        settings,
        catalog,
        store,
        clock or SystemClock(settings.tz),
        printer if printer is not None else make_printer(settings),
    )
