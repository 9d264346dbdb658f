"""The local store: SQLite in WAL mode, versioned migrations, and the outbox.

Every confirmed fact is written in one transaction together with its outbox
row (`Store.transaction()` + `Store.add_outbox`). Raises StoreError, or its
kinds StoreDamaged (the quick integrity check failed when it opened) and
StoreTooNew (a newer kiosk wrote the schema); both leave the file as found.
Plain sqlite3: sqlite-utils cost 0.4 s of imports (numpy) for a few queries.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from kiosk import audit
from kiosk.errors import StoreDamaged, StoreError, StoreTooNew

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
    # 2: a ticket's print state (pending until the printer's answer is recorded, then printed,
    # failed or unconfirmed), the process that prints it (to reconcile after a kill), an index
    # for the people-ahead look-up and a per-service count of the day's tickets (the quota), so
    # a ticket costs the same at the end of a busy day as at its start.
    """
    ALTER TABLE tickets ADD COLUMN print_state TEXT NOT NULL DEFAULT 'pending';
    ALTER TABLE tickets ADD COLUMN owner TEXT;
    UPDATE tickets SET print_state = CASE
        WHEN printed_at IS NOT NULL THEN 'printed'
        WHEN print_error IS NOT NULL THEN 'failed'
        ELSE 'pending' END;
    CREATE INDEX tickets_waiting ON tickets (day, prefix, status, estimated_call_at);
    CREATE INDEX tickets_print_pending ON tickets (owner) WHERE print_state = 'pending';
    CREATE TABLE service_counts (
        day TEXT NOT NULL,
        service_code TEXT NOT NULL,
        issued INTEGER NOT NULL,
        PRIMARY KEY (day, service_code)
    );
    INSERT INTO service_counts (day, service_code, issued)
        SELECT day, service_code, count(*) FROM tickets GROUP BY day, service_code;
    """,
    # 3: sync with central. `sync_state` holds the sync client's few facts (pull cursor, last
    # good sync, last error, clock skew, which central and kiosk the cursor belongs to); the
    # catalog versions and the commands central sent (kept, accepted or refused); and each
    # outbox row keeps central's answer (stored, duplicate, conflict). The pending outbox rows
    # are read through outbox_pending (acked_at, seq): `acked_at IS NULL ORDER BY seq` is one
    # index range, whatever the size of the acknowledged history.
    """
    CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE central_catalog (
        version INTEGER PRIMARY KEY,
        cursor INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        toml TEXT NOT NULL,
        state TEXT NOT NULL,
        error TEXT
    );
    CREATE TABLE commands (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        args TEXT NOT NULL,
        cursor INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        detail TEXT,
        done_at TEXT
    );
    CREATE INDEX commands_pending ON commands (cursor) WHERE state = 'pending';
    ALTER TABLE outbox ADD COLUMN ack_status TEXT;
    """,
    # 4: hall-wide quotas. This kiosk's lease of each service's daily quota per hall-local day, as
    # central granted it (README, "Hall-wide quotas"): `granted` adds up central's grants (written
    # in the pull transaction, with the cursor), `returned` what the kiosk gave back (with its
    # `lease.return` outbox row), `used` the tickets issued under the lease (in each ticket's own
    # transaction). The kiosk may issue while used < granted - returned. `quota` and `hall_full`
    # are what central said last about the hall's quota. A kiosk with no row at all has never
    # been leased anything and keeps its own per-kiosk quota.
    """
    CREATE TABLE leases (
        day TEXT NOT NULL,
        service_code TEXT NOT NULL,
        granted INTEGER NOT NULL DEFAULT 0,
        returned INTEGER NOT NULL DEFAULT 0,
        used INTEGER NOT NULL DEFAULT 0,
        quota INTEGER NOT NULL,
        hall_full INTEGER NOT NULL DEFAULT 0,
        cursor INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (day, service_code)
    );
    """,
    # 5: priority tickets (kiosk/priority.py). `tickets.priority` is the kind (elderly,
    # disability, pregnant, infant), NULL for a normal ticket; a priority ticket has its own
    # number series per letter (A1-P001), counted in `counters` under `series` 'P' ('' is the
    # normal series), and `service_counts.priority_issued` counts the day's priority tickets of a
    # service (`issued` stays the total: the daily quota covers both). The people-ahead look-ups
    # run per series, each on a partial index of its own.
    """
    ALTER TABLE tickets ADD COLUMN priority TEXT;
    CREATE TABLE counters_v5 (
        day TEXT NOT NULL,
        prefix TEXT NOT NULL,
        series TEXT NOT NULL DEFAULT '',
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (day, prefix, series)
    );
    INSERT INTO counters_v5 (day, prefix, series, last_seq) SELECT day, prefix, '', last_seq FROM counters;
    DROP TABLE counters;
    ALTER TABLE counters_v5 RENAME TO counters;
    ALTER TABLE service_counts ADD COLUMN priority_issued INTEGER NOT NULL DEFAULT 0;
    DROP INDEX tickets_waiting;
    CREATE INDEX tickets_waiting ON tickets (day, prefix, status, estimated_call_at) WHERE priority IS NULL;
    CREATE INDEX tickets_waiting_priority ON tickets (day, prefix, status, estimated_call_at)
        WHERE priority IS NOT NULL;
    """,
    # 6: signed QR credentials (kiosk/credential.py). The hall's public keys and the revocations
    # central sent (written in the pull transaction, with the cursor), and the credentials used
    # at this kiosk: one row per nonce, written in the ticket's transaction with its
    # `credential.used` outbox row, so a booking cannot be used twice here.
    """
    CREATE TABLE credential_keys (
        key_id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        valid_from TEXT,
        valid_until TEXT,
        revoked INTEGER NOT NULL DEFAULT 0,
        cursor INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE credential_revocations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        nonce TEXT,
        subject TEXT,
        issued_before TEXT,
        cursor INTEGER NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE INDEX credential_revocations_nonce ON credential_revocations (nonce);
    CREATE TABLE used_credentials (
        nonce TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        ticket_id TEXT,
        used_at TEXT NOT NULL,
        outbox_id TEXT NOT NULL
    );
    """,
    # 7: face templates (kiosk/face/templates.py). One row per enrolment photo: the 128-d
    # encoding encrypted with AES-GCM (a fresh 12-byte nonce per row; the key is a file outside
    # the database), never an image; who consented and when. `forget` deletes a person's rows.
    """
    CREATE TABLE face_templates (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        nonce BLOB NOT NULL,
        template BLOB NOT NULL,
        key_id TEXT NOT NULL,
        consent_by TEXT NOT NULL,
        consent_at TEXT NOT NULL,
        enrolled_at TEXT NOT NULL
    );
    CREATE INDEX face_templates_subject ON face_templates (subject);
    """,
    # 8: identity on tickets (kiosk/identity.py). How the visitor proved who they are for a
    # service that needs it (face, qr, nik), the result, and the subject: a NIK masked unless
    # the service keeps it (never a face template or image).
    """
    ALTER TABLE tickets ADD COLUMN identity_method TEXT;
    ALTER TABLE tickets ADD COLUMN identity_result TEXT;
    ALTER TABLE tickets ADD COLUMN identity_subject TEXT;
    """,
    # 9: the tamper-evident audit log (kiosk/audit.py): one row per event, in a hash chain.
    # `seq` is the chain position (the rowid: reading the last row is the end of the b-tree);
    # every outbox fact is an event (outbox_id set), and so is what `Store.add_audit` records.
    # The migration writes the genesis event (MIGRATION_HOOKS): history before it is not chained.
    """
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        outbox_id TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    """,
    # 10: remote commands (kiosk/commands.py). Services a supervisor paused (by command), the
    # kiosk-wide "out of service" lock (one row at most), and when central took each command's
    # outcome (`acked_at`): a command is executed once (state pending -> done/failed, in one
    # transaction) and acknowledged after, so an outcome not acknowledged yet is sent again.
    """
    CREATE TABLE paused_services (
        service_code TEXT PRIMARY KEY,
        paused_at TEXT NOT NULL,
        command_id TEXT
    );
    CREATE TABLE kiosk_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        since TEXT NOT NULL,
        command_id TEXT
    );
    ALTER TABLE commands ADD COLUMN acked_at TEXT;
    CREATE INDEX commands_unacked ON commands (cursor) WHERE acked_at IS NULL AND state <> 'pending';
    """,
]


def _start_audit_chain(conn: sqlite3.Connection) -> None:
    audit.start_chain(conn, schema_from=audit.SCHEMA_VERSION - 1)


#: Python run after a migration's SQL, in the same transaction: {schema version: fn(conn)}.
MIGRATION_HOOKS = {9: _start_audit_chain}


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

    def __init__(self, path: Path, *, busy_timeout: float = 10.0, check: bool = True) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            existed = self.path.exists() and self.path.stat().st_size > 0
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=busy_timeout)
            if existed and check:
                self._check_before_use()  # reads only: a damaged or newer file stays as it was
            _set_wal(self.conn, busy_timeout)
            self.conn.execute("PRAGMA synchronous=FULL")  # a committed ticket survives a power cut
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.migrate()
        except StoreError:
            self._close_quietly()
            raise
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            if _is_corruption(exc):
                raise StoreDamaged(path=str(self.path), detail=str(exc)) from exc
            raise StoreError(reason=f"{self.path}: {exc}") from exc
        except OSError as exc:
            self._close_quietly()
            raise StoreError(reason=f"{self.path.parent}: {exc.strerror or exc}") from exc

    def _check_before_use(self) -> None:
        """Schema version and quick check on a read-only connection: a refused file is not even
        checkpointed when it closes, so a technician finds it exactly as it was."""
        ro = _read_only(self.path, self.conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000)
        try:
            found = ro.execute("PRAGMA user_version").fetchone()[0]
            if found > len(MIGRATIONS):
                raise StoreTooNew(path=str(self.path), found=found, known=len(MIGRATIONS))
            problems = quick_check(ro)
            if problems:
                raise StoreDamaged(path=str(self.path), detail=problems[0])
        finally:
            ro.close()

    def _close_quietly(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass

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
                if current + 1 in MIGRATION_HOOKS:
                    MIGRATION_HOOKS[current + 1](self.conn)
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
                raise _store_error(self.path, exc) from exc
            raise

    def add_outbox(self, kind: str, payload: dict, created_at: datetime) -> str:
        """Queue one record for central, inside the caller's transaction; returns its idempotency
        key. The record is also an event of the audit chain (kiosk/audit.py), in the same
        transaction. TypeError or ValueError for a payload that is not JSON (NaN included)."""
        key = str(uuid.uuid4())
        at = created_at.isoformat()
        data = audit.canonical(payload)
        self.conn.execute(
            "INSERT INTO outbox (id, kind, payload, created_at) VALUES (?, ?, ?, ?)",
            (key, kind, json.dumps(payload, sort_keys=True, ensure_ascii=False), at),
        )
        audit.append(self.conn, kind, data, at, key)
        return key

    def add_audit(self, kind: str, data: dict, at: datetime) -> int:
        """Record an event in the audit chain that is not a fact for central (facts go through
        `add_outbox`, which chains them itself): a supervisor's or technician's action or attempt
        (`supervisor.pin_failed`, `supervisor.locked`, ...), an identity decision
        (`identity.decided` with method, result, score: never a face template, image or raw
        NIK), a configuration change (`config.catalog_applied`), a command executed.

        `kind` is a short dotted name; `data` a JSON object (keys sorted when stored); `at` the
        time, with its offset. Inside the caller's transaction when there is one (atomic with
        what it records), else in a transaction of its own. Returns the event's chain position
        (seq). Raises StoreError when the store fails, TypeError or ValueError for data that is
        not JSON.
        The event reaches central with the next sync (sync/engine/push.py)."""
        text = audit.canonical(data)
        if self.conn.in_transaction:
            return audit.append(self.conn, kind, text, at.isoformat())
        with self.transaction() as conn:
            return audit.append(conn, kind, text, at.isoformat())

    def paused_services(self) -> dict[str, dict]:
        """The services a supervisor paused (kiosk/commands.py): code -> {paused_at, command_id}."""
        rows = self.query("SELECT service_code, paused_at, command_id FROM paused_services ORDER BY service_code")
        return {r.pop("service_code"): r for r in rows}

    def is_paused(self, code: str) -> bool:
        """Whether a supervisor paused the service `code` (one row looked up, not the table read)."""
        return bool(self.query("SELECT 1 FROM paused_services WHERE service_code = ?", [code]))

    def lock_state(self) -> dict | None:
        """The kiosk-wide lock ("out of service", kiosk/commands.py): {since, command_id}, or None."""
        rows = self.query("SELECT since, command_id FROM kiosk_lock WHERE id = 1")
        return rows[0] if rows else None

    def query(self, sql: str, params: tuple | list = ()) -> list[dict]:
        """Rows as dicts; a database failure becomes StoreError."""
        try:
            cursor = self.conn.cursor()
            cursor.row_factory = sqlite3.Row
            return [dict(row) for row in cursor.execute(sql, params)]
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from exc

    def tables(self) -> list[str]:
        """The names of the tables in the file."""
        return [r["name"] for r in self.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def pending_outbox(self, limit: int = 100) -> list[dict]:
        """Outbox rows central has not acknowledged, oldest first."""
        return self.query("SELECT * FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?", [limit])

    # --- sync: the outbox seen from the sync client, and its few facts --------------------

    def outbox_batch(self, *, after_seq: int = 0, limit: int = 500) -> list[dict]:
        """Rows to send: not acknowledged, not set aside, sequence number above `after_seq`, in order."""
        return self.query(
            "SELECT seq, id, kind, payload, created_at, attempts FROM outbox "
            "WHERE acked_at IS NULL AND seq > ? AND ack_status IS NULL ORDER BY seq LIMIT ?",
            [after_seq, limit],
        )

    def outbox_set_aside(self) -> int:
        """How many unacknowledged rows are set aside because central refused them (`rejected`)."""
        return self.query("SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL AND ack_status = 'rejected'")[0]["n"]

    def retry_set_aside(self) -> int:
        """Offer the rows central refused again (after a kiosk or central fix); returns how many."""
        with self.transaction() as conn:
            return conn.execute(
                "UPDATE outbox SET ack_status = NULL WHERE acked_at IS NULL AND ack_status = 'rejected'"
            ).rowcount

    def outbox_backlog(self) -> tuple[int, str | None]:
        """How many rows central has not acknowledged, and when the oldest of them was made."""
        count = self.query("SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL")[0]["n"]
        oldest = self.query("SELECT created_at FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT 1")
        return count, oldest[0]["created_at"] if oldest else None

    def mark_outbox(
        self,
        acked: Iterable[tuple[str, str]],
        failed: Iterable[tuple[str, str]],
        at: datetime,
        *,
        rejected: Iterable[tuple[str, str]] = (),
    ) -> int:
        """One transaction for one answer of central: each (id, status) of `acked` is
        acknowledged (a `conflict` keeps a note in last_error), each (id, error) of `failed`
        counts an attempt and keeps the error, each (id, error) of `rejected` (central refused
        the item itself) is also set aside, not sent again until `retry_set_aside()`. Rows
        acknowledged already stay as they are. Returns how many rows were acknowledged now.
        Raises StoreError."""
        stamp = at.isoformat(timespec="seconds")
        done = 0
        with self.transaction() as conn:
            for key, status in acked:
                note = "conflict: central holds a different payload under this id" if status == "conflict" else None
                done += conn.execute(
                    "UPDATE outbox SET acked_at = ?, ack_status = ?, attempts = attempts + 1, last_error = ? "
                    "WHERE id = ? AND acked_at IS NULL",
                    (stamp, status, note, key),
                ).rowcount
            for key, error in failed:
                conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ? AND acked_at IS NULL",
                    (error, key),
                )
            for key, error in rejected:
                conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?, ack_status = 'rejected' "
                    "WHERE id = ? AND acked_at IS NULL",
                    (error, key),
                )
        return done

    def sync_state(self) -> dict[str, str]:
        """The sync client's facts (pull_cursor, last_sync_at, last_error, ...) as stored."""
        return {r["key"]: r["value"] for r in self.query("SELECT key, value FROM sync_state")}

    def set_sync_state(self, values: dict[str, object], at: datetime) -> None:
        """Store sync facts (None removes one), inside the caller's transaction when there is
        one (a pull page and its cursor commit together), else in a transaction of their own."""
        stamp = at.isoformat(timespec="seconds")

        def write(conn: sqlite3.Connection) -> None:
            for key, value in values.items():
                if value is None:
                    conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
                else:
                    conn.execute(
                        "INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                        (key, str(value), stamp),
                    )

        if self.conn.in_transaction:
            write(self.conn)
            return
        with self.transaction() as conn:
            write(conn)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in str(exc)


def _store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    if _is_corruption(exc):
        return StoreDamaged(path=str(path), detail=str(exc))
    return StoreError(reason=f"{path}: {exc}")


def _read_only(path: Path, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)


def quick_check(conn: sqlite3.Connection, *, full: bool = False, limit: int = 20) -> list[str]:
    """SQLite's quick_check (structure) or, with `full`, integrity_check (structure and every
    index against its table); the problems found, one line each, [] when the file is sound."""
    pragma = "integrity_check" if full else "quick_check"
    rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}({int(limit)})")]
    if rows == ["ok"]:
        return []
    return [" ".join(r.replace("*** in database main ***", "").split()) for r in rows]


def check_file(path: Path) -> list[str]:
    """The full integrity check of a store file, opened read-only: what `kiosk store check` runs.
    Raises StoreError when the file cannot be read at all."""
    path = Path(path)
    if not path.exists():
        raise StoreError(reason=f"{path}: no such file")
    try:
        conn = _read_only(path, 10.0)
        try:
            return quick_check(conn, full=True)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if _is_corruption(exc):
            return [str(exc)]
        raise StoreError(reason=f"{path}: {exc}") from exc
