"""The local store: SQLite in WAL mode, versioned migrations, and the outbox.

Every confirmed fact is written in one transaction together with its outbox
row (`Store.transaction()` + `Store.add_outbox`). Raises StoreError.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from kiosk.errors import StoreError

#: Schema migrations; the list index + 1 is the schema version (PRAGMA user_version).
MIGRATIONS: list[str] = [
    """
    CREATE TABLE tickets (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        day TEXT NOT NULL,
        prefix TEXT NOT NULL,
        seq INTEGER NOT NULL,
        service_code TEXT NOT NULL,
        agency_code TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        language TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        people_ahead INTEGER NOT NULL,
        estimated_wait_minutes INTEGER NOT NULL,
        estimated_call_at TEXT NOT NULL,
        estimated_done_at TEXT NOT NULL,
        service_minutes INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'waiting',
        printed_at TEXT,
        print_error TEXT,
        printer_output TEXT,
        outbox_id TEXT NOT NULL,
        UNIQUE (day, number)
    );
    CREATE INDEX tickets_day_service ON tickets (day, service_code);
    CREATE INDEX tickets_day_prefix ON tickets (day, prefix, estimated_done_at);
    CREATE TABLE counters (
        day TEXT NOT NULL,
        prefix TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (day, prefix)
    );
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        acked_at TEXT
    );
    CREATE INDEX outbox_pending ON outbox (acked_at, seq);
    """,
]


def _set_wal(conn: sqlite3.Connection, wait: float) -> None:
    """Switch the file to WAL. The switch needs the file to itself and SQLite's busy handler does
    not wait for it, so a process starting beside another (creating a new file) retries here."""
    deadline = time.monotonic() + wait
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Store:
    """One SQLite file. Use from one thread at a time (the kiosk's writer thread)."""

    def __init__(self, path: Path, *, busy_timeout: float = 10.0) -> None:
        import sqlite_utils  # ~0.4 s with what it pulls in: paid by the writer thread, not at start-up

        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=busy_timeout)
            _set_wal(conn, busy_timeout)
            conn.execute("PRAGMA synchronous=FULL")  # a committed ticket survives a power cut
            conn.execute("PRAGMA foreign_keys=ON")
            self.db = sqlite_utils.Database(conn)
            self.migrate()
        except sqlite3.Error as exc:
            raise StoreError(reason=f"{self.path}: {exc}") from exc
        except OSError as exc:
            raise StoreError(reason=f"{self.path.parent}: {exc.strerror or exc}") from exc

    @property
    def conn(self) -> sqlite3.Connection:
        """The SQLite connection (autocommit; use `transaction()` to write)."""
        return self.db.conn

    @property
    def version(self) -> int:
        """The schema version of the file."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply the migrations this file has not seen, each in its own transaction.

        The version is read inside the write transaction, so two processes opening a new file
        at once (the touch UI and a staff command) never apply the same migration twice.
        """
        while True:
            with self.transaction():
                current = self.version
                if current >= len(MIGRATIONS):
                    return
                for statement in MIGRATIONS[current].split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {current + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; rolls back on any exception.

        A database failure inside (locked too long, disk full, I/O error) becomes StoreError;
        the caller's own errors pass through unchanged, after the rollback.
        """
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(reason=f"{self.path}: {exc}") from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(reason=f"{self.path}: {exc}") from exc
            raise

    def add_outbox(self, kind: str, payload: dict, created_at: datetime) -> str:
        """Queue one record for central, inside the caller's transaction; returns its idempotency key."""
        key = str(uuid.uuid4())
        self.conn.execute(
            "INSERT INTO outbox (id, kind, payload, created_at) VALUES (?, ?, ?, ?)",
            (key, kind, json.dumps(payload, sort_keys=True, ensure_ascii=False), created_at.isoformat()),
        )
        return key

    def pending_outbox(self, limit: int = 100) -> list[dict]:
        """Outbox rows central has not acknowledged, oldest first."""
        return list(self.db.query("SELECT * FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?", [limit]))

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
