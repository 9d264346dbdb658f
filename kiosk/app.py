"""Composition root: `build(settings)` wires store, catalog, queue and devices into one Kiosk.

The touch UI, the CLI and the tests all go through the same Kiosk object.
"""

from __future__ import annotations

import logging
from dataclasses import fields, replace

from devices.printer import Printer, output_dir
from kiosk.catalog import Catalog
from kiosk.clock import Clock, SystemClock
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.lease import Lease, lease_dir, sweep
from kiosk.printing import PrintOutcome, PrintState, job_name, reconcile, record, send
from kiosk.priority import Priority
from kiosk.queue import Queue, Ticket
from kiosk.store import Store
from sync.catalog import active_catalog

__all__ = ["Kiosk", "PrintOutcome", "PrintState", "build", "make_printer"]

log = logging.getLogger("kiosk")

#: How long `close()` waits for the sync thread (it is a daemon thread: it never holds the exit).
STOP_WAIT_SECONDS = 12.0


def make_printer(settings: Settings) -> Printer | None:
    """The configured printer adapter, or None when printing is switched off."""
    p = settings.printer
    if p.kind == "file":
        from devices.printer_file import FilePrinter

        return FilePrinter(output_dir(settings.data_dir))
    if p.kind == "network":
        from devices.printer_network import NetworkPrinter

        return NetworkPrinter(p.host, p.port, p.timeout_seconds, reports_status=p.reports_status)
    if p.kind == "usb":
        from devices.printer_escpos import EscposTransportPrinter

        return EscposTransportPrinter(
            "usb", p.profile, reports_status=p.reports_status, idVendor=p.usb_vendor, idProduct=p.usb_product
        )
    if p.kind == "serial":
        from devices.printer_escpos import EscposTransportPrinter

        return EscposTransportPrinter(
            "serial", p.profile, reports_status=p.reports_status, devfile=p.serial_port, baudrate=p.baudrate
        )
    return None


#: The outbox kind recording a reprint (central keeps it with the kiosk's other records).
REPRINT_KIND = "ticket.reprinted"


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
        self._online = False
        #: The sync thread, once `start_sync()` started it (None: offline kiosk, or CLI).
        self.sync_worker = None
        self._lease: Lease | None = None

    @property
    def online(self) -> bool:
        """Whether the central system is reachable: the sync worker's state (online = its last
        round reached central and was accepted) once `start_sync()` started it, else the value
        set here (False: offline). While offline, services marked `offline = false` in the
        catalog are refused plainly."""
        if self.sync_worker is not None:
            return self.sync_worker.online
        return self._online

    @online.setter
    def online(self, value: bool) -> None:
        self._online = value

    @property
    def locked(self) -> bool:
        """A supervisor took the kiosk out of service (remote command `lock`, kiosk/commands.py):
        issuing raises KioskLocked. Reads the store (the writer thread, the CLI); the touch UI
        reads `Flow.locked`, which the sync thread's status carries."""
        return self.store.lock_state() is not None

    def start_sync(self, *, on_state=None, devices=None, **options):
        """Start the sync thread for the configured central (`[central] url`); returns the
        SyncWorker, or None when no central is configured (the kiosk stays offline).

        `on_state(SyncStatus)` is called on the sync thread whenever the state changes (the UI
        re-emits it as a Qt signal); `devices()` returns the heartbeat's device list;
        `options` go to SyncWorker (interval, backoff_cap, ...). `close()` stops the thread.
        """
        if self.sync_worker is not None:
            return self.sync_worker
        from sync.worker import make_worker  # httpx is imported only by a kiosk that syncs

        worker = make_worker(self.settings, self.clock, on_state=on_state, devices=devices, **options)
        if worker is not None:
            worker.start()
            self.sync_worker = worker
        return worker

    def nudge_sync(self) -> None:
        """New outbox rows were committed: ask the sync thread for a round now (any thread)."""
        if self.sync_worker is not None:
            self.sync_worker.nudge()

    def sync_once(self, **options):
        """One sync round on a store connection of its own (the CLI's `kiosk sync --once`);
        returns the SyncReport. Raises SyncNotConfigured without a central URL, StoreError."""
        from sync.engine import SyncEngine

        engine = SyncEngine.open(self.settings, self.clock, **options)
        try:
            return engine.run_round(heartbeat=True, retry_rejected=True)
        finally:
            engine.close()

    def reload_catalog(self) -> bool:
        """Load the catalog in force again (after sync installed a newer one from central);
        False, with the old catalog kept, when it does not load."""
        try:
            catalog = active_catalog(self.settings)
        except KioskError as exc:
            log.error("catalog not reloaded: %s", exc.message)
            return False
        self.catalog = catalog
        self.queue.catalog = catalog
        return True

    def issue_ticket(
        self,
        service_code: str,
        *,
        language: str | None = None,
        priority: Priority | str | None = None,
        identity=None,
    ) -> Ticket:
        """Commit one ticket (with its outbox row); `priority` (a Priority or its code) makes it a
        priority ticket (kiosk/priority.py). Raises UnknownService, KioskLocked, ServicePaused,
        NeedsOnline, QuotaFull, ServiceClosed, CredentialUsed; ValueError for an unknown priority
        kind. `identity` (a kiosk.identity.Identity) is recorded on the ticket (kiosk/identity.py
        says what is kept)."""
        if self._lease is None:  # this process prints what it issues: say so in every ticket
            self._lease = Lease(lease_dir(self.settings.data_dir))
        ticket = self.queue.issue(
            service_code,
            language=language or self.settings.kiosk.language,
            online=self.online,
            owner=self._lease.token,
            priority=priority,
            identity=identity,
        )
        self.nudge_sync()
        return ticket

    def render_ticket(self, ticket: Ticket, *, copy: bool = False) -> bytes:
        """The ticket's ESC/POS bytes (no I/O), marked "COPY / SALINAN" with `copy`; raises
        UnknownService for a ticket of a removed service."""
        from kiosk.ticket_layout import render_ticket

        service = self.catalog.service(ticket.service_code)
        return render_ticket(ticket, service, self.catalog.agency(service.agency_code), self.settings, copy=copy)

    def last_ticket(self) -> Ticket | None:
        """The last ticket this kiosk issued today (hall time), or None."""
        day = self.queue.now().date().isoformat()
        rows = self.store.query(
            "SELECT * FROM tickets WHERE day = ? ORDER BY issued_at DESC, rowid DESC LIMIT 1", [day]
        )
        if not rows:
            return None
        names = {f.name for f in fields(Ticket)}
        return Ticket(**{k: v for k, v in rows[0].items() if k in names})

    def reprint_last(self, *, by: str = "staff") -> PrintOutcome | None:
        """Print the last ticket issued today again (`reprint`); None when there is none today."""
        ticket = self.last_ticket()
        return None if ticket is None else self.reprint(ticket, by=by)

    def reprint(self, ticket: Ticket, *, by: str = "staff") -> PrintOutcome:
        """Print `ticket` again, marked "COPY / SALINAN" (supervisor or technician: `by` says
        who, a role, never a name).

        The original's print state is left as it was; the reprint is recorded as a
        `ticket.reprinted` outbox row (its outcome, fault, who) and a log line. Never raises: a
        printer failure is a failed outcome, a reprint that could not be recorded carries the
        reason in `record_error`."""
        now = self.clock.now()
        job = f"{job_name(ticket.day, ticket.number, ticket.id)}_copy-{now.strftime('%H%M%S')}"
        outcome = send(self.printer, lambda t: self.render_ticket(t, copy=True), ticket, job=job)
        payload = {
            "ticket_id": ticket.id,
            "number": ticket.number,
            "day": ticket.day,
            "state": str(outcome.state),
            "error": outcome.error.message if outcome.error else None,
            "by": by,
        }
        if outcome.fault:
            payload["fault"] = outcome.fault
        log.info("reprinted ticket %s (copy, by %s): %s", ticket.number, by, payload["error"] or outcome.state)
        try:
            with self.store.transaction():
                self.store.add_outbox(REPRINT_KIND, payload, now)
        except KioskError as exc:
            log.error("reprint of ticket %s not recorded: %s", ticket.number, exc.message)
            return replace(outcome, record_error=exc)
        self.nudge_sync()
        return outcome

    def send_ticket(self, ticket: Ticket) -> PrintOutcome:
        """Lay the ticket out and hand it to the printer; touches no database (device thread).

        Never raises: a layout, adapter or printer failure is a failed outcome.
        """
        return send(self.printer, self.render_ticket, ticket)

    def record_print(self, ticket: Ticket, outcome: PrintOutcome) -> None:
        """Remember the print outcome, with its outbox row (writer thread); raises StoreError,
        and the ticket then stays pending until `reconcile()` at the next start."""
        record(self.store, ticket, outcome, self.clock.now())
        self.nudge_sync()

    def print_ticket(self, ticket: Ticket) -> PrintOutcome:
        """send_ticket + record_print, for callers with one thread (CLI, tests); never raises:
        an outcome that could not be stored carries the reason in `record_error`."""
        outcome = self.send_ticket(ticket)
        try:
            self.record_print(ticket, outcome)
        except KioskError as exc:
            log.error("print outcome of ticket %s not recorded: %s", ticket.number, exc.message)
            return replace(outcome, record_error=exc)
        return outcome

    def reconcile(self) -> int:
        """Settle tickets that stopped processes left without a recorded print outcome."""
        run = lease_dir(self.settings.data_dir)
        settled = reconcile(self.store, self.printer, run, self.clock.now())
        sweep(run)
        return settled

    def close(self) -> None:
        """Stop the sync thread, close the store and give up this process's printing lease."""
        if self.sync_worker is not None:
            self.sync_worker.stop(timeout=STOP_WAIT_SECONDS)  # a request in flight ends by its timeout
            self.sync_worker = None
        self.store.close()
        if self._lease is not None:
            self._lease.release()
            self._lease = None


def build(settings: Settings, *, clock: Clock | None = None, printer: Printer | None = None) -> Kiosk:
    """Wire a Kiosk from settings; `clock` and `printer` may be injected (tests, benchmarks)."""
    catalog = active_catalog(settings)  # the newest one from central when there is one, else the configured one
    store = Store(settings.data_dir / "kiosk.sqlite3")
    kiosk = Kiosk(
        settings,
        catalog,
        store,
        clock or SystemClock(settings.tz),
        printer if printer is not None else make_printer(settings),
    )
    try:
        kiosk.reconcile()
    except (KioskError, OSError) as exc:  # e.g. a full disk: tickets stay pending, issuing still works
        log.warning("print outcomes of stopped processes not settled: %s", exc)
    return kiosk
