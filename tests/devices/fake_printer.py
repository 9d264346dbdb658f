"""Simulated ESC/POS receipt printers that answer real-time status (DLE EOT n) like real ones.

`SimulatedPrinter` is the printer's side of the protocol, free of any transport: it splits
the incoming stream into status requests (DLE EOT 1..4, answered at once, as real printers
do) and job bytes (kept in `received`). Two transports carry it:

* `FakeNetworkPrinter`: a TCP server on loopback, like a printer on port 9100;
  one connection at a time, the way most network printers work.
* `PtyPrinter`: the far end of a pty, like a printer on a serial line.

`behaviour` picks what the printer does (see BEHAVIOURS). Tests import it as
`from tests.devices.fake_printer import FakeNetworkPrinter`.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import struct
import threading
import time
import tty

#: What the simulated printer can do.
BEHAVIOURS = (
    "fine",  # answers every status request: all well
    "paper_out",  # roll empty (DLE EOT 4 bits 5-6, DLE EOT 2 bit 5, DLE EOT 1 offline)
    "cover_open",  # cover open (DLE EOT 2 bit 2, DLE EOT 1 offline)
    "offline",  # offline for another cause (DLE EOT 1 bit 3 only)
    "near_end",  # paper near its end (DLE EOT 4 bits 2-3): still prints
    "reset_mid_job",  # reads the first `reset_after` job bytes, then resets the connection (RST)
    "close_on_status_after_job",  # reads the whole job, closes when asked for status after it
    "silent",  # never answers a status request (reads and keeps everything)
    "silent_after_job",  # answers before the job; after it swallows everything, answers nothing
    "garbage",  # answers every status request with `garbage` (not a valid status byte)
    "cover_opens_during_job",  # fine before the job; the cover is open from its first byte on
)

DLE, EOT = 0x10, 0x04

#: Printers faulty before the job, with the fault and the exact reason every adapter must give:
#: (behaviour, fault, reason). The network and serial tests share it, so they test one contract.
FAULTY_BEFORE_JOB = [
    ("paper_out", "paper_out", "out of paper"),
    ("cover_open", "cover_open", "cover open"),
    ("offline", "offline", "printer offline"),
    ("silent", "not_answering", "not answering status requests"),
    ("garbage", "bad_reply", "unreadable status reply: 0xff to DLE EOT 1"),
]


class SimulatedPrinter:
    """A printer's state and its answers; `received` holds every job byte it read, in order."""

    def __init__(
        self,
        behaviour: str = "fine",
        *,
        status: dict[int, int] | None = None,
        garbage: bytes = b"\xff",
        reset_after: int = 64,
    ) -> None:
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}; one of {BEHAVIOURS}")
        self.behaviour = behaviour
        self.paper = {"paper_out": "out", "near_end": "near_end"}.get(behaviour, "ok")
        self.cover_open = behaviour == "cover_open"
        self.offline = behaviour == "offline"
        #: Raw reply bytes by n, overriding the state (for odd printers).
        self.status = dict(status or {})
        self.garbage = garbage
        self.reset_after = reset_after
        self.received = bytearray()
        #: Every status request: (n, job bytes read on that link before it).
        self.requests: list[tuple[int, int]] = []
        self.links = 0
        self._cond = threading.Condition()

    def status_byte(self, n: int) -> int:
        """The reply to DLE EOT n in the current state."""
        if n in self.status:
            return self.status[n]
        out = self.paper == "out"
        if n == 1:
            return 0x12 | (0x08 if self.offline or self.cover_open or out else 0)
        if n == 2:
            return 0x12 | (0x04 if self.cover_open else 0) | (0x20 if out else 0)
        if n == 4:
            return 0x12 | (0x6C if out else 0x0C if self.paper == "near_end" else 0)
        return 0x12

    def new_link(self) -> Link:
        with self._cond:
            self.links += 1
        return Link(self)

    def wait_until(self, pred, timeout: float = 3.0) -> None:
        """Block until `pred()` holds (checked whenever the printer reads something)."""
        with self._cond:
            if not self._cond.wait_for(pred, timeout):
                raise AssertionError("the simulated printer never got there")

    def requests_after_job(self) -> int:
        return sum(1 for _, job in self.requests if job)


class Link:
    """One connection (or one open serial line): parses the stream, says what to answer."""

    def __init__(self, printer: SimulatedPrinter) -> None:
        self.printer = printer
        self.pending = b""
        self.job = 0  # job bytes read on this link

    def read_limit(self) -> int:
        """How many bytes to read next: a resetting printer reads no further than `reset_after`."""
        if self.printer.behaviour == "reset_mid_job":
            return max(1, self.printer.reset_after - self.job)
        return 65536

    def feed(self, data: bytes) -> tuple[bytes, str | None]:
        """Read `data`; return the reply bytes and an action: None, "close" or "reset"."""
        p = self.printer
        reply = bytearray()
        buf = self.pending + data
        i = 0
        with p._cond:
            try:
                while i < len(buf):
                    j = buf.find(bytes([DLE]), i)
                    if j < 0:
                        self._job(buf[i:])
                        i = len(buf)
                        break
                    self._job(buf[i:j])
                    i = j
                    head = buf[j : j + 3]
                    if head in (bytes([DLE]), bytes([DLE, EOT])):
                        break  # maybe a request split across reads: wait for the rest
                    if len(head) == 3 and head[1] == EOT and 1 <= head[2] <= 4:
                        i = j + 3
                        action = self._request(head[2], reply)
                        if action:
                            return bytes(reply), action
                    else:
                        self._job(buf[j : j + 1])
                        i = j + 1
                self.pending = buf[i:]
                if p.behaviour == "reset_mid_job" and self.job >= p.reset_after:
                    return bytes(reply), "reset"
                return bytes(reply), None
            finally:
                p._cond.notify_all()

    def close(self) -> None:
        """The link ended: a dangling DLE was job data after all."""
        with self.printer._cond:
            self._job(self.pending)
            self.pending = b""
            self.printer._cond.notify_all()

    def _job(self, data: bytes) -> None:
        if not data:
            return
        self.job += len(data)
        self.printer.received += data
        if self.printer.behaviour == "cover_opens_during_job":
            self.printer.cover_open = True

    def _request(self, n: int, reply: bytearray) -> str | None:
        p = self.printer
        after_job = self.job > 0
        p.requests.append((n, self.job))
        if p.behaviour == "silent" or (p.behaviour == "silent_after_job" and after_job):
            return None
        if p.behaviour == "close_on_status_after_job" and after_job:
            return "close"
        if p.behaviour == "garbage":
            reply += p.garbage
            return None
        reply.append(p.status_byte(n))
        return None


class FakeNetworkPrinter(SimulatedPrinter):
    """Listens on 127.0.0.1 like a printer on port 9100; serves one connection at a time.

    `port` (default: any free one) lets a test plug a printer back in where an earlier one was."""

    def __init__(self, behaviour: str = "fine", *, port: int = 0, **kw) -> None:
        super().__init__(behaviour, **kw)
        self.sock = socket.create_server(("127.0.0.1", port))
        self.host, self.port = self.sock.getsockname()[:2]
        self.thread = threading.Thread(target=self._serve, name=f"fake-printer-{self.port}", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self._serve_link(conn)

    def _serve_link(self, conn: socket.socket) -> None:
        link = self.new_link()
        try:
            while True:
                try:
                    chunk = conn.recv(link.read_limit())
                except OSError:
                    return
                if not chunk:
                    return
                reply, action = link.feed(chunk)
                if reply:
                    try:
                        conn.sendall(reply)
                    except OSError:
                        return
                if action == "reset":  # SO_LINGER 0: close() sends RST, the unread rest of the job is dropped
                    with contextlib.suppress(OSError):
                        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                if action == "close":
                    return
        finally:
            link.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() on Linux
        self.sock.close()
        self.thread.join(2)


class PtyPrinter(SimulatedPrinter):
    """The far end of a serial line, on a pty: `path` is the device file to open."""

    def __init__(self, behaviour: str = "fine", **kw) -> None:
        super().__init__(behaviour, **kw)
        self.master, slave = os.openpty()
        tty.setraw(slave)
        self.path = os.ttyname(slave)
        self._slave = slave
        self._stop = False
        self._link = self.new_link()
        self.thread = threading.Thread(target=self._run, name="fake-printer-pty", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.02)
                if not ready:
                    continue
                chunk = os.read(self.master, 4096)
                reply, _action = self._link.feed(chunk)  # a serial line cannot be "reset": close/reset = go quiet
                if reply:
                    os.write(self.master, reply)
            except (OSError, ValueError):  # the test closed the pty
                return

    def close(self) -> None:
        self._stop = True
        self.thread.join(2)
        os.close(self.master)
        os.close(self._slave)


def free_port() -> int:
    """A loopback port nobody listens on (a printer whose cable is out)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settle(seconds: float = 0.05) -> None:
    """Give a simulated printer's thread time to read what it would read (only to prove a negative)."""
    time.sleep(seconds)
