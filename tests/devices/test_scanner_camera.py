"""The camera scanner: frames with codes through a fake camera, each frame decoded once."""

from __future__ import annotations

import queue
import time

from devices.health import DeviceHealth, Status
from devices.scanner import Deduper, ScanEvent
from devices.scanner_camera import CameraScanner
from tests.devices.fake_scanner import FakeCamera, background, camera_frame, code_image

TICKET = "MPPQ1|DEMO|2026-11-24|A1-001|3f2a9c1e"


def test_camera_scanner_emits_a_code_once_while_it_stays_in_view():
    camera = FakeCamera()
    events: queue.Queue[ScanEvent] = queue.Queue()
    scanner = CameraScanner(camera, fps=50, deduper=Deduper(3.0))
    scanner.start(events.put)
    try:
        camera.show(background())
        time.sleep(0.1)
        assert events.empty()
        qr = camera_frame(code_image(TICKET), width_px=200)
        for _ in range(5):  # the code stays in front of the camera for several frames
            camera.show(qr)
            time.sleep(0.05)
        event = events.get(timeout=3)
        assert (event.text, event.symbology, event.source) == (TICKET, "QRCODE", "camera")
        camera.show(camera_frame(code_image("5901234123457", "EAN13", module_px=2), width_px=300))
        event = events.get(timeout=3)
        assert (event.text, event.symbology) == ("5901234123457", "EAN13")
        time.sleep(0.1)
        assert events.empty()
        assert scanner.health().status == Status.OK and "zxing-cpp" in scanner.health().reason
    finally:
        scanner.stop()


def test_camera_scanner_never_decodes_the_same_frame_twice():
    camera = FakeCamera()
    decoded = []
    scanner = CameraScanner(camera, decoder=lambda image: decoded.append(image) or [])
    assert scanner.poll() == 0 and decoded == []  # no frame yet
    camera.show(background())
    for _ in range(5):
        scanner.poll()
    assert len(decoded) == 1 and camera.calls == 6
    camera.show(background())
    scanner.poll()
    assert len(decoded) == 2 and scanner.decoded_frames == 2


def test_camera_scanner_polls_at_a_modest_rate():
    camera = FakeCamera()
    scanner = CameraScanner(camera, fps=10)
    scanner.start(lambda event: None)
    time.sleep(0.55)
    scanner.stop()
    assert 3 <= camera.calls <= 7


def test_camera_scanner_survives_a_decoder_error():
    camera = FakeCamera()
    calls = []

    def flaky(image):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("bad frame")
        return []

    scanner = CameraScanner(camera, fps=50, decoder=flaky)
    scanner.start(lambda event: None)
    try:
        camera.show(background())
        time.sleep(0.1)
        assert scanner.health().status == Status.WARNING and "bad frame" in scanner.health().reason
        camera.show(background())
        time.sleep(0.1)
        assert len(calls) == 2 and scanner.health().status == Status.OK
    finally:
        scanner.stop()


def test_camera_scanner_health_follows_the_camera():
    class Unplugged(FakeCamera):
        def health(self):
            return DeviceHealth("camera", "camera", Status.ERROR, "no frame for 5 s")

    health = CameraScanner(Unplugged()).health()
    assert health.status == Status.ERROR and health.reason == "camera: no frame for 5 s"
    assert CameraScanner(None).health().status == Status.ABSENT
