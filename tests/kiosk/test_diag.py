"""`kiosk diag` and `kiosk reprint` as a technician runs them: real processes, real files, the printer
over TCP on loopback (tests/devices/fake_printer.py), and kiosk/diag.py's checks in-process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from escpos_reader import parse

from devices.health import DeviceHealth, Status
from devices.printer_network import NetworkPrinter
from kiosk import diag
from kiosk.config import load
from kiosk.ticket_layout import CODE_PAGE_LINE, COPY_MARK, TEST_BARCODE, ruler
from tests.devices.fake_printer import FakeNetworkPrinter, free_port

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def kiosk_cli(*args: str, data: Path, config: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data)]
    if config is not None:
        cmd += ["--config", str(config)]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=ENV, timeout=90)


def network_config(tmp_path: Path, port: int, extra: str = "") -> Path:
    """A real (no --demo) config: the printer on loopback, no camera, no scanner, no speech."""
    path = tmp_path / f"kiosk-{port}.toml"
    path.write_text(
        '[hall]\nalways_open = true\n[kiosk]\nlanguage = "en"\n'
        f'[printer]\nkind = "network"\nhost = "127.0.0.1"\nport = {port}\ntimeout_seconds = 0.5\n{extra}'
        '[camera]\nkind = "none"\n[scanner]\nkind = "none"\n[speech]\nengine = "none"\n'
    )
    return path


def by_kind(report_json: dict) -> dict[str, dict]:
    return {d["kind"]: d for d in report_json["devices"]}


# --- acceptance: real processes ------------------------------------------------------------------


def test_diag_demo_json_lists_camera_scanner_printer_ok(tmp_path):
    r = kiosk_cli("--demo", "diag", "--json", data=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    devices = by_kind(out)
    for kind in ("camera", "scanner", "printer"):
        assert devices[kind]["status"] == "OK", devices[kind]
        assert {"name", "kind", "status", "reason"} <= set(devices[kind])
    assert out["failed"] is False
    checks = {c["name"]: c for c in out["checks"]}
    assert {"central", "sync", "disk", "store", "versions", "log"} <= set(checks)
    assert checks["versions"]["versions"]["python"] == sys.version.split()[0]


def test_diag_printer_on_closed_port_exits_nonzero_and_names_it(tmp_path):
    port = free_port()
    r = kiosk_cli("diag", "--json", data=tmp_path / "data", config=network_config(tmp_path, port))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    printer = by_kind(json.loads(r.stdout))["printer"]
    assert printer["status"] == "ERROR" and printer["reason"].startswith("not connected")
    assert f"printer (network 127.0.0.1:{port})" in r.stderr
    table = kiosk_cli("diag", data=tmp_path / "data", config=network_config(tmp_path, port))
    assert table.returncode == 1 and "FAILED: printer not working" in table.stdout


@pytest.mark.parametrize(
    ("behaviour", "code", "status", "reason"),
    [
        ("fine", 0, "OK", "ready"),
        ("near_end", 0, "WARNING", "paper near end"),
        ("paper_out", 1, "ERROR", "out of paper"),
        ("cover_open", 1, "ERROR", "cover open"),
    ],
)
def test_diag_network_printer_states(tmp_path, behaviour, code, status, reason):
    printer = FakeNetworkPrinter(behaviour)
    try:
        r = kiosk_cli("diag", "--json", data=tmp_path / "data", config=network_config(tmp_path, printer.port))
    finally:
        printer.close()
    assert r.returncode == code, r.stderr
    got = by_kind(json.loads(r.stdout))
    assert (got["printer"]["status"], got["printer"]["reason"]) == (status, reason)
    assert [got[k]["status"] for k in ("scanner", "camera", "speech")] == ["ABSENT"] * 3  # "none" is no failure


def test_diag_print_test_over_tcp_has_ruler_code_page_barcode_qr(tmp_path):
    printer = FakeNetworkPrinter("fine")
    try:
        config = network_config(tmp_path, printer.port, "columns = 48\n")
        r = kiosk_cli("diag", "--print-test", "--json", data=tmp_path / "data", config=config)
    finally:
        printer.close()
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["print_test"]["status"] == "OK"
    data = bytes(printer.received)
    receipt = parse(data)
    assert receipt.unknown == [] and receipt.cuts == 1
    assert ruler(48) in receipt.lines and len(ruler(48)) == 48
    assert receipt.barcodes == ["{B" + TEST_BARCODE] and receipt.qr_codes[0].startswith("MPPTEST|DEMO|kiosk-1|")
    assert b"\x1bt\x00" in data  # the code page selected explicitly: CP437 on a TM-T88V
    assert "Rp 10.000 - Jl. Merdeka No. 5, caf\u00e9, \u00bd".encode("cp437") in data


def test_diag_print_test_printer_out_of_paper_fails(tmp_path):
    printer = FakeNetworkPrinter("paper_out")
    try:
        r = kiosk_cli("diag", "--print-test", data=tmp_path / "data", config=network_config(tmp_path, printer.port))
    finally:
        printer.close()
    assert r.returncode == 1
    assert "print-test: ERROR: Printer: out of paper" in r.stdout or "out of paper" in r.stdout
    assert bytes(printer.received) == b""  # faulty before the job: nothing sent


def test_diag_demo_snapshot_saves_a_frame(tmp_path):
    shot = tmp_path / "frame.png"
    r = kiosk_cli("--demo", "diag", "--snapshot", str(shot), "--json", data=tmp_path / "data")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["snapshot"]["status"] == "OK"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_diag_bundle_has_config_without_secrets_logs_and_report(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        '[central]\nurl = "http://user:hunter2@127.0.0.1:9/"\n[camera]\nkind = "none"\n[scanner]\nkind = "none"\n'
        '[printer]\nkind = "file"\n'
    )
    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True)
    (data / "logs" / "kiosk.log").write_text("2026-11-24 09:00:00.000 +07:00 WIB INFO kiosk: started\n")
    (data / "central.json").write_text('{"credential": "s3cret-credential"}')
    r = kiosk_cli("diag", "--bundle", str(tmp_path / "usb"), "--json", data=data, config=cfg)
    assert r.returncode == 0, r.stderr
    path = Path(json.loads(r.stdout)["bundle"])
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        everything = b"".join(z.read(n) for n in names)
        config = json.loads(z.read("config.json"))
    assert {"config.json", "report.json", "report.txt", "logs/kiosk.log"} <= names
    assert b"hunter2" not in everything and b"s3cret" not in everything
    assert config["central"]["url"] == "http://127.0.0.1:9/"
    assert all("pin" not in key and "hash" not in key for key in config.get("technician", {}))


def test_reprint_without_ticket_is_one_line_exit_1(tmp_path):
    r = kiosk_cli("--demo", "reprint", data=tmp_path)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.strip() == "kiosk: no ticket issued today: nothing to reprint"


def test_reprint_prints_the_last_ticket_marked_copy_and_records_it(tmp_path):
    assert kiosk_cli("--demo", "ticket", "KTP-EL", data=tmp_path).returncode == 0
    assert kiosk_cli("--demo", "ticket", "SKCK-BARU", data=tmp_path).returncode == 0
    r = kiosk_cli("--demo", "reprint", "--json", data=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["copy"] is True and out["print_state"] == "printed" and out["recorded"] is True
    assert out["service_code"] == "SKCK-BARU"
    receipt = parse(Path(out["printer_output"]).read_bytes())
    assert receipt.lines.count(f" {COPY_MARK} ") == 2 and out["number"] in receipt.lines
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        rows = conn.execute("SELECT payload FROM outbox WHERE kind = 'ticket.reprinted'").fetchall()
        states = conn.execute("SELECT print_state FROM tickets ORDER BY issued_at").fetchall()
    assert len(rows) == 1 and json.loads(rows[0][0])["number"] == out["number"]
    assert states == [("printed",), ("printed",)]  # the originals are untouched
    log = (tmp_path / "logs" / "kiosk.log").read_text()
    assert f"reprinted ticket {out['number']} (copy" in log


def test_reprint_on_a_printer_out_of_paper_exits_1(tmp_path):
    printer = FakeNetworkPrinter("fine")
    config = network_config(tmp_path, printer.port)
    try:
        assert kiosk_cli("ticket", "KTP-EL", data=tmp_path / "data", config=config).returncode == 0
        printer.paper = "out"
        r = kiosk_cli("reprint", "--json", data=tmp_path / "data", config=config)
    finally:
        printer.close()
    assert r.returncode == 1 and json.loads(r.stdout)["print_fault"] == "paper_out"
    assert "not reprinted: Printer: out of paper" in r.stderr or "out of paper" in r.stderr


# --- in-process: kiosk/diag.py -------------------------------------------------------------------


class StandIn:
    """A device stand-in with the contract's `name`, `kind`, `health()`."""

    def __init__(self, kind: str, status: Status, reason: str = "") -> None:
        self.name, self.kind, self.status, self.reason = f"{kind} (stand-in)", kind, status, reason

    def health(self) -> DeviceHealth:
        return DeviceHealth(self.name, self.kind, self.status, self.reason)


class Broken(StandIn):
    def health(self) -> DeviceHealth:
        raise RuntimeError("boom")


def test_run_checks_injected_devices_and_failed(settings):
    report = diag.run_checks(
        settings,
        printer=StandIn("printer", Status.WARNING, "paper near end"),
        scanner=StandIn("scanner", Status.OK),
        camera=Broken("camera", Status.OK),
        speaker=None,
        central=False,
    )
    got = {d.kind: (d.status, d.reason) for d in report.devices}
    assert got["printer"] == (Status.WARNING, "paper near end")
    assert got["camera"][0] == Status.ERROR and "boom" in got["camera"][1]
    assert got["speech"][0] == Status.ABSENT
    assert report.failed and "central" not in {c.name for c in report.checks}
    assert [d["kind"] for d in report.to_json()["devices"]] == ["printer", "scanner", "camera", "speech"]


def test_run_checks_warning_and_absent_are_not_failures(settings):
    report = diag.run_checks(
        settings, printer=StandIn("printer", Status.WARNING), scanner=None, camera=None, speaker=None, central=False
    )
    assert not report.failed and "devices: no errors" in report.table()


def test_device_healths_from_settings_none_kinds_are_absent(settings):
    none = replace(settings, printer=replace(settings.printer, kind="none"))
    healths = diag.device_healths(none)
    assert [(h.kind, h.status) for h in healths] == [
        ("printer", Status.ABSENT),
        ("scanner", Status.ABSENT),
        ("camera", Status.ABSENT),
        ("speech", Status.ABSENT),
    ]


def test_device_healths_network_printer_unplugged_and_back(settings):
    printer = FakeNetworkPrinter("fine")
    port = printer.port
    adapter = NetworkPrinter("127.0.0.1", port, 0.5)
    try:
        assert diag.device_healths(settings, printer=adapter)[0].status == Status.OK
        printer.close()
        assert diag.device_healths(settings, printer=adapter)[0].status == Status.ERROR
        printer = FakeNetworkPrinter("near_end", port=port)
        assert diag.device_healths(settings, printer=adapter)[0].status == Status.WARNING
    finally:
        printer.close()


def test_device_healths_printer_without_status_is_ok_with_reason(settings):
    printer = FakeNetworkPrinter("cover_open")
    try:
        adapter = NetworkPrinter("127.0.0.1", printer.port, 0.5, reports_status=False)
        health = diag.device_healths(settings, printer=adapter)[0]
    finally:
        printer.close()
    assert health.status == Status.OK and health.reason == "ready (model does not report status)"


def test_check_sync_backlog_and_oldest_age(kiosk, clock):
    kiosk.issue_ticket("KTP-EL")
    clock.advance(minutes=5)
    check = diag.check_sync(kiosk.settings, clock.now())
    assert check.status == Status.OK and check.data["backlog"] >= 1 and check.data["oldest_age_seconds"] == 300


def test_check_store_damaged_is_error(tmp_path):
    settings = load(None, data_dir=tmp_path)
    (tmp_path / "kiosk.sqlite3").write_bytes(b"not a database " * 40)
    check = diag.check_store(settings)
    assert check.status == Status.ERROR


def test_check_central_unreachable_is_a_warning_with_short_timeout(settings):
    url = f"http://127.0.0.1:{free_port()}"
    check = diag.check_central(replace(settings, central=replace(settings.central, url=url)), timeout=0.5)
    assert check.status == Status.WARNING and check.data["reachable"] is False


def test_print_test_page_accepts_a_kiosk(kiosk):
    check = diag.print_test_page(kiosk)
    assert check.status == Status.OK
    receipt = parse(Path(check.data["output"]).read_bytes())
    assert receipt.barcodes and receipt.qr_codes and ruler(kiosk.settings.printer.columns) in receipt.lines


def test_code_page_line_is_the_issues_example():
    assert CODE_PAGE_LINE == "Rp 10.000 \u2014 Jl. Merdeka No. 5, caf\u00e9, \u00bd"
