"""Schema 3 and the store's small sync helpers."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from kiosk.clock import ZONES
from kiosk.errors import StoreError
from kiosk.store import MIGRATIONS, Store

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZONES["WIB"])


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.sqlite3")
    yield s
    s.close()


def add(store: Store, n: int) -> list[str]:
    keys = []
    with store.transaction():
        for i in range(n):
            keys.append(store.add_outbox("ticket.note", {"n": i}, NOW.replace(minute=i % 60)))
    return keys


def test_schema_3_adds_sync_tables(store):
    assert store.version == len(MIGRATIONS) >= 3
    assert {"sync_state", "central_catalog", "commands"} <= set(store.tables())
    cols = [r["name"] for r in store.query("PRAGMA table_info(outbox)")]
    assert "ack_status" in cols


def test_schema_2_store_migrates_to_3_keeping_its_outbox(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + ";" + MIGRATIONS[1] + "; PRAGMA user_version = 2;")
    conn.execute("INSERT INTO outbox (id, kind, payload, created_at) VALUES ('a', 'k', '{}', 'x')")
    conn.commit()
    conn.close()
    s = Store(path)
    assert s.version == len(MIGRATIONS) and s.outbox_backlog() == (1, "x")
    s.close()


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT seq FROM outbox WHERE acked_at IS NULL AND seq > 0 AND ack_status IS NULL ORDER BY seq LIMIT 500",
        "SELECT count(*) FROM outbox WHERE acked_at IS NULL",
        "SELECT created_at FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT 1",
    ],
)
def test_pending_outbox_reads_use_the_index(store, sql):
    plan = " ".join(r["detail"] for r in store.query("EXPLAIN QUERY PLAN " + sql))
    assert "outbox_pending" in plan and "TEMP B-TREE" not in plan, plan


def test_outbox_batch_in_seq_order_after_a_seq(store):
    add(store, 10)
    assert [r["seq"] for r in store.outbox_batch(limit=4)] == [1, 2, 3, 4]
    assert [r["seq"] for r in store.outbox_batch(after_seq=8)] == [9, 10]


def test_mark_outbox_acks_and_failures_in_one_transaction(store):
    keys = add(store, 4)
    done = store.mark_outbox([(keys[0], "stored"), (keys[1], "conflict")], [(keys[2], "not acknowledged")], NOW)
    assert done == 2
    rows = {r["id"]: r for r in store.query("SELECT * FROM outbox")}
    assert rows[keys[0]]["ack_status"] == "stored" and rows[keys[0]]["acked_at"] and rows[keys[0]]["last_error"] is None
    assert rows[keys[1]]["ack_status"] == "conflict" and "conflict" in rows[keys[1]]["last_error"]
    assert rows[keys[2]]["acked_at"] is None and rows[keys[2]]["attempts"] == 1
    assert rows[keys[2]]["last_error"] == "not acknowledged"
    assert store.outbox_backlog() == (2, rows[keys[2]]["created_at"])
    # An ack of a row acknowledged already changes nothing.
    assert store.mark_outbox([(keys[0], "duplicate")], [(keys[0], "late error")], NOW) == 0
    again = store.query("SELECT * FROM outbox WHERE id = ?", [keys[0]])[0]
    assert again == rows[keys[0]]


def test_mark_outbox_rolls_back_whole_answer_on_failure(store):
    keys = add(store, 3)
    store.conn.execute(
        f"CREATE TRIGGER boom BEFORE UPDATE ON outbox WHEN new.id = '{keys[2]}' BEGIN "
        "SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(StoreError):
        store.mark_outbox([(k, "stored") for k in keys], [], NOW)
    assert store.outbox_backlog()[0] == 3


def test_sync_state_joins_the_callers_transaction(store):
    store.set_sync_state({"pull_cursor": 5}, NOW)
    with pytest.raises(RuntimeError), store.transaction():
        store.set_sync_state({"pull_cursor": 9, "last_error": "x"}, NOW)
        raise RuntimeError("the page failed")
    assert store.sync_state() == {"pull_cursor": "5"}
    store.set_sync_state({"pull_cursor": None}, NOW)
    assert store.sync_state() == {}


def test_rejected_rows_are_set_aside_until_retried(store):
    keys = add(store, 3)
    store.mark_outbox([], [], NOW, rejected=[(keys[1], "sync.rejected: items[0]: bad")])
    assert [r["id"] for r in store.outbox_batch()] == [keys[0], keys[2]]
    assert store.outbox_set_aside() == 1 and store.outbox_backlog()[0] == 3
    assert store.retry_set_aside() == 1
    assert [r["id"] for r in store.outbox_batch()] == keys and store.outbox_set_aside() == 0
