"""The technician's way in (hidden gesture, PIN pad, lockout), the diagnostics screen with a live
camera preview and face boxes, the scan test, and the keyboard-wedge scanner's key filter."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from uikit import SCREENSHOTS, Languages, language_problems, layout_problems, settle, tap, unnamed_buttons

from kiosk.pin import HASH_SHAPE, hash_pin
from kiosk.session import Step
from ui.screens.header import HOLD_MS

PIN = "4826"
FACE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "faces" / "obama_1.jpg"
if not FACE.exists():  # the project checked out elsewhere: /work/shared as the brief names it
    FACE = Path("/work/shared/fixtures/faces/obama_1.jpg")


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN)


@pytest.fixture
def settings(settings, pin_hash):
    """The test settings with a technician PIN (`[technician] pin_hash`), as a hall would set it."""
    assert HASH_SHAPE.fullmatch(pin_hash)
    return replace(settings, technician=replace(settings.technician, pin_hash=pin_hash))


class StillCamera:
    """A stand-in camera: the fixture photo as a stream of frames (a new `seq` at every look)."""

    name = "stand-in camera (obama_1.jpg)"
    kind = "camera"
    mirror = True

    def __init__(self, path: Path) -> None:
        import cv2

        self.image = cv2.imread(str(path))
        assert self.image is not None, path
        self.image.setflags(write=False)
        self.seq = 0
        self.stopped = False

    def start(self) -> None:
        pass

    def stop(self) -> None:
        self.stopped = True

    def latest(self):
        from devices.camera import Frame

        self.seq += 1
        return Frame(self.image, self.seq, time.monotonic())

    @property
    def fps(self) -> float:
        return 30.0

    def health(self):
        from devices.health import DeviceHealth, Status

        return DeviceHealth(self.name, "camera", Status.OK, "30 fps, last frame 0.0 s ago")


def hold_hall_name(qtbot, w, ms: int | None = None) -> None:
    """Press the hall's name in the header and keep the finger there."""
    w.header.hold_ms = ms or w.header.hold_ms
    from PySide6.QtCore import Qt
    from uikit import wait_out_touch_guard

    wait_out_touch_guard(w)
    qtbot.mousePress(w.header.hall, Qt.MouseButton.LeftButton)


def release_hall_name(qtbot, w) -> None:
    from PySide6.QtCore import Qt

    qtbot.mouseRelease(w.header.hall, Qt.MouseButton.LeftButton)


def open_pin_pad(qtbot, w) -> None:
    hold_hall_name(qtbot, w, 200)
    qtbot.waitUntil(lambda: w.session.state.step == Step.PIN, timeout=3000)
    release_hall_name(qtbot, w)
    settle(qtbot, w)


def type_pin(qtbot, w, pin: str) -> None:
    for digit in pin:
        tap(qtbot, w.pin.keys[digit])
    tap(qtbot, w.pin.keys["ok"])


def enter_diagnostics(qtbot, w) -> None:
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, PIN)
    qtbot.waitUntil(lambda: w.session.state.step == Step.DIAGNOSTICS, timeout=5000)
    settle(qtbot, w)


def test_gesture_hold_the_hall_name_opens_the_pin_pad_a_tap_does_not(qtbot, make_window):
    assert HOLD_MS == 3000  # the documented gesture: 3 s on the hall's name
    w = make_window("portrait")
    hold_hall_name(qtbot, w, 200)
    qtbot.wait(50)
    release_hall_name(qtbot, w)  # a citizen's tap
    qtbot.wait(300)
    assert w.session.state.step == Step.IDLE
    open_pin_pad(qtbot, w)
    assert w.stack.currentWidget() is w.pin
    assert all(b.height() >= 90 and b.width() >= 90 for b in w.pin.keys.values())
    assert w.pin.keys["ok"].accessibleName() and w.pin.cancel_button.accessibleName()
    tap(qtbot, w.pin.cancel_button)
    settle(qtbot, w)
    assert w.session.state.step == Step.IDLE


def test_gesture_only_from_the_idle_screen(qtbot, make_window):
    w = make_window("portrait")
    w.on_start("id")
    settle(qtbot, w)
    w.flow.open_technician()
    assert w.session.state.step == Step.AGENCIES


def test_pin_wrong_does_not_open_and_says_tries_left_right_opens(qtbot, make_window):
    w = make_window("landscape")
    open_pin_pad(qtbot, w)
    type_pin(qtbot, w, "1111")
    qtbot.waitUntil(lambda: not w.flow.tech.pin_busy, timeout=5000)
    settle(qtbot, w)
    assert w.session.state.step == Step.PIN
    assert w.pin.message.isVisible() and "4" in w.pin.message.text()
    assert w.pin.digits == ""  # what was typed is gone
    assert "1111" not in w.pin.dots.text()
    type_pin(qtbot, w, PIN)
    qtbot.waitUntil(lambda: w.session.state.step == Step.DIAGNOSTICS, timeout=5000)
    settle(qtbot, w)
    assert w.stack.currentWidget() is w.diagnostics


def test_pin_five_wrong_lock_the_pad_and_a_restart_keeps_the_lock(qtbot, make_window, clock):
    w = make_window("portrait")
    open_pin_pad(qtbot, w)
    for _ in range(5):
        type_pin(qtbot, w, "0000")
        qtbot.waitUntil(lambda: not w.flow.tech.pin_busy, timeout=5000)
        settle(qtbot, w)
    assert w.flow.tech.pin_status.locked_until is not None
    assert "5" in w.pin.message.text() and not w.pin.keys["1"].isEnabled()
    w2 = make_window("portrait")  # a new window: the kiosk restarted, same data folder
    open_pin_pad(qtbot, w2)
    qtbot.waitUntil(lambda: w2.flow.tech.pin_status is not None, timeout=3000)
    settle(qtbot, w2)
    assert w2.flow.tech.pin_status.locked_until is not None and not w2.pin.keys["1"].isEnabled()
    clock.advance(minutes=6)
    w2.flow.leave_technician()
    settle(qtbot, w2)
    open_pin_pad(qtbot, w2)
    qtbot.waitUntil(lambda: w2.flow.tech.pin_status is not None, timeout=3000)
    settle(qtbot, w2)
    assert w2.pin.keys["1"].isEnabled()
    type_pin(qtbot, w2, PIN)
    qtbot.waitUntil(lambda: w2.session.state.step == Step.DIAGNOSTICS, timeout=5000)


def test_pin_pad_without_a_configured_pin_says_use_the_shell(qtbot, make_window, settings, monkeypatch):
    w = make_window("portrait")
    w.flow.tech.gate.pin_hash = None
    open_pin_pad(qtbot, w)
    assert not w.pin.pad.isVisible() and "kiosk diag" in w.pin.hint.text()


def test_session_wipe_closes_the_technician_screens(qtbot, make_window, clock):
    w = make_window("portrait")
    enter_diagnostics(qtbot, w)
    clock.advance(seconds=w.settings.timeouts.inactivity_seconds + 1)
    w.on_tick()
    settle(qtbot, w)
    assert w.session.state.step == Step.IDLE and w.stack.currentWidget() is w.idle
    assert not w.preview.running


@pytest.mark.parametrize("size", ["portrait", "landscape", "small"])
def test_diagnostics_shows_the_camera_preview_with_a_face_box(qtbot, make_window, size):
    w = make_window(size)
    camera = StillCamera(FACE)
    settle(qtbot, w)  # the window's own devices (none in the test config) are made first
    w.devices_ready((camera, None))
    enter_diagnostics(qtbot, w)
    qtbot.waitUntil(lambda: w.flow.tech.report is not None, timeout=20000)
    qtbot.waitUntil(lambda: bool(w.diagnostics.preview.boxes), timeout=20000)
    settle(qtbot, w)
    w.diagnostics.preview.repaint()
    shot = w.grab()
    assert w.diagnostics.preview.drawn_boxes >= 1, "the face box was not drawn"
    # The box is on the picture: a yellow pixel row somewhere in the preview.
    view = w.diagnostics.preview
    image = view.grab().toImage()
    yellow = sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y).name().upper() == "#FFE000"
    )
    assert yellow > 20
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert shot.save(str(SCREENSHOTS / f"technician_{size}_diagnostics.png"))
    print(f"preview frame: {w.preview.frame_ms:.2f} ms on the GUI thread, {w.preview.frames_shown} frames")
    assert w.preview.frame_ms < 16
    assert not layout_problems(w) and not unnamed_buttons(w)
    assert not language_problems(w, Languages(w.kiosk.catalog))
    device_kinds = {d["kind"] for d in w.flow.device_report()}
    assert "camera" in device_kinds or w.flow.device_health == ()
    w.stop_devices()
    assert camera.stopped


def test_diagnostics_scan_test_shows_text_symbology_and_source(qtbot, make_window):
    from datetime import UTC, datetime

    from devices.scanner import ScanEvent

    w = make_window("portrait")
    enter_diagnostics(qtbot, w)
    w.scan_did_arrive.emit(ScanEvent("MPP-TEST-123", "QRCODE", "serial", datetime.now(UTC)))
    settle(qtbot, w)
    assert w.diagnostics.scan_text.text() == "MPP-TEST-123"
    assert "QRCODE" in w.diagnostics.scan_meta.text() and "serial" in w.diagnostics.scan_meta.text()
    tap(qtbot, w.diagnostics.close_button)
    settle(qtbot, w)
    assert w.session.state.step == Step.IDLE
    w.scan_did_arrive.emit(ScanEvent("OTHER", "CODE128", "wedge", datetime.now(UTC)))  # a visitor screen: ignored
    settle(qtbot, w)
    assert w.session.state.step == Step.IDLE and w.flow.tech.last_scan is None


def test_diagnostics_store_check_and_export(qtbot, make_window, tmp_path):
    w = make_window("landscape")
    enter_diagnostics(qtbot, w)
    w.diagnostics.store_button.click()  # (a synthetic tap inside the kinetic scroll area is delayed by QScroller)
    qtbot.waitUntil(lambda: "store" in w.flow.tech.results, timeout=10000)
    assert w.flow.tech.results["store"][0]
    stick = tmp_path / "stick"
    stick.mkdir()
    w.flow.tech.export(str(stick))
    qtbot.waitUntil(lambda: "export" in w.flow.tech.results, timeout=20000)
    ok, path = w.flow.tech.results["export"]
    assert ok and Path(path).is_file() and Path(path).parent == stick


# -- the keyboard-wedge scanner -------------------------------------------------------------------


class KeyClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def wedge_window(qtbot, make_window):
    from devices.scanner import WedgeScanner
    from ui.wedge import WedgeFilter

    w = make_window("landscape")
    scanner = WedgeScanner()
    settle(qtbot, w)  # the window's own devices (none in the test config) are made first
    w.devices_ready((None, scanner))
    keys = KeyClock()
    w.wedge.monotonic = keys
    assert isinstance(w.wedge, WedgeFilter)
    w.flow.open_search()
    settle(qtbot, w)
    return w, scanner, keys


def test_wedge_burst_with_enter_is_one_scan_and_types_nothing(qtbot, make_window):
    from PySide6.QtCore import Qt

    w, scanner, keys = wedge_window(qtbot, make_window)
    scans = []
    w.scan_did_arrive.connect(scans.append)
    for ch in "8991234567890":
        keys.now += 0.010
        qtbot.keyClick(w.search, ch)
    keys.now += 0.010
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    qtbot.wait(80)  # past any release timer
    settle(qtbot, w)
    assert [s.text for s in scans] == ["8991234567890"] and scans[0].source == "wedge"
    assert w.search.field.text() == "" and w.session.state.query == ""
    w.stop_devices()


def test_wedge_keys_at_human_speed_are_typed(qtbot, make_window):
    w, scanner, keys = wedge_window(qtbot, make_window)
    scans = []
    w.scan_did_arrive.connect(scans.append)
    for ch in "paspor":
        keys.now += 0.150
        qtbot.keyClick(w.search, ch)
    keys.now += 0.150
    w.wedge.flush()  # the release timer, at its deadline
    settle(qtbot, w)
    assert w.search.field.text() == "paspor" and scans == []
    w.stop_devices()
