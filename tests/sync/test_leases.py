"""Hall-wide quotas on the kiosk: central's lease news applied in the pull transaction, a ticket
issued only inside the lease and counted against it in its own transaction (through a failed
commit and kill -9), an ask answered with a `lease.return`, and a kiosk never leased anything
unchanged (README, "Hall-wide quotas")."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import kiosk_settings, make_engine
from fake_central import FakeCentral

from kiosk.app import build
from kiosk.clock import ZONES, FixedClock
from kiosk.errors import LeaseUsed, QuotaFull, StoreError

KTP = "KTP-EL"
DAY = "2026-11-24"  # the tests' clock: Tuesday 2026-11-24 09:00 WIB
ROOT = Path(__file__).resolve().parents[2]
LOOP = ROOT / "tests" / "procs" / "issue_loop.py"


def entry(day: str = DAY, code: str = KTP, *, grant: int = 0, ask: int = 0, quota: int = 10, full: bool = False):
    return {"day": day, "service_code": code, "quota": quota, "grant": grant, "ask": ask, "full": full}


def lease(kiosk, day: str = DAY, code: str = KTP) -> dict | None:
    rows = kiosk.store.query("SELECT * FROM leases WHERE day = ? AND service_code = ?", [day, code])
    return rows[0] if rows else None


def ticket_payloads(kiosk) -> list[dict]:
    rows = kiosk.store.query("SELECT payload FROM outbox WHERE kind = 'ticket.issued' ORDER BY seq")
    return [json.loads(r["payload"]) for r in rows]


def cursor(engine) -> int:
    return int(engine.store.sync_state()["pull_cursor"])


def test_a_kiosk_never_leased_anything_keeps_its_own_quota(kiosk):
    assert kiosk.queue.availability(kiosk.catalog.service(KTP)).on_lease is False
    kiosk.issue_ticket(KTP)
    assert "lease" not in ticket_payloads(kiosk)[0]
    assert kiosk.store.query("SELECT count(*) AS n FROM leases")[0]["n"] == 0


def test_a_grant_is_applied_with_the_cursor_and_tickets_stay_inside_the_lease(kiosk, engine, central):
    at = central.add_change("lease", data={"leases": [entry(grant=3), entry("2026-11-25", grant=5)]})
    report = engine.run_round()
    assert report.ok and report.pulled == 1 and cursor(engine) == at
    assert lease(kiosk)["granted"] == 3 and lease(kiosk)["used"] == 0 and lease(kiosk)["cursor"] == at
    assert lease(kiosk, "2026-11-25")["granted"] == 5
    service = kiosk.catalog.service(KTP)
    a = kiosk.queue.availability(service)
    assert (a.on_lease, a.quota_left, a.lease_used) == (True, 3, False)
    for _ in range(3):
        kiosk.issue_ticket(KTP)
    assert all(p["lease"] is True for p in ticket_payloads(kiosk))
    assert lease(kiosk)["used"] == 3
    a = kiosk.queue.availability(service)
    assert (a.quota_left, a.lease_used, a.opens_at) == (0, True, None)
    with pytest.raises(LeaseUsed) as refused:
        kiosk.issue_ticket(KTP)
    assert refused.value.code == "queue.lease_used" and isinstance(refused.value, QuotaFull)
    assert refused.value.message == (
        "This kiosk has no more numbers for Perekaman & Cetak KTP-el today: its share is used up and "
        "the central system has not sent more (the link may be down). Please use another kiosk or ask at "
        "the information desk."
    )
    assert len(ticket_payloads(kiosk)) == 3 and lease(kiosk)["used"] == 3
    # Central tops the lease up: the kiosk issues again.
    central.add_change("lease", data={"leases": [entry(grant=2)]})
    engine.run_round()
    kiosk.issue_ticket(KTP)
    assert lease(kiosk)["granted"] == 5 and lease(kiosk)["used"] == 4


def test_on_leases_a_service_without_a_lease_today_is_refused(kiosk, engine, central):
    central.add_change("lease", data={"leases": [entry(code="SKCK", grant=4)]})
    engine.run_round()
    with pytest.raises(LeaseUsed):
        kiosk.issue_ticket(KTP)  # on leases, but central leased no KTP-EL today
    assert kiosk.queue.availability(kiosk.catalog.service(KTP)).quota_left == 0


def test_when_the_hall_quota_is_used_up_the_visitor_gets_the_quota_full_message(kiosk, engine, central):
    central.add_change("lease", data={"leases": [entry(grant=1, quota=7)]})
    engine.run_round()
    kiosk.issue_ticket(KTP)
    central.add_change("lease", data={"leases": [entry(full=True, quota=7)]})
    engine.run_round()
    with pytest.raises(QuotaFull) as refused:
        kiosk.issue_ticket(KTP)
    assert not isinstance(refused.value, LeaseUsed)
    assert refused.value.message.startswith("Perekaman & Cetak KTP-el is full for today (7 tickets).")
    a = kiosk.queue.availability(kiosk.catalog.service(KTP))
    assert (a.quota_left, a.lease_used) == (0, False) and a.opens_at is not None


def test_the_kiosks_own_quota_still_holds_on_leases(kiosk, engine, central):
    central.add_change("lease", data={"leases": [entry(grant=500, quota=500)]})  # more than the catalog's 100
    engine.run_round()
    assert kiosk.queue.availability(kiosk.catalog.service(KTP)).quota_left == 100


def test_an_ask_is_answered_with_a_return_of_what_is_unused_in_the_same_transaction(kiosk, engine, central):
    central.add_change("lease", data={"leases": [entry(grant=5)]})
    engine.run_round()
    for _ in range(2):
        kiosk.issue_ticket(KTP)
    at = central.add_change("lease", data={"leases": [entry(ask=4)]})
    engine.run_round()
    assert lease(kiosk)["returned"] == 3 and lease(kiosk)["used"] == 2 and cursor(engine) == at
    returns = kiosk.store.query("SELECT payload FROM outbox WHERE kind = 'lease.return'")
    assert [json.loads(r["payload"]) for r in returns] == [{"day": DAY, "service_code": KTP, "amount": 3, "asked": 4}]
    with pytest.raises(LeaseUsed):
        kiosk.issue_ticket(KTP)
    engine.run_round()  # the return goes to central with the next push
    pushed = [i for i in central.items.values() if i["kind"] == "lease.return"]
    assert [i["payload"]["amount"] for i in pushed] == [3]
    # An ask met with nothing unused is still answered (central then stops waiting for it).
    central.add_change("lease", data={"leases": [entry(ask=1)]})
    engine.run_round()
    amounts = [
        json.loads(r["payload"])["amount"]
        for r in kiosk.store.query("SELECT payload FROM outbox WHERE kind = 'lease.return'")
    ]
    assert amounts == [3, 0]


def test_a_failed_ask_answer_rolls_back_with_the_cursor(kiosk, engine, central, monkeypatch):
    central.add_change("lease", data={"leases": [entry(grant=5)]})
    engine.run_round()
    before = cursor(engine)
    central.add_change("lease", data={"leases": [entry(ask=2)]})

    def broken(*args, **kwargs):
        raise StoreError(reason="disk full")

    monkeypatch.setattr(engine.store, "add_outbox", broken)
    assert engine.run_round().ok is False
    assert cursor(engine) == before and lease(kiosk)["returned"] == 0  # nothing half-applied
    monkeypatch.undo()
    assert engine.run_round().ok
    assert lease(kiosk)["returned"] == 2
    assert kiosk.store.query("SELECT count(*) AS n FROM outbox WHERE kind = 'lease.return'")[0]["n"] == 1


def test_malformed_lease_entries_are_skipped_and_the_cursor_moves(kiosk, engine, central, caplog):
    bad = [
        "x",
        entry(day="24-11-2026", grant=9),
        entry(day="2026-02-30", grant=9),
        entry(code="bad code", grant=9),
        {**entry(), "grant": -1},
        {**entry(), "grant": True},
        {**entry(), "full": "no"},
        {**entry(), "quota": 10**6},
    ]
    at = central.add_change("lease", data={"leases": [*bad, entry(grant=2)]})
    central.add_change("lease", data={"leases": "nope"})
    last = central.add_change("lease", data={})
    report = engine.run_round()
    assert report.ok and cursor(engine) == last > at
    assert kiosk.store.query("SELECT day, service_code, granted FROM leases") == [
        {"day": DAY, "service_code": KTP, "granted": 2}
    ]
    assert sum("malformed" in r.message for r in caplog.records) == len(bad)


def test_the_ticket_and_its_lease_count_commit_together(kiosk, engine, central, monkeypatch):
    central.add_change("lease", data={"leases": [entry(grant=2)]})
    engine.run_round()

    def broken(*args, **kwargs):
        raise StoreError(reason="disk full")

    monkeypatch.setattr(kiosk.store, "add_outbox", broken)
    with pytest.raises(StoreError):
        kiosk.issue_ticket(KTP)
    assert lease(kiosk)["used"] == 0 and kiosk.store.query("SELECT count(*) AS n FROM tickets")[0]["n"] == 0
    monkeypatch.undo()
    kiosk.issue_ticket(KTP)
    kiosk.issue_ticket(KTP)
    with pytest.raises(LeaseUsed):
        kiosk.issue_ticket(KTP)


def test_a_days_lease_ends_at_the_halls_midnight(tmp_path, central):
    clock = FixedClock(datetime(2026, 11, 24, 23, 59, tzinfo=ZONES["WIB"]))
    settings = kiosk_settings(tmp_path, central.url)
    settings = replace(settings, hall=replace(settings.hall, always_open=True))  # open at midnight
    kiosk = build(settings, clock=clock)
    engine = make_engine(settings, clock)
    try:
        central.add_change("lease", data={"leases": [entry(grant=1), entry("2026-11-25", grant=2)]})
        engine.run_round()
        kiosk.issue_ticket(KTP)
        with pytest.raises(LeaseUsed):
            kiosk.issue_ticket(KTP)
        clock.advance(minutes=2)  # 00:01: the 25th's lease is in force, the 24th's is over
        kiosk.issue_ticket(KTP)
        kiosk.issue_ticket(KTP)
        with pytest.raises(LeaseUsed):
            kiosk.issue_ticket(KTP)
        assert [(r["day"], r["used"]) for r in kiosk.store.query("SELECT day, used FROM leases ORDER BY day")] == [
            ("2026-11-24", 1),
            ("2026-11-25", 2),
        ]
        assert [p["day"] for p in ticket_payloads(kiosk)] == ["2026-11-24", "2026-11-25", "2026-11-25"]
    finally:
        engine.close()
        kiosk.close()


def test_another_central_starts_the_leases_again_keeping_what_was_used(kiosk, engine, central, tmp_path, clock):
    central.add_change("lease", data={"leases": [entry(grant=5)]})
    engine.run_round()
    kiosk.issue_ticket(KTP)
    with FakeCentral() as other:
        moved = make_engine(kiosk_settings(tmp_path, other.url), clock)
        try:
            moved.run_round()
            assert lease(kiosk)["granted"] == 0 and lease(kiosk)["used"] == 1
            with pytest.raises(LeaseUsed):
                kiosk.issue_ticket(KTP)
            other.add_change("lease", data={"leases": [entry(grant=3)]})
            moved.run_round()
            kiosk.issue_ticket(KTP)
            kiosk.issue_ticket(KTP)  # 3 granted, 1 used before: 2 left
            with pytest.raises(LeaseUsed):
                kiosk.issue_ticket(KTP)
        finally:
            moved.close()


# --- kill -9 -------------------------------------------------------------------------------------


def test_kill_9_while_issuing_on_a_lease_never_issues_past_it(tmp_path, central, clock):
    """Real kiosk processes issue on a lease of 60 and are killed with SIGKILL at random points;
    a last one issues until it is refused. Every ticket is counted against the lease exactly
    once: the lease's count, the tickets and their outbox rows agree, and no more than 60 exist."""
    settings = kiosk_settings(tmp_path, central.url)
    engine = make_engine(settings, clock)
    today = datetime.now(ZONES["WIB"]).date()  # the processes run on the real clock
    days = [today.isoformat(), (today + timedelta(days=1)).isoformat()]
    central.add_change("lease", data={"leases": [entry(d, grant=60, quota=100) for d in days]})
    assert engine.run_round().ok
    engine.close()
    config = tmp_path / "kiosk-1" / "kiosk.toml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    told = 0
    for wanted in (7, 13, 5, 11):
        proc = subprocess.Popen(
            [sys.executable, str(LOOP), str(config), str(settings.data_dir), KTP, "100000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        lines = []
        while len(lines) < wanted:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            lines.append(line)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        told += len(lines) + out.count("\n")
    last = subprocess.run(
        [sys.executable, str(LOOP), str(config), str(settings.data_dir), KTP, "100"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert last.returncode != 0 and "LeaseUsed" in last.stderr
    told += last.stdout.count("\n")
    with sqlite3.connect(settings.data_dir / "kiosk.sqlite3") as conn:
        used = dict(conn.execute("SELECT day, used FROM leases").fetchall())
        tickets = conn.execute("SELECT day, count(*) FROM tickets GROUP BY day").fetchall()
        leased = conn.execute(
            "SELECT count(*) FROM outbox WHERE kind = 'ticket.issued' AND json_extract(payload, '$.lease') = 1"
        ).fetchone()[0]
    issued = sum(n for _, n in tickets)
    assert told <= issued == leased == sum(used.values())
    for day, n in tickets:
        assert n == used[day] <= 60
    assert issued >= 60  # the last process used up the lease of its day
