"""Every config value is checked at load: a bad one stops the kiosk before any number is used.

Each bad value goes through the real loader and through `kiosk ... --demo ticket KTP-EL` in
process: exit code 2, one line on stderr naming the file, the key and what was expected, no
traceback, and nothing written to the store.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import _SECTION_CLASSES, CROSS_CHECKS, RULES, Settings, escpos_profiles, load
from kiosk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]

#: (test id, file text, key named, words of what was expected)
BAD = [
    ("columns-0", "[printer]\ncolumns = 0\n", "printer.columns", "expected 32..64 characters per line"),
    ("columns-1", "[printer]\ncolumns = 1\n", "printer.columns", "(42 or 48 for 80 mm paper), got 1"),
    ("columns-2", "[printer]\ncolumns = 2\n", "printer.columns", "expected 32..64 characters per line"),
    ("columns-31", "[printer]\ncolumns = 31\n", "printer.columns", "got 31"),
    ("columns-65", "[printer]\ncolumns = 65\n", "printer.columns", "got 65"),
    ("columns-huge", "[printer]\ncolumns = 400000000\n", "printer.columns", "got 400000000"),
    ("columns-int64", "[printer]\ncolumns = 9223372036854775807\n", "printer.columns", "expected 32..64"),
    (
        "columns-over-64-bits",
        "[printer]\ncolumns = 0xFFFFFFFFFFFFFFFFFFFFFF\n",
        "printer.columns",
        "larger than 64 bits",
    ),
    ("columns-float", "[printer]\ncolumns = 42.0\n", "printer.columns", "expected an integer"),
    ("profile-unknown", '[printer]\nprofile = "NOPE-9000"\n', "printer.profile", "e.g. TM-T88V, TM-T20II, default"),
    ("profile-case", '[printer]\nprofile = "tm-t88v"\n', "printer.profile", "did you mean TM-T88V?"),
    ("profile-empty", '[printer]\nprofile = ""\n', "printer.profile", "python-escpos printer profile"),
    ("timeout-negative", "[printer]\ntimeout_seconds = -1.0\n", "printer.timeout_seconds", "0.1..60, got -1.0"),
    ("timeout-zero", "[printer]\ntimeout_seconds = 0\n", "printer.timeout_seconds", "0.1..60, got 0"),
    ("timeout-nan", "[printer]\ntimeout_seconds = nan\n", "printer.timeout_seconds", "finite number"),
    ("timeout-inf", "[printer]\ntimeout_seconds = inf\n", "printer.timeout_seconds", "got inf"),
    ("timeout-minus-inf", "[printer]\ntimeout_seconds = -inf\n", "printer.timeout_seconds", "got -inf"),
    ("timeout-1e400", "[printer]\ntimeout_seconds = 1e400\n", "printer.timeout_seconds", "0.1..60"),
    ("timeout-huge-int", f"[printer]\ntimeout_seconds = {10**400}\n", "printer.timeout_seconds", "0.1..60"),
    ("timeout-61", "[printer]\ntimeout_seconds = 61\n", "printer.timeout_seconds", "0.1..60"),
    ("port-70000", "[printer]\nport = 70000\n", "printer.port", "1..65535, got 70000"),
    ("port-0", "[printer]\nport = 0\n", "printer.port", "1..65535, got 0"),
    ("usb-vendor-big", "[printer]\nusb_vendor = 0x10000\n", "printer.usb_vendor", "0..0xFFFF (from lsusb), got 65536"),
    ("usb-vendor-negative", "[printer]\nusb_vendor = -1\n", "printer.usb_vendor", "0..0xFFFF"),
    ("usb-product-big", "[printer]\nusb_product = 65536\n", "printer.usb_product", "0..0xFFFF"),
    ("baudrate-odd", "[printer]\nbaudrate = 12345\n", "printer.baudrate", "one of 1200, 2400"),
    ("baudrate-zero", "[printer]\nbaudrate = 0\n", "printer.baudrate", "921600, got 0"),
    ("host-missing", '[printer]\nkind = "network"\n', "printer.host", 'kind = "network" needs one'),
    ("host-bad-ip", '[printer]\nkind = "network"\nhost = "192.168.1.300"\n', "printer.host", "host name or IP"),
    ("host-space", '[printer]\nhost = "printer one"\n', "printer.host", "host name or IP"),
    ("serial-port-empty", '[printer]\nkind = "serial"\nserial_port = ""\n', "printer.serial_port", "needs one"),
    ("serial-port-newline", '[printer]\nserial_port = "/dev/tty\\n"\n', "printer.serial_port", "serial device"),
    ("kind-unknown", '[printer]\nkind = "bluetooth"\n', "printer.kind", "file, network, usb, serial, none"),
    ("camera-kind", '[camera]\nkind = "usb"\n', "camera.kind", "one of opencv, simulated, none"),
    ("camera-source-empty", '[camera]\nsource = ""\n', "camera.source", 'kind = "opencv" needs one'),
    ("camera-source-newline", '[camera]\nsource = "/dev/video0\\n"\n', "camera.source", "a device index"),
    ("camera-sim-missing", '[camera]\nkind = "simulated"\nsource = "/nope.mp4"\n', "camera.source", "no such file"),
    ("camera-width", "[camera]\nwidth = 100\n", "camera.width", "160..3840 pixels, got 100"),
    ("camera-fps", "[camera]\nfps = 0\n", "camera.fps", "1..60 frames per second"),
    ("camera-stale-nan", "[camera]\nstale_seconds = nan\n", "camera.stale_seconds", "0.2..60"),
    ("reports-status-string", '[printer]\nreports_status = "no"\n', "printer.reports_status", "true or false"),
    ("inactivity-5", "[timeouts]\ninactivity_seconds = 5\n", "timeouts.inactivity_seconds", "10..3600"),
    ("inactivity-3601", "[timeouts]\ninactivity_seconds = 3601\n", "timeouts.inactivity_seconds", "10..3600"),
    ("countdown-0", "[timeouts]\ncountdown_seconds = 0\n", "timeouts.countdown_seconds", "1..3599"),
    (
        "countdown-not-less",
        "[timeouts]\ninactivity_seconds = 30\ncountdown_seconds = 30\n",
        "timeouts.countdown_seconds",
        "fewer seconds than timeouts.inactivity_seconds (30), got 30",
    ),
    (
        "countdown-default-over-inactivity",
        "[timeouts]\ninactivity_seconds = 10\n",
        "timeouts.countdown_seconds",
        "fewer seconds than timeouts.inactivity_seconds (10)",
    ),
    ("ticket-4", "[timeouts]\nticket_seconds = 4\n", "timeouts.ticket_seconds", "5..600"),
    ("ticket-601", "[timeouts]\nticket_seconds = 601\n", "timeouts.ticket_seconds", "5..600"),
    ("hall-name-empty", '[hall]\nname = ""\n', "hall.name", "1..60 characters"),
    ("hall-name-blank", '[hall]\nname = "   "\n', "hall.name", "1..60 characters"),
    ("hall-name-long", f'[hall]\nname = "{"M" * 61}"\n', "hall.name", "1..60 characters"),
    ("hall-name-newline", '[hall]\nname = "MPP\\nBandung"\n', "hall.name", "on one line"),
    ("hall-code-short", '[hall]\ncode = "B"\n', "hall.code", "2..8 characters A-Z or 0-9"),
    ("hall-code-long", '[hall]\ncode = "BANDUNGKOTA"\n', "hall.code", "2..8 characters A-Z or 0-9"),
    ("hall-code-lower", '[hall]\ncode = "bdg"\n', "hall.code", "got 'bdg'"),
    ("hall-timezone", '[hall]\ntimezone = "UTC"\n', "hall.timezone", "one of WIB, WITA, WIT"),
    ("kiosk-id-empty", '[kiosk]\nid = ""\n', "kiosk.id", "1..40 characters"),
    ("kiosk-id-space", '[kiosk]\nid = "kiosk one"\n', "kiosk.id", "(no spaces)"),
    ("kiosk-id-tab", '[kiosk]\nid = "kiosk\\t1"\n', "kiosk.id", "(no spaces)"),
    ("kiosk-id-long", f'[kiosk]\nid = "{"k" * 41}"\n', "kiosk.id", "1..40 characters"),
    ("central-url-ftp", '[central]\nurl = "ftp://mpp.example"\n', "central.url", "http:// or https://"),
    ("central-url-no-scheme", '[central]\nurl = "mpp.example.go.id"\n', "central.url", "http:// or https://"),
    ("central-url-no-host", '[central]\nurl = "https://"\n', "central.url", "http:// or https://"),
    ("central-url-bad-port", '[central]\nurl = "http://mpp:99999/"\n', "central.url", "http:// or https://"),
    ("catalog-path-missing", '[catalog]\npath = "/nonexistent/catalog.toml"\n', "catalog.path", "existing catalog"),
    ("unknown-key", "[printer]\npaper = 80\n", "printer.paper", "unknown key"),
    ("unknown-section", "[projector]\nindex = 0\n", "projector", "unknown section"),
    ("key-with-newline", '[printer]\n"a\\nb" = 1\n', "printer.'a\\nb'", "unknown key"),
    ("toml-syntax", "[printer\n", "line 1, column 9", "not valid TOML"),
    ("toml-thousands-of-digits", f"[printer]\ncolumns = {'9' * 5000}\n", "-", "thousands of digits"),
    ("toml-nested-too-deep", "[printer]\ncolumns = " + "[" * 5000 + "\n", "-", "nested too deeply"),
]


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "kiosk.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def store_counts(data: Path) -> tuple[int, int]:
    """(tickets, counter rows) in the data dir's store; (0, 0) when there is no store."""
    db = data / "kiosk.sqlite3"
    if not db.exists():
        return (0, 0)
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM counters)").fetchone()


@pytest.fixture(autouse=True)
def _keep_sigpipe():
    """kiosk.cli.main sets SIGPIPE to its default; give pytest its own back."""
    old = signal.getsignal(signal.SIGPIPE)
    yield
    signal.signal(signal.SIGPIPE, old)


def run_ticket(capsys, config: Path, data: Path) -> tuple[int, str, str]:
    code = main(["--config", str(config), "--data-dir", str(data), "--demo", "ticket", "KTP-EL"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("text", "key", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_load_config_refuses_bad_value(tmp_path, text, key, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load(path, data_dir=tmp_path)
    message = err.value.message
    assert message.startswith(f"{path}: {key}: "), message
    assert expected in message and "\n" not in message


@pytest.mark.parametrize(("text", "key", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_cli_refuses_bad_config_value_before_any_ticket(tmp_path, capsys, text, key, expected):
    path = write(tmp_path, text)
    data = tmp_path / "data"
    code, out, err = run_ticket(capsys, path, data)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.endswith("\n") and "Traceback" not in err
    assert err.startswith(f"kiosk: config error: {path}: {key}: ") and expected in err
    assert store_counts(data) == (0, 0)


def test_load_config_refuses_non_utf8_with_its_line(tmp_path):
    path = write(tmp_path, b'[hall]\nname = "MPP Kota Bandung"\ncode = "BD\xc7"\n')
    with pytest.raises(ConfigError) as err:
        load(path, data_dir=tmp_path)
    assert err.value.message == (
        f"{path}: line 3, column 11: not valid UTF-8 text (byte 0xC7 at offset 43); save it as UTF-8"
    )


def test_cli_refuses_non_utf8_config_before_any_ticket(tmp_path, capsys):
    path = write(tmp_path, b'[hall]\nname = "Caf\xe9"\n')
    code, out, err = run_ticket(capsys, path, tmp_path / "data")
    assert code == 2 and err.count("\n") == 1 and "not valid UTF-8 text" in err and "Traceback" not in err
    assert store_counts(tmp_path / "data") == (0, 0)


def test_load_config_refuses_missing_and_directory_and_huge_files(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load(tmp_path / "nope.toml", data_dir=tmp_path)
    with pytest.raises(ConfigError, match=": -: Is a directory"):
        load(tmp_path, data_dir=tmp_path)
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * (5 * 1024 * 1024) + b"\n")
    with pytest.raises(ConfigError, match="file too large"):
        load(big, data_dir=tmp_path)


def test_load_config_accepts_the_edges_of_every_range(tmp_path):
    catalog = tmp_path / "catalog.toml"
    catalog.write_text("")  # only its existence is the config's business
    for columns, timeout, port, vendor in ((32, 0.1, 1, 0), (64, 60, 65535, 0xFFFF)):
        path = write(
            tmp_path,
            f"[printer]\ncolumns = {columns}\ntimeout_seconds = {timeout}\nport = {port}\nusb_vendor = {vendor}\n"
            f'kind = "network"\nhost = "fe80::1"\nreports_status = false\nprofile = "default"\n'
            f"[timeouts]\ninactivity_seconds = 10\ncountdown_seconds = 9\nticket_seconds = 600\n"
            f'[hall]\nname = "{"M" * 60}"\ncode = "AB12CD34"\n[kiosk]\nid = "Hall_2.kiosk-07"\n'
            f'[central]\nurl = "https://mpp.example.go.id:8443/api"\n[catalog]\npath = {json.dumps(str(catalog))}\n',
        )
        s = load(path, data_dir=tmp_path)
        assert s.printer.columns == columns and s.printer.timeout_seconds == float(timeout)
        assert isinstance(s.printer.timeout_seconds, float) and s.printer.reports_status is False


def test_load_config_checks_printer_values_under_demo_too(tmp_path):
    path = write(tmp_path, '[printer]\nkind = "network"\nhost = ""\n')
    with pytest.raises(ConfigError, match="printer.host"):
        load(path, demo=True, data_dir=tmp_path)
    path = write(tmp_path, '[printer]\nkind = "network"\nhost = "printer-1.hall.local"\n')
    assert load(path, demo=True, data_dir=tmp_path).printer.kind == "file"


def test_load_config_reports_status_defaults_to_true(tmp_path):
    assert load(None, data_dir=tmp_path).printer.reports_status is True
    assert (
        load(write(tmp_path, "[printer]\nreports_status = false\n"), data_dir=tmp_path).printer.reports_status is False
    )


def test_load_config_defaults_pass_every_rule(tmp_path):
    s = Settings()
    for key, rule in RULES.items():
        section, name = key.split(".")
        assert rule.accepts(getattr(getattr(s, section), name)), key
    assert all(check(s) is None for _, check in CROSS_CHECKS)


def test_load_config_every_non_boolean_key_has_a_rule():
    for section, cls in _SECTION_CLASSES.items():
        for f in fields(cls):
            assert isinstance(getattr(cls(), f.name), bool) or f"{section}.{f.name}" in RULES, f"{section}.{f.name}"


def test_readme_configuration_table_matches_the_rules():
    readme = (ROOT / "README.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+\.\w+)` \| `[^`]*` \| (.*?) \|$", readme, re.M))
    for section, cls in _SECTION_CLASSES.items():
        for f in fields(cls):
            key = f"{section}.{f.name}"
            rule = RULES.get(key)
            assert rows.get(key) == (rule.expected if rule else "true or false"), key


def test_escpos_profiles_read_from_capabilities_json_without_importing_escpos(tmp_path):
    path = write(tmp_path, '[printer]\nprofile = "TM-T20II"\n')
    code = (
        "import sys\nfrom kiosk.config import escpos_profiles, load\n"
        f"load({str(path)!r}, data_dir={str(tmp_path)!r})\n"
        "assert {'TM-T88V', 'TM-T20II', 'default'} <= escpos_profiles(), escpos_profiles()\n"
        "assert 'escpos' not in sys.modules and 'escpos.capabilities' not in sys.modules\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ESCPOS_CAPABILITIES_FILE", None)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr


def test_escpos_profiles_match_what_escpos_itself_loads():
    from escpos import capabilities

    assert escpos_profiles() == frozenset(capabilities.CAPABILITIES["profiles"])
