"""Remote commands in the sync round: executed after the pull, acknowledged after, each once
(a fake central on loopback; real SQLite; a real `kiosk sync --once` process killed mid-ack)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import make_engine

from sync.catalog import central_catalog_path

ROOT = Path(__file__).resolve().parents[2]
KTP = "KTP-EL"


def command(central, cid: str, kind: str, args: dict | None = None) -> int:
    return central.add_change("command", data={"id": cid, "kind": kind, "args": args or {}})


def executed(store) -> list[str]:
    rows = store.query("SELECT data FROM audit WHERE kind = 'command.executed' ORDER BY seq")
    return [json.loads(r["data"])["id"] for r in rows]


def acks(central) -> list[tuple[str, str]]:
    with central.lock:
        return [(a["id"], a["state"]) for a in central.commands_acked]


def test_pause_is_executed_and_acknowledged_in_one_round(kiosk, engine, central):
    command(central, "11111111-1111-4111-8111-111111111111", "pause_service", {"service": KTP})
    report = engine.run_round()
    assert report.ok and report.commands == 1 and report.commands_executed == 1 and report.commands_acked == 1
    assert report.paused == (KTP,) and report.locked is False
    with central.lock:
        ack = central.commands_acked[0]
    assert ack == {"id": "11111111-1111-4111-8111-111111111111", "state": "done", "detail": f"service {KTP} paused"}
    assert kiosk.queue.availability(kiosk.catalog.service(KTP)).paused  # the touch UI's connection sees it
    row = engine.store.query("SELECT state, acked_at FROM commands")[0]
    assert row["state"] == "done" and row["acked_at"]


def test_unknown_kind_and_bad_args_are_acknowledged_as_failed(kiosk, engine, central):
    command(central, "c1", "self_destruct")
    command(central, "c2", "pause_service", {"service": "NO-SUCH"})
    central.add_change("command", data={"id": "c3", "kind": 7})  # malformed: refused when stored
    engine.run_round()
    with central.lock:
        by_id = {a["id"]: a for a in central.commands_acked}
    assert {k: a["state"] for k, a in by_id.items()} == {"c1": "failed", "c2": "failed", "c3": "failed"}
    assert "unknown command kind 'self_destruct'" in by_id["c1"]["detail"] and "NO-SUCH" in by_id["c2"]["detail"]
    assert "malformed command" in by_id["c3"]["detail"]


def test_lost_ack_is_sent_next_round_without_running_the_command_again(kiosk, engine, central):
    command(central, "c1", "lock")
    central.fault("command_ack", status=503, after=False)
    report = engine.run_round()
    assert not report.ok and report.error_code == "sync.server_error"
    assert report.locked is True and executed(engine.store) == ["c1"] and acks(central) == []
    report = engine.run_round()
    assert report.ok and report.commands_executed == 0 and report.commands_acked == 1
    assert acks(central) == [("c1", "done")] and executed(engine.store) == ["c1"]
    engine.run_round()
    assert acks(central) == [("c1", "done")]  # acknowledged once


def test_command_sent_again_is_not_run_twice(kiosk, engine, central):
    command(central, "c1", "pause_service", {"service": KTP})
    engine.run_round()
    command(central, "c2", "resume_service", {"service": KTP})
    command(central, "c1", "pause_service", {"service": KTP})  # the same id again (central retried)
    report = engine.run_round()
    assert report.commands_executed == 1 and report.paused == ()  # resumed, not paused again
    assert executed(engine.store) == ["c1", "c2"] and acks(central) == [("c1", "done"), ("c2", "done")]


def test_kill_between_execution_and_ack_neither_repeats_nor_loses_it(kiosk, sync_settings, central, clock):
    command(central, "c1", "pause_service", {"service": KTP})
    central.fault("command_ack", delay=30)  # central holds the ack: the process dies waiting
    cmd = [
        sys.executable, "-m", "kiosk.cli", "--config", sync_settings.source,
        "--data-dir", str(sync_settings.data_dir), "sync", "--once",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not central.requests_to("command_ack"):
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert acks(central) == []
    engine = make_engine(sync_settings, clock)
    try:
        assert engine.store.query("SELECT state, acked_at FROM commands") == [{"state": "done", "acked_at": None}]
        report = engine.run_round()
        assert report.ok and report.commands_executed == 0 and report.commands_acked == 1
        assert executed(engine.store) == ["c1"] and acks(central) == [("c1", "done")]
        assert report.paused == (KTP,)
    finally:
        engine.close()


def test_restart_is_reported_by_the_engine_that_ran_it_only(kiosk, engine, central, sync_settings, clock):
    command(central, "c1", "restart")
    assert engine.run_round().restart_requested
    assert engine.run_round().restart_requested  # it stays asked for in this process
    fresh = make_engine(sync_settings, clock)  # the restarted app: no restart loop
    try:
        assert not fresh.run_round().restart_requested
    finally:
        fresh.close()


def test_refresh_catalog_puts_centrals_catalog_in_force_again(kiosk, engine, central, sync_settings):
    from test_engine import VALID, catalog_text

    central.add_change("catalog", version=2, data={"toml": catalog_text(**VALID)})
    engine.run_round()
    path = central_catalog_path(sync_settings.data_dir)
    installed = path.read_bytes()
    path.unlink()  # damaged on disk, say
    command(central, "c1", "refresh_catalog")
    report = engine.run_round()
    assert report.ok and report.catalog_changed and report.catalog_version == 2
    assert path.read_bytes() == installed and acks(central) == [("c1", "done")]
    assert "cursor=0&" in central.requests_to("pull")[-1]["path"]
    assert "catalog_refetch" not in engine.store.sync_state()
    applied = engine.store.query("SELECT data FROM audit WHERE kind = 'config.catalog_applied' ORDER BY seq")
    assert json.loads(applied[-1]["data"])["by"] == "command"


def test_worker_status_carries_locked_and_paused(kiosk, central, sync_settings, clock):
    from sync.worker import SyncWorker

    command(central, "c1", "lock")
    command(central, "c2", "pause_service", {"service": KTP})
    seen = []
    worker = SyncWorker(lambda: make_engine(sync_settings, clock), on_state=seen.append, interval=0.05)
    worker.start()
    try:
        deadline = time.monotonic() + 15
        while not (worker.status.locked and worker.status.paused):
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        worker.stop(timeout=10)
    assert worker.status.paused == (KTP,) and not worker.status.restart_requested
