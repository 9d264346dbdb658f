"""The acceptance check of hall-wide quotas, with real processes: a real central (SQLite and
PostgreSQL) and two real demo kiosks of hall DEMO.

A catalog where KTP-EL has a daily quota of 10 is stored with `central catalog set DEMO FILE`
before the kiosks' first sync; both sync once; central stops; each kiosk then tries to issue 10
KTP-EL tickets (`kiosk ticket`, one process each, both kiosks at once). Together they issue at
most 10, and a visitor refused is told plainly, in one line, that this kiosk's share is used
up and to use another kiosk or ask at the information desk. Central comes back, both sync:
central holds at most 10 KTP-EL tickets, each exactly once.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from centralproc import Central

from kiosk.catalog import DEFAULT_PATH

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
QUOTA = 10
REFUSED = (
    "kiosk: This kiosk has no more numbers for Electronic ID card (KTP-el) today: its share is used up and the "
    "central system has not sent more (the link may be down). Please use another kiosk or ask at the "
    "information desk.\n"
)


@pytest.fixture
def central(central_db_url):
    c = Central(central_db_url)
    yield c
    c.stop()


def quota_catalog(tmp_path: Path) -> Path:
    """The shipped catalog with KTP-EL's daily quota set to 10."""
    text = DEFAULT_PATH.read_text()
    start = text.index('code = "KTP-EL"')
    head, tail = text[:start], text[start:]
    tail = re.sub(r"daily_quota = \d+", f"daily_quota = {QUOTA}", tail, count=1)
    path = tmp_path / "catalog-ktp-10.toml"
    path.write_text(head + tail)
    return path


def kiosk_cmd(tmp_path: Path, n: int, url: str, *args: str) -> list[str]:
    config = tmp_path / f"kiosk-{n}.toml"
    if not config.exists():  # English, so the refusal is checked word for word
        config.write_text(f'[kiosk]\nid = "kiosk-{n}"\nshort_code = "{n}"\nlanguage = "en"\n')
    data = tmp_path / f"k{n}"
    return [sys.executable, "-m", "kiosk.cli", "--demo", "--config", str(config), "--data-dir", str(data)] + [
        "--central",
        url,
        *args,
    ]


def sync_once(tmp_path: Path, n: int, url: str) -> dict:
    r = subprocess.run(
        kiosk_cmd(tmp_path, n, url, "sync", "--once", "--json"), capture_output=True, text=True, env=ENV, timeout=120
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def local_tickets(tmp_path: Path, n: int) -> dict[str, dict]:
    with sqlite3.connect(tmp_path / f"k{n}" / "kiosk.sqlite3") as conn:
        conn.row_factory = sqlite3.Row
        return {r["id"]: dict(r) for r in conn.execute("SELECT id, number, service_code, kiosk_id FROM tickets")}


def test_two_kiosks_offline_together_never_issue_more_than_the_hall_quota(tmp_path, central, central_db_url):
    central.start()
    stored = subprocess.run(
        [sys.executable, "-m", "central.cli", "--db", central_db_url, "catalog", "set", "DEMO"]
        + [str(quota_catalog(tmp_path))],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert stored.returncode == 0, stored.stderr
    for n in (1, 2):
        report = sync_once(tmp_path, n, central.url)
        assert report["ok"] and report["catalog_version"] == 2
    central.stop()  # the link is down for both kiosks from here

    outcomes: dict[int, list[subprocess.CompletedProcess]] = {1: [], 2: []}

    def visitors(n: int) -> None:
        for _ in range(QUOTA):
            outcomes[n].append(
                subprocess.run(
                    kiosk_cmd(tmp_path, n, central.url, "ticket", "KTP-EL", "--json"),
                    capture_output=True,
                    text=True,
                    env=ENV,
                    timeout=120,
                )
            )

    threads = [threading.Thread(target=visitors, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    issued = {n: [json.loads(r.stdout) for r in runs if r.returncode == 0] for n, runs in outcomes.items()}
    refused = [r for runs in outcomes.values() for r in runs if r.returncode != 0]
    assert sum(len(t) for t in issued.values()) == QUOTA  # the whole quota, and not one more
    assert all(issued.values()), "each kiosk issued its share"
    assert all(t["service_code"] == "KTP-EL" for ts in issued.values() for t in ts)
    assert len(refused) == 2 * QUOTA - QUOTA
    for r in refused:
        assert r.returncode == 1 and r.stdout == ""
        assert r.stderr == REFUSED  # one plain line, no traceback
    # Issued ones came first: once a kiosk's share is used up it stays used up.
    for runs in outcomes.values():
        codes = [r.returncode for r in runs]
        assert codes == sorted(codes)

    central.start()
    for n in (1, 2):
        for _ in range(5):
            if sync_once(tmp_path, n, central.url)["backlog"] == 0:
                break
        else:
            raise AssertionError(f"kiosk-{n} still has a backlog")
    at_central = central.tickets()
    ktp = [t for t in at_central if t["service_code"] == "KTP-EL"]
    assert len(ktp) <= QUOTA
    ids = [t["ticket_id"] for t in at_central]
    assert len(ids) == len(set(ids)), "a ticket is doubled at central"
    local = {**local_tickets(tmp_path, 1), **local_tickets(tmp_path, 2)}
    assert set(ids) == set(local)
    for t in at_central:
        assert (t["number"], t["service_code"], t["kiosk_id"]) == (
            local[t["ticket_id"]]["number"],
            local[t["ticket_id"]]["service_code"],
            local[t["ticket_id"]]["kiosk_id"],
        )
    assert len(ktp) == QUOTA
