"""The sync thread: nudged rounds, backoff, refused kiosks, prompt stop, and Kiosk.online following it."""

from __future__ import annotations

import random
import threading
import time

import pytest
from conftest import make_engine

from sync.worker import OFFLINE, ONLINE, REFUSED, SyncStatus, SyncWorker


def wait_for(predicate, timeout: float = 5.0, step: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not true within {timeout} s")


class Recorder:
    """An on_state callback that keeps what it was told (called on the sync thread)."""

    def __init__(self) -> None:
        self.states: list[SyncStatus] = []
        self.lock = threading.Lock()

    def __call__(self, status: SyncStatus) -> None:
        with self.lock:
            self.states.append(status)

    def names(self) -> list[str]:
        with self.lock:
            names = [s.state for s in self.states]
        return [n for i, n in enumerate(names) if i == 0 or names[i - 1] != n]


@pytest.fixture
def worker_of(sync_settings, clock):
    made = []

    def make(**options) -> SyncWorker:
        timeout = options.pop("timeout", 2.0)
        engine_options = {k: options.pop(k) for k in ("heartbeat_every",) if k in options}
        w = SyncWorker(lambda: make_engine(sync_settings, clock, timeout=timeout, **engine_options), **options)
        made.append(w)
        w.start()
        return w

    yield make
    for w in made:
        w.stop(timeout=5)


def test_worker_goes_online_and_kiosk_online_follows(kiosk, central):
    seen = Recorder()
    assert kiosk.online is False
    worker = kiosk.start_sync(on_state=seen, interval=30)
    assert worker is kiosk.sync_worker
    wait_for(lambda: kiosk.online)
    assert seen.names() == [OFFLINE, ONLINE]
    assert worker.status.last_sync_at and worker.status.last_error is None and worker.status.backlog == 0


def test_nudge_after_a_ticket_syncs_at_once(kiosk, central):
    kiosk.start_sync(interval=30)  # no timed round during the test: only the nudge can send it
    wait_for(lambda: kiosk.online)
    started = time.monotonic()
    ticket = kiosk.issue_ticket("KTP-EL")  # the kiosk nudges its worker
    wait_for(lambda: ticket.id in central.tickets, timeout=3)
    assert time.monotonic() - started < 2
    wait_for(lambda: [r["sync_state"] for r in kiosk.queue.today()] == ["synced"])


def test_online_rounds_every_interval(kiosk, central, worker_of):
    worker_of(interval=0.1, heartbeat_every=3600)
    wait_for(lambda: len(central.requests_to("pull")) >= 5, timeout=3)


def test_worker_resumes_the_backlog_left_by_a_previous_run(kiosk, central, worker_of):
    tickets = [kiosk.issue_ticket("KTP-EL") for _ in range(3)]  # issued with no worker running
    w = worker_of(interval=30)
    wait_for(lambda: w.online and w.status.backlog == 0)
    assert {t.id for t in tickets} <= set(central.tickets)


def test_central_down_then_back_goes_offline_then_online_and_drains(kiosk, central, worker_of):
    seen = Recorder()
    w = worker_of(on_state=seen, interval=0.05, backoff_base=0.05, backoff_cap=0.2, timeout=0.5)
    wait_for(lambda: w.online)
    central.down()
    wait_for(lambda: w.status.state == OFFLINE)
    assert not w.online and w.status.error_code == "sync.unreachable" and "unreachable" in w.status.last_error
    tickets = [kiosk.issue_ticket("KTP-EL") for _ in range(2)]
    wait_for(lambda: w.status.backlog == 2)
    assert w.failures >= 1
    central.up()
    wait_for(lambda: w.online and w.status.backlog == 0)
    assert {t.id for t in tickets} <= set(central.tickets)
    assert seen.names() == [OFFLINE, ONLINE, OFFLINE, ONLINE] and w.failures == 0


def test_refused_kiosk_stops_hammering_and_keeps_its_backlog(kiosk, central, worker_of):
    central.revoke("kiosk-1")
    kiosk.issue_ticket("KTP-EL")
    w = worker_of(interval=0.05, backoff_base=0.05, refused_interval=60)
    wait_for(lambda: w.status.state == REFUSED)
    assert w.status.server_code == "auth.revoked" and "revoked" in w.status.last_error
    assert w.status.backlog == 1 and not w.online
    requests = len(central.requests)
    w.nudge()  # a ticket while refused: no extra request
    time.sleep(0.5)
    assert len(central.requests) == requests == 1


def test_malformed_answers_mean_offline_with_backoff_not_a_crash(kiosk, central, worker_of):
    kiosk.issue_ticket("KTP-EL")
    central.fault("push", body=b"{not json", times=3)
    w = worker_of(interval=0.05, backoff_base=0.05, backoff_cap=0.1)
    wait_for(lambda: w.rounds >= 2)
    assert w.status.state == OFFLINE or w.online  # it may already have got through
    wait_for(lambda: w.online and w.status.backlog == 0)
    assert w.rounds >= 4 and w._thread.is_alive()


def test_stop_returns_promptly_while_sleeping(kiosk, central, worker_of):
    w = worker_of(interval=60)
    wait_for(lambda: w.online)
    started = time.monotonic()
    assert w.stop(timeout=5)
    assert time.monotonic() - started < 0.5


def test_stop_during_a_slow_request_is_bounded_by_the_http_timeout(kiosk, central, worker_of):
    central.fault("pull", delay=5)
    w = worker_of(interval=60, timeout=0.5)
    wait_for(lambda: central.requests_to("pull"))
    started = time.monotonic()
    assert w.stop(timeout=5)
    assert time.monotonic() - started < 1.5


def test_callback_failure_does_not_stop_sync(kiosk, central, worker_of):
    def broken(status):
        raise RuntimeError("ui gone")

    w = worker_of(on_state=broken, interval=30)
    wait_for(lambda: w.online)


def test_catalog_from_central_shows_in_the_status(kiosk, central, worker_of):
    from test_engine import VALID, catalog_text

    seen = Recorder()
    w = worker_of(on_state=seen, interval=0.05)
    wait_for(lambda: w.online)
    assert w.status.catalog_version is None
    central.add_change("catalog", version=7, data={"toml": catalog_text(**VALID)})
    wait_for(lambda: w.status.catalog_version == 7)
    assert kiosk.reload_catalog() and "central v3" in kiosk.catalog.service("KTP-EL").name("en")


def test_no_central_url_means_no_worker_and_offline(settings, clock):
    from kiosk.app import build

    k = build(settings, clock=clock)
    try:
        assert k.start_sync() is None and k.sync_worker is None and k.online is False
        k.online = True  # without a worker, the flag is the caller's (tests, a future setting)
        assert k.online is True
    finally:
        k.close()


def test_kiosk_close_stops_its_worker(sync_settings, clock, central):
    from kiosk.app import build

    k = build(sync_settings, clock=clock)
    w = k.start_sync(interval=30)
    wait_for(lambda: w.online)
    k.close()
    assert not w._thread.is_alive() and k.sync_worker is None


@pytest.mark.parametrize("seed", range(5))
def test_backoff_full_jitter_doubles_up_to_the_cap(seed):
    w = SyncWorker(lambda: None, rng=random.Random(seed))
    for failures in range(1, 12):
        w.failures = failures
        ceiling = min(60.0, 2.0 ** (failures - 1))
        delays = [w.next_delay(OFFLINE) for _ in range(50)]
        assert all(1.0 <= d <= ceiling for d in delays)
        if ceiling >= 8:
            assert max(delays) - min(delays) > ceiling / 4  # spread out, not in lockstep
    assert w.next_delay(ONLINE) == 5.0
    assert all(150 <= w.next_delay(REFUSED) <= 300 for _ in range(50))


def test_refused_kiosk_tries_again_at_once_after_enrolling_again(kiosk, central, sync_settings, worker_of):
    from datetime import datetime

    from sync.credentials import save_credential
    from sync.worker import credential_probe

    central.revoke("kiosk-1")
    w = worker_of(interval=0.05, refused_interval=600, credential_probe=credential_probe(sync_settings.data_dir))
    wait_for(lambda: w.status.state == REFUSED)
    central.add_kiosk("kiosk-1", "a-brand-new-secret-for-kiosk-1", "1")  # what enrolling again does
    save_credential(
        sync_settings.data_dir,
        credential="kiosk-1:a-brand-new-secret-for-kiosk-1",
        hall_code="DEMO",
        short_code="1",
        central_url=central.url,
        now=datetime.now(sync_settings.tz),
    )
    wait_for(lambda: w.online, timeout=3)


def test_items_refused_before_are_offered_again_by_a_new_worker(kiosk, central, worker_of):
    kiosk.issue_ticket("KTP-EL")
    central.reject_kinds.add("ticket.issued")
    w = worker_of(interval=30)
    wait_for(lambda: w.status.backlog == 1 and w.online)
    assert w.last_report.set_aside == 1
    w.stop()
    central.reject_kinds.clear()
    w2 = worker_of(interval=30)
    wait_for(lambda: w2.online and w2.status.backlog == 0)
