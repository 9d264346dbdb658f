"""Remote commands executed at the kiosk (kiosk/commands.py): real SQLite, no central."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk import commands
from kiosk.errors import KioskLocked, ServicePaused
from kiosk.flow.states import service_state
from kiosk.store import MIGRATIONS
from kiosk.wording import OPEN, PAUSED, state_reason

ROOT = Path(__file__).resolve().parents[2]
KTP = "KTP-EL"
SKCK = "SKCK-BARU"


def add(store, cid: str, kind: str, args: dict | None = None, *, cursor: int | None = None) -> None:
    """A command as sync/engine/apply.py stores it from a pull: pending."""
    with store.transaction() as conn:
        n = cursor or conn.execute("SELECT count(*) + 1 FROM commands").fetchone()[0]
        conn.execute(
            "INSERT INTO commands (id, kind, args, cursor, received_at, state) VALUES (?, ?, ?, ?, ?, 'pending')",
            (cid, kind, json.dumps(args or {}), n, "2026-11-24T09:00:00+07:00"),
        )


def run(kiosk) -> dict[str, tuple[str, str]]:
    outcomes = commands.execute_pending(kiosk.store, kiosk.settings, kiosk.clock.now)
    return {o.id: (o.state, o.detail) for o in outcomes}


def row(kiosk, cid: str) -> dict:
    return kiosk.store.query("SELECT state, detail, done_at, acked_at FROM commands WHERE id = ?", [cid])[0]


def executed_events(kiosk) -> list[dict]:
    return [json.loads(r["data"]) for r in kiosk.store.query("SELECT data FROM audit WHERE kind = 'command.executed'")]


def test_migration_10_is_the_last_and_adds_the_command_tables(kiosk):
    assert kiosk.store.version == len(MIGRATIONS) >= 10
    assert {"paused_services", "kiosk_lock"} <= set(kiosk.store.tables())


def test_pause_service_refuses_tickets_until_resumed(kiosk):
    service = kiosk.catalog.service(KTP)
    add(kiosk.store, "c1", "pause_service", {"service": KTP})
    assert run(kiosk) == {"c1": ("done", f"service {KTP} paused")}
    availability = kiosk.queue.availability(service)
    assert availability.paused and not kiosk.queue.availability(kiosk.catalog.service(SKCK)).paused
    state = service_state(service, availability, online=True)
    assert state.kind == PAUSED and not state.available
    assert state_reason(PAUSED, None, kiosk.clock.now(), "en") == "Paused for now"
    assert state_reason(PAUSED, None, kiosk.clock.now(), "id") == "Sementara dihentikan"
    with pytest.raises(ServicePaused) as refused:
        kiosk.issue_ticket(KTP)
    assert refused.value.code == "queue.paused"
    assert kiosk.store.query("SELECT count(*) AS n FROM tickets")[0]["n"] == 0  # nothing written
    kiosk.issue_ticket(SKCK)  # the others still issue
    add(kiosk.store, "c2", "resume_service", {"service": KTP})
    assert run(kiosk) == {"c2": ("done", f"service {KTP} resumed")}
    assert service_state(service, kiosk.queue.availability(service), online=True).kind == OPEN
    assert kiosk.issue_ticket(KTP).service_code == KTP
    assert [(e["id"], e["kind"], e["state"]) for e in executed_events(kiosk)] == [
        ("c1", "pause_service", "done"),
        ("c2", "resume_service", "done"),
    ]


def test_pause_of_an_unknown_service_or_bad_args_fails_with_a_detail(kiosk):
    add(kiosk.store, "c1", "pause_service", {"service": "NO-SUCH"})
    add(kiosk.store, "c2", "pause_service", {})
    add(kiosk.store, "c3", "resume_service", {"service": 12})
    out = run(kiosk)
    assert out["c1"][0] == "failed" and "NO-SUCH" in out["c1"][1]
    assert out["c2"] == ("failed", 'args: expected {"service": CODE}, a service code of the catalog')
    assert out["c3"][0] == "failed"
    assert kiosk.store.paused_services() == {}
    assert row(kiosk, "c1")["state"] == "failed" and row(kiosk, "c1")["done_at"]


def test_unknown_kind_and_args_that_are_not_an_object_fail(kiosk):
    add(kiosk.store, "c1", "self_destruct")
    with kiosk.store.transaction() as conn:
        conn.execute(
            "INSERT INTO commands (id, kind, args, cursor, received_at) VALUES ('c2', 'lock', '[1, 2]', 9, 'x')"
        )
    out = run(kiosk)
    assert out["c1"][0] == "failed" and "unknown command kind 'self_destruct'" in out["c1"][1]
    assert out["c2"] == ("failed", "args: expected a JSON object")
    assert kiosk.store.lock_state() is None


def test_lock_refuses_every_ticket_until_unlocked(kiosk):
    add(kiosk.store, "c1", "lock")
    assert run(kiosk)["c1"][0] == "done"
    assert kiosk.locked
    lock = kiosk.store.lock_state()
    assert lock["command_id"] == "c1" and lock["since"].startswith("2026-11-24T09:00")
    for code in (KTP, SKCK):
        with pytest.raises(KioskLocked) as refused:
            kiosk.issue_ticket(code)
        assert refused.value.code == "kiosk.locked"
    add(kiosk.store, "c2", "lock")  # twice: still one lock, the first one's
    add(kiosk.store, "c3", "unlock")
    out = run(kiosk)
    assert out["c2"] == ("done", "kiosk was locked already") and out["c3"][0] == "done"
    assert kiosk.store.lock_state() is None
    assert kiosk.issue_ticket(KTP).service_code == KTP


def test_a_command_runs_once_even_when_asked_again(kiosk):
    add(kiosk.store, "c1", "pause_service", {"service": KTP})
    run(kiosk)
    first = kiosk.store.paused_services()[KTP]
    assert run(kiosk) == {}  # nothing pending
    assert (
        commands.execute(
            kiosk.store,
            kiosk.settings,
            {"id": "c1", "kind": "resume_service", "args": json.dumps({"service": KTP})},
            kiosk.clock.now,
        )
        is None
    )  # claimed already
    assert kiosk.store.paused_services()[KTP] == first and len(executed_events(kiosk)) == 1


def test_refresh_config_reports_a_broken_file_and_keeps_the_running_settings(kiosk):
    source = Path(kiosk.settings.source)
    good = source.read_text()
    add(kiosk.store, "c1", "refresh_config")
    assert run(kiosk)["c1"][0] == "done"
    source.write_text(good + "[printer]\nkind = 7\n")  # a second [printer] table: not TOML
    add(kiosk.store, "c2", "refresh_config")
    state, detail = run(kiosk)["c2"]
    assert state == "failed" and "does not load" in detail and str(source) in detail
    assert kiosk.settings.printer.kind == "file"  # the running settings are the ones it started with
    assert kiosk.issue_ticket(KTP)


def test_refresh_config_without_a_file_says_so(kiosk):
    kiosk.settings = replace(kiosk.settings, source="(built-in defaults)")
    add(kiosk.store, "c1", "refresh_config")
    assert run(kiosk)["c1"] == (
        "done",
        "no config file to read again ((built-in defaults)): the built-in settings stay in force",
    )


def test_diagnostics_bundle_is_written_to_the_data_folder(kiosk):
    add(kiosk.store, "c1", "diagnostics_bundle")
    state, detail = run(kiosk)["c1"]
    files = list((kiosk.settings.data_dir / "diagnostics").glob("diag-*.zip"))
    assert state == "done" and len(files) == 1 and files[0].name in detail and "not uploaded" in detail


def test_restart_is_counted_for_the_app_to_read(kiosk):
    add(kiosk.store, "c1", "restart")
    add(kiosk.store, "c2", "restart")
    out = run(kiosk)
    assert out["c1"][0] == "done" and str(commands.RESTART_EXIT_CODE) in out["c1"][1]
    assert kiosk.store.sync_state()["restart_requests"] == "2"


def test_refresh_catalog_asks_the_next_sync_for_the_catalog_again(kiosk):
    add(kiosk.store, "c1", "refresh_catalog")
    assert run(kiosk)["c1"][0] == "done"
    assert kiosk.store.sync_state()["catalog_refetch"] == "c1"


def test_outcomes_wait_for_central_until_marked_acknowledged(kiosk):
    add(kiosk.store, "c1", "lock")
    add(kiosk.store, "c2", "nope")
    run(kiosk)
    assert [(r["id"], commands.ack_state(r["state"])) for r in commands.unacked(kiosk.store)] == [
        ("c1", "done"),
        ("c2", "failed"),
    ]
    commands.mark_acked(kiosk.store, "c1", kiosk.clock.now())
    assert [r["id"] for r in commands.unacked(kiosk.store)] == ["c2"]


def test_flow_learns_locked_paused_and_restart_from_the_sync_status(kiosk, settings, clock):
    from flowkit import SyncRunner

    from kiosk.flow import Flow
    from sync.worker import SyncStatus

    flow = Flow(settings, clock, SyncRunner())
    flow.backend_ready(kiosk)
    assert flow.state_of(KTP).kind == OPEN and not flow.locked and not flow.restart_requested
    add(kiosk.store, "c1", "pause_service", {"service": KTP})
    add(kiosk.store, "c2", "lock")
    add(kiosk.store, "c3", "restart")
    run(kiosk)  # as the sync thread does, on its own connection
    flow.sync_changed(
        SyncStatus("online", 0, None, None, None, None, locked=True, paused=(KTP,), restart_requested=True)
    )
    assert flow.state_of(KTP).kind == PAUSED and flow.state_of(SKCK).kind == OPEN
    assert flow.locked and flow.restart_requested


# --- the CLI ----------------------------------------------------------------------------------


def cli(*args: str, data: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), "--demo", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)


def test_cli_refuses_a_paused_service_and_shows_it_in_catalog_and_status(tmp_path):
    data = tmp_path / "data"
    assert cli("catalog", "--json", data=data).returncode == 0  # makes the store
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        conn.execute(
            "INSERT INTO commands (id, kind, args, cursor, received_at) VALUES (?, ?, ?, 1, '2026-11-24T09:00')",
            ("c1", "pause_service", json.dumps({"service": KTP})),
        )
    from kiosk.app import build
    from kiosk.config import load

    k = build(load(None, demo=True, data_dir=data))
    try:
        assert run(k)["c1"][0] == "done"
    finally:
        k.close()
    r = cli("ticket", KTP, data=data)
    assert r.returncode == 1 and "sementara dihentikan" in r.stderr and "Traceback" not in r.stderr
    services = {
        s["code"]: s for a in json.loads(cli("catalog", "--json", data=data).stdout)["agencies"] for s in a["services"]
    }
    assert services[KTP]["status"] == "paused" and services[SKCK]["status"] == "open"
    line = next(x for x in cli("catalog", "--language", "en", data=data).stdout.splitlines() if KTP in x)
    assert line.endswith("[paused by a supervisor]")
    status = json.loads(cli("status", "--json", data=data).stdout)
    assert status["locked"] is False and list(status["paused"]) == [KTP]
    assert status["commands"][0]["state"] == "done" and status["commands"][0]["acked_at"] is None
    text = cli("status", data=data).stdout
    assert "locked: no" in text and f"paused: {KTP}" in text and "not acknowledged yet" in text
