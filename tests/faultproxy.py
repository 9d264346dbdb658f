"""A TCP proxy on loopback between a kiosk and central that misbehaves on purpose.

Only the network is faked: both ends are real processes speaking real HTTP. Modes, per
connection (change `proxy.mode` at any time; "chaos" draws one of the others at random):

    pass         forward both ways
    delay        forward, each chunk `delay` seconds late
    reset        accept, then reset the connection at once (SO_LINGER 0)
    drop_reply   forward the request, wait for central's first reply bytes (central answers
                 only after it committed), then reset: the reply is lost after the commit
    cut          forward the request, pass on half of the first reply chunk, then close
    garbage      forward the request, answer the kiosk with a malformed HTTP reply instead
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time

MODES = ("pass", "delay", "reset", "drop_reply", "cut", "garbage")
GARBAGE = (
    b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"acks": [{"id": 12, "seq": "x"'
)


def _reset(sock: socket.socket) -> None:
    """Close with an RST. shutdown(SHUT_RD) first wakes the other pump thread out of its recv():
    a socket closed while another thread still reads it sends nothing at all."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    sock.close()


def _finish(sock: socket.socket) -> None:
    """Close with a FIN, waking the other pump thread (see _reset)."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class FaultProxy:
    """Listens on 127.0.0.1:`port`, forwards to `upstream_port`."""

    def __init__(self, upstream_port: int, *, mode: str = "pass", delay: float = 0.2, seed: int = 1) -> None:
        self.upstream_port = upstream_port
        self.mode = mode
        self.delay = delay
        self.rng = random.Random(seed)
        self.counts = {m: 0 for m in MODES}
        self._lock = threading.Lock()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        self._live: set[socket.socket] = set()  # both ends of the connections open now (drop())
        threading.Thread(target=self._serve, name=f"fault-proxy-{self.port}", daemon=True).start()

    def _pick(self) -> str:
        with self._lock:
            mode = self.mode
            if mode == "chaos":
                mode = self.rng.choice(MODES)
            self.counts[mode] += 1
            return mode

    def _serve(self) -> None:
        while not self._closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client, self._pick()), daemon=True).start()

    def _handle(self, client: socket.socket, mode: str) -> None:
        if mode == "reset":
            _reset(client)
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
        except OSError:
            _reset(client)  # central is down: the kiosk sees a refused/reset connection
            return
        done = threading.Event()
        with self._lock:
            self._live.update((client, upstream))

        def pump(src: socket.socket, dst: socket.socket, replies: bool) -> None:
            first = True
            try:
                while not done.is_set():
                    data = src.recv(65536)
                    if not data:
                        break
                    if mode == "delay":
                        time.sleep(self.delay)
                    if replies and first and mode in ("drop_reply", "cut", "garbage"):
                        if mode == "cut":
                            dst.sendall(data[: max(1, len(data) // 2)])
                            _finish(dst)
                        elif mode == "garbage":
                            dst.sendall(GARBAGE)
                            _finish(dst)
                        else:
                            _reset(dst)
                        break
                    first = False
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                done.set()
                for s in (src, dst):
                    _finish(s)
                with self._lock:
                    self._live.difference_update((src, dst))

        threading.Thread(target=pump, args=(client, upstream, False), daemon=True).start()
        pump(upstream, client, True)

    def drop(self) -> None:
        """Reset every connection open now: a kept-alive HTTP connection does not outlive a cut
        link (set `mode = "reset"` first, so the client's next connection fails too)."""
        with self._lock:
            live, self._live = list(self._live), set()
        for sock in live:
            _reset(sock)

    def close(self) -> None:
        self._closed = True
        self.sock.close()
