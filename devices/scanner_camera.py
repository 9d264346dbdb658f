"""QR codes and barcodes read from the camera: the camera's newest frame, decoded on a thread.

`CameraScanner(camera)` polls `camera.latest()` (anything returning an object with `image`
and `seq`, or None) `fps` times a second on its own thread, never decodes the same `seq`
twice, and hands every code `devices.decode` finds to `on_scan` as a ScanEvent with source
"camera", through the shared Deduper (a code held in view is one scan). Decoding a 640x480
frame takes about 6 ms with zxing-cpp (README, Scanner), so 8 fps costs about 5% of a core.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from devices import decode as dec
from devices.health import DeviceHealth, Status
from devices.scanner import Deduper, OnScan, _Source

log = logging.getLogger(__name__)


class CameraScanner(_Source):
    """Codes in the camera's frames. `decoder(image) -> list[Decoded]` defaults to `devices.decode.decode`."""

    source = "camera"

    def __init__(
        self,
        camera,
        *,
        fps: float = 8.0,
        deduper: Deduper | None = None,
        decoder: Callable | None = None,
    ) -> None:
        super().__init__(deduper=deduper)
        self.camera = camera
        self.interval = 1.0 / fps
        self.decoder = decoder or dec.decode
        self.name = "scanner (camera)"
        self.decoded_frames = 0
        self._last_seq: object = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: tuple[str, datetime] | None = None

    def start(self, on_scan: OnScan) -> None:
        if self._thread is not None:
            return
        self._on_scan = on_scan
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="scanner-camera", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(3)
            self._thread = None
        self._on_scan = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception as exc:  # a bad frame or decoder must not end the thread
                if self._error is None or self._error[0] != str(exc):
                    log.warning("scanner: camera decode failed: %s", exc)
                self._error = (f"{type(exc).__name__}: {exc}", datetime.now(UTC))

    def poll(self) -> int:
        """Decode the newest frame if it is new; how many scans it gave (also for tests)."""
        if self.camera is None:
            return 0
        frame = self.camera.latest()
        if frame is None or frame.seq == self._last_seq:
            return 0
        self._last_seq = frame.seq
        self.decoded_frames += 1
        emitted = 0
        for code in self.decoder(frame.image):
            emitted += self._emit(code.text, code.symbology) is not None
        self._error = None
        return emitted

    def health(self) -> DeviceHealth:
        try:
            if self.camera is None:
                return DeviceHealth(self.name, self.kind, Status.ABSENT, "no camera configured")
            backend = dec.active_backend()
            if backend == "none":
                return DeviceHealth(self.name, self.kind, Status.ERROR, "no QR decoder available")
            camera = self.camera.health() if hasattr(self.camera, "health") else None
            if camera is not None and camera.status in (Status.ERROR, Status.ABSENT):
                return DeviceHealth(self.name, self.kind, Status.ERROR, f"camera: {camera.reason}", camera.checked_at)
            if self._error is not None:
                return DeviceHealth(self.name, self.kind, Status.WARNING, self._error[0], self._error[1])
            running = "decoding" if self._thread is not None else "ready to decode"
            return DeviceHealth(
                self.name,
                self.kind,
                Status.OK,
                f"{running} with {backend} at {1 / self.interval:.0f} fps; {self._last_scan_words()}",
            )
        except Exception as exc:  # health never raises
            return DeviceHealth(self.name, self.kind, Status.ERROR, f"{type(exc).__name__}: {exc}")
