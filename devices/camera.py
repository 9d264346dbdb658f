"""The camera: OpenCV capture on its own thread, always handing out the newest frame.

No Qt here; the preview (`ui/`) polls `latest()` from a timer and converts the frame itself.

Sources (`[camera] source`), read by `cv2.VideoCapture` unless noted:

* a device index, `"0"`, or a device path, `"/dev/video0"`: a real camera;
* a stream URL, `rtsp://...`, `http://...`: an IP camera (open and read time out after 5 s);
* a video file: played at the file's own frame rate and looped at its end (simulation);
* an image file: read once with `cv2.imread` and handed out at `fps` (simulation);
* nothing, with `kind = "simulated"`: the fixture clip next to the project
  (`../shared/fixtures/faces/short_hamilton_clip.mp4`), else a generated moving test pattern.

All of them run the same loop (`CaptureCamera`): open, read, publish, and on a failed open or
read release the capture and try again after a pause that doubles up to a cap (never a busy
loop). What every `Camera` promises:

* `start()` returns at once; the first open happens on the camera's thread. `stop()` ends it.
* `latest()` never blocks: the newest `Frame` or None. Older frames are dropped, never queued.
  A frame's `image` is a read-only BGR array, not mirrored (a QR code is decoded as it is);
  the preview mirrors it when `mirror` is set (`for_preview`).
* `fps` is measured (smoothed) and falls to 0 when frames stop.
* `health()` never raises: OK with the fps and last frame's age; ERROR when the camera was not
  found, a read failed (unplugged) or no frame came for `stale_seconds`, with the reason and the
  time it started; back to OK by itself when frames come again. Each change is logged once.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Protocol

from devices.health import DeviceHealth, Status

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
#: The demo's camera: a short clip with faces, kept outside the project (never shipped).
FIXTURE_CLIP_NAME = "short_hamilton_clip.mp4"
PATTERN_NAME = "simulated camera (test pattern)"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff", ".pgm", ".ppm"})
VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg", ".mjpeg", ".gif"})
URL_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://", "udp://", "tcp://", "rtmp://")
#: Open and read time-outs for a stream URL (FFmpeg backend), so a dead IP camera cannot hang.
STREAM_TIMEOUT_MS = 5000
#: Pause after the first failed open or read; it doubles on each further failure up to the cap.
BACKOFF_INITIAL = 0.5
BACKOFF_MAX = 5.0
#: Weight of the newest frame interval in the smoothed fps.
FPS_SMOOTHING = 0.1


@dataclass(frozen=True)
class Frame:
    """One captured picture: `image` a read-only numpy BGR array, `seq` counting from 1 since
    `start()`, `at` the `time.monotonic()` it arrived."""

    image: Any
    seq: int
    at: float


class Camera(Protocol):
    """A camera that captures on its own thread (see the module docstring)."""

    name: str
    kind: str
    mirror: bool

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def latest(self) -> Frame | None: ...

    @property
    def fps(self) -> float: ...

    def health(self) -> DeviceHealth: ...


class Capture(Protocol):
    """What the loop needs of a `cv2.VideoCapture` (the seam tests replace)."""

    def isOpened(self) -> bool: ...  # noqa: N802 (OpenCV's name)

    def read(self) -> tuple[bool, Any]: ...

    def release(self) -> None: ...

    def get(self, prop: int) -> float: ...

    def set(self, prop: int, value: float) -> bool: ...


# --- sources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A configured source, classified: `kind` is index, device, url, video, image or pattern."""

    kind: str
    target: str | int
    label: str

    @property
    def is_file(self) -> bool:
        return self.kind in ("video", "image", "pattern")


def classify(source: str) -> Source:
    """What `source` names: a digit string is a device index, a URL a stream, an existing (or
    video/image-named) file a simulation, anything else a device path."""
    text = source.strip()
    if text.isdigit():
        return Source("index", int(text), f"index {int(text)}")
    if text.lower().startswith(URL_SCHEMES):
        return Source("url", text, _hide_password(text))
    path = Path(text).expanduser()
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return Source("image", str(path), str(path))
    if suffix in VIDEO_SUFFIXES or (path.is_file() and not text.startswith("/dev/")):
        return Source("video", str(path), str(path))
    return Source("device", str(path), str(path))


def _hide_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.partition("@")
    if at and ":" in creds:
        return f"{scheme}{sep}{creds.split(':', 1)[0]}:***@{host}"
    return url


def fixture_dirs() -> list[Path]:
    """Where the shared test fixtures may be: $KIOSK_FIXTURES, then ../shared/fixtures."""
    dirs = []
    if env := os.environ.get("KIOSK_FIXTURES"):
        dirs.append(Path(env))
    dirs.append(ROOT.parent / "shared" / "fixtures")
    return dirs


def demo_clip() -> Path | None:
    """The fixture clip for the demo camera, or None on a clone without ../shared."""
    for folder in fixture_dirs():
        clip = folder / "faces" / FIXTURE_CLIP_NAME
        if clip.is_file():
            return clip
    return None


# --- simulated captures (same interface as cv2.VideoCapture) -------------------------------------


class ImageCapture:
    """An image file as a capture that never ends: every read returns the same picture."""

    def __init__(self, path: str) -> None:
        import cv2

        self._image = cv2.imread(path, cv2.IMREAD_COLOR)
        if self._image is not None:
            self._image.flags.writeable = False

    def isOpened(self) -> bool:  # noqa: N802
        return self._image is not None

    def read(self) -> tuple[bool, Any]:
        return (self._image is not None, self._image)

    def release(self) -> None:
        self._image = None

    def get(self, prop: int) -> float:
        return 0.0

    def set(self, prop: int, value: float) -> bool:
        return False


class PatternCapture:
    """A generated moving test pattern (colour bars, a sweeping block, a frame counter), in memory."""

    def __init__(self, width: int = 640, height: int = 360) -> None:
        import cv2
        import numpy as np

        self.width, self.height = width, height
        colours = [(192, 192, 192), (0, 192, 192), (192, 192, 0), (0, 192, 0), (192, 0, 192), (0, 0, 192), (192, 0, 0)]
        bars = np.zeros((height, width, 3), np.uint8)
        step = math.ceil(width / len(colours))
        for i, colour in enumerate(colours):
            bars[:, i * step : (i + 1) * step] = colour
        cv2.putText(bars, PATTERN_NAME, (12, 28), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 4, cv2.LINE_AA)
        cv2.putText(bars, PATTERN_NAME, (12, 28), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 255, 255), 1, cv2.LINE_AA)
        self._bars = bars
        self._n = 0
        self._open = True

    def isOpened(self) -> bool:  # noqa: N802
        return self._open

    def read(self) -> tuple[bool, Any]:
        import cv2

        if not self._open:
            return (False, None)
        self._n += 1
        image = self._bars.copy()
        size = max(8, self.height // 4)
        x = (self._n * 6) % max(1, self.width - size)
        y = self.height // 2 - size // 2 + int(self.height / 5 * math.sin(self._n / 15))
        cv2.rectangle(image, (x, y), (x + size, y + size), (255, 255, 255), -1)
        cv2.putText(image, str(self._n), (12, self.height - 12), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2)
        return (True, image)

    def release(self) -> None:
        self._open = False

    def get(self, prop: int) -> float:
        return 0.0

    def set(self, prop: int, value: float) -> bool:
        return False


def open_capture(source: Source, *, width: int = 0, height: int = 0) -> Capture:
    """A capture for `source` (the default `opener` of CaptureCamera)."""
    import cv2

    if source.kind == "pattern":
        return PatternCapture(width or 640, height or 360)
    if source.kind == "image":
        return ImageCapture(str(source.target))
    if source.kind == "url":
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, STREAM_TIMEOUT_MS, cv2.CAP_PROP_READ_TIMEOUT_MSEC, STREAM_TIMEOUT_MS]
        return cv2.VideoCapture(source.target, cv2.CAP_FFMPEG, params)
    if source.kind == "video" and not Path(str(source.target)).exists():
        return _Closed()  # OpenCV would log a warning on every retry
    return cv2.VideoCapture(source.target)


class _Closed:
    def isOpened(self) -> bool:  # noqa: N802
        return False

    def read(self) -> tuple[bool, Any]:
        return (False, None)

    def release(self) -> None:
        pass

    def get(self, prop: int) -> float:
        return 0.0

    def set(self, prop: int, value: float) -> bool:
        return False


# --- the camera ---------------------------------------------------------------------------------


class CaptureCamera:
    """A camera reading `source` on its own thread; see the module docstring for its promises.

    `opener(source)` makes the capture (default: `open_capture`, i.e. `cv2.VideoCapture`); tests
    pass their own. Files and the pattern are played at their frame rate (a video file's own, else
    `fps`); live sources are paced by the device itself. `backoff_initial` and `backoff_max` set
    the pause between tries after a failure (it doubles up to the cap).
    """

    kind = "camera"

    def __init__(
        self,
        source: Source,
        *,
        name: str | None = None,
        width: int = 0,
        height: int = 0,
        fps: float = 30.0,
        mirror: bool = False,
        stale_seconds: float = 3.0,
        opener: Callable[[Source], Capture] | None = None,
        backoff_initial: float = BACKOFF_INITIAL,
        backoff_max: float = BACKOFF_MAX,
        tz: tzinfo | None = None,
    ) -> None:
        self.source = source
        self.name = name or f"camera ({source.label})"
        self.width, self.height = width, height
        self.target_fps = fps
        self.mirror = mirror
        self.stale_seconds = stale_seconds
        self._opener = opener or (lambda s: open_capture(s, width=width, height=height))
        self.backoff_initial, self.backoff_max = backoff_initial, backoff_max
        self._tz = tz
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._frame: Frame | None = None
        self._interval: float | None = None  # smoothed seconds between frames
        self._seq = 0
        self._size = ""
        self._problem: str | None = "not started"  # why no frames come, while they do not
        self._problem_since: datetime | None = None
        self._retry_in = 0.0
        self._ever_opened = False
        self._started_at: float | None = None
        self._logged_status: Status | None = None
        #: How many times the source was opened (diagnostics; tests count retries with it).
        self.open_attempts = 0

    # -- the Camera protocol --

    def start(self) -> None:
        """Start capturing on the camera's own thread (returns at once; idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop = threading.Event()  # a fresh one: a thread still ending from stop() keeps its own
        self._started_at = time.monotonic()
        with self._lock:
            self._problem = None
        self._thread = threading.Thread(
            target=self._run, args=(self._stop,), name=f"camera {self.source.label}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop capturing and wait (up to `timeout`) for the thread to release the source."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
        with self._lock:
            self._problem, self._problem_since, self._interval = "stopped", None, None

    def latest(self) -> Frame | None:
        """The newest frame, or None before the first one; never blocks on the camera."""
        return self._frame

    @property
    def fps(self) -> float:
        """Frames per second, measured and smoothed; 0 when frames have stopped."""
        with self._lock:
            frame, interval = self._frame, self._interval
        if frame is None or interval is None or interval <= 0:
            return 0.0
        if time.monotonic() - frame.at > max(self.stale_seconds, 2 * interval):
            return 0.0
        return 1.0 / interval

    def health(self) -> DeviceHealth:
        """OK with fps and last frame's age; ERROR with the reason and since when. Never raises."""
        try:
            status, reason = self._status()
        except Exception as exc:  # noqa: BLE001 (health is returned, never raised)
            status, reason = Status.ERROR, f"{type(exc).__name__}: {exc}"
        self._log_change(status, reason)
        return DeviceHealth(self.name, self.kind, status, reason)

    # -- health --

    def _status(self) -> tuple[Status, str]:
        now = time.monotonic()
        with self._lock:
            frame, problem, since, retry = self._frame, self._problem, self._problem_since, self._retry_in
        fps = self.fps
        if self._started_at is None or problem in ("not started", "stopped"):
            return Status.WARNING, f"{problem} ({self.source.label})"
        when = f" since {since:%H:%M:%S}" if since else ""
        if problem is not None:
            again = f"; next try in {retry:g} s" if retry else ""
            return Status.ERROR, f"{problem}{when}{again}"
        if frame is None:
            waited = now - self._started_at
            if waited > self.stale_seconds:
                return Status.ERROR, f"no frame from {self.source.label} in {waited:.1f} s"
            return Status.WARNING, f"starting: waiting for the first frame from {self.source.label}"
        age = now - frame.at
        if age > self.stale_seconds:
            self._note_stale(frame)
            with self._lock:
                since = self._problem_since
            when = f" (since {since:%H:%M:%S})" if since else ""
            return Status.ERROR, f"no frame for {age:.1f} s from {self.source.label}{when}"
        return Status.OK, f"{fps:.1f} fps, last frame {age * 1000:.0f} ms ago, {self._size}"

    def _note_stale(self, frame: Frame) -> None:
        with self._lock:
            if self._problem_since is None and self._frame is frame:
                self._problem_since = datetime.now(self._tz) - _seconds(
                    time.monotonic() - frame.at - self.stale_seconds
                )

    def _log_change(self, status: Status, reason: str) -> None:
        if status != self._logged_status and status in (Status.OK, Status.ERROR):
            self._logged_status = status
            (log.info if status is Status.OK else log.warning)("%s: %s: %s", self.name, status, reason)

    def _fail(self, problem: str, retry_in: float) -> None:
        with self._lock:
            if self._problem is None or self._problem_since is None:
                self._problem_since = datetime.now(self._tz)
            self._problem, self._retry_in = problem, retry_in
        self.health()  # logs the change at once, not at the next poll

    # -- the capture loop --

    def _run(self, stop: threading.Event) -> None:
        delay = self.backoff_initial
        while not stop.is_set():
            capture = self._open()
            if capture is None:
                self._fail(self._not_found(), delay)
            else:
                self._ever_opened = True
                try:
                    got_frames = self._read_loop(capture, stop)
                finally:
                    _release(capture)
                if stop.is_set():
                    break
                if got_frames:
                    delay = self.backoff_initial  # it worked for a while: retry soon
                self._fail(f"{self.source.label} stopped sending frames (unplugged?)", delay)
            if stop.wait(delay):
                break
            delay = min(delay * 2, self.backoff_max)
        log.debug("%s: capture thread ended", self.name)

    def _not_found(self) -> str:
        if self._ever_opened:
            return f"{self.source.label} is gone (unplugged?)"
        if self.source.kind in ("video", "image"):
            return f"cannot open {self.source.label}"
        if self.source.kind == "url":
            return f"no stream at {self.source.label}"
        return f"no camera at {self.source.label}"

    def _open(self) -> Capture | None:
        self.open_attempts += 1
        try:
            capture = self._opener(self.source)
            if capture.isOpened():
                self._configure(capture)
                return capture
            _release(capture)
        except Exception as exc:  # noqa: BLE001 (a broken driver must not end the thread)
            log.debug("%s: open failed: %s", self.name, exc)
        return None

    def _configure(self, capture: Capture) -> None:
        if self.source.kind not in ("index", "device"):
            return
        import cv2

        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the driver keeps one frame, not four stale ones
        if self.width and self.height:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        if self.target_fps:
            capture.set(cv2.CAP_PROP_FPS, self.target_fps)

    def _period(self, capture: Capture) -> float:
        """Seconds between frames for a simulated source (0: live, paced by the device)."""
        if self.source.kind in ("image", "pattern"):
            return 1.0 / self.target_fps
        if self.source.kind == "video":
            import cv2

            rate = capture.get(cv2.CAP_PROP_FPS) or 0.0
            return 1.0 / (rate if 1.0 <= rate <= 240.0 else self.target_fps)
        return 0.0

    def _read_loop(self, capture: Capture, stop: threading.Event) -> bool:
        """Read until stopped or a read fails; whether any frame came."""
        period = self._period(capture)
        due = time.monotonic()
        got_frames = False
        while not stop.is_set():
            ok, image = _read(capture)
            if not ok and self.source.kind == "video":
                ok, image = _rewind(capture)  # the end of a simulated clip: play it again
            if not ok or image is None:
                return got_frames
            self._publish(image)
            got_frames = True
            if period:
                due += period
                wait = due - time.monotonic()
                if wait < -period:  # far behind (a slow decode): start the schedule afresh
                    due, wait = time.monotonic(), 0.0
                if wait > 0 and stop.wait(wait):
                    break
        return got_frames

    def _publish(self, image: Any) -> None:
        now = time.monotonic()
        image.flags.writeable = False
        with self._lock:
            previous = self._frame
            self._seq += 1
            gap = now - previous.at if previous is not None else None
            if gap is not None and self._problem is None and gap <= self.stale_seconds:
                self._interval = (
                    gap if self._interval is None else self._interval + FPS_SMOOTHING * (gap - self._interval)
                )
            else:
                self._interval = None  # a fresh start after a gap: do not average the gap in
            self._frame = Frame(image, self._seq, now)
            self._problem, self._problem_since, self._retry_in = None, None, 0.0
            self._size = f"{image.shape[1]}x{image.shape[0]}"
        if self._logged_status is not Status.OK:
            self.health()


def _seconds(value: float):
    from datetime import timedelta

    return timedelta(seconds=max(0.0, value))


def _read(capture: Capture) -> tuple[bool, Any]:
    try:
        return capture.read()
    except Exception as exc:  # noqa: BLE001
        log.debug("camera read failed: %s", exc)
        return (False, None)


def _rewind(capture: Capture) -> tuple[bool, Any]:
    import cv2

    try:
        capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
    except Exception:  # noqa: BLE001
        return (False, None)
    return _read(capture)


def _release(capture: Capture) -> None:
    try:
        capture.release()
    except Exception as exc:  # noqa: BLE001
        log.debug("camera release failed: %s", exc)


class NoCamera:
    """`[camera] kind = "none"` as a health line (make_camera itself returns None)."""

    kind = "camera"
    name = "camera"

    def health(self) -> DeviceHealth:
        return DeviceHealth(self.name, self.kind, Status.ABSENT, 'not installed ([camera] kind = "none")')


# --- building and using ---------------------------------------------------------------------------


def make_camera(settings, *, opener: Callable[[Source], Capture] | None = None) -> CaptureCamera | None:
    """The camera `[camera]` asks for (not started), or None for `kind = "none"`.

    `settings` is the whole Settings. "simulated" plays `source` when it names a file, else the
    fixture clip next to the project, else a generated test pattern (`--demo` sets it).
    """
    c = settings.camera
    if c.kind == "none":
        return None
    tz = getattr(settings, "tz", None)
    common = dict(
        width=c.width, height=c.height, fps=c.fps, mirror=c.mirror, stale_seconds=c.stale_seconds, opener=opener, tz=tz
    )
    if c.kind == "simulated":
        if c.source:
            source = classify(c.source)
        elif clip := demo_clip():
            source = Source("video", str(clip), str(clip))
        else:
            source = Source("pattern", "", PATTERN_NAME)
            return CaptureCamera(source, name=PATTERN_NAME, **common)
        return CaptureCamera(source, name=f"simulated camera ({Path(str(source.target)).name})", **common)
    return CaptureCamera(classify(c.source), **common)


def wait_for_frame(camera: Camera, timeout: float = 5.0, *, after: int = 0) -> Frame | None:
    """The newest frame with `seq > after`, waiting up to `timeout` seconds (off the GUI thread)."""
    deadline = time.monotonic() + timeout
    while True:
        frame = camera.latest()
        if frame is not None and frame.seq > after:
            return frame
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


def snapshot(camera: Camera, path: str | os.PathLike, timeout: float = 5.0) -> bool:
    """Save one fresh frame to `path` (the format follows its suffix: .jpg, .png, ...).

    Starts the camera if it has no frame yet (and stops it again afterwards). False when no frame
    came within `timeout` or the file could not be written; the reason is logged.
    """
    import cv2

    started = False
    current = camera.latest()
    if current is None:
        camera.start()
        started = True
    try:
        # A running camera's frame will do if it is fresh; an old one (a stalled camera) will not.
        after = current.seq if current is not None and time.monotonic() - current.at > 1.0 else 0
        frame = wait_for_frame(camera, timeout, after=after)
        if frame is None:
            log.warning("%s: no frame for a snapshot within %g s: %s", camera.name, timeout, camera.health().reason)
            return False
        try:
            written = cv2.imwrite(os.fspath(path), frame.image)
        except cv2.error as exc:
            log.warning("snapshot to %s failed: %s", path, exc)
            return False
        if not written:
            log.warning("snapshot to %s failed (unknown image suffix or not writable)", path)
        return bool(written)
    finally:
        if started:
            camera.stop()


def for_preview(image: Any, *, mirror: bool) -> Any:
    """The frame as the preview shows it: mirrored left-right when `mirror` (a selfie view)."""
    if not mirror:
        return image
    import cv2

    return cv2.flip(image, 1)
