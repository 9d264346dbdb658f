"""The camera preview's cost on the GUI thread, with and without the camera's capture thread.

    QT_QPA_PLATFORM=offscreen uv run python bench/camera_preview.py [SECONDS]

A small offscreen Qt app: a QLabel preview (540x304, the diagnostics screen's size) fed from
`camera.latest()` by a 30 fps QTimer. Each tick takes the newest frame, mirrors it, converts it to
a QImage, scales it to the label and repaints the label (the paint is forced inside the tick so
it is measured). Rows, SECONDS each (default 5):

    baseline             no capture thread: the ticks cycle through frames decoded beforehand
    camera thread        the fixture clip decoded by the camera's own thread (devices/camera.py)
    camera + face boxes  the same, plus a worker finding face boxes on the newest frame
                         (devices/facebox.py) and the tick drawing them

Prints the GUI thread's per-tick time (median, p95, max, in ms) and the ratio to the baseline,
how late the timer fired (p95), and how many new frames were shown; then face_boxes' time per
frame at 320 px wide (and at the frame's full 640 px, for comparison). Exits 1 when a row's p95
tick is over 16 ms (one frame at 60 Hz). Uses the fixture clip (../shared/fixtures/faces, or
$KIOSK_FIXTURES/faces); without it, the generated test pattern.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from devices.camera import PATTERN_NAME, CaptureCamera, PatternCapture, Source, demo_clip, for_preview  # noqa: E402
from devices.facebox import DETECT_WIDTH, face_boxes, mirrored, warm_up  # noqa: E402

PREVIEW = (540, 304)
TICK_MS = 33
BUDGET_MS = 16.0


def source() -> Source:
    clip = demo_clip()
    return Source("video", str(clip), str(clip)) if clip else Source("pattern", "", PATTERN_NAME)


def decoded_frames(src: Source, count: int = 120) -> list:
    """Frames decoded ahead of time, for the baseline (no capture thread while it runs)."""
    if src.kind == "pattern":
        capture = PatternCapture()
    else:
        capture = cv2.VideoCapture(str(src.target))
    frames = []
    while len(frames) < count:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(image)
    capture.release()
    return frames


class FeedFromList:
    """`latest()` over pre-decoded frames: a new one every 1/30 s, no thread."""

    def __init__(self, frames: list) -> None:
        self.frames, self.started = frames, time.monotonic()

    def latest(self):
        n = int((time.monotonic() - self.started) * 30)
        return n, self.frames[n % len(self.frames)]


class FeedFromCamera:
    def __init__(self, camera: CaptureCamera) -> None:
        self.camera = camera

    def latest(self):
        frame = self.camera.latest()
        return (frame.seq, frame.image) if frame else (0, None)


class FaceWorker(threading.Thread):
    """Finds face boxes on each newest frame it gets to, off the GUI thread."""

    def __init__(self, camera: CaptureCamera) -> None:
        super().__init__(daemon=True)
        self.camera, self.boxes, self.runs = camera, [], 0
        self.halt = threading.Event()

    def run(self) -> None:
        seen = 0
        while not self.halt.is_set():
            frame = self.camera.latest()
            if frame is None or frame.seq == seen:
                time.sleep(0.005)
                continue
            seen = frame.seq
            self.boxes = face_boxes(frame.image)
            self.runs += 1


def run_preview(app: QApplication, feed, seconds: float, faces: FaceWorker | None = None) -> dict:
    label = QLabel()
    label.setFixedSize(*PREVIEW)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.show()
    ticks: list[float] = []
    late: list[float] = []
    shown = {"seq": -1, "count": 0}
    expected = [time.perf_counter() + TICK_MS / 1000]

    def tick() -> None:
        start = time.perf_counter()
        late.append(max(0.0, (start - expected[0]) * 1000))
        expected[0] = start + TICK_MS / 1000
        seq, image = feed.latest()
        if image is not None and seq != shown["seq"]:
            shown["seq"], shown["count"] = seq, shown["count"] + 1
            rgb = cv2.cvtColor(for_preview(image, mirror=True), cv2.COLOR_BGR2RGB)
            h, w = rgb.shape[:2]
            qimage = QImage(rgb.data, w, h, rgb.strides[0], QImage.Format.Format_RGB888)
            pixmap = QPixmap.fromImage(
                qimage.scaled(*PREVIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )
            if faces is not None and faces.boxes:
                painter = QPainter(pixmap)
                painter.setPen(QPen(QColor("#00e000"), 3))
                scale = pixmap.width() / w
                for top, right, bottom, left in mirrored(faces.boxes, w):
                    painter.drawRect(
                        int(left * scale), int(top * scale), int((right - left) * scale), int((bottom - top) * scale)
                    )
                painter.end()
            label.setPixmap(pixmap)
            label.repaint()  # paint now, inside the measured tick
        ticks.append((time.perf_counter() - start) * 1000)

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    timer.start(TICK_MS)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    label.close()
    ticks, late = ticks[5:], late[5:]  # the first ticks warm caches
    return {
        "median": statistics.median(ticks),
        "p95": statistics.quantiles(ticks, n=20)[-1],
        "max": max(ticks),
        "late_p95": statistics.quantiles(late, n=20)[-1],
        "shown": shown["count"] / seconds,
    }


def bench_face_boxes(frames: list) -> None:
    warm_up()
    sample = frames[::4][:30]
    for width, label in (
        (DETECT_WIDTH, f"face_boxes at {DETECT_WIDTH} px"),
        (frames[0].shape[1], "face_boxes at full size"),
    ):
        times, found = [], 0
        for image in sample:
            start = time.perf_counter()
            found += len(face_boxes(image, width=width))
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{label:<28} median {statistics.median(times):6.1f} ms"
            f"   p95 {statistics.quantiles(times, n=20)[-1]:6.1f} ms"
            f"   ({found} faces in {len(sample)} frames {frames[0].shape[1]}x{frames[0].shape[0]})"
        )


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    app = QApplication.instance() or QApplication([])
    src = source()
    print(f"source: {src.label}; preview {PREVIEW[0]}x{PREVIEW[1]} at {1000 // TICK_MS} fps; {seconds:g} s a row")
    frames = decoded_frames(src)
    run_preview(app, FeedFromList(frames), 1.0)  # warm-up, not counted
    rows = {"baseline": run_preview(app, FeedFromList(frames), seconds)}

    camera = CaptureCamera(src)
    camera.start()
    try:
        rows["camera thread"] = run_preview(app, FeedFromCamera(camera), seconds)
        capture_fps = camera.fps
        warm_up()
        worker = FaceWorker(camera)
        worker.start()
        started = time.monotonic()
        rows["camera + face boxes"] = run_preview(app, FeedFromCamera(camera), seconds, worker)
        worker.halt.set()
        worker.join()
        face_rate = worker.runs / (time.monotonic() - started)
    finally:
        camera.stop()

    base = rows["baseline"]
    print(
        f"{'GUI thread per tick':<22} {'median':>8} {'p95':>8} {'max':>8} {'x base p95':>11}"
        f" {'late p95':>9} {'shown/s':>8}"
    )
    for name, r in rows.items():
        print(
            f"{name:<22} {r['median']:7.2f}ms {r['p95']:7.2f}ms {r['max']:7.2f}ms {r['p95'] / base['p95']:10.2f}x"
            f" {r['late_p95']:7.2f}ms {r['shown']:8.1f}"
        )
    print(f"camera thread: {capture_fps:.1f} fps captured; face worker: {face_rate:.1f} detections/s")
    bench_face_boxes(frames)
    over = [name for name, r in rows.items() if r["p95"] > BUDGET_MS]
    if over:
        print(f"over the {BUDGET_MS:g} ms budget: {', '.join(over)}")
        return 1
    print(f"every row's p95 is under the {BUDGET_MS:g} ms budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
