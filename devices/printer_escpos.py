"""USB and serial receipt printers through python-escpos' transports."""

from __future__ import annotations

from devices.health import DeviceHealth, Status
from devices.printer import REASON_NO_ANSWER, REASON_NO_PAPER, REASON_NOT_CONNECTED, PrintResult
from kiosk.errors import PrinterError
from kiosk.escposlib import escpos_printer_module


class EscposTransportPrinter:
    """`transport` is "usb" or "serial"; `options` go to python-escpos' Usb or Serial class."""

    kind = "printer"

    def __init__(self, transport: str, profile: str, **options) -> None:
        self.transport, self.profile, self.options = transport, profile, options
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
            raise PrinterError(device=self.name, reason=f"{REASON_NOT_CONNECTED}: {self.transport} support missing")
        try:
            printer = cls(profile=self.profile, **self.options)
            printer.open()
        except Exception as exc:  # python-escpos raises many types here; report them as one
            detail = str(exc)
            if "No backend available" in detail:  # pyusb without the C library
                detail = "libusb is not installed (apt-get install libusb-1.0-0)"
            raise PrinterError(device=self.name, reason=f"{REASON_NOT_CONNECTED}: {detail}") from exc
        return printer

    def send(self, data: bytes, *, job: str) -> PrintResult:
        printer = self._open()
        try:
            if printer.paper_status() == 0 and self._answered(printer):
                raise PrinterError(device=self.name, reason=REASON_NO_PAPER)
            printer._raw(data)
        except PrinterError:
            raise
        except Exception as exc:
            raise PrinterError(device=self.name, reason=f"{REASON_NOT_CONNECTED}: {exc}") from exc
        finally:
            printer.close()
        return PrintResult()

    @staticmethod
    def _answered(printer) -> bool:
        # python-escpos reads "no reply" as 0 (no paper); we ask once more and trust only a real byte.
        try:
            return bool(printer.query_status(b"\x10\x04\x04"))
        except Exception:
            return False

    def health(self) -> DeviceHealth:
        try:
            printer = self._open()
        except PrinterError as exc:
            return DeviceHealth(self.name, self.kind, Status.ERROR, str(exc.params["reason"]))
        try:
            status = printer.query_status(b"\x10\x04\x04")
        except Exception:
            status = []
        finally:
            printer.close()
        if not status:
            return DeviceHealth(self.name, self.kind, Status.WARNING, REASON_NO_ANSWER)
        if status[0] & 0x60:
            return DeviceHealth(self.name, self.kind, Status.ERROR, REASON_NO_PAPER)
        return DeviceHealth(self.name, self.kind, Status.OK, "ready")
