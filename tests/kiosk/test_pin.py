"""The technician PIN: argon2 hash, five wrong tries lock the gate, the lock survives a restart."""

from __future__ import annotations

import io
import json
import logging
import time
from datetime import UTC, datetime

import pytest

from kiosk.clock import FixedClock
from kiosk.config import load
from kiosk.errors import ConfigError
from kiosk.pin import DEMO_PIN, DEMO_PIN_HASH, LOCK_SECONDS, Gate, Outcome, hash_command, hash_pin, technician_gate

PIN = "2468"


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN)


@pytest.fixture
def gate_clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))


def make_gate(tmp_path, pin_hash, clock, **kw) -> Gate:
    return Gate("technician", pin_hash, tmp_path / "pin-technician.json", clock=clock, **kw)


def test_check_pin_right_opens_and_wrong_counts_down(tmp_path, pin_hash, gate_clock):
    gate = make_gate(tmp_path, pin_hash, gate_clock)
    wrong = gate.check("0000")
    assert wrong.outcome == Outcome.WRONG and wrong.tries_left == 4 and not wrong.ok
    right = gate.check(PIN)
    assert right.ok and right.tries_left == 5
    assert gate.status().tries_left == 5  # a right PIN resets the count


def test_check_pin_five_wrong_tries_lock_even_the_right_pin(tmp_path, pin_hash, gate_clock):
    gate = make_gate(tmp_path, pin_hash, gate_clock)
    for left in (4, 3, 2, 1):
        assert gate.check("1111").tries_left == left
    locked = gate.check("1111")
    assert locked.outcome == Outcome.WRONG and locked.tries_left == 0
    assert locked.locked_until == gate_clock.now() + __import__("datetime").timedelta(seconds=LOCK_SECONDS)
    assert locked.locked_minutes(gate_clock.now()) == 5
    assert gate.check(PIN).outcome == Outcome.LOCKED


def test_check_pin_lockout_persists_across_a_new_gate(tmp_path, pin_hash, gate_clock):
    gate = make_gate(tmp_path, pin_hash, gate_clock)
    for _ in range(5):
        gate.check("9999")
    restarted = make_gate(tmp_path, pin_hash, gate_clock)  # the kiosk restarted
    assert restarted.status().locked_until is not None
    assert restarted.check(PIN).outcome == Outcome.LOCKED
    saved = json.loads((tmp_path / "pin-technician.json").read_text())
    assert saved["failures"] == 5 and saved["lockouts"] == 1 and PIN not in json.dumps(saved)


def test_check_pin_a_try_counts_before_argon2_runs(tmp_path, pin_hash, gate_clock, monkeypatch):
    """Killed while the hash is verified (kill -9), the try still counted: the file was written first."""
    gate = make_gate(tmp_path, pin_hash, gate_clock)

    def killed(*_):
        raise SystemExit("kill -9")

    monkeypatch.setattr("kiosk.pin.verify_pin", killed)
    with pytest.raises(SystemExit):
        gate.check(PIN)
    assert json.loads((tmp_path / "pin-technician.json").read_text())["failures"] == 1


def test_check_pin_the_clock_moving_on_unlocks_and_the_next_lock_is_longer(tmp_path, pin_hash, gate_clock):
    gate = make_gate(tmp_path, pin_hash, gate_clock)
    for _ in range(5):
        gate.check("0000")
    gate_clock.advance(seconds=LOCK_SECONDS - 1)
    assert gate.check(PIN).outcome == Outcome.LOCKED
    gate_clock.advance(seconds=2)
    assert gate.status().tries_left == 5
    for _ in range(5):
        status = gate.check("0000")
    assert (status.locked_until - gate_clock.now()).total_seconds() == 2 * LOCK_SECONDS  # doubled
    gate_clock.advance(seconds=2 * LOCK_SECONDS + 1)
    assert gate.check(PIN).ok
    for _ in range(5):
        status = gate.check("0000")
    assert (status.locked_until - gate_clock.now()).total_seconds() == LOCK_SECONDS  # reset by the right PIN


def test_check_pin_lock_is_capped(tmp_path, pin_hash, gate_clock):
    gate = make_gate(tmp_path, pin_hash, gate_clock, lock_seconds=60, max_lock_seconds=150)
    for expected in (60, 120, 150, 150):
        for _ in range(5):
            status = gate.check("0000")
        assert (status.locked_until - gate_clock.now()).total_seconds() == expected
        gate_clock.advance(seconds=expected + 1)


def test_check_pin_damaged_counter_locks_rather_than_opens(tmp_path, pin_hash, gate_clock):
    (tmp_path / "pin-technician.json").write_text("{not json")
    gate = make_gate(tmp_path, pin_hash, gate_clock)
    assert gate.check(PIN).outcome == Outcome.LOCKED


def test_check_pin_without_a_hash_never_opens(tmp_path, gate_clock):
    gate = make_gate(tmp_path, None, gate_clock)
    assert gate.check(DEMO_PIN).outcome == Outcome.NOT_CONFIGURED
    assert not gate.status().configured


def test_check_pin_logs_every_try_but_never_the_pin(tmp_path, pin_hash, gate_clock, caplog):
    seen = []
    gate = make_gate(tmp_path, pin_hash, gate_clock, on_attempt=lambda role, outcome, _: seen.append((role, outcome)))
    with caplog.at_level(logging.INFO, logger="kiosk.pin"):
        gate.check("8642")
        gate.check(PIN)
    assert seen == [("technician", Outcome.WRONG), ("technician", Outcome.OK)]
    assert "wrong" in caplog.text and "ok" in caplog.text
    assert "8642" not in caplog.text and PIN not in caplog.text


def test_check_pin_takes_argon2_time(tmp_path, pin_hash, gate_clock):
    gate = make_gate(tmp_path, pin_hash, gate_clock)
    started = time.perf_counter()
    assert gate.check(PIN).ok
    took = time.perf_counter() - started
    print(f"PIN verify: {took * 1000:.0f} ms")
    assert 0.01 < took < 2.0


def test_technician_gate_demo_pin_only_with_demo(tmp_path, gate_clock):
    real = load(None, data_dir=tmp_path)
    assert technician_gate(real, gate_clock).pin_hash is None
    demo = load(None, demo=True, data_dir=tmp_path)
    assert technician_gate(demo, gate_clock).pin_hash == DEMO_PIN_HASH
    assert technician_gate(demo, gate_clock).check(DEMO_PIN).ok


def test_config_technician_pin_hash_is_checked(tmp_path, pin_hash):
    cfg = tmp_path / "k.toml"
    cfg.write_text(f'[technician]\npin_hash = "{pin_hash}"\n')
    assert load(cfg, data_dir=tmp_path).technician.pin_hash == pin_hash
    cfg.write_text('[technician]\npin_hash = "1234"\n')
    with pytest.raises(ConfigError, match="technician.pin_hash"):
        load(cfg, data_dir=tmp_path)


def test_pin_hash_command_prints_a_line_that_verifies(tmp_path, gate_clock):
    out, err = io.StringIO(), io.StringIO()
    answers = iter(["1357", "1357"])
    assert hash_command(stdin=False, read=lambda _prompt: next(answers), out=out, err=err) == 0
    line = out.getvalue().splitlines()[1]
    assert line.startswith('pin_hash = "$argon2id$')
    pin_hash = line.split('"')[1]
    assert make_gate(tmp_path, pin_hash, gate_clock).check("1357").ok
    answers = iter(["1357", "7531"])
    assert hash_command(stdin=False, read=lambda _prompt: next(answers), out=io.StringIO(), err=err) == 1
    assert hash_command(stdin=True, read=lambda: "12ab\n", out=io.StringIO(), err=err) == 1


def test_pin_hash_cli_reads_stdin(tmp_path):
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "pin", "hash", "--stdin"],
        input="97531\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith('[technician]\npin_hash = "$argon2id$') and "97531" not in r.stdout + r.stderr
