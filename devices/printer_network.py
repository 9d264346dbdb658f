"""A network receipt printer: raw ESC/POS over TCP (port 9100), status by DLE EOT."""

from __future__ import annotations

import socket

from devices.health import DeviceHealth, Status
from devices.printer import (
    OFFLINE_STATUS_REQUEST,
    PAPER_STATUS_REQUEST,
    REASON_COVER_OPEN,
    REASON_NO_ANSWER,
    REASON_NO_PAPER,
    REASON_NOT_CONNECTED,
    REASON_WRITE_FAILED,
    PrintResult,
    cover_open,
    paper_out,
)
from kiosk.errors import PrinterError


class NetworkPrinter:
    """A printer on the LAN speaking raw ESC/POS on a TCP port."""

    kind = "printer"

    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.name = f"printer (network {host}:{port})"

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise PrinterError(device=self.name, reason=f"{REASON_NOT_CONNECTED}: {exc}") from exc

    def _ask(self, sock: socket.socket, request: bytes) -> int | None:
        """One status byte, or None when the printer does not answer in time."""
        try:
            sock.sendall(request)
            reply = sock.recv(1)
        except TimeoutError:
            return None
        except OSError as exc:
            raise PrinterError(device=self.name, reason=f"{REASON_NOT_CONNECTED}: {exc}") from exc
        return reply[0] if reply else None

    def send(self, data: bytes, *, job: str) -> PrintResult:
        with self._connect() as sock:
            paper = self._ask(sock, PAPER_STATUS_REQUEST)
            if paper is not None and paper_out(paper):
                raise PrinterError(device=self.name, reason=REASON_NO_PAPER)
            try:
                sock.sendall(data)
            except OSError as exc:
                raise PrinterError(device=self.name, reason=f"{REASON_WRITE_FAILED}: {exc}") from exc
        return PrintResult()

    def health(self) -> DeviceHealth:
        try:
            with self._connect() as sock:
                paper = self._ask(sock, PAPER_STATUS_REQUEST)
                offline = self._ask(sock, OFFLINE_STATUS_REQUEST)
        except PrinterError as exc:
            return DeviceHealth(self.name, self.kind, Status.ERROR, str(exc.params["reason"]))
        if paper is None:
            return DeviceHealth(self.name, self.kind, Status.WARNING, REASON_NO_ANSWER)
        if paper_out(paper):
            return DeviceHealth(self.name, self.kind, Status.ERROR, REASON_NO_PAPER)
        if offline is not None and cover_open(offline):
            return DeviceHealth(self.name, self.kind, Status.ERROR, REASON_COVER_OPEN)
        return DeviceHealth(self.name, self.kind, Status.OK, "ready")
