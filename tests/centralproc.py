"""A real central (`python -m central.cli --demo --db URL`) as a process on a loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ADMIN = {"Authorization": "Bearer demo-admin"}


def free_port() -> int:
    """A loopback port nobody listens on (yet)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Central:
    """`central --demo` as a process; `kill()` is SIGKILL, `start()` again keeps its database."""

    def __init__(self, db_url: str, port: int | None = None) -> None:
        self.db_url, self.port = db_url, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Central:
        cmd = [sys.executable, "-m", "central.cli", "--db", self.db_url, "--port", str(self.port), "--demo"]
        self.proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"central exited: {self.proc.stderr.read().decode()}")
            try:
                if httpx.get(f"{self.url}/openapi.json", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise AssertionError("central did not come up in 20 s")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def tickets(self, hall: str = "DEMO") -> list[dict]:
        r = httpx.get(f"{self.url}/api/v1/halls/{hall}/tickets", headers=ADMIN, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["tickets"]
