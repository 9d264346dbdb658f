"""A throwaway PostgreSQL server for the test session, shared by tests/central and tests/sync.

Use it from a conftest.py:

    from conftest_postgres import postgres_server  # noqa: F401  (the session fixture)

    def test_something(postgres_server):
        url = postgres_server.create_database("my_test_db")  # postgresql+psycopg://...

The server is started once per test process, on first use: `initdb` and `pg_ctl` from
`pg_config --bindir` (or /usr/lib/postgresql/*/bin, or PATH), run as the `postgres` user when
we are root (PostgreSQL refuses to run as root), in a temporary folder, on a free loopback
port, with fsync off (test data only). It is stopped at exit, also after a failure.

If it cannot be started, a test asking for it FAILS with the reason; with
KIOSK_TESTS_NO_POSTGRES=1 (a developer machine without PostgreSQL) it is skipped instead.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

NO_POSTGRES_ENV = "KIOSK_TESTS_NO_POSTGRES"


class PostgresUnavailable(RuntimeError):
    """The server could not be started; str() says why."""


def _bindir() -> Path:
    candidates: list[Path] = []
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    except (OSError, subprocess.TimeoutExpired):
        pass
    candidates += [
        Path(p)
        for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    ]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for c in candidates:
        if (c / "initdb").exists() and (c / "pg_ctl").exists():
            return c
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) found via pg_config --bindir, /usr/lib/postgresql/*/bin "
        "or PATH; install the postgresql package"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder."""

    def __init__(self) -> None:
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="mpp-test-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sock"
        self.log = self.root / "server.log"
        self.port = 0
        self.user = "postgres"
        self._as: list[str] = []
        self._lock = threading.Lock()
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root and there is no 'postgres' user to run the server") from None
            self._as = ["runuser", "-u", "postgres", "--"]
            self.sockets.mkdir()
            for path in (self.root, self.sockets):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        else:
            self.sockets.mkdir()

    def _run(self, *args: str, timeout: float = 60) -> None:
        try:
            out = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PostgresUnavailable(f"{Path(args[0]).name}: {exc}") from None
        if out.returncode != 0:
            detail = (out.stderr or out.stdout).strip().splitlines()
            log = self.log.read_text(errors="replace").strip().splitlines()[-3:] if self.log.exists() else []
            raise PostgresUnavailable(f"{Path(args[0]).name} failed: {' / '.join(detail[-3:] + log)}")

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        )
        last: PostgresUnavailable | None = None
        for _ in range(3):  # a port taken between choosing and binding: try another
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
            )
            try:
                self._run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start"
                )
                return
            except PostgresUnavailable as exc:
                last = exc
        raise last or PostgresUnavailable("pg_ctl start failed")

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                [*self._as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) for `dbname` on this server."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def dsn(self, dbname: str = "postgres") -> str:
        """A libpq connection string for psycopg."""
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={dbname}"

    def create_database(self, name: str, *, template: str | None = None, replace: bool = True) -> str:
        """Create database `name` (dropping one of that name first); returns its URL."""
        import psycopg

        with self._lock, psycopg.connect(self.dsn(), autocommit=True) as conn:
            if replace:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)


_server: PostgresServer | None = None
_failure: PostgresUnavailable | None = None
_start_lock = threading.Lock()


def get_server() -> PostgresServer:
    """The session's server, started on first call; PostgresUnavailable (cached) if it cannot be."""
    global _server, _failure
    with _start_lock:
        if _server is not None:
            return _server
        if _failure is not None:
            raise _failure
        server = None
        try:
            server = PostgresServer()
            atexit.register(server.stop)
            server.start()
        except PostgresUnavailable as exc:
            _failure = exc
            raise
        _server = server
        return server


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    """The throwaway PostgreSQL server (see the module docstring)."""
    try:
        return get_server()
    except PostgresUnavailable as exc:
        if os.environ.get(NO_POSTGRES_ENV) == "1":
            pytest.skip(f"PostgreSQL unavailable, skipped ({NO_POSTGRES_ENV}=1): {exc}")
        pytest.fail(
            f"PostgreSQL could not be started: {exc} (set {NO_POSTGRES_ENV}=1 to skip these tests)", pytrace=False
        )
