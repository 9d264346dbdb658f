"""Face boxes for the technician's camera preview: face_recognition's HOG on a small copy.

`face_boxes(image)` finds faces on a copy about `DETECT_WIDTH` pixels wide and scales the boxes
back to the full image: HOG takes about 18 ms at 320x180 and 300 ms at 1280x720.

Threads: never call `face_boxes` (or `warm_up`) on the GUI thread. The first call imports
face_recognition and dlib (about 1 s), and every call takes tens of milliseconds: run it on a
worker (`ui/ops.py`'s pool) and hand the boxes back by signal. `warm_up()` does the import ahead
of time, on that worker, so the first preview frame does not wait for it. Calls from several
threads are serialised (dlib's detector is shared).

No face image is kept: the boxes are plain numbers.
"""

from __future__ import annotations

import threading
from typing import Any

#: Width of the copy the detector sees (pixels); smaller is faster, but misses smaller faces.
DETECT_WIDTH = 320

Box = tuple[int, int, int, int]  # top, right, bottom, left, like face_recognition

_lock = threading.Lock()
_api: Any = None


def warm_up() -> None:
    """Import face_recognition (about 1 s) now; call it on a worker thread, not the GUI thread."""
    _face_recognition()


def _face_recognition() -> Any:
    global _api
    if _api is None:
        with _lock:
            if _api is None:
                import warnings

                with warnings.catch_warnings():  # face_recognition_models imports pkg_resources
                    warnings.simplefilter("ignore", UserWarning)
                    import face_recognition

                _api = face_recognition
    return _api


def face_boxes(image: Any, *, width: int = DETECT_WIDTH, upsample: int = 1) -> list[Box]:
    """Faces in `image` (a numpy BGR, BGRA or grayscale array) as (top, right, bottom, left) in
    the full image's pixels, found on a copy `width` pixels wide. Not on the GUI thread."""
    import cv2
    import numpy as np

    api = _face_recognition()
    if image is None or image.size == 0:
        return []
    h, w = image.shape[:2]
    scale = min(1.0, width / w)
    small = (
        cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else image
    )
    if small.ndim == 2:
        rgb = cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
    elif small.shape[2] == 4:
        rgb = cv2.cvtColor(small, cv2.COLOR_BGRA2RGB)
    else:
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    rgb = np.ascontiguousarray(rgb)
    with _lock:
        found = api.face_locations(rgb, number_of_times_to_upsample=upsample, model="hog")
    sx, sy = w / rgb.shape[1], h / rgb.shape[0]
    return [
        (
            max(0, round(top * sy)),
            min(w, round(right * sx)),
            min(h, round(bottom * sy)),
            max(0, round(left * sx)),
        )
        for top, right, bottom, left in found
    ]


def mirrored(boxes: list[Box], width: int) -> list[Box]:
    """`boxes` as they fall on the mirrored preview of an image `width` pixels wide."""
    return [(top, width - left, bottom, width - right) for top, right, bottom, left in boxes]
