"""People ahead and the wait with a hall state from central (README, "One hall, one queue"):
central's visitors not yet called, aged to now on the kiosk's clock, plus this kiosk's tickets
central has not counted yet (each counted once); offline or stale it is this kiosk's estimate
and says so; without a hall state nothing changes; and it costs the same at the end of a day."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta

import pytest
from escpos_reader import parse

from kiosk.catalog import DEFAULT_PATH
from kiosk.config import load
from kiosk.queue import HALL_STATE_FRESH_SECONDS, HALL_STATE_KEY, WaitMinutes, encode_hall_state, is_kiosk_estimate

ESTIMATE = "(this kiosk's estimate)"


@pytest.fixture
def settings(tmp_path):
    """Real-hall settings with room for thousands of tickets a day (quota 9000)."""
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(re.sub(r"daily_quota = \d+", "daily_quota = 9000", DEFAULT_PATH.read_text()))
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[printer]\nkind = "file"\n[kiosk]\nid = "k-1"\nshort_code = "1"\n[catalog]\npath = "{catalog}"\n')
    return load(cfg, data_dir=tmp_path / "data")


def store_hall(kiosk, *, calls=(), free=(), own=0, prefix="A", counters=None, day=None, received=None) -> None:
    """A hall state as sync stores it, received now (or at `received`) on the kiosk's clock."""
    now = received or kiosk.clock.now()
    n = counters or next(s.counters for s in kiosk.catalog.services() if s.prefix == prefix)
    values = encode_hall_state(
        hall_code="DEMO",
        day=day or now.date().isoformat(),
        as_of=now,
        received_at=now,
        counted_seq=0,
        letters=[{"prefix": prefix, "counters": n, "own": own, "calls": list(calls), "free": list(free)}],
    )
    kiosk.store.set_sync_state(values, now)


def sync_failed(kiosk) -> None:
    """What a failed sync round leaves (sync/engine/core.py `_failed`)."""
    stamp = kiosk.clock.now().isoformat(timespec="seconds")
    kiosk.store.set_sync_state({"last_error_at": stamp, "last_error": "down"}, kiosk.clock.now())


def sync_ok(kiosk) -> None:
    kiosk.store.set_sync_state({"last_error_at": None, "last_error": None}, kiosk.clock.now())


def ktp(kiosk):
    return kiosk.queue.availability(kiosk.catalog.service("KTP-EL"))


MIN = 60
#: Letter A (KTP-EL 10 min) has five counters: all busy, the first free in 5 min.
BUSY = (5 * MIN, 10 * MIN, 15 * MIN, 20 * MIN, 30 * MIN)


def test_without_a_hall_state_nothing_changes(kiosk):
    t = kiosk.issue_ticket("KTP-EL")
    a = ktp(kiosk)
    assert type(t.estimated_wait_minutes) is int and type(a.estimated_wait_minutes) is int
    assert not is_kiosk_estimate(t.estimated_wait_minutes)
    assert (a.people_ahead, a.estimated_wait_minutes) == (0, 0)  # one visitor, five counters


def test_a_current_hall_state_counts_the_whole_hall(kiosk):
    store_hall(kiosk, calls=[10 * MIN, 15 * MIN], free=BUSY)
    a = ktp(kiosk)
    assert (a.people_ahead, a.estimated_wait_minutes) == (2, 5)
    assert isinstance(a.estimated_wait_minutes, WaitMinutes) and not is_kiosk_estimate(a.estimated_wait_minutes)
    first = kiosk.issue_ticket("KTP-EL")
    assert (first.people_ahead, first.estimated_wait_minutes) == (2, 5)
    assert first.estimated_call_at == "2026-11-24T09:05:00+07:00"  # at the counter 09:05-09:15
    # Not yet at central: this kiosk adds it itself (called 09:05, so one more ahead), and its
    # end (09:15) replaces the earliest free counter (09:05): the next one free is at 09:10.
    second = kiosk.issue_ticket("KTP-EL")
    assert (second.people_ahead, second.estimated_wait_minutes) == (3, 10)
    assert not is_kiosk_estimate(second.estimated_wait_minutes)


def test_tickets_central_counted_are_not_counted_again(kiosk):
    store_hall(kiosk, calls=[10 * MIN, 15 * MIN], free=BUSY)
    mine = [kiosk.issue_ticket("KTP-EL") for _ in range(2)]
    assert [t.number for t in mine] == ["A1-001", "A1-002"]
    # Central now holds both (own 2): they are among its waiting visitors, not added again.
    store_hall(
        kiosk,
        calls=[5 * MIN, 10 * MIN, 10 * MIN, 15 * MIN],
        free=(10 * MIN, 10 * MIN, 15 * MIN, 20 * MIN, 30 * MIN),
        own=2,
    )
    assert (ktp(kiosk).people_ahead, ktp(kiosk).estimated_wait_minutes) == (4, 10)
    # Central counted the first only (the second was still in the outbox): the second is added.
    store_hall(kiosk, calls=[5 * MIN, 10 * MIN, 15 * MIN], free=BUSY, own=1)
    assert ktp(kiosk).people_ahead == 4


def test_offline_the_last_known_state_ages_and_says_it_is_an_estimate(kiosk, clock):
    store_hall(kiosk, calls=[10 * MIN, 15 * MIN, 40 * MIN], free=(5 * MIN, 10 * MIN, 15 * MIN, 20 * MIN, 50 * MIN))
    assert (ktp(kiosk).people_ahead, ktp(kiosk).estimated_wait_minutes) == (3, 5)
    sync_failed(kiosk)  # central stopped answering: the same counts, labelled as this kiosk's
    a = ktp(kiosk)
    assert (a.people_ahead, a.estimated_wait_minutes) == (3, 5) and is_kiosk_estimate(a.estimated_wait_minutes)
    clock.advance(minutes=12)  # 09:12: the 09:10 visitor was called; counters end 09:15, 09:20, 09:50
    a = ktp(kiosk)
    assert (a.people_ahead, a.estimated_wait_minutes) == (2, 0) and is_kiosk_estimate(a.estimated_wait_minutes)
    t = kiosk.issue_ticket("KTP-EL", language="en")  # offline: the hall's visitors still count
    assert t.people_ahead == 2 and is_kiosk_estimate(t.estimated_wait_minutes)
    clock.advance(hours=2)  # long after: every one of them was called
    assert (ktp(kiosk).people_ahead, ktp(kiosk).estimated_wait_minutes) == (0, 0)


def test_a_state_older_than_the_bound_is_an_estimate_even_without_a_failed_round(kiosk, clock):
    store_hall(kiosk, calls=[10 * MIN], free=BUSY)
    clock.advance(seconds=HALL_STATE_FRESH_SECONDS)
    assert not is_kiosk_estimate(ktp(kiosk).estimated_wait_minutes)
    clock.advance(seconds=1)
    assert is_kiosk_estimate(ktp(kiosk).estimated_wait_minutes)
    store_hall(kiosk, calls=[10 * MIN], free=BUSY)  # the next round brings a new one
    sync_ok(kiosk)
    assert not is_kiosk_estimate(ktp(kiosk).estimated_wait_minutes)


def test_yesterdays_state_or_a_letter_central_has_no_queue_for_counts_this_kiosk_only(kiosk, clock):
    kiosk.issue_ticket("KTP-EL")
    store_hall(kiosk, calls=[10 * MIN] * 9, free=BUSY, day="2026-11-23")
    a = ktp(kiosk)
    assert (a.people_ahead, a.estimated_wait_minutes) == (0, 0) and is_kiosk_estimate(a.estimated_wait_minutes)
    store_hall(kiosk, calls=[10 * MIN] * 9, free=BUSY, prefix="C", counters=3)  # no letter A at central
    a = ktp(kiosk)
    assert (a.people_ahead, a.estimated_wait_minutes) == (0, 0) and is_kiosk_estimate(a.estimated_wait_minutes)


def test_an_unreadable_state_counts_this_kiosk_only(kiosk):
    kiosk.store.set_sync_state({HALL_STATE_KEY: "{not json", "hall_queue_id": "x"}, kiosk.clock.now())
    t = kiosk.issue_ticket("KTP-EL")
    assert (t.people_ahead, t.estimated_wait_minutes) == (0, 0) and is_kiosk_estimate(t.estimated_wait_minutes)


def wait_lines(kiosk, ticket) -> list[str]:
    lines = parse(kiosk.render_ticket(ticket)).lines
    return [line for line in lines if line.startswith("Estimated wait") or line == "No wait"]


def test_the_printed_ticket_says_when_it_is_this_kiosks_estimate(kiosk):
    plain = kiosk.issue_ticket("KTP-EL", language="en")
    assert ESTIMATE not in " ".join(wait_lines(kiosk, plain))  # no hall state: as before
    store_hall(kiosk, calls=[10 * MIN], free=BUSY, own=1)  # central counted the first one
    hall = kiosk.issue_ticket("KTP-EL", language="en")
    assert wait_lines(kiosk, hall) == ["Estimated wait: about 5 min"]
    sync_failed(kiosk)
    offline = kiosk.issue_ticket("KTP-EL", language="en")
    # This kiosk's own estimate is said as the screens say it (kiosk.wording): a range, not a footnote.
    assert wait_lines(kiosk, offline) == ["Estimated wait: about 5-15 min"]
    store_hall(kiosk, calls=[], free=())
    sync_failed(kiosk)
    free = kiosk.issue_ticket("KTP-EL", language="en")
    assert wait_lines(kiosk, free) == ["No wait"]


def test_the_flag_survives_the_ticket_as_stored_and_sent(kiosk):
    store_hall(kiosk, calls=[10 * MIN], free=BUSY)
    sync_failed(kiosk)
    t = kiosk.issue_ticket("KTP-EL")
    assert t.to_dict()["estimated_wait_minutes"] == 5 and is_kiosk_estimate(t.to_dict()["estimated_wait_minutes"])
    (stored,) = kiosk.store.conn.execute("SELECT estimated_wait_minutes FROM tickets").fetchone()
    assert stored == 5 and type(stored) is int


def vm_steps(kiosk, service) -> int:
    """SQLite virtual-machine instructions one availability look-up costs."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn: sqlite3.Connection = kiosk.store.conn
    conn.set_progress_handler(count, 1)
    try:
        kiosk.queue.availability(service)
    finally:
        conn.set_progress_handler(None, 1)
    return steps


def test_the_estimate_costs_the_same_at_the_end_of_a_long_day(kiosk):
    """A queue that only grows (the clock stands still): 60 tickets, then 600. Central counted
    all but the newest ten each time; the look-up's cost must not grow with the day."""
    service = kiosk.catalog.service("KTP-EL")
    costs = []
    for total in (60, 600):
        while kiosk.queue.today().__len__() < total:
            kiosk.issue_ticket("KTP-EL")
        store_hall(kiosk, calls=list(range(60, 60 * (total - 10), 60)), free=BUSY, own=total - 10)
        costs.append(vm_steps(kiosk, service))
        assert ktp(kiosk).people_ahead == len(range(60, 60 * (total - 10), 60)) + 10
    assert costs[0] > 0 and costs[1] <= costs[0] * 1.2, costs


def test_wait_minutes_copies_keep_the_flag():
    import copy
    import json

    w = WaitMinutes(25, kiosk_only=True)
    assert copy.deepcopy(w).kiosk_only and json.dumps({"m": w}) == '{"m": 25}' and w + 1 == 26
    assert not is_kiosk_estimate(25) and not is_kiosk_estimate(WaitMinutes(25))
    assert datetime(2026, 1, 1) + timedelta(minutes=w) == datetime(2026, 1, 1, 0, 25)
