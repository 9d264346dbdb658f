"""The serial scanner against a real pty: suffixes, split reads, noise, unplug and replug."""

from __future__ import annotations

import queue
import time

import pytest

from devices.health import Status
from devices.scanner import Deduper, ScanEvent
from devices.scanner_serial import SerialScanner, SuffixParser
from tests.devices.fake_scanner import PtyScanner


@pytest.fixture
def device(tmp_path):
    dev = PtyScanner(tmp_path / "ttyScanner")
    yield dev
    dev.close()


def run(port, **kw) -> tuple[SerialScanner, queue.Queue]:
    events: queue.Queue[ScanEvent] = queue.Queue()
    kw.setdefault("deduper", Deduper(0))
    scanner = SerialScanner(str(port), min_backoff=0.05, max_backoff=0.2, **kw)
    scanner.start(events.put)
    return scanner, events


def take(events: queue.Queue, n: int, timeout: float = 3.0) -> list[ScanEvent]:
    return [events.get(timeout=timeout) for _ in range(n)]


def wait_for(pred, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


# --- the parser alone ----------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "sep"), [("CR", b"\r"), ("LF", b"\n"), ("CRLF", b"\r\n"), ("TAB", b"\t")])
def test_suffix_parser_splits_codes_cut_anywhere(suffix, sep):
    stream = b"A1-023" + sep + b"]Q1MPPQ1|DEMO" + sep + "Ñandú ✓".encode() + sep
    for cut in range(1, len(stream)):
        p = SuffixParser(suffix)
        assert p.feed(stream[:cut]) + p.feed(stream[cut:]) == ["A1-023", "]Q1MPPQ1|DEMO", "Ñandú ✓"], cut


def test_suffix_parser_drops_noise_and_empty_codes():
    p = SuffixParser("CR")
    assert p.feed(b"\x00\xff\xfeA1-023\r\r\r\x00\r\x1b[0mB2\n-7\r") == ["A1-023", "[0mB2-7"]


def test_suffix_parser_none_ends_a_code_after_silence():
    p = SuffixParser("none", idle_seconds=0.1)
    assert p.feed(b"A1-", 1.0) == [] and p.feed(b"023", 1.05) == []
    assert p.flush(1.1) == [] and p.flush(1.16) == ["A1-023"]
    assert p.feed(b"X1", 2.0) == [] and p.feed(b"Y2", 2.5) == ["X1"]  # a new code after silence


def test_suffix_parser_throws_away_an_endless_code():
    p = SuffixParser("CR")
    assert p.feed(b"x" * 10_000) == [] and p.dropped == 1
    assert p.feed(b"OK\r") == ["OK"]


# --- through the pty -----------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "sep"), [("CR", b"\r"), ("LF", b"\n"), ("CRLF", b"\r\n"), ("TAB", b"\t")])
def test_serial_scanner_reads_codes_with_each_suffix(device, suffix, sep):
    scanner, events = run(device.link, suffix=suffix)
    try:
        wait_for(lambda: scanner.health().status == Status.OK)
        device.send(b"A1-023-BDG" + sep + b"5901234123457" + sep, chunks=7, pause=0.01)
        got = take(events, 2)
        assert [(e.text, e.source, e.symbology) for e in got] == [
            ("A1-023-BDG", "serial", "unknown"),
            ("5901234123457", "serial", "unknown"),
        ]
    finally:
        scanner.stop()


def test_serial_scanner_without_suffix_ends_codes_by_silence(device):
    scanner, events = run(device.link, suffix="none", idle_ms=60)
    try:
        wait_for(lambda: scanner.health().status == Status.OK)
        device.send(b"MPPQ1|DEMO|A1-001", chunks=3, pause=0.01)
        assert take(events, 1)[0].text == "MPPQ1|DEMO|A1-001"
        device.send(b"A1-002")
        assert take(events, 1)[0].text == "A1-002"
    finally:
        scanner.stop()


def test_serial_scanner_aim_prefix_names_the_symbology(device):
    scanner, events = run(device.link, suffix="CR", aim_prefix=True)
    try:
        wait_for(lambda: scanner.health().status == Status.OK)
        device.send(b"]Q1MPPQ1|DEMO\r]C0A1-023\r]E05901234123457\r]C1X9\rPLAIN\r")
        got = [(e.text, e.symbology) for e in take(events, 5)]
        assert got == [
            ("MPPQ1|DEMO", "QRCODE"),
            ("A1-023", "CODE128"),
            ("5901234123457", "EAN13"),
            ("X9", "CODE128"),
            ("PLAIN", "unknown"),
        ]
    finally:
        scanner.stop()


def test_serial_scanner_garbage_bytes_never_stop_it(device):
    scanner, events = run(device.link, suffix="CR")
    try:
        wait_for(lambda: scanner.health().status == Status.OK)
        device.send(b"\x00\xff\xfe\x80\r\x01\x02GOOD-1\r" + bytes(range(256)) + b"\rGOOD-2\r")
        texts = [e.text for e in take(events, 3)]
        assert texts[0] == "GOOD-1" and texts[-1] == "GOOD-2"
        assert scanner.health().status == Status.OK
    finally:
        scanner.stop()


def test_serial_scanner_same_code_twice_is_one_scan(device):
    scanner, events = run(device.link, suffix="CR", deduper=Deduper(3.0))
    try:
        wait_for(lambda: scanner.health().status == Status.OK)
        device.send(b"A1-023\rA1-023\rA1-023\rB\r")
        assert [e.text for e in take(events, 2)] == ["A1-023", "B"]
        assert events.empty()
    finally:
        scanner.stop()


def test_serial_scanner_unplugged_is_error_then_ok_again_by_itself(device):
    scanner, events = run(device.link, suffix="CR")
    try:
        wait_for(lambda: scanner.health().status == Status.OK)
        device.send(b"BEFORE\r")
        assert take(events, 1)[0].text == "BEFORE"
        device.unplug()
        wait_for(lambda: scanner.health().status == Status.ERROR)
        health = scanner.health()
        assert str(device.link) in health.reason and health.checked_at is not None
        time.sleep(0.3)  # a few failed reconnects
        assert scanner.health().status == Status.ERROR
        device.plug()  # a new pty behind the same path
        wait_for(lambda: scanner.health().status == Status.OK)
        device.send(b"AFTER\r")
        assert take(events, 1)[0].text == "AFTER"
        assert scanner.connects == 2
    finally:
        scanner.stop()


def test_serial_scanner_missing_port_reports_error_with_reason(tmp_path):
    scanner = SerialScanner(str(tmp_path / "nothing"))
    health = scanner.health()  # not started: tries to open
    assert health.status == Status.ERROR and "cannot open" in health.reason and "nothing" in health.reason
    scanner, _ = run(tmp_path / "nothing")
    try:
        wait_for(lambda: scanner.health().status == Status.ERROR)
        assert "cannot open" in scanner.health().reason
    finally:
        scanner.stop()
    assert scanner.health().status == Status.ERROR  # stopped: checks the port again


def test_serial_scanner_health_not_started_opens_the_port(device):
    scanner = SerialScanner(str(device.link))
    assert scanner.health().status == Status.OK


def test_serial_scanner_health_right_after_start_waits_for_the_first_open(tmp_path, device):
    missing = SerialScanner(str(tmp_path / "nothing"))
    missing.start(lambda event: None)
    try:
        assert missing.health().status == Status.ERROR
    finally:
        missing.stop()
    present = SerialScanner(str(device.link))
    present.start(lambda event: None)
    try:
        assert present.health().status == Status.OK
    finally:
        present.stop()
