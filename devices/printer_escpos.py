"""USB and serial receipt printers through python-escpos' transports.

Same contract as the network printer (see devices.printer): status (DLE EOT 1, 2, 4)
before the job, the job, status again after it; every transport exception becomes
a PrinterError with a fault. python-escpos' `paper_status()` is never used: it
reads "no reply" as "no paper".
"""

from __future__ import annotations

import errno
import logging

from devices.health import DeviceHealth, Status
from devices.printer import (
    FAULT_CONNECTION_LOST,
    FAULT_NOT_CONNECTED,
    FAULT_WRITE_FAILED,
    READY,
    READY_UNCONFIRMED,
    REASON_PAPER_NEAR_END,
    PrintResult,
    StatusReport,
    printer_error,
    read_status,
)
from kiosk.errors import PrinterError
from kiosk.escposlib import escpos_printer_module

log = logging.getLogger(__name__)

#: pyusb waits forever when python-escpos' Usb gets no timeout; a stalled printer must not hang the device thread.
USB_TIMEOUT_MS = 5000


def _detail(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _timed_out(exc: BaseException) -> bool:
    """A read that timed out (pyusb raises USBTimeoutError instead of returning nothing)."""
    return (
        isinstance(exc, TimeoutError)
        or type(exc).__name__ == "USBTimeoutError"
        or getattr(exc, "errno", None) == errno.ETIMEDOUT
    )


class EscposTransportPrinter:
    """`transport` is "usb" or "serial"; `options` go to python-escpos' Usb or Serial class.

    Serial: `timeout` (seconds, python-escpos' option) bounds each status reply.
    `reports_status=False` sends jobs unconfirmed and checks only that the device opens.
    """

    kind = "printer"

    def __init__(self, transport: str, profile: str, *, reports_status: bool = True, **options) -> None:
        if transport == "usb":
            options.setdefault("timeout", USB_TIMEOUT_MS)
        self.transport, self.profile, self.options = transport, profile, options
        self.reports_status = reports_status
        where = (
            f"{options.get('idVendor', 0):04x}:{options.get('idProduct', 0):04x}"
            if transport == "usb"
            else options.get("devfile", "?")
        )
        self.name = f"printer ({transport} {where})"

    def _open(self):
        module = escpos_printer_module()
        cls = module.Usb if self.transport == "usb" else module.Serial
        if not cls.is_usable():
            raise printer_error(self.name, FAULT_NOT_CONNECTED, f"{self.transport} support missing")
        try:
            printer = cls(profile=self.profile, **self.options)
            printer.open()
            if self.transport == "serial":
                printer.device.reset_input_buffer()  # a late reply from an earlier job is not this job's answer
        except Exception as exc:  # python-escpos raises many types here; report them as one
            detail = _detail(exc)
            if "No backend available" in detail:  # pyusb without the C library
                detail = "libusb is not installed (apt-get install libusb-1.0-0)"
            raise printer_error(self.name, FAULT_NOT_CONNECTED, detail) from exc
        return printer

    def _close(self, printer) -> None:
        try:
            printer.close()
        except Exception as exc:  # closing a vanished device; the outcome is already decided
            log.warning("%s: close failed: %s", self.name, _detail(exc))

    def _query(self, printer, request: bytes) -> bytes:
        if self.transport == "serial":
            # python-escpos' Serial._read() asks for 16 bytes and so always waits the whole timeout.
            printer._raw(request)
            return printer.device.read(1)
        return bytes(printer.query_status(request))

    def _allow_for_transmission(self, printer, data: bytes) -> None:
        """Serial: the job takes len*10/baud seconds on the wire, and the status request after it waits
        behind it; stretch the read (and bound the write) timeout by that much."""
        if self.transport != "serial":
            return
        device = printer.device
        wire = len(data) * 10 / (device.baudrate or 9600)
        base = device.timeout if device.timeout is not None else 1.0
        device.write_timeout = base + wire
        device.timeout = base + wire

    def _status(self, printer, *, lost: str) -> StatusReport:
        """Ask the status; a broken transport raises `lost`; a fault raises that fault."""

        def ask(request: bytes) -> int | None:
            try:
                reply = self._query(printer, request)
            except Exception as exc:
                if _timed_out(exc):
                    return None
                raise printer_error(self.name, lost, _detail(exc)) from exc
            return reply[0] if reply else None

        report = read_status(ask)
        if report.fault:
            raise printer_error(self.name, report.fault, report.detail)
        return report

    def send(self, data: bytes, *, job: str) -> PrintResult:
        printer = self._open()
        try:
            if self.reports_status:
                self._status(printer, lost=FAULT_NOT_CONNECTED)
            try:
                self._allow_for_transmission(printer, data)
                printer._raw(data)
            except Exception as exc:
                raise printer_error(self.name, FAULT_WRITE_FAILED, _detail(exc)) from exc
            if not self.reports_status:
                return PrintResult(confirmed=False)
            self._status(printer, lost=FAULT_CONNECTION_LOST)
        finally:
            self._close(printer)
        return PrintResult()

    def health(self) -> DeviceHealth:
        try:
            printer = self._open()
            try:
                if not self.reports_status:
                    return DeviceHealth(self.name, self.kind, Status.OK, READY_UNCONFIRMED)
                report = self._status(printer, lost=FAULT_NOT_CONNECTED)
            finally:
                self._close(printer)
        except PrinterError as exc:
            return DeviceHealth(self.name, self.kind, Status.ERROR, str(exc.params["reason"]))
        except Exception as exc:  # health never raises
            return DeviceHealth(self.name, self.kind, Status.ERROR, f"{type(exc).__name__}: {exc}")
        if report.paper_near_end:
            return DeviceHealth(self.name, self.kind, Status.WARNING, REASON_PAPER_NEAR_END)
        return DeviceHealth(self.name, self.kind, Status.OK, READY)
