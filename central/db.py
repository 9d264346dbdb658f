"""The database: one SQLAlchemy 2 engine per process, sessions per request.

SQLite (a demo, a single hall): WAL, synchronous=FULL (an acknowledged fact survives a power
cut: the kiosk forgets what central acked), foreign keys on, a busy timeout, and transactions
that write start with BEGIN IMMEDIATE, so two writers queue on the busy timeout instead of
failing on a lock upgrade. PostgreSQL (a region, several workers): psycopg 3
(`postgresql+psycopg://`), READ COMMITTED, row locks where an order matters (see repo/).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from central.settings import Settings

#: The execution option that makes a SQLite transaction start with BEGIN IMMEDIATE.
IMMEDIATE = "central_sqlite_immediate"


def make_engine(settings: Settings) -> Engine:
    """The engine for `settings.db_url`; creates a SQLite file's folder. Connects lazily."""
    url = make_url(settings.db_url)
    if url.drivername != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=30)
    Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    busy = settings.sqlite_busy_timeout
    engine = create_engine(url, connect_args={"timeout": busy, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        dbapi_conn.execute(f"PRAGMA busy_timeout = {int(busy * 1000)}")
        _set_wal(dbapi_conn, busy)
        dbapi_conn.execute("PRAGMA synchronous = FULL")
        dbapi_conn.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(IMMEDIATE) else "BEGIN")

    return engine


def _set_wal(conn: sqlite3.Connection, wait: float) -> None:
    """Switch to WAL; the switch needs the file to itself and the busy handler does not wait
    for it, so a process starting beside another one retries."""
    deadline = time.monotonic() + wait
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Database:
    """The engine and the two kinds of session: writing (BEGIN IMMEDIATE on SQLite) and reading."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.writer = self.engine.execution_options(**{IMMEDIATE: True})
        self._write = sessionmaker(bind=self.writer, expire_on_commit=False, autoflush=False)
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=False)

    def session(self, *, write: bool = True) -> Session:
        """A new session; the caller commits (or closes, which rolls back)."""
        return (self._write if write else self._read)()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: commit at the end, roll back on any exception."""
        with self.session() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def redacted(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a message must not fail on a bad URL
        return "the database URL"
