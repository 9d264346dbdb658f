"""The sync step after pull: fetch central's merged hall queue and store it as the kiosk's hall
state. Against the real central (in a uvicorn thread on loopback, on SQLite, sharing the kiosks'
test clock), the fake central (no such route: nothing changes) and replies that break the
contract (refused whole, the last state kept)."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from datetime import UTC

import httpx
import pytest
from conftest import kiosk_settings, make_engine
from fake_central import FakeCentral

from central.app import create_app
from central.db import Database
from central.demo import seed
from central.migrations import upgrade
from central.settings import Settings
from kiosk.app import build
from kiosk.queue import HALL_STATE_KEY, is_kiosk_estimate
from sync.client import CentralClient
from sync.errors import SyncMalformedReply

KTP = "KTP-EL"


class LiveCentral:
    """The real central app (demo hall DEMO, kiosks kiosk-1/kiosk-2) served by uvicorn in a thread."""

    def __init__(self, folder, clock) -> None:
        import uvicorn

        self.db = Database(Settings.build(db_url=f"sqlite:///{folder / 'central.sqlite3'}", demo=True))
        upgrade(self.db.engine)
        now = lambda: clock.now().astimezone(UTC)  # noqa: E731 - central's clock is the kiosks' test clock
        with self.db.transaction() as s:
            seed(s, now())
        app = create_app(self.db.settings, clock=now, db=self.db)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.005)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()
        self.db.dispose()


@pytest.fixture
def live(tmp_path, clock):
    c = LiveCentral(tmp_path / "central", clock)
    yield c
    c.stop()


@pytest.fixture
def two_kiosks(tmp_path, live, clock):
    made = []
    for n in (1, 2):
        settings = kiosk_settings(tmp_path, live.url, kiosk_id=f"kiosk-{n}", short_code=str(n))
        k = build(settings, clock=clock)
        made.append((k, make_engine(settings, clock)))
    yield made
    for k, e in made:
        e.close()
        k.close()


def hall_state(kiosk) -> dict | None:
    value = kiosk.store.sync_state().get(HALL_STATE_KEY)
    return json.loads(value) if value is not None else None


def test_after_a_round_the_kiosk_counts_the_other_kiosks_tickets(two_kiosks, clock):
    (k1, e1), (k2, e2) = two_kiosks
    mine = [k1.issue_ticket(KTP) for _ in range(7)]
    assert e1.run_round().ok
    # Kiosk-1's own state: its 7 tickets are central's now (own 7), counted once.
    state1 = hall_state(k1)["letters"]["A"]
    assert state1["own"] == 7 and len(state1["calls"]) == 2
    a1 = k1.queue.availability(k1.catalog.service(KTP))
    assert (a1.people_ahead, a1.estimated_wait_minutes) == (2, 10)
    assert [t.people_ahead for t in mine] == [0, 0, 0, 0, 0, 0, 1]  # the same model, locally
    # Kiosk-2 has issued nothing: locally its queue is empty, but the hall's is not.
    before = k2.queue.availability(k2.catalog.service(KTP))
    assert (before.people_ahead, before.estimated_wait_minutes) == (0, 0)
    assert e2.run_round().ok
    state2 = hall_state(k2)
    assert state2["day"] == "2026-11-24" and state2["counted_seq"] == 0 and state2["hall_code"] == "DEMO"
    # Letter A: five counters, 10 min each: five at the counters until 09:10, two called then.
    assert state2["letters"]["A"] == {
        "counters": 5,
        "own": 0,
        "calls": [600, 600],
        "free": [600, 600, 600, 1200, 1200],
        # central's priority view: no priority visitor waits, so a new priority visitor is called
        # as soon as one of the five visits at a counter ends
        "own_priority": 0,
        "priority_calls": [],
        "priority_free": [600, 600, 600, 600, 600],
    }
    t = k2.issue_ticket(KTP)
    assert (t.people_ahead, t.estimated_wait_minutes) == (2, 10) and not is_kiosk_estimate(t.estimated_wait_minutes)
    # The next ticket of kiosk-2 before it syncs: its first one is added by kiosk-2 itself.
    t2 = k2.issue_ticket(KTP)
    assert (t2.people_ahead, t2.estimated_wait_minutes) == (3, 10)
    assert e2.run_round().ok  # now central holds them: same count, from central
    assert hall_state(k2)["letters"]["A"]["own"] == 2
    a = k2.queue.availability(k2.catalog.service(KTP))
    assert (a.people_ahead, a.estimated_wait_minutes) == (4, 10)  # four called at 09:10, one counter free then


def test_central_down_the_last_state_counts_and_is_labelled_an_estimate(two_kiosks, live, clock):
    (k1, e1), (k2, e2) = two_kiosks
    for _ in range(7):
        k1.issue_ticket(KTP)
    assert e1.run_round().ok and e2.run_round().ok
    live.stop()
    k2.issue_ticket(KTP)
    report = e2.run_round()
    assert not report.ok and report.error_code == "sync.unreachable"
    t = k2.issue_ticket(KTP)
    assert t.people_ahead == 3 and is_kiosk_estimate(t.estimated_wait_minutes)
    clock.advance(minutes=11)  # the two hall visitors were called at 09:10; kiosk-2's own remain
    a = k2.queue.availability(k2.catalog.service(KTP))
    assert a.people_ahead == 0 and is_kiosk_estimate(a.estimated_wait_minutes)


def test_the_hall_queue_is_fetched_after_a_push_else_every_few_seconds(two_kiosks, monkeypatch):
    (k1, e1), _ = two_kiosks
    calls = []
    real = e1.client.hall_queue
    monkeypatch.setattr(e1.client, "hall_queue", lambda hall: calls.append(hall) or real(hall))
    assert e1.run_round().ok and calls == ["DEMO"]  # the first round
    assert e1.run_round().ok and len(calls) == 1  # nothing pushed, fetched just now
    k1.issue_ticket(KTP)
    assert e1.run_round().ok and len(calls) == 2  # pushed a ticket: fetched again
    e1.hall_queue_every = 0
    assert e1.run_round().ok and len(calls) == 3


def test_a_central_without_the_route_changes_nothing(tmp_path, clock, caplog):
    with FakeCentral() as central:
        settings = kiosk_settings(tmp_path, central.url)
        k = build(settings, clock=clock)
        e = make_engine(settings, clock)
        e.hall_queue_every = 0
        try:
            k.issue_ticket(KTP)
            with caplog.at_level(logging.WARNING, logger="sync"):
                assert e.run_round().ok and e.run_round().ok
            assert hall_state(k) is None
            t = k.issue_ticket(KTP)
            assert type(t.estimated_wait_minutes) is int  # no hall state: exactly as before
            warned = [r.getMessage() for r in caplog.records if "hall queue" in r.getMessage()]
            assert len(warned) == 1 and "not_found" in warned[0]  # logged once, not every round
        finally:
            e.close()
            k.close()


GOOD = {
    "hall_code": "DEMO",
    "day": "2026-11-24",
    "as_of": "2026-11-24T02:00:00.000Z",
    "catalog_version": 1,
    "counted_seq": 3,
    "clock_skew_bound_seconds": 120.0,
    "letters": [
        {
            "prefix": "A",
            "counters": 2,
            "tickets": 5,
            "own_tickets": 1,
            "waiting": 2,
            "wait_seconds": 600,
            "call_in_seconds": [300, 600],
            "free_in_seconds": [600, 900],
        }
    ],
    "kiosks": [],
    "unknown_letter_tickets": 0,
}


def answering(body) -> CentralClient:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/v1/halls/DEMO/queue"
        return httpx.Response(200, json=body)

    return CentralClient("http://central.test", credential="kiosk-1:x", transport=httpx.MockTransport(handler))


def test_client_reads_a_hall_queue():
    with answering(GOOD) as client:
        q = client.hall_queue("DEMO")
    assert (q.hall_code, q.day, q.counted_seq, q.catalog_version) == ("DEMO", "2026-11-24", 3, 1)
    (a,) = q.letters
    assert (a.prefix, a.counters, a.own_tickets, a.waiting) == ("A", 2, 1, 2)
    assert (a.call_in_seconds, a.free_in_seconds) == ((300, 600), (600, 900))


def letter_with(**fields) -> dict:
    return {**GOOD, "letters": [{**GOOD["letters"][0], **fields}]}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (letter_with(call_in_seconds=[600, 300]), "letters[0].call_in_seconds[1]"),
        (letter_with(call_in_seconds=[300]), "letters[0].call_in_seconds: expected 2 times"),
        (letter_with(call_in_seconds=[-1, 300]), "letters[0].call_in_seconds[0]"),
        (letter_with(free_in_seconds=[1, 2, 3]), "letters[0].free_in_seconds: expected at most 2 times"),
        (letter_with(own_tickets=-1), "letters[0].own_tickets"),
        (letter_with(prefix="a1"), "letters[0].prefix"),
        ({**GOOD, "letters": GOOD["letters"] * 2}, "letters[1].prefix: expected a letter not listed before"),
        ({**GOOD, "hall_code": "BDG"}, "hall_code: expected DEMO"),
        ({**GOOD, "as_of": "2026-11-24T02:00:00"}, "as_of"),
        ({**GOOD, "counted_seq": None}, "counted_seq"),
        ({**GOOD, "letters": {}}, "letters: expected a list"),
    ],
)
def test_client_refuses_a_hall_queue_that_breaks_the_contract(body, says):
    with answering(body) as client, pytest.raises(SyncMalformedReply) as err:
        client.hall_queue("DEMO")
    assert says in err.value.message


def test_a_malformed_hall_queue_keeps_the_last_state(two_kiosks, monkeypatch):
    (k1, e1), _ = two_kiosks
    k1.issue_ticket(KTP)
    assert e1.run_round().ok
    kept = hall_state(k1)
    assert kept is not None

    def broken(hall):
        raise SyncMalformedReply(what="hall queue", detail="letters: expected a list, got {}")

    monkeypatch.setattr(e1.client, "hall_queue", broken)
    k1.issue_ticket(KTP)
    report = e1.run_round()
    assert report.ok and report.pushed == 1  # push and pull went through: the round is good
    assert hall_state(k1) == kept


def test_a_priority_ticket_counts_only_the_halls_priority_visitors_ahead(two_kiosks, clock):
    """Kiosk-2's priority visitor waits behind kiosk-1's priority visitor (central's view), not
    behind the seven normal tickets; a normal visitor at kiosk-2 waits behind all eight."""
    (k1, e1), (k2, e2) = two_kiosks
    for _ in range(7):
        k1.issue_ticket(KTP)
    clock.advance(seconds=60)  # five of them at a counter now, two waiting
    first = k1.issue_ticket(KTP, priority="elderly")
    assert first.number.endswith("-P001") and first.people_ahead == 0
    assert e1.run_round().ok and e2.run_round().ok
    letter = hall_state(k2)["letters"]["A"]
    assert letter["own_priority"] == 0 and len(letter["priority_calls"]) == 1
    service = k2.catalog.service(KTP)
    priority = k2.queue.availability(service, priority="pregnant")
    normal = k2.queue.availability(service)
    assert priority.people_ahead == 1, priority
    assert normal.people_ahead == 3, normal  # 8 tickets, 5 counters: 3 still waiting
    assert priority.estimated_wait_minutes <= normal.estimated_wait_minutes
    mine = k2.issue_ticket(KTP, priority="pregnant")
    assert mine.people_ahead == 1
