"""One frame to a `FrameResult`: detect on a downscaled copy, choose the face, gate its quality,
encode it (128-d, face_recognition's dlib ResNet) and, given a gallery, match it.

Measured here (2 cores): dlib HOG at 640 px wide without upsampling about 27 ms, at 1280x720
about 76 ms (340 ms with the default upsample of 1); at 320 px it misses faces at arm's length.
So `detect_width` is 640 and upsample 0, and the face found is scaled back to the full frame:
landmarks and the encoding are computed on a crop of the full-resolution frame around it.

Choosing: the face with the largest area weighted by how central it is. When another face is at
least `SEVERAL_RATIO` as large as the chosen one (two people of similar distance to the kiosk),
the frame is refused as `several_faces`; a small face far behind (a passer-by) is ignored.

Gates, each with its own reason code (see `kiosk.face`): the face's height in the full frame
(`too_small`), the variance of the Laplacian of the face scaled to 128x128 (`blurred`), its mean
grey level (`too_dark`, `too_bright`) and the yaw read from the 5-point landmarks: the nose's
offset from the eyes' midpoint along the eye line, in eye distances (`not_frontal`).

Not on the GUI thread (see `kiosk.face`). Calls from several threads are serialised (dlib's
models are shared). Nothing here keeps an image: a result holds numbers only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Width of the copy the detector sees (pixels).
DETECT_WIDTH = 640
#: Another face at least this fraction of the chosen face's area: `several_faces`.
SEVERAL_RATIO = 0.5
#: Size the face is scaled to before the blur and brightness measures.
MEASURE_SIZE = 128

Box = tuple[int, int, int, int]  # top, right, bottom, left, like face_recognition

_lock = threading.Lock()
_api: Any = None


def _models() -> Any:
    """face_recognition's api module (dlib's detector, 5-point predictor and encoder), imported
    on first use (about 1 s): on a worker thread, never the GUI thread."""
    global _api
    if _api is None:
        with _lock:
            if _api is None:
                import warnings

                with warnings.catch_warnings():  # face_recognition_models imports pkg_resources
                    warnings.simplefilter("ignore", UserWarning)
                    import face_recognition.api as api

                _api = api
    return _api


def warm_up() -> None:
    """Load the models now (on a worker thread), so the first frame does not wait for them."""
    _models()


@dataclass(frozen=True)
class Gates:
    """The quality gates' limits (defaults measured on the fixture photos and clip)."""

    min_face_px: int = 80  # the face box's height in the full frame
    min_sharpness: float = 15.0  # variance of the Laplacian at 128x128
    min_brightness: float = 45.0  # mean grey level 0..255
    max_brightness: float = 215.0
    max_yaw: float = 0.35  # nose offset from the eyes' midpoint, in eye distances


@dataclass(frozen=True)
class FrameResult:
    """What one frame showed. `reason` is "ok" or a refusal code (`kiosk.face.REASONS`); `faces`
    how many faces were found; `box` the chosen face in the full frame; `measures` its size,
    sharpness, brightness and yaw; `encoding` the 128-d template (only when ok); `name` and
    `distance` the match when a gallery was given (`name` None: nobody within the threshold)."""

    reason: str
    faces: int = 0
    box: Box | None = None
    measures: dict[str, float] = field(default_factory=dict)
    encoding: Any = field(default=None, repr=False, compare=False)
    name: str | None = None
    distance: float | None = None

    @property
    def ok(self) -> bool:
        return self.reason == "ok"


def to_bgr(image: Any) -> np.ndarray:
    """`image` as a contiguous uint8 BGR array (grey and BGRA accepted); raises ValueError when
    it is not an image at all."""
    import cv2

    array = np.asarray(image)
    if array.dtype != np.uint8 or array.ndim not in (2, 3) or array.size == 0:
        raise ValueError(f"not an 8-bit image: dtype {array.dtype}, shape {array.shape}")
    if array.ndim == 2:
        return cv2.cvtColor(array, cv2.COLOR_GRAY2BGR)
    channels = array.shape[2]
    if channels == 4:
        return cv2.cvtColor(array, cv2.COLOR_BGRA2BGR)
    if channels == 1:
        return cv2.cvtColor(array[:, :, 0], cv2.COLOR_GRAY2BGR)
    if channels != 3:
        raise ValueError(f"not an image: {channels} channels")
    return np.ascontiguousarray(array)


class Pipeline:
    """Frames to results. `threshold`: the largest encoding distance that counts as the same
    person (`[face] threshold`); `detect_width`, `gates`: see the module docstring."""

    def __init__(self, *, threshold: float = 0.5, detect_width: int = DETECT_WIDTH, gates: Gates = Gates()) -> None:
        self.threshold = threshold
        self.detect_width = detect_width
        self.gates = gates

    # -- detection --

    def detect(self, image: Any) -> list[Box]:
        """Every face in `image` (BGR), found on a grey copy `detect_width` wide, in full-frame pixels."""
        import cv2

        api = _models()
        bgr = to_bgr(image)
        h, w = bgr.shape[:2]
        scale = min(1.0, self.detect_width / w)
        small = (
            bgr if scale >= 1 else cv2.resize(bgr, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
        )
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        if min(grey.shape) < 20:
            return []
        with _lock:
            rects = api.face_detector(grey, 0)
        sx, sy = w / grey.shape[1], h / grey.shape[0]
        boxes = []
        for r in rects:
            top, right = max(0, round(r.top() * sy)), min(w, round(r.right() * sx))
            bottom, left = min(h, round(r.bottom() * sy)), max(0, round(r.left() * sx))
            if bottom > top and right > left:
                boxes.append((top, right, bottom, left))
        return boxes

    @staticmethod
    def choose(boxes: list[Box], width: int, height: int) -> tuple[Box | None, bool]:
        """The face to use (largest, weighted by how central it is) and whether another face is
        nearly as large (`several_faces`)."""
        if not boxes:
            return None, False

        def area(b: Box) -> float:
            return float((b[2] - b[0]) * (b[1] - b[3]))

        def score(b: Box) -> float:
            cx, cy = (b[1] + b[3]) / 2 / width - 0.5, (b[0] + b[2]) / 2 / height - 0.5
            return area(b) * (1.0 - min(0.5, (cx * cx + cy * cy) ** 0.5))

        chosen = max(boxes, key=score)
        several = any(b is not chosen and area(b) >= SEVERAL_RATIO * area(chosen) for b in boxes)
        return chosen, several

    # -- one frame --

    def analyse(self, image: Any) -> FrameResult:
        """Detect, choose, gate and encode one frame (BGR); no matching."""
        import cv2

        api = _models()
        bgr = to_bgr(image)
        h, w = bgr.shape[:2]
        boxes = self.detect(bgr)
        box, several = self.choose(boxes, w, h)
        if box is None:
            return FrameResult("no_face", 0)
        if several:
            return FrameResult("several_faces", len(boxes))
        top, right, bottom, left = box
        size = bottom - top
        measures: dict[str, float] = {"size": float(size)}
        if size < self.gates.min_face_px:
            return FrameResult("too_small", len(boxes), box, measures)
        grey = cv2.cvtColor(bgr[top:bottom, left:right], cv2.COLOR_BGR2GRAY)
        grey = cv2.resize(grey, (MEASURE_SIZE, MEASURE_SIZE), interpolation=cv2.INTER_AREA)
        measures["sharpness"] = float(cv2.Laplacian(grey, cv2.CV_64F).var())
        measures["brightness"] = float(grey.mean())
        if measures["brightness"] < self.gates.min_brightness:
            return FrameResult("too_dark", len(boxes), box, measures)
        if measures["brightness"] > self.gates.max_brightness:
            return FrameResult("too_bright", len(boxes), box, measures)
        if measures["sharpness"] < self.gates.min_sharpness:
            return FrameResult("blurred", len(boxes), box, measures)
        # Landmarks and the encoding on a crop of the full frame around the face (half a face of
        # margin): the 150x150 chip the encoder sees comes from full-resolution pixels.
        pad = size // 2
        ct, cl = max(0, top - pad), max(0, left - pad)
        crop = cv2.cvtColor(bgr[ct : min(h, bottom + pad), cl : min(w, right + pad)], cv2.COLOR_BGR2RGB)
        import dlib

        rect = dlib.rectangle(left - cl, top - ct, right - cl, bottom - ct)
        with _lock:
            shape = api.pose_predictor_5_point(crop, rect)
            points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
            measures["yaw"] = yaw(points)
            if abs(measures["yaw"]) > self.gates.max_yaw:
                return FrameResult("not_frontal", len(boxes), box, measures)
            encoding = np.array(api.face_encoder.compute_face_descriptor(crop, shape, 1), dtype=np.float32)
        return FrameResult("ok", len(boxes), box, measures, encoding)

    def identify(self, image: Any, gallery) -> FrameResult:
        """`analyse` and, for a usable face, the 1:N match against `gallery` (a `Gallery`)."""
        result = self.analyse(image)
        if not result.ok:
            return result
        match = gallery.match(result.encoding)
        name = match.name if match.name is not None and match.distance <= self.threshold else None
        return _with(result, name=name, distance=match.distance)

    def verify(self, image: Any, gallery, claimed: str) -> FrameResult:
        """`analyse` and, for a usable face, the 1:1 check against the `claimed` person's
        templates (a NIK or a QR subject): `name` is `claimed` when within the threshold."""
        result = self.analyse(image)
        if not result.ok:
            return result
        distance = gallery.distance_to(result.encoding, claimed)
        name = claimed if distance <= self.threshold else None
        return _with(result, name=name, distance=distance)


def _with(result: FrameResult, **changes: Any) -> FrameResult:
    from dataclasses import replace

    return replace(result, **changes)


def yaw(points: np.ndarray) -> float:
    """How far the head is turned, from dlib's 5 points (two corners of each eye, then the base
    of the nose): the nose's offset from the eyes' midpoint along the eye line, in eye distances
    (0 frontal; about +-0.5 at a quarter turn). Its sign follows the image's left-right."""
    eye_a, eye_b, nose = points[0:2].mean(axis=0), points[2:4].mean(axis=0), points[4]
    axis = eye_a - eye_b
    span = float(np.hypot(*axis))
    if span < 1e-6:
        return 0.0
    return float(np.dot(nose - (eye_a + eye_b) / 2, axis / span) / span)
