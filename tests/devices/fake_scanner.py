"""Stand-ins for scanners and the camera a scanner decodes from; code images and camera frames.

* `PtyScanner`: a serial scanner on the far end of a pty, reached through a symlink (the
  configured port), so it can be unplugged (pty closed) and plugged back (a new pty, the
  link re-pointed) like a USB-serial device that comes back as a new /dev/ttyACM node.
* `FakeCamera`: anything with `latest()`: shows frames with increasing `seq`.
* `code_image(text, symbology)`: a QR code (drawn by `qrcode`), a Code 128 or an EAN-13
  (drawn by zxing-cpp's writer) as a grayscale numpy array with a quiet zone.
* `camera_frame(code, ...)`: a 640x480 BGR frame with the code pasted on a plain or a
  photo background (../shared/fixtures/faces), scaled, tilted, blurred and noisy.

The bench (bench/qr_decode.py) uses the same images.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import tty
from dataclasses import dataclass
from pathlib import Path

import numpy as np


def _faces() -> Path:
    """The shared face photos, looked up as tests/fixturepaths.py does ($KIOSK_FIXTURES, then
    ../shared/fixtures next to the project, then /work/shared/fixtures); the first that exists."""
    looked = [Path(os.environ["KIOSK_FIXTURES"])] if os.environ.get("KIOSK_FIXTURES") else []
    looked += [Path(__file__).resolve().parents[3] / "shared" / "fixtures", Path("/work/shared/fixtures")]
    return next((p for p in looked if p.is_dir()), looked[0]) / "faces"


FACES = _faces()


class PtyScanner:
    """A serial scanner behind `link` (a symlink to the pty's slave device)."""

    def __init__(self, link: Path) -> None:
        self.link = Path(link)
        self.master: int | None = None
        self._slave: int | None = None
        self.plug()

    def plug(self) -> None:
        """A (new) device: open a pty and point the link at it."""
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)
        tmp = self.link.with_name(self.link.name + ".new")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(os.ttyname(self._slave))
        tmp.replace(self.link)

    def unplug(self) -> None:
        """The device disappears: both ends closed and the link removed, as udev removes the
        node (a dangling link could meet a new pty of another test that got the same number)."""
        with contextlib.suppress(FileNotFoundError):
            self.link.unlink()
        for fd in (self.master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.master = self._slave = None

    def send(self, data: bytes, *, chunks: int = 1, pause: float = 0.0) -> None:
        """Write `data`, cut into `chunks` writes `pause` seconds apart (split across reads)."""
        assert self.master is not None, "unplugged"
        size = max(1, -(-len(data) // chunks))
        for i in range(0, len(data), size):
            os.write(self.master, data[i : i + size])
            if pause:
                time.sleep(pause)

    def close(self) -> None:
        self.unplug()


@dataclass(frozen=True)
class FakeFrame:
    image: np.ndarray
    seq: int
    at: float


class FakeCamera:
    """`latest()` hands out the newest frame; `show(image)` makes a new one (seq + 1)."""

    name = "camera (fake)"
    kind = "camera"

    def __init__(self) -> None:
        self._frame: FakeFrame | None = None
        self._lock = threading.Lock()
        self.calls = 0

    def show(self, image: np.ndarray | None) -> None:
        with self._lock:
            seq = self._frame.seq + 1 if self._frame else 1
            self._frame = None if image is None else FakeFrame(image, seq, time.monotonic())

    def latest(self) -> FakeFrame | None:
        with self._lock:
            self.calls += 1
            return self._frame


def code_image(text: str, symbology: str = "QRCODE", *, module_px: int = 4) -> np.ndarray:
    """The code as a grayscale image (black on white, with a quiet zone)."""
    if symbology == "QRCODE":
        import qrcode

        qr = qrcode.QRCode(border=4, box_size=module_px, error_correction=qrcode.constants.ERROR_CORRECT_M)
        qr.add_data(text.encode("utf-8"))
        qr.make(fit=True)
        return (
            np.where(np.array(qr.get_matrix(), dtype=bool), 0, 255)
            .astype(np.uint8)
            .repeat(module_px, 0)
            .repeat(module_px, 1)
        )
    import zxingcpp

    fmt = {"CODE128": zxingcpp.BarcodeFormat.Code128, "EAN13": zxingcpp.BarcodeFormat.EAN13}[symbology]
    bars = np.array(zxingcpp.create_barcode(text, fmt).to_image(scale=module_px // 2 or 1, add_quiet_zones=False))
    bars = np.repeat(bars[:1], 60 + 10 * module_px, axis=0)  # taller bars, as printed
    pad = 12 * module_px
    return np.pad(bars, ((pad // 2, pad // 2), (pad, pad)), constant_values=255)


def background(name: str | None = None, *, size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """A 640x480 BGR background: light grey, or a photo from the face fixtures."""
    import cv2

    w, h = size
    if name is None:
        return np.full((h, w, 3), 235, np.uint8)
    photo = cv2.imread(str(FACES / name))
    if photo is None:
        raise FileNotFoundError(FACES / name)
    scale = max(w / photo.shape[1], h / photo.shape[0])
    photo = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    y, x = (photo.shape[0] - h) // 2, (photo.shape[1] - w) // 2
    return np.ascontiguousarray(photo[y : y + h, x : x + w])


def camera_frame(
    code: np.ndarray,
    *,
    back: np.ndarray | None = None,
    width_px: int = 220,
    angle: float = 0.0,
    at: tuple[float, float] = (0.5, 0.5),
    blur: int = 0,
    noise: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """`code` pasted `width_px` wide, turned `angle` degrees, centred at `at` (fractions of the
    frame) on `back` (default: light grey 640x480), then blurred (odd kernel) and noised (sigma)."""
    import cv2

    frame = background() if back is None else back.copy()
    h, w = frame.shape[:2]
    scale = width_px / code.shape[1]
    img = cv2.resize(code, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    ch, cw = img.shape[:2]
    cx, cy = int(at[0] * w), int(at[1] * h)
    m = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
    m[:, 2] += (cx - cw / 2, cy - ch / 2)
    mask = cv2.warpAffine(np.full((ch, cw), 255, np.uint8), m, (w, h))
    warped = cv2.warpAffine(img, m, (w, h))
    frame[mask > 127] = warped[mask > 127]
    if blur:
        frame = cv2.GaussianBlur(frame, (blur, blur), 0)
    if noise:
        rng = np.random.default_rng(seed)
        frame = np.clip(frame + rng.normal(0, noise, frame.shape), 0, 255).astype(np.uint8)
    return frame
