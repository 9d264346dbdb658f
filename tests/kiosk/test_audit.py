"""The tamper-evident audit log (kiosk/audit.py): the chain grows with every fact, `kiosk audit
verify` finds one row edited or deleted by hand, and a kill -9 never breaks the chain.

Real SQLite files, edited by hand through a second connection (as someone with a shell
would), and real processes for the CLI and the kill."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from kiosk import audit
from kiosk.errors import UnknownService
from kiosk.store import MIGRATIONS, Store

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
LOOP = ROOT / "tests" / "procs" / "issue_loop.py"


def db(kiosk) -> Path:
    return kiosk.store.path


def edit(path: Path, sql: str, *params) -> None:
    """A change by hand, on a connection of its own (the kiosk's stays open)."""
    with sqlite3.connect(path) as conn:
        assert conn.execute(sql, params).rowcount >= 1


def chain(path: Path) -> list[dict]:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY seq")]


def rehash(path: Path, seq: int) -> None:
    """Recompute one row's hash after an edit, as a careful forger would."""
    row = next(r for r in chain(path) if r["seq"] == seq)
    h = audit.event_hash(seq, row["id"], row["at"], row["kind"], row["data"], row["outbox_id"], row["prev_hash"])
    edit(path, "UPDATE audit SET hash = ? WHERE seq = ?", h, seq)


def issue_and_print(kiosk, count: int) -> list:
    tickets = []
    for _ in range(count):
        t = kiosk.issue_ticket("KTP-EL")
        kiosk.print_ticket(t)
        tickets.append(t)
    return tickets


# --- the chain grows -----------------------------------------------------------------------------


def test_issue_and_print_add_one_chained_event_per_fact(kiosk):
    tickets = issue_and_print(kiosk, 2)
    rows = chain(db(kiosk))
    assert [r["kind"] for r in rows] == [
        "audit.genesis",
        "ticket.issued",
        "ticket.printed",
        "ticket.issued",
        "ticket.printed",
    ]
    assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5]
    outbox = kiosk.store.query("SELECT id, kind, payload FROM outbox ORDER BY seq")
    assert [r["outbox_id"] for r in rows[1:]] == [o["id"] for o in outbox]
    for event, fact in zip(rows[1:], outbox, strict=True):
        assert event["kind"] == fact["kind"] and json.loads(event["data"]) == json.loads(fact["payload"])
    assert json.loads(rows[1]["data"])["number"] == tickets[0].number
    # The encoding, pinned independently: sha256 of the compact sorted JSON array of the fields.
    prev = "0" * 64
    for r in rows:
        fields = [r["seq"], r["id"], r["at"], r["kind"], r["data"], r["outbox_id"], prev]
        text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert r["prev_hash"] == prev and r["hash"] == hashlib.sha256(text.encode()).hexdigest()
        assert r["data"] == json.dumps(json.loads(r["data"]), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        prev = r["hash"]


def test_verify_whole_chain(kiosk):
    issue_and_print(kiosk, 3)
    kiosk.reprint_last(by="technician")
    report = audit.verify(db(kiosk))
    assert report.ok and report.problems == [] and report.first_bad is None
    assert report.events == 8 and report.last_hash == chain(db(kiosk))[-1]["hash"]
    assert report.to_json()["first_bad"] is None


def test_refused_ticket_adds_no_audit_event(kiosk):
    issue_and_print(kiosk, 1)
    with pytest.raises(UnknownService):
        kiosk.issue_ticket("NOPE")
    assert len(chain(db(kiosk))) == 3


def test_add_audit_alone_and_inside_a_transaction_that_rolls_back(kiosk, clock):
    seq = kiosk.store.add_audit("supervisor.pin_failed", {"role": "supervisor", "attempt": 1}, clock.now())
    assert seq == 2
    with pytest.raises(RuntimeError), kiosk.store.transaction():
        kiosk.store.add_audit("config.changed", {"key": "kiosk.language", "to": "en"}, clock.now())
        raise RuntimeError("the change failed: its audit event goes with it")
    with kiosk.store.transaction():
        kiosk.store.add_audit("identity.decided", {"method": "face", "result": "match", "score": 0.41}, clock.now())
    rows = chain(db(kiosk))
    assert [(r["seq"], r["kind"], r["outbox_id"]) for r in rows[1:]] == [
        (2, "supervisor.pin_failed", None),
        (3, "identity.decided", None),
    ]
    assert json.loads(rows[2]["data"]) == {"method": "face", "result": "match", "score": 0.41}
    assert rows[1]["at"] == clock.now().isoformat()
    assert audit.verify(db(kiosk)).ok


def test_two_store_connections_make_one_chain(kiosk, clock):
    other = Store(db(kiosk))  # the touch UI and a staff command on one file
    try:
        for n in range(4):
            (kiosk.store if n % 2 else other).add_audit("supervisor.action", {"n": n}, clock.now())
    finally:
        other.close()
    assert [r["seq"] for r in chain(db(kiosk))] == [1, 2, 3, 4, 5]
    assert audit.verify(db(kiosk)).ok


# --- tampering -----------------------------------------------------------------------------------


def test_one_edited_audit_row_is_named(kiosk):
    issue_and_print(kiosk, 3)
    edit(db(kiosk), "UPDATE audit SET data = replace(data, 'A1-002', 'A1-009') WHERE seq = 4")
    report = audit.verify(db(kiosk))
    assert not report.ok and report.first_bad.seq == 4 and "hash" in report.first_bad.problem


def test_edited_row_with_its_hash_recomputed_breaks_the_next_link(kiosk, clock):
    issue_and_print(kiosk, 2)
    kiosk.store.add_audit("supervisor.unlock", {"by": "supervisor"}, clock.now())
    kiosk.store.add_audit("supervisor.lock", {"by": "supervisor"}, clock.now())
    edit(db(kiosk), 'UPDATE audit SET data = \'{"by":"nobody"}\' WHERE seq = 6')
    rehash(db(kiosk), 6)
    report = audit.verify(db(kiosk))
    assert [p.seq for p in report.problems] == [7] and "prev_hash" in report.first_bad.problem


def test_last_fact_rewritten_with_its_hash_is_caught_by_its_outbox_row(kiosk):
    issue_and_print(kiosk, 2)
    edit(db(kiosk), "UPDATE audit SET data = replace(data, '\"printed\"', '\"failed\"') WHERE seq = 5")
    rehash(db(kiosk), 5)
    report = audit.verify(db(kiosk))
    assert report.first_bad.seq == 5 and "outbox row" in report.first_bad.problem


def test_last_audit_only_event_rewritten_with_its_hash_is_not_caught_locally(kiosk, clock):
    """What a local chain cannot catch (README, "Audit log"): the newest event of no fact,
    rewritten with its hash. Central's copy catches it once synced (tests/e2e/test_audit_sync.py)."""
    issue_and_print(kiosk, 1)
    kiosk.store.add_audit("supervisor.pin_failed", {"attempt": 3}, clock.now())
    edit(db(kiosk), "UPDATE audit SET data = '{\"attempt\":1}' WHERE seq = 4")
    rehash(db(kiosk), 4)
    assert audit.verify(db(kiosk)).ok


def test_deleted_middle_audit_row_shows_as_a_gap(kiosk):
    issue_and_print(kiosk, 3)
    edit(db(kiosk), "DELETE FROM audit WHERE seq = 4")
    report = audit.verify(db(kiosk))
    assert report.first_bad.seq == 5 and "seq 4 missing" in report.first_bad.problem
    lines = " | ".join(p.line() for p in report.problems)
    assert "has no audit event" in lines and "has no ticket.issued audit event" in lines


def test_deleted_ticket_row_is_named(kiosk):
    t = issue_and_print(kiosk, 3)[1]
    edit(db(kiosk), "DELETE FROM tickets WHERE id = ?", t.id)
    report = audit.verify(db(kiosk))
    assert [p.seq for p in report.problems] == [4]
    assert t.number in report.first_bad.problem and "deleted" in report.first_bad.problem


def test_edited_ticket_number_is_named(kiosk):
    t = issue_and_print(kiosk, 3)[2]
    edit(db(kiosk), "UPDATE tickets SET number = 'A1-099' WHERE id = ?", t.id)
    report = audit.verify(db(kiosk))
    assert report.first_bad.seq == 6 and "number 'A1-099'" in report.first_bad.problem


def test_edited_print_state_and_outbox_payload_are_named(kiosk):
    first, second = issue_and_print(kiosk, 2)
    edit(db(kiosk), "UPDATE tickets SET print_state = 'failed' WHERE id = ?", first.id)
    edit(db(kiosk), "UPDATE outbox SET payload = replace(payload, 'KTP-EL', 'SKCK-BARU') WHERE seq = 3")
    report = audit.verify(db(kiosk))
    assert [p.seq for p in report.problems] == [2, 4]
    assert "print state 'failed'" in report.problems[0].problem and "outbox row" in report.problems[1].problem


def test_fact_added_by_hand_without_an_event_is_named(kiosk):
    issue_and_print(kiosk, 1)
    edit(
        db(kiosk),
        "INSERT INTO outbox (id, kind, payload, created_at) VALUES ('forged', 'ticket.reprinted', '{}', '2026-11-24')",
    )
    report = audit.verify(db(kiosk))
    assert report.first_bad.seq is None and "outbox seq 3 (ticket.reprinted, forged)" in report.first_bad.problem


# --- an older store, read-only ------------------------------------------------------------------


def old_store(path: Path) -> None:
    """A store as kiosk schema 8 left it, with one ticket and its outbox row."""
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:8]:
        conn.executescript(migration)
    conn.execute("PRAGMA user_version = 8")
    conn.execute(
        "INSERT INTO outbox (id, kind, payload, created_at) VALUES ('old-1', 'ticket.issued', '{}', '2026-11-23')"
    )
    conn.execute(
        "INSERT INTO tickets (id, number, day, prefix, seq, service_code, agency_code, kiosk_id, language, "
        "issued_at, people_ahead, estimated_wait_minutes, estimated_call_at, estimated_done_at, service_minutes, "
        "outbox_id, print_state) VALUES ('t-old', 'A1-001', '2026-11-23', 'A', 1, 'KTP-EL', 'DUKCAPIL', 'k', 'id', "
        "'2026-11-23T09:00:00+07:00', 0, 0, '', '', 15, 'old-1', 'printed')"
    )
    conn.commit()
    conn.close()


def test_verify_is_read_only_and_says_an_old_store_has_no_chain(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    old_store(path)
    before = path.read_bytes()
    report = audit.verify(path)
    assert not report.ok and report.first_bad.seq is None and "schema version 8" in report.first_bad.problem
    assert path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (8,)


def test_upgrade_starts_the_chain_with_a_genesis_counting_the_history(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    old_store(path)
    store = Store(path)
    try:
        assert store.version == len(MIGRATIONS)
        store.add_audit("supervisor.login", {"role": "supervisor"}, datetime.fromisoformat("2026-11-24T09:00:00+07:00"))
    finally:
        store.close()
    genesis = chain(path)[0]
    assert genesis["kind"] == "audit.genesis" and genesis["prev_hash"] == "0" * 64
    assert json.loads(genesis["data"]) | {"note": None} == {
        "note": None,
        "schema_from": 8,
        "tickets": 1,
        "outbox": 1,
        "outbox_seq": 1,
    }
    assert audit.verify(path).ok  # the ticket from before the chain is not asked for its event


# --- the command, as a real process --------------------------------------------------------------


def verify_cli(data: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk", "--data-dir", str(data), "audit", "verify", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)


def test_cli_audit_verify_exits_0_then_1_after_one_row_is_edited(kiosk, settings):
    issue_and_print(kiosk, 2)
    whole = verify_cli(settings.data_dir, "--json")
    assert whole.returncode == 0, whole.stderr
    out = json.loads(whole.stdout)
    assert set(out) == {"ok", "path", "events", "first_bad", "problems", "last_hash"}
    assert out["ok"] is True and out["events"] == 5 and out["first_bad"] is None and out["problems"] == []
    assert out["last_hash"] == chain(db(kiosk))[-1]["hash"]
    human = verify_cli(settings.data_dir)
    assert human.returncode == 0 and human.stdout.startswith("audit chain whole: 5 events, last hash ")

    edit(db(kiosk), "UPDATE audit SET at = '2026-11-24T08:00:00+07:00' WHERE seq = 3")
    broken = verify_cli(settings.data_dir, "--json")
    assert broken.returncode == 1
    out = json.loads(broken.stdout)
    assert out["ok"] is False and out["first_bad"]["seq"] == 3 and out["problems"][0] == out["first_bad"]
    human = verify_cli(settings.data_dir)
    assert human.returncode == 1 and human.stdout.startswith("audit seq 3: hash does not match")
    assert human.stderr.count("\n") == 1 and "first bad entry: audit seq 3" in human.stderr


def test_cli_audit_verify_without_a_store_is_one_line(tmp_path):
    r = verify_cli(tmp_path / "nothing-here")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "nothing-here" / "kiosk.sqlite3").exists()


# --- kill -9 -------------------------------------------------------------------------------------


def test_sigkill_while_issuing_leaves_a_whole_chain(tmp_path):
    catalog = tmp_path / "catalog.toml"
    from kiosk.catalog import DEFAULT_PATH

    catalog.write_text(re.sub(r"daily_quota = \d+", "daily_quota = 9000", DEFAULT_PATH.read_text()))
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\nid = "kiosk-1"\nshort_code = "1"\n[catalog]\npath = "{catalog}"\n')
    data = tmp_path / "data"
    for round_ in range(3):
        proc = subprocess.Popen(
            [sys.executable, str(LOOP), str(config), str(data), "KTP-EL", "100000", "--print"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for _ in range(15 + 10 * round_):
            assert proc.stdout.readline(), proc.stderr.read()
        time.sleep(0.002 * round_)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        report = audit.verify(data / "kiosk.sqlite3")
        assert report.ok, [p.line() for p in report.problems]
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        facts = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
        linked = conn.execute("SELECT count(*) FROM audit WHERE outbox_id IS NOT NULL").fetchone()[0]
    assert facts == linked > 45  # every fact committed is an event, and no event without its fact
