"""A network receipt printer: raw ESC/POS over TCP (port 9100), status by DLE EOT.

One TCP connection per job: connect, ask the status (DLE EOT 1, 2, 4), send the
job, then ask the status again *on the same connection*. TCP delivers in order,
so a printer that answers the requests after the job has read every byte of
the job first; `sendall` alone only says the local kernel took the bytes.

A printer that drops the connection during the job (reads part of it, then
resets or closes) cannot produce the three reply bytes: the status request or
its reply read then fails with a reset or end-of-file (`connection_lost`), or,
if the reset never arrives, times out (`not_answering`). Either way the job is
never reported as printed. The socket is closed normally (no SO_LINGER 0 RST),
so a printer is never told to drop what it has buffered.
"""

from __future__ import annotations

import contextlib
import socket

from devices.health import DeviceHealth, Status
from devices.printer import (
    FAULT_CONNECTION_LOST,
    FAULT_NOT_CONNECTED,
    READY,
    READY_UNCONFIRMED,
    REASON_PAPER_NEAR_END,
    PrintResult,
    StatusReport,
    printer_error,
    read_status,
)
from kiosk.errors import PrinterError


def _detail(exc: OSError) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    return exc.strerror or str(exc) or type(exc).__name__


class NetworkPrinter:
    """A printer on the LAN speaking raw ESC/POS on a TCP port.

    `timeout` (seconds) bounds the connect, every write and every status reply.
    `reports_status=False` is for models that cannot answer DLE EOT: jobs are sent
    unconfirmed (`PrintResult(confirmed=False)`) and health only checks the connection.
    """

    kind = "printer"

    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0, *, reports_status: bool = True) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.reports_status = reports_status
        self.name = f"printer (network {host}:{port})"

    def _connect(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise printer_error(self.name, FAULT_NOT_CONNECTED, _detail(exc)) from exc
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # status requests are 3 bytes
        return sock

    def _status(self, sock: socket.socket, *, lost: str) -> StatusReport:
        """Ask the status on `sock`; a broken link raises `lost`; a fault raises that fault."""

        def ask(request: bytes) -> int | None:
            try:
                sock.sendall(request)
                reply = sock.recv(1)
            except TimeoutError:
                return None
            except OSError as exc:  # reset, broken pipe, unreachable
                raise printer_error(self.name, lost, _detail(exc)) from exc
            if not reply:
                raise printer_error(self.name, lost, "closed by the printer")
            return reply[0]

        report = read_status(ask)
        if report.fault:
            raise printer_error(self.name, report.fault, report.detail)
        return report

    def send(self, data: bytes, *, job: str) -> PrintResult:
        with self._connect() as sock:
            if self.reports_status:
                self._status(sock, lost=FAULT_NOT_CONNECTED)
            try:
                sock.sendall(data)
            except OSError as exc:
                raise printer_error(self.name, FAULT_CONNECTION_LOST, _detail(exc)) from exc
            if not self.reports_status:
                return PrintResult(confirmed=False)
            self._status(sock, lost=FAULT_CONNECTION_LOST)
        return PrintResult()

    def health(self) -> DeviceHealth:
        try:
            with self._connect() as sock:
                if not self.reports_status:
                    return DeviceHealth(self.name, self.kind, Status.OK, READY_UNCONFIRMED)
                report = self._status(sock, lost=FAULT_NOT_CONNECTED)
        except PrinterError as exc:
            return DeviceHealth(self.name, self.kind, Status.ERROR, str(exc.params["reason"]))
        except Exception as exc:  # health never raises
            return DeviceHealth(self.name, self.kind, Status.ERROR, f"{type(exc).__name__}: {exc}")
        if report.paper_near_end:
            return DeviceHealth(self.name, self.kind, Status.WARNING, REASON_PAPER_NEAR_END)
        return DeviceHealth(self.name, self.kind, Status.OK, READY)
