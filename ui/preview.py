"""The live camera preview, shared by the technician's diagnostics and the visitor's face screen.

`CameraPreview` feeds a `PreviewView`: a QTimer (30 fps) takes `camera.latest()` (never blocks) and
converts only a frame newer than the last one shown. With `faces=True` (diagnostics) face boxes are
found on the Ops "devices" pool a few times a second (`devices.facebox.face_boxes`) and the newest
boxes are drawn over the newest frame, mirrored like it; the face screen passes `faces=False` (the
flow's own face check runs the detector) and asks the view for a face guide instead: an oval the
visitor puts their face in, the picture outside it dimmed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

log = logging.getLogger("kiosk.ui.preview")

#: The preview's timer (ms): about 30 fps; a frame is converted only when it is new.
PREVIEW_MS = 33
#: How often faces are looked for (ms): a few times a second is plenty for a box.
FACES_MS = 250
#: The face guide: an oval this share of the picture's height tall, 3:4 (width:height).
GUIDE_HEIGHT = 0.78
GUIDE_ASPECT = 0.75


class PreviewView(QWidget):
    """Paints the newest frame (scaled, aspect kept), the newest face boxes over it and, with
    `guide` set, the face guide (an oval with a dark and a light stroke, the outside dimmed)."""

    def __init__(self, *, guide: bool = False, aspect: tuple[int, int] = (16, 9)) -> None:
        super().__init__()
        self.image: QImage | None = None
        self.mirror = True
        #: Draw the face guide (the visitor's face screen).
        self.guide = guide
        #: The light stroke of the guide (the look's accent; white by default).
        self.guide_color = "#FFFFFF"
        #: Width : height the view asks for (heightForWidth).
        self.aspect = aspect
        #: Face boxes (top, right, bottom, left) in the frame's pixels (not mirrored), and that frame's size.
        self.boxes: list[tuple[int, int, int, int]] = []
        self.boxes_size: tuple[int, int] = (0, 0)
        #: How many boxes the last paint drew (tests check the box was really drawn).
        self.drawn_boxes = 0
        #: Whether the last paint drew the guide (tests).
        self.drawn_guide = False
        self.placeholder = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 135)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        w, h = self.aspect
        return width * h // w

    def guide_rect(self, picture: QRectF) -> QRectF:
        """The oval's box, centred in `picture` (the frame as drawn, or the whole view)."""
        height = picture.height() * GUIDE_HEIGHT
        width = min(picture.width() * 0.9, height * GUIDE_ASPECT)
        return QRectF(
            picture.center().x() - width / 2, picture.center().y() - height / 2 - picture.height() * 0.02, width, height
        )

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#000000"))
        self.drawn_boxes = 0
        self.drawn_guide = False
        image = self.image
        if image is None or image.isNull():
            if self.guide:
                self._paint_guide(p, QRectF(self.rect()))
            p.setPen(QColor("#FFFFFF"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            p.end()
            return
        scale = min(self.width() / image.width(), self.height() / image.height())
        w, h = image.width() * scale, image.height() * scale
        x0, y0 = (self.width() - w) / 2, (self.height() - h) / 2
        p.drawImage(QRectF(x0, y0, w, h), image)
        bw, bh = self.boxes_size
        if self.boxes and bw and bh:
            sx, sy = w / bw, h / bh
            p.setPen(QPen(QColor("#FFE000"), max(3, round(4 * scale))))
            p.setBrush(Qt.BrushStyle.NoBrush)
            for top, right, bottom, left in self.boxes:
                if self.mirror:
                    left, right = bw - right, bw - left
                p.drawRect(QRectF(x0 + left * sx, y0 + top * sy, (right - left) * sx, (bottom - top) * sy))
                self.drawn_boxes += 1
        if self.guide:
            self._paint_guide(p, QRectF(x0, y0, w, h))
        p.end()

    def _paint_guide(self, p: QPainter, picture: QRectF) -> None:
        oval = self.guide_rect(picture)
        outside = QPainterPath()
        outside.addRect(picture)
        hole = QPainterPath()
        hole.addEllipse(oval)
        p.fillPath(outside.subtracted(hole), QColor(0, 0, 0, 120))
        stroke = max(4.0, picture.height() / 90)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor(0, 0, 0, 200), stroke * 2.2))  # a dark edge: the line shows on a light wall too
        p.drawEllipse(oval)
        p.setPen(QPen(QColor(self.guide_color), stroke))
        p.drawEllipse(oval)
        self.drawn_guide = True


def to_qimage(image, *, mirror: bool) -> QImage:
    """A numpy BGR (or grayscale) frame as a QImage the preview owns (mirrored for a selfie view)."""
    height, width = image.shape[:2]
    if image.ndim == 2:
        out = QImage(image.data, width, height, image.strides[0], QImage.Format.Format_Grayscale8)
    else:
        out = QImage(image.data, width, height, image.strides[0], QImage.Format.Format_BGR888)
    # flipped()/copy() detach from the numpy buffer: the camera thread may reuse it.
    if not mirror:
        return out.copy()
    if hasattr(out, "flipped"):  # Qt 6.9
        return out.flipped(Qt.Orientation.Horizontal)
    return out.mirrored(True, False)


class CameraPreview(QObject):
    """Drives a PreviewView from a camera while running (see the module docstring).

    `run(fn, on_success=, on_failure=, on="devices")` is the window's Ops; `detect(image)` finds
    face boxes (default: devices.facebox.face_boxes, imported on the pool); `faces=False` finds none."""

    did_update = Signal()

    def __init__(
        self, view: PreviewView, ops, *, detect: Callable | None = None, faces: bool = True, parent=None
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.ops = ops
        self.camera = None
        self.detect = detect
        self.faces = faces
        self._timer = QTimer(self)
        self._timer.setInterval(PREVIEW_MS)
        self._timer.timeout.connect(self.tick)
        self._seq = -1
        self._frame = None
        self._detecting = False
        self._detected_at = 0.0
        self._detect_failed = False
        #: Milliseconds the GUI thread spent on the last new frame (convert + schedule the paint).
        self.frame_ms = 0.0
        self.frames_shown = 0

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, camera) -> None:
        self.camera = camera
        self.view.mirror = bool(getattr(camera, "mirror", True))
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.view.image = None
        self.view.boxes = []
        self._seq = -1
        self._frame = None
        self.view.update()

    def tick(self) -> None:
        camera = self.camera
        if camera is None:
            return
        started = time.perf_counter()
        frame = camera.latest()
        if frame is None or frame.seq == self._seq:
            return
        self._seq, self._frame = frame.seq, frame
        self.view.image = to_qimage(frame.image, mirror=self.view.mirror)
        self.view.update()
        self.frames_shown += 1
        self.frame_ms = (time.perf_counter() - started) * 1000
        now = time.monotonic()
        if (
            self.faces
            and not self._detecting
            and not self._detect_failed
            and (now - self._detected_at) * 1000 >= FACES_MS
        ):
            self._find_faces(frame)
        self.did_update.emit()

    def _find_faces(self, frame) -> None:
        self._detecting = True
        self._detected_at = time.monotonic()
        detect = self.detect
        image = frame.image
        height, width = image.shape[:2]

        def work():
            fn = detect
            if fn is None:
                from devices.facebox import face_boxes

                fn = face_boxes
            return fn(image)

        def done(boxes) -> None:
            self._detecting = False
            if not self.running:
                return
            self.view.boxes = [tuple(int(v) for v in b) for b in boxes]
            self.view.boxes_size = (width, height)
            self.view.update()
            self.did_update.emit()

        def failed(exc: BaseException) -> None:
            self._detecting = False
            self._detect_failed = True  # not again and again: the preview goes on without boxes
            log.error("face boxes not available: %r", exc)

        self.ops.run(work, on="devices", on_success=done, on_failure=failed)
