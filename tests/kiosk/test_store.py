from __future__ import annotations

import sqlite3

import pytest

from kiosk.errors import StoreError
from kiosk.store import MIGRATIONS, Store


def test_open_store_creates_schema_in_wal_mode(tmp_path):
    store = Store(tmp_path / "k.sqlite3")
    assert store.version == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store.conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert {"tickets", "counters", "outbox"} <= set(store.tables())
    store.close()
    again = Store(tmp_path / "k.sqlite3")  # reopening migrates nothing twice
    assert again.version == len(MIGRATIONS)
    again.close()


def test_outbox_rows_carry_key_kind_payload_time_and_sequence(kiosk):
    a = kiosk.issue_ticket("KTP-EL")
    b = kiosk.issue_ticket("SKCK-BARU")
    rows = kiosk.store.pending_outbox()
    assert [r["seq"] for r in rows] == [1, 2]
    assert [r["kind"] for r in rows] == ["ticket.issued"] * 2
    assert len({r["id"] for r in rows}) == 2 and all(len(r["id"]) == 36 for r in rows)
    assert [r["created_at"] for r in rows] == [a.issued_at, b.issued_at]
    assert '"number": "A1-001"' in rows[0]["payload"]


def test_transaction_rolls_back_on_error(tmp_path):
    store = Store(tmp_path / "k.sqlite3")
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO counters (day, prefix, last_seq) VALUES ('2026-11-24', 'A', 1)")
        raise RuntimeError("crash between two writes")
    assert store.conn.execute("SELECT count(*) FROM counters").fetchone() == (0,)


def test_open_store_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "k.sqlite3"
    path.write_bytes(b"this is not sqlite at all " * 20)
    with pytest.raises(StoreError, match="file is not a database"):
        Store(path)
    assert path.read_bytes().startswith(b"this is not sqlite")  # left as found, for a technician


def test_open_store_in_unwritable_place_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="local database failed"):
        Store(blocker / "sub" / "k.sqlite3")


def test_store_file_is_plain_sqlite(tmp_path):
    Store(tmp_path / "k.sqlite3").close()
    with sqlite3.connect(tmp_path / "k.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)


def test_print_outcome_goes_to_the_outbox(kiosk):
    ok = kiosk.issue_ticket("KTP-EL")
    kiosk.print_ticket(ok)
    kiosk.printer.paper = False
    failed = kiosk.issue_ticket("KTP-EL")
    kiosk.print_ticket(failed)
    kinds = [(r["kind"], r["payload"]) for r in kiosk.store.pending_outbox()]
    assert [k for k, _ in kinds] == ["ticket.issued", "ticket.printed", "ticket.issued", "ticket.print_failed"]
    assert ok.id in kinds[1][1] and "out of paper" in kinds[3][1]


def test_issue_ticket_database_locked_too_long_is_a_store_error(tmp_path, settings, clock):
    from kiosk.app import Kiosk
    from kiosk.catalog import load_catalog

    store = Store(tmp_path / "k.sqlite3", busy_timeout=0.2)
    kiosk = Kiosk(settings, load_catalog(), store, clock, printer=None)
    other = sqlite3.connect(tmp_path / "k.sqlite3")
    other.execute("BEGIN EXCLUSIVE")  # e.g. a backup tool holding the file
    with pytest.raises(StoreError, match="database is locked"):
        kiosk.issue_ticket("KTP-EL")
    other.rollback()
    other.close()
    assert kiosk.issue_ticket("KTP-EL").number == "A1-001"  # nothing half-written, the number is free
    store.close()


def test_commit_failure_rolls_back_and_is_a_store_error(tmp_path):
    store = Store(tmp_path / "k.sqlite3")
    store.conn.execute("CREATE TABLE t (x INTEGER CHECK (x > 0))")
    with pytest.raises(StoreError, match="CHECK constraint"), store.transaction() as conn:
        conn.execute("INSERT INTO counters (day, prefix, last_seq) VALUES ('2026-11-24', 'A', 1)")
        conn.execute("INSERT INTO t VALUES (-1)")
    assert store.conn.execute("SELECT count(*) FROM counters").fetchone() == (0,)
    assert not store.conn.in_transaction


def test_open_new_store_from_many_processes_at_once(tmp_path):
    """Several processes create the same new file together: each migration runs exactly once."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = "import sys; from kiosk.store import Store; Store(sys.argv[1]).close()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "k.sqlite3")], cwd=root, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    errors = [p.communicate(timeout=60)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    store = Store(tmp_path / "k.sqlite3")
    assert store.version == len(MIGRATIONS)
    store.close()
