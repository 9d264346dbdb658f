"""`kiosk enroll`, `kiosk sync --once` and `--central` as scripts call them: real processes, real HTTP."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def kiosk(data: Path, *args: str, config: Path | None = None, demo: bool = True, central: str | None = None):
    cmd = [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data)]
    if demo:
        cmd.append("--demo")
    if config:
        cmd += ["--config", str(config)]
    if central:
        cmd += ["--central", central]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=60)


def config(tmp_path: Path, kiosk_id: str = "kiosk-1", short_code: str = "1", url: str = "") -> Path:
    path = tmp_path / f"{kiosk_id}.toml"
    path.write_text(f'[kiosk]\nid = "{kiosk_id}"\nshort_code = "{short_code}"\n[central]\nurl = "{url}"\n')
    return path


def backlog(data: Path) -> int:
    with sqlite3.connect(data / "kiosk.sqlite3") as conn:
        return conn.execute("SELECT count(*) FROM outbox WHERE acked_at IS NULL").fetchone()[0]


def one_line(r: subprocess.CompletedProcess) -> str:
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    return r.stderr


def issue(data: Path, n: int, cfg: Path | None = None) -> list[dict]:
    out = []
    for _ in range(n):
        r = kiosk(data, "ticket", "KTP-EL", "--json", config=cfg)
        assert r.returncode == 0, r.stderr
        out.append(json.loads(r.stdout))
    return out


def test_sync_once_json_sends_offline_tickets_once(tmp_path, central):
    data = tmp_path / "data"
    tickets = issue(data, 3)  # no central configured: offline, as in a hall whose link is down
    r = kiosk(data, "sync", "--once", "--json", central=central.url)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["ok"] is True and report["pushed"] == 6 and report["pulled"] == 0 and report["backlog"] == 0
    assert [(t["number"], t["ticket_id"]) for t in central.hall_tickets()] == [(t["number"], t["id"]) for t in tickets]
    again = kiosk(data, "sync", "--once", "--json", central=central.url)
    assert json.loads(again.stdout)["pushed"] == 0 and len(central.requests_to("push")) == 1
    q = json.loads(kiosk(data, "queue", "--json").stdout)["tickets"]
    assert {t["sync_state"] for t in q} == {"synced"}


def test_sync_once_text_is_one_line(tmp_path, central):
    data = tmp_path / "data"
    issue(data, 1)
    r = kiosk(data, "sync", "--once", central=central.url)
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.startswith("synced: pushed 2, pulled 0, backlog 0") and r.stdout.count("\n") == 1


def test_sync_with_url_from_config(tmp_path, central):
    data = tmp_path / "data"
    issue(data, 1)
    r = kiosk(data, "sync", "--once", "--json", config=config(tmp_path, url=central.url))
    assert r.returncode == 0 and json.loads(r.stdout)["pushed"] == 2


def test_sync_unreachable_central_one_line_exit_1_backlog_kept(tmp_path, central):
    data = tmp_path / "data"
    issue(data, 2)
    url = central.url
    central.stop()
    r = kiosk(data, "sync", "--once", central=url)
    assert r.returncode == 1 and r.stdout == ""
    line = one_line(r)
    assert line.startswith(f"kiosk: sync failed: Central {url} unreachable") and "4 unsent record(s) kept" in line
    assert backlog(data) == 4
    q = json.loads(kiosk(data, "queue", "--json").stdout)["tickets"]
    assert {t["sync_state"] for t in q} == {"pending"}


def test_sync_json_failure_still_prints_the_report(tmp_path, central):
    data = tmp_path / "data"
    url = central.url
    central.stop()
    r = kiosk(data, "sync", "--once", "--json", central=url)
    assert r.returncode == 1 and one_line(r)
    report = json.loads(r.stdout)
    assert report["ok"] is False and report["error_code"] == "sync.unreachable"


def test_sync_revoked_kiosk_one_line_naming_it_backlog_kept(tmp_path, central):
    data = tmp_path / "data"
    issue(data, 1)
    central.revoke("kiosk-1")
    r = kiosk(data, "sync", "--once", central=central.url)
    assert r.returncode == 1
    assert one_line(r) == (
        "kiosk: sync failed: Central refused kiosk kiosk-1 (auth.revoked): kiosk kiosk-1 was revoked by the hall "
        "supervisor; 2 unsent record(s) kept for the next sync\n"
    )
    assert backlog(data) == 2


@pytest.mark.parametrize("fault", [{"body": b"{oops"}, {"truncate": True}, {"reply": lambda r: {**r, "acks": 5}}])
def test_sync_malformed_reply_one_line_no_ack(tmp_path, central, fault):
    data = tmp_path / "data"
    issue(data, 1)
    central.fault("push", **fault)
    r = kiosk(data, "sync", "--once", central=central.url)
    assert r.returncode == 1 and "malformed" in one_line(r)
    assert backlog(data) == 2


def test_sync_without_central_url_says_so(tmp_path):
    r = kiosk(tmp_path / "data", "sync", "--once")
    assert r.returncode == 1 and r.stdout == ""
    assert one_line(r) == ("kiosk: No central service is configured ([central] url in the config, or --central URL)\n")


@pytest.mark.parametrize("url", ["ftp://central.example", "http://", "central.example", "http://a b"])
def test_bad_central_option_is_a_config_error(tmp_path, url):
    r = kiosk(tmp_path / "data", "sync", "--once", central=url)
    assert r.returncode == 2 and "--central" in one_line(r) and "http:// or https://" in r.stderr


def test_sync_not_enrolled_one_line(tmp_path, central):
    r = kiosk(
        tmp_path / "data", "sync", "--once", demo=False, config=config(tmp_path, "bdg-1", "3"), central=central.url
    )
    assert r.returncode == 1 and "not enrolled" in one_line(r) and "kiosk enroll TOKEN" in r.stderr


def test_enroll_saves_a_private_credential_that_sync_uses(tmp_path, central):
    data = tmp_path / "data"
    cfg = config(tmp_path, "bdg-kiosk-01", "7", url=central.url)
    token = central.add_token("bdg-kiosk-01", "7")
    r = kiosk(data, "enroll", token, demo=False, config=cfg)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("enrolled as bdg-kiosk-01 (hall DEMO, short code 7)") and r.stdout.count("\n") == 1
    assert r.stderr == ""
    path = data / "central.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    issue(data, 1, cfg)
    r = kiosk(data, "sync", "--once", "--json", demo=False, config=cfg)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["pushed"] == 2
    assert [t["kiosk_id"] for t in central.hall_tickets()] == ["bdg-kiosk-01"]


def test_enroll_with_a_token_for_another_kiosk_notes_the_config(tmp_path, central):
    token = central.add_token("bdg-kiosk-02", "8")
    r = kiosk(tmp_path / "data", "enroll", token, central=central.url)
    assert r.returncode == 0 and r.stdout.count("\n") == 1
    assert 'set [kiosk] id = "bdg-kiosk-02", short_code = "8"' in one_line(r)
    s = kiosk(tmp_path / "data", "sync", "--once", central=central.url)
    assert s.returncode == 1 and "is for kiosk bdg-kiosk-02" in one_line(s)


@pytest.mark.parametrize(("token", "code"), [("nope", "enroll.token_unknown"), (None, "enroll.token_used")])
def test_enroll_refused_token_one_line_nothing_saved(tmp_path, central, token, code):
    if token is None:
        token = central.add_token("kiosk-1", "1")
        assert kiosk(tmp_path / "first", "enroll", token, central=central.url).returncode == 0
    r = kiosk(tmp_path / "data", "enroll", token, central=central.url)
    assert r.returncode == 1 and code in one_line(r) and r.stderr.startswith("kiosk: enrolment failed:")
    assert not (tmp_path / "data" / "central.json").exists()


def test_enroll_without_central_url_says_so(tmp_path):
    r = kiosk(tmp_path / "data", "enroll", "tok")
    assert r.returncode == 1 and "No central service is configured" in one_line(r)


def test_enroll_unreachable_one_line(tmp_path, central):
    url = central.url
    central.stop()
    r = kiosk(tmp_path / "data", "enroll", "tok", central=url)
    assert r.returncode == 1 and "unreachable" in one_line(r)


def test_world_readable_credential_is_refused(tmp_path, central):
    data = tmp_path / "data"
    token = central.add_token("kiosk-1", "1")
    assert kiosk(data, "enroll", token, central=central.url).returncode == 0
    (data / "central.json").chmod(0o644)
    r = kiosk(data, "sync", "--once", central=central.url)
    assert r.returncode == 1 and "chmod 600" in one_line(r) and "mode 0644" in r.stderr


def test_sync_without_once_runs_until_sigterm(tmp_path, central):
    data = tmp_path / "data"
    issue(data, 1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), "--demo", "--central", central.url, "sync"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        first = proc.stdout.readline()
        second = proc.stdout.readline()
        assert first.startswith("sync offline, backlog 2") and second.startswith("sync online, backlog 0"), (
            first,
            second,
        )
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and err == ""
    assert backlog(data) == 0 and len(central.tickets) == 1


def test_log_lines_go_to_the_log_file(tmp_path, central):
    data = tmp_path / "data"
    central.revoke("kiosk-1")
    kiosk(data, "sync", "--once", central=central.url)
    log = (data / "logs" / "kiosk.log").read_text()
    assert "sync round failed (sync.refused)" in log


def test_sync_in_a_running_kiosk_and_a_technicians_sync_at_once(tmp_path, central):
    """Two processes sync the same store at the same time: each item still reaches central once."""
    data = tmp_path / "data"
    issue(data, 10)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), "--demo", "--central", central.url]
    procs = [subprocess.Popen([*cmd, "sync", "--once", "--json"], stdout=subprocess.PIPE, text=True, env=env)]
    time.sleep(0.05)
    procs.append(subprocess.Popen([*cmd, "sync", "--once", "--json"], stdout=subprocess.PIPE, text=True, env=env))
    reports = [json.loads(p.communicate(timeout=60)[0]) for p in procs]
    assert all(r["ok"] for r in reports) and backlog(data) == 0
    assert len(central.tickets) == 10 and len(central.items) == 20
