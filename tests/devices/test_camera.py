"""The camera adapter through real OpenCV: the fixture clip, a source that goes away and comes
back, a capture that hangs, a camera that was never there, and the simulated fallbacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import cv2
import pytest
from fixturepaths import fixture

from devices.camera import (
    PATTERN_NAME,
    CaptureCamera,
    Source,
    classify,
    for_preview,
    make_camera,
    open_capture,
    snapshot,
    wait_for_frame,
)
from devices.health import Status
from kiosk.config import load

ROOT = Path(__file__).resolve().parents[2]


def until(predicate, timeout: float, step: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.fixture
def clip() -> Path:
    return fixture("faces", "short_hamilton_clip.mp4")


@pytest.fixture
def cameras():
    """Cameras made by a test, stopped at its end whatever happens."""
    made: list[CaptureCamera] = []
    yield made
    for camera in made:
        camera.stop()


class Counting:
    """An opener that counts its calls and can wrap every capture it makes."""

    def __init__(self, wrap=None) -> None:
        self.calls: list[float] = []
        self.wrap = wrap

    def __call__(self, source: Source):
        self.calls.append(time.monotonic())
        capture = open_capture(source)
        return self.wrap(capture) if self.wrap else capture


class GoneWhenMissing:
    """A real VideoCapture whose reads fail once its path no longer leads to a file, the way a
    device's reads fail when it is unplugged (a file at its end would only loop)."""

    def __init__(self, capture, path: Path) -> None:
        self.capture, self.path = capture, path

    def isOpened(self) -> bool:  # noqa: N802
        return self.capture.isOpened()

    def read(self):
        if not self.path.exists():
            return (False, None)
        return self.capture.read()

    def release(self) -> None:
        self.capture.release()

    def get(self, prop):
        return self.capture.get(prop)

    def set(self, prop, value):
        return self.capture.set(prop, value)


class Hanging(GoneWhenMissing):
    """Reads block while `flowing` is clear: a stream that stops sending without failing."""

    def __init__(self, capture, path: Path, flowing: threading.Event) -> None:
        super().__init__(capture, path)
        self.flowing = flowing

    def read(self):
        self.flowing.wait()
        return super().read()


def test_play_fixture_clip_through_opencv_newest_frame_at_30_fps(clip, cameras):
    camera = CaptureCamera(classify(str(clip)), stale_seconds=1.0)
    cameras.append(camera)
    assert camera.health().status is Status.WARNING  # not started
    camera.start()
    first = wait_for_frame(camera, 5.0)
    assert first is not None and first.image.shape == (360, 640, 3)
    assert not first.image.flags.writeable
    time.sleep(2.0)
    later = camera.latest()
    # Played at the clip's 29.97 fps, not as fast as it decodes (275 frames would be gone in 0.5 s).
    assert 50 <= later.seq - first.seq <= 70, later.seq - first.seq
    assert 27.0 <= camera.fps <= 33.0, camera.fps
    # Newest only: nobody read for 2 s, yet the frame handed out is fresh, not the oldest queued.
    assert time.monotonic() - later.at < 0.1
    assert camera.latest() is camera.latest() or camera.latest().seq >= later.seq
    health = camera.health()
    assert health.status is Status.OK and health.kind == "camera", health
    assert "fps" in health.reason and "640x360" in health.reason and "last frame" in health.reason
    started = time.monotonic()
    camera.stop()
    assert time.monotonic() - started < 1.0


def test_play_fixture_clip_loops_at_its_end(clip, cameras):
    camera = CaptureCamera(classify(str(clip)), stale_seconds=1.0)
    cameras.append(camera)
    camera.start()
    assert until(lambda: (f := camera.latest()) is not None and f.seq > 290, 12.0)  # 275 frames in the clip
    assert camera.health().status is Status.OK


def test_camera_path_that_disappears_turns_error_and_recovers(clip, tmp_path, cameras):
    copy = tmp_path / "clip.mp4"
    shutil.copyfile(clip, copy)
    device = tmp_path / "video0"
    device.symlink_to(copy)
    opener = Counting(lambda capture: GoneWhenMissing(capture, device))
    camera = CaptureCamera(
        classify(str(device)), stale_seconds=0.5, opener=opener, backoff_initial=0.1, backoff_max=0.4
    )
    cameras.append(camera)
    camera.start()
    assert until(lambda: camera.health().status is Status.OK, 3.0), camera.health()
    seq = camera.latest().seq

    # Unplugged: the link now points at nothing.
    missing = tmp_path / "unplugged.mp4"
    relink = tmp_path / "video0.new"
    relink.symlink_to(missing)
    os.replace(relink, device)
    unplugged_at = time.monotonic()
    assert until(lambda: camera.health().status is Status.ERROR, 0.5), camera.health()
    assert time.monotonic() - unplugged_at <= 0.5
    health = camera.health()
    assert str(device) in health.reason and "since" in health.reason, health.reason
    assert camera.fps == 0.0 or time.monotonic() - camera.latest().at < 0.5
    time.sleep(1.2)
    assert camera.health().status is Status.ERROR
    assert camera.latest().seq <= seq + 20  # no frames while unplugged
    # Retried with backoff (0.1, 0.2, 0.4, 0.4 ...), not in a busy loop.
    assert 2 <= len(opener.calls) <= 8, len(opener.calls)

    # Plugged back in.
    relink.symlink_to(copy)
    os.replace(relink, device)
    back_at = time.monotonic()
    assert until(lambda: camera.health().status is Status.OK, 2.0), camera.health()
    assert time.monotonic() - back_at < 1.0
    assert camera.latest().seq > seq
    assert until(lambda: 25.0 <= camera.fps <= 35.0, 2.0), camera.fps


def test_camera_that_stops_sending_turns_error_after_stale_seconds(clip, cameras):
    flowing = threading.Event()
    flowing.set()
    opener = Counting(lambda capture: Hanging(capture, clip, flowing))
    camera = CaptureCamera(classify(str(clip)), stale_seconds=0.4, opener=opener)
    cameras.append(camera)
    camera.start()
    assert until(lambda: camera.health().status is Status.OK, 3.0), camera.health()
    flowing.clear()  # the read now hangs: no failure, just no frames
    stopped_at = time.monotonic()
    assert until(lambda: camera.health().status is Status.ERROR, 1.0), camera.health()
    assert 0.3 <= time.monotonic() - stopped_at <= 0.8
    assert "no frame for" in camera.health().reason and camera.fps == 0.0
    flowing.set()
    assert until(lambda: camera.health().status is Status.OK, 1.0), camera.health()
    assert len(opener.calls) == 1  # it came back on the same capture
    flowing.set()


def test_camera_index_that_does_not_exist_is_error_without_busy_loop(cameras):
    opener = Counting()
    camera = CaptureCamera(classify("97"), opener=opener, backoff_initial=0.25, backoff_max=1.0)
    cameras.append(camera)
    camera.start()
    time.sleep(2.0)
    health = camera.health()
    assert health.status is Status.ERROR and health.reason.startswith("no camera at index 97"), health
    assert camera.latest() is None and camera.fps == 0.0
    # Opens at 0, 0.25, 0.75, 1.75 s: a handful, never hundreds.
    assert 3 <= len(opener.calls) <= 5, len(opener.calls)
    started = time.monotonic()
    camera.stop()
    assert time.monotonic() - started < 0.5


def test_camera_device_path_that_does_not_exist_is_error(tmp_path, cameras):
    camera = CaptureCamera(classify("/dev/video-kiosk-test-missing"), backoff_initial=0.1)
    cameras.append(camera)
    camera.start()
    assert until(lambda: camera.health().status is Status.ERROR, 2.0)
    assert camera.health().reason.startswith("no camera at /dev/video-kiosk-test-missing")
    assert camera.name == "camera (/dev/video-kiosk-test-missing)"


def test_classify_camera_sources(tmp_path):
    still = tmp_path / "still.png"
    assert classify("0") == Source("index", 0, "index 0")
    assert classify("/dev/video2").kind == "device"
    assert classify("rtsp://cam.hall.local/stream").kind == "url"
    assert classify("rtsp://admin:secret@10.0.0.9/live").label == "rtsp://admin:***@10.0.0.9/live"
    assert classify(str(still)).kind == "image"
    assert classify(str(tmp_path / "missing.mp4")).kind == "video"


def test_image_file_is_handed_out_at_configured_fps(cameras):
    image = fixture("faces", "obama_1.jpg")
    camera = CaptureCamera(classify(str(image)), fps=10)
    cameras.append(camera)
    camera.start()
    frame = wait_for_frame(camera, 3.0)
    assert frame.image.shape == cv2.imread(str(image)).shape
    time.sleep(1.5)
    assert 8.0 <= camera.fps <= 12.0 and camera.health().status is Status.OK


def test_make_camera_demo_plays_the_fixture_clip(tmp_path, clip, monkeypatch, cameras):
    monkeypatch.setenv("KIOSK_FIXTURES", str(clip.parent.parent))
    settings = load(None, demo=True, data_dir=tmp_path)
    camera = make_camera(settings)
    cameras.append(camera)
    assert camera.name == "simulated camera (short_hamilton_clip.mp4)" and camera.mirror is True
    camera.start()
    assert until(lambda: camera.health().status is Status.OK, 3.0), camera.health()


def test_make_camera_demo_falls_back_to_a_test_pattern(tmp_path, monkeypatch, cameras):
    import devices.camera as camera_module

    monkeypatch.setenv("KIOSK_FIXTURES", str(tmp_path / "nothing-here"))
    monkeypatch.setattr(camera_module, "ROOT", tmp_path / "clean-clone")
    camera = make_camera(load(None, demo=True, data_dir=tmp_path))
    cameras.append(camera)
    assert camera.name == PATTERN_NAME
    camera.start()
    frame = wait_for_frame(camera, 3.0)
    assert frame.image.shape == (480, 640, 3)
    assert until(lambda: camera.health().status is Status.OK and camera.fps > 20, 3.0), camera.health()
    assert wait_for_frame(camera, 1.0, after=frame.seq).image.tobytes() != frame.image.tobytes()  # it moves


def test_make_camera_kind_none_is_none(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[camera]\nkind = "none"\nsource = ""\n')
    assert make_camera(load(path, data_dir=tmp_path)) is None


def test_make_camera_reads_every_camera_key(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[camera]\nsource = "2"\nwidth = 1280\nheight = 720\nfps = 15\nmirror = false\nstale_seconds = 1.5\n'
    )
    camera = make_camera(load(path, data_dir=tmp_path))
    assert camera.source == Source("index", 2, "index 2")
    assert (camera.width, camera.height, camera.target_fps) == (1280, 720, 15)
    assert camera.mirror is False and camera.stale_seconds == 1.5


def test_snapshot_saves_one_frame(tmp_path, clip, cameras):
    camera = CaptureCamera(classify(str(clip)))
    cameras.append(camera)
    out = tmp_path / "snap.png"
    assert snapshot(camera, out, timeout=5.0)
    assert cv2.imread(str(out)).shape == (360, 640, 3)
    assert camera.latest() is not None  # it started the camera for the shot, and stopped it


def test_snapshot_without_camera_is_false_within_timeout(tmp_path, cameras):
    camera = CaptureCamera(classify("/dev/video-kiosk-test-missing"))
    cameras.append(camera)
    started = time.monotonic()
    assert snapshot(camera, tmp_path / "snap.png", timeout=0.5) is False
    assert time.monotonic() - started < 1.5
    assert not (tmp_path / "snap.png").exists()


def test_for_preview_mirrors_only_when_asked(clip):
    ok, image = cv2.VideoCapture(str(clip)).read()
    assert ok
    assert for_preview(image, mirror=False) is image
    assert (for_preview(image, mirror=True)[:, ::-1] == image).all()


def test_camera_module_imports_no_qt_and_no_opencv_at_import():
    code = "import sys, devices.camera; assert 'cv2' not in sys.modules and 'PySide6' not in sys.modules"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_load_config_demo_simulates_the_camera(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[camera]\nkind = "opencv"\nsource = "/dev/video5"\n')
    assert load(path, demo=True, data_dir=tmp_path).camera.kind == "simulated"
    assert load(path, demo=True, data_dir=tmp_path).camera.source == ""  # the fixture clip or the pattern
    still = fixture("faces", "obama_1.jpg")
    path.write_text(f'[camera]\nkind = "simulated"\nsource = "{still}"\n')
    assert load(path, demo=True, data_dir=tmp_path).camera.source == str(still)
    assert load(path, data_dir=tmp_path).camera.kind == "simulated"
