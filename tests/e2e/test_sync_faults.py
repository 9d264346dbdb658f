"""Every confirmed ticket reaches central exactly once, through faults, with real processes.

A real central (`python -m central.cli --demo --db URL`) on loopback, real kiosk processes
(`kiosk --demo ... sync --once`), and between them, where a test needs it, a proxy that loses
replies, resets and cuts connections (tests/faultproxy.py). After each fault, central's own
tables are counted and compared with the kiosk's store: every ticket once, same payload.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from centralproc import Central, free_port
from faultproxy import FaultProxy

from kiosk.catalog import DEFAULT_PATH

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
LOOP = ROOT / "tests" / "procs" / "issue_loop.py"


@pytest.fixture
def central(central_db_url):
    made: list[Central] = []

    def make() -> Central:
        made.append(Central(central_db_url).start())
        return made[-1]

    yield make
    for c in made:
        c.stop()


def kiosk_config(tmp_path: Path, n: int) -> Path:
    """A demo kiosk of hall DEMO (kiosk-1 or kiosk-2), with room for thousands of tickets a day."""
    catalog = tmp_path / "catalog.toml"
    if not catalog.exists():
        catalog.write_text(re.sub(r"daily_quota = \d+", "daily_quota = 9000", DEFAULT_PATH.read_text()))
    path = tmp_path / f"kiosk-{n}.toml"
    path.write_text(f'[kiosk]\nid = "kiosk-{n}"\nshort_code = "{n}"\n[catalog]\npath = "{catalog}"\n')
    return path


def issue(tmp_path: Path, data: Path, count: int, n: int = 1) -> list[tuple[str, str]]:
    """`count` tickets, issued and printed by a kiosk process (no central): [(number, ticket id)].
    Each gives two outbox rows: ticket.issued and ticket.printed."""
    r = subprocess.run(
        [sys.executable, str(LOOP), str(kiosk_config(tmp_path, n)), str(data), "KTP-EL", str(count), "--print"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return [tuple(line.split()) for line in r.stdout.splitlines()]


def sync_once(tmp_path: Path, data: Path, url: str, n: int = 1, timeout: float = 120) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk.cli", "--demo", "--config", str(kiosk_config(tmp_path, n))]
    cmd += ["--data-dir", str(data), "--central", url, "sync", "--once", "--json"]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=timeout)


def sync_until_done(tmp_path: Path, data: Path, url: str, n: int = 1, rounds: int = 30) -> None:
    for _ in range(rounds):
        r = sync_once(tmp_path, data, url, n)
        if r.returncode == 0 and json.loads(r.stdout)["backlog"] == 0:
            return
    raise AssertionError(f"backlog never drained: {r.stdout} {r.stderr}")


def local_tickets(data: Path) -> dict[str, dict]:
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        conn.row_factory = sqlite3.Row
        return {r["id"]: dict(r) for r in conn.execute("SELECT id, number, service_code, kiosk_id FROM tickets")}


def backlog(data: Path) -> int:
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        return conn.execute("SELECT count(*) FROM outbox WHERE acked_at IS NULL").fetchone()[0]


def assert_exactly_once(central: Central, *datas: Path) -> None:
    """Central lists each kiosk ticket exactly once, with the kiosk's number and service."""
    at_central = central.tickets()
    ids = [t["ticket_id"] for t in at_central]
    assert len(ids) == len(set(ids)), "a ticket is doubled at central"
    local: dict[str, dict] = {}
    for data in datas:
        local.update(local_tickets(data))
    assert set(ids) == set(local), f"{len(set(local) - set(ids))} lost, {len(set(ids) - set(local))} unknown"
    for t in at_central:
        mine = local[t["ticket_id"]]
        theirs = (t["number"], t["service_code"], t["kiosk_id"])
        assert theirs == (mine["number"], mine["service_code"], mine["kiosk_id"])


def test_central_down_for_the_whole_run_then_up(tmp_path, central, central_db_url):
    data = tmp_path / "k1"
    issued = issue(tmp_path, data, 40)
    down = sync_once(tmp_path, data, f"http://127.0.0.1:{free_port()}")
    assert down.returncode == 1 and down.stderr.count("\n") == 1 and "Traceback" not in down.stderr
    assert backlog(data) == 80
    c = central()
    r = sync_once(tmp_path, data, c.url)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["ok"] is True and report["pushed"] == 80 and report["backlog"] == 0
    assert_exactly_once(c, data)
    assert len(c.tickets()) == len(issued)
    again = json.loads(sync_once(tmp_path, data, c.url).stdout)  # a second run changes nothing
    assert again["pushed"] == 0 and len(c.tickets()) == 40


def test_two_demo_kiosks_of_one_hall_never_collide(tmp_path, central):
    c = central()
    one, two = tmp_path / "k1", tmp_path / "k2"
    a = issue(tmp_path, one, 25, 1)
    b = issue(tmp_path, two, 25, 2)
    sync_until_done(tmp_path, one, c.url, 1)
    sync_until_done(tmp_path, two, c.url, 2)
    numbers = [t["number"] for t in c.tickets()]
    assert len(numbers) == 50 == len(set(numbers)) == len(a) + len(b)
    assert_exactly_once(c, one, two)


def test_reply_lost_after_central_committed(tmp_path, central):
    c = central()
    data = tmp_path / "k1"
    issue(tmp_path, data, 30)
    proxy = FaultProxy(c.port, mode="drop_reply")
    try:
        lost = sync_once(tmp_path, data, proxy.url)
        assert lost.returncode == 1 and "Traceback" not in lost.stderr
        assert backlog(data) == 60  # the kiosk never heard the answer: nothing marked
        assert len(c.tickets()) == 30  # ... but central had committed
        proxy.mode = "pass"
        sync_until_done(tmp_path, data, proxy.url)
    finally:
        proxy.close()
    assert_exactly_once(c, data)


@pytest.mark.parametrize("mode", ["garbage", "cut", "reset"])
def test_malformed_truncated_or_reset_reply_marks_nothing(tmp_path, central, mode):
    c = central()
    data = tmp_path / "k1"
    issue(tmp_path, data, 10)
    proxy = FaultProxy(c.port, mode=mode)
    try:
        bad = sync_once(tmp_path, data, proxy.url)
        assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
        assert backlog(data) == 20
        proxy.mode = "pass"
        sync_until_done(tmp_path, data, proxy.url)
    finally:
        proxy.close()
    assert_exactly_once(c, data)


def test_chaos_proxy_delays_resets_and_cuts_at_random(tmp_path, central):
    c = central()
    data = tmp_path / "k1"
    issue(tmp_path, data, 600)
    proxy = FaultProxy(c.port, mode="chaos", delay=0.05, seed=11)
    try:
        for _ in range(40):
            sync_once(tmp_path, data, proxy.url)
            if backlog(data) == 0:
                break
        proxy.mode = "pass"
        sync_until_done(tmp_path, data, proxy.url)
    finally:
        proxy.close()
    assert sum(proxy.counts[m] for m in ("reset", "drop_reply", "cut", "garbage")) > 0
    assert_exactly_once(c, data)


def test_central_sigkilled_mid_batch(tmp_path, central):
    c = central()
    data = tmp_path / "k1"
    issue(tmp_path, data, 1500)
    cmd = [sys.executable, "-m", "kiosk.cli", "--demo", "--config", str(kiosk_config(tmp_path, 1))]
    cmd += ["--data-dir", str(data), "--central", c.url, "sync", "--once", "--json"]
    syncing = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while backlog(data) == 3000 and time.monotonic() < deadline and syncing.poll() is None:
        time.sleep(0.005)
    c.kill()  # mid-sync: some batches acked, one maybe committed but unanswered, the rest unsent
    syncing.wait(60)
    c.start()
    sync_until_done(tmp_path, data, c.url)
    assert_exactly_once(c, data)


def test_kiosk_sigkilled_mid_sync_and_restarted(tmp_path, central):
    c = central()
    data = tmp_path / "k1"
    issue(tmp_path, data, 1500)
    proxy = FaultProxy(c.port, mode="delay", delay=0.02)
    try:
        cmd = [sys.executable, "-m", "kiosk.cli", "--demo", "--config", str(kiosk_config(tmp_path, 1))]
        cmd += ["--data-dir", str(data), "--central", proxy.url, "sync", "--once", "--json"]
        syncing = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while backlog(data) == 3000 and time.monotonic() < deadline:
            time.sleep(0.005)
        syncing.send_signal(signal.SIGKILL)
        syncing.wait()
        proxy.mode = "pass"
        sync_until_done(tmp_path, data, proxy.url)
    finally:
        proxy.close()
    assert_exactly_once(c, data)


def test_revoked_kiosk_is_refused_in_one_line_and_keeps_its_backlog(tmp_path, central, central_db_url):
    c = central()
    data = tmp_path / "k1"
    issue(tmp_path, data, 5)
    subprocess.run(
        [sys.executable, "-m", "central.cli", "--db", central_db_url, "kiosk", "revoke", "kiosk-1"],
        env=ENV,
        check=True,
        capture_output=True,
    )
    r = sync_once(tmp_path, data, c.url)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "kiosk-1" in r.stderr and "Traceback" not in r.stderr
    assert backlog(data) == 10 and c.tickets() == []
