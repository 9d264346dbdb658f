"""The scanner event, the deduper, the simulated scanner, make_scanner and the keyboard-wedge rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from devices.health import Status
from devices.scanner import (
    Deduper,
    ScanEvent,
    SimulatedScanner,
    WedgeScanner,
    make_scanner,
    parse_aim,
)
from kiosk.config import ScannerSettings, Settings


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Field:
    """A focused text field behind the UI's key filter, driven the way the UI drives the wedge:
    a timer fires `release` at `deadline()`; before a key is delivered, released text is typed."""

    def __init__(self, wedge: WedgeScanner) -> None:
        self.wedge = wedge
        self.text = ""
        self.delays: list[float] = []  # how late each typed key reached the field
        self._pending_at: list[float] = []

    def _type(self, text: str, now: float) -> None:
        self.text += text
        for _ in text:
            self.delays.append(now - self._pending_at.pop(0))

    def _timer(self, until: float) -> None:
        deadline = self.wedge.deadline()
        if deadline is not None and deadline <= until:
            self._type(self.wedge.release(deadline), deadline)

    def key(self, key: str, at: float) -> None:
        self._timer(at)
        held = self.wedge.feed(key, at)
        if held:
            self._pending_at.append(at)
        elif key not in ("\r", "\n"):
            self._pending_at.append(at)
        self._type(self.wedge.release(at), at)
        if not held:
            if key in ("\r", "\n"):
                self.text += "\n"
            else:
                self._type(key, at)

    def keys(self, text: str, start: float, gap: float | list[float], enter: bool = True) -> float:
        gaps = gap if isinstance(gap, list) else [gap] * (len(text) + 1)
        at = start
        for i, ch in enumerate(text):
            self.key(ch, at)
            at += gaps[i % len(gaps)]
        if enter:
            self.key("\r", at)
        return at

    def settle(self, at: float) -> None:
        self._timer(at + 10)


def wedge_and_field(**kw):
    scans: list[ScanEvent] = []
    wedge = WedgeScanner(**kw)
    wedge.start(scans.append)
    return wedge, Field(wedge), scans


# --- the event, AIM ids, the deduper -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "symbology", "text"),
    [
        ("]Q1MPPQ1|DEMO", "QRCODE", "MPPQ1|DEMO"),
        ("]C0A1-023", "CODE128", "A1-023"),
        ("]C1A1-023", "CODE128", "A1-023"),
        ("]E05901234123457", "EAN13", "5901234123457"),
        ("]E412345670", "EAN8", "12345670"),
        ("A1-023", "unknown", "A1-023"),
        ("]", "unknown", "]"),
        ("]Y9abc", "unknown", "]Y9abc"),
    ],
)
def test_parse_aim_prefix(raw, symbology, text):
    assert parse_aim(raw) == (symbology, text)


def test_dedupe_same_code_within_repeat_seconds_is_one_scan():
    clock = Clock()
    d = Deduper(3.0, clock=clock)
    assert d.accept("A") is True
    clock.now += 1.0
    assert d.accept("A") is False
    assert d.accept("B") is True
    clock.now += 2.5  # 2.5 s after the last sighting of A: still the same scan
    assert d.accept("A") is False
    clock.now += 3.0
    assert d.accept("A") is True


def test_dedupe_zero_repeat_seconds_counts_every_read():
    clock = Clock()
    d = Deduper(0.0, clock=clock)
    assert d.accept("A") and d.accept("A")


def test_dedupe_forgets_old_codes():
    clock = Clock()
    d = Deduper(1.0, clock=clock)
    for i in range(1000):
        clock.now += 0.01
        d.accept(str(i))
    assert len(d._seen) <= 257


# --- simulated -----------------------------------------------------------------------------------


def test_simulated_scanner_inject_emits_one_event_and_reports_ok():
    events: list[ScanEvent] = []
    clock = Clock()
    scanner = SimulatedScanner(deduper=Deduper(3, clock=clock))
    assert scanner.health().status == Status.OK
    scanner.start(events.append)
    first = scanner.inject("MPPQ1|DEMO|2026-11-24|A1-001")
    assert scanner.inject("MPPQ1|DEMO|2026-11-24|A1-001") is None  # read twice: one scan
    assert events == [first]
    assert (first.text, first.symbology, first.source) == ("MPPQ1|DEMO|2026-11-24|A1-001", "QRCODE", "simulated")
    assert first.at.tzinfo is not None
    health = scanner.health()
    assert health.kind == "scanner" and health.status == Status.OK and "1 scan" in health.reason
    scanner.stop()
    assert scanner.inject("other") is not None and len(events) == 1


# --- make_scanner --------------------------------------------------------------------------------


def settings(**kw) -> Settings:
    return replace(Settings(), scanner=ScannerSettings(**kw))


def test_make_scanner_by_kind(tmp_path):
    assert make_scanner(settings(kind="none")) is None
    assert isinstance(make_scanner(settings(kind="simulated")), SimulatedScanner)
    wedge = make_scanner(settings(kind="wedge", wedge_max_gap_ms=20, wedge_min_length=6, repeat_seconds=1.5))
    assert isinstance(wedge, WedgeScanner)
    assert (wedge.max_gap, wedge.min_length, wedge.deduper.repeat_seconds) == (0.02, 6, 1.5)
    serial = make_scanner(settings(kind="serial", port=str(tmp_path / "ttyX"), suffix="CRLF"))
    assert type(serial).__name__ == "SerialScanner" and serial.parser.sep == b"\r\n"
    camera = make_scanner(settings(kind="camera"), camera=None)
    assert type(camera).__name__ == "CameraScanner" and camera.health().status == Status.ABSENT


def test_make_scanner_demo_is_simulated(tmp_path):
    from kiosk.config import load

    path = tmp_path / "k.toml"
    path.write_text('[scanner]\nkind = "serial"\nport = "/dev/nothing"\n')
    s = load(path, demo=True, data_dir=tmp_path)
    assert s.scanner.kind == "simulated"
    scanner = make_scanner(s)
    assert isinstance(scanner, SimulatedScanner) and scanner.health().status == Status.OK
    assert load(path, data_dir=tmp_path).scanner.kind == "serial"


# --- keyboard wedge ------------------------------------------------------------------------------


@pytest.mark.parametrize("gap_ms", [5, 10, 15])
def test_wedge_scan_at_scanner_speed_is_a_scan(gap_ms):
    wedge, field, scans = wedge_and_field()
    field.keys("MPPQ1|DEMO|A1-001", 10.0, gap_ms / 1000)
    field.settle(11)
    assert [(s.text, s.source, s.symbology) for s in scans] == [("MPPQ1|DEMO|A1-001", "wedge", "unknown")]
    assert field.text == ""  # nothing reached the focused field, not even the Enter


@pytest.mark.parametrize("gap_ms", [80, 150, 300])
def test_wedge_typing_at_human_speed_reaches_the_field(gap_ms):
    wedge, field, scans = wedge_and_field()
    field.keys("3273012345678901", 10.0, gap_ms / 1000)
    field.settle(20)
    assert scans == []
    assert field.text == "3273012345678901\n"
    assert max(field.delays) <= 0.036  # each key at most max_gap_ms late


def test_wedge_human_typing_with_irregular_gaps_never_scans():
    wedge, field, scans = wedge_and_field()
    field.keys("budi santoso", 5.0, [0.12, 0.09, 0.25, 0.08, 0.3, 0.1])
    field.settle(20)
    assert scans == [] and field.text == "budi santoso\n"


def test_wedge_scan_while_a_field_has_focus_keeps_the_typed_text():
    wedge, field, scans = wedge_and_field()
    at = field.keys("Budi", 1.0, 0.15, enter=False)
    at = field.keys("A1-023-BDG", at + 0.2, 0.008)  # the scanner fires mid-typing
    field.keys(" S", at + 0.25, 0.2, enter=False)
    field.settle(at + 5)
    assert [s.text for s in scans] == ["A1-023-BDG"]
    assert field.text == "Budi S"


def test_wedge_mixed_scans_and_typing_in_order():
    wedge, field, scans = wedge_and_field(deduper=Deduper(0))
    at = field.keys("ab", 0.0, 0.1, enter=False)
    at = field.keys("CODE1", at + 0.1, 0.012)
    at = field.keys("cd", at + 0.1, 0.2)
    at = field.keys("CODE2", at + 0.3, 0.006)
    at = field.keys("CODE2", at + 0.3, 0.006)  # the same code again: a repeat (deduper 0: counted)
    field.settle(at)
    assert [s.text for s in scans] == ["CODE1", "CODE2", "CODE2"]
    assert field.text == "abcd\n"


def test_wedge_enter_alone_passes_through():
    wedge, field, scans = wedge_and_field()
    assert wedge.feed("\r", 1.0) is False
    field.key("\r", 2.0)
    assert scans == [] and field.text == "\n"


def test_wedge_short_fast_burst_is_typing():
    wedge, field, scans = wedge_and_field(min_length=4)
    field.keys("abc", 1.0, 0.01)  # 3 characters: too short for a scan
    field.settle(2)
    assert scans == [] and field.text == "abc\n"


def test_wedge_burst_without_enter_is_released_as_typing():
    wedge, field, scans = wedge_and_field()
    field.keys("12345", 1.0, 0.01, enter=False)
    assert field.text == "" and wedge.holding
    field.settle(1.1)
    assert field.text == "12345" and scans == [] and not wedge.holding


def test_wedge_slow_enter_after_fast_burst_is_typing():
    wedge, field, scans = wedge_and_field()
    field.keys("12345", 1.0, [0.01, 0.01, 0.01, 0.01, 0.2])
    field.settle(3)
    assert scans == [] and field.text == "12345\n"


def test_wedge_very_long_code_is_one_scan():
    code = "MPPQ1|" + "x" * 2000 + "|END"
    wedge, field, scans = wedge_and_field()
    field.keys(code, 0.0, 0.005)
    assert [s.text for s in scans] == [code] and field.text == ""


def test_wedge_non_ascii_code_and_shift_keys():
    wedge, field, scans = wedge_and_field()
    at = 0.0
    for ch in "Ñoño-ÉÀ✓42":
        if ch.isupper():
            field.key("", at)  # Shift: a key without text, as Qt reports it
            at += 0.004
        field.key(ch, at)
        at += 0.009
    field.key("\r", at)
    assert [s.text for s in scans] == ["Ñoño-ÉÀ✓42"] and field.text == ""


def test_wedge_control_key_ends_a_held_burst_as_typing():
    wedge, field, scans = wedge_and_field()
    field.keys("abcd", 1.0, 0.01, enter=False)
    field.key("\x08", 1.05)  # Backspace
    field.settle(2)
    assert scans == [] and field.text == "abcd\x08"


def test_wedge_aim_prefix_names_the_symbology():
    wedge, field, scans = wedge_and_field(aim_prefix=True)
    field.keys("]C0A1-023", 0.0, 0.01)
    assert [(s.text, s.symbology) for s in scans] == [("A1-023", "CODE128")]


def test_wedge_health_is_ok_and_counts_scans():
    wedge, field, scans = wedge_and_field()
    assert wedge.health().status == Status.OK and "no scan yet" in wedge.health().reason
    field.keys("12345678", 0.0, 0.01)
    assert "1 scan" in wedge.health().reason
