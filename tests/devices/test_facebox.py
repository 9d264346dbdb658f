"""Face boxes on the fixture faces: found on a 320 px copy, scaled back to the full image."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cv2
from fixturepaths import fixture

from devices.facebox import DETECT_WIDTH, face_boxes, mirrored, warm_up

ROOT = Path(__file__).resolve().parents[2]


def image(name: str):
    picture = cv2.imread(str(fixture("faces", name)))
    assert picture is not None, name
    return picture


def iou(a, b) -> float:
    top, right = max(a[0], b[0]), min(a[1], b[1])
    bottom, left = min(a[2], b[2]), max(a[3], b[3])
    inter = max(0, right - left) * max(0, bottom - top)

    def area(box):
        return (box[1] - box[3]) * (box[2] - box[0])

    return inter / (area(a) + area(b) - inter)


def test_face_boxes_finds_one_face_on_obama_1():
    picture = image("obama_1.jpg")
    boxes = face_boxes(picture)
    assert len(boxes) == 1
    top, right, bottom, left = boxes[0]
    h, w = picture.shape[:2]
    assert 0 <= left < right <= w and 0 <= top < bottom <= h
    assert right - left > w / 5  # full-image pixels, not the 320 px copy's


def test_face_boxes_finds_two_faces_on_two_people():
    boxes = face_boxes(image("two_people.jpg"))
    assert len(boxes) == 2
    lefts = sorted(box[3] for box in boxes)
    assert lefts[1] - lefts[0] > 300  # side by side, not one face found twice


def test_face_boxes_scale_back_to_the_full_image():
    picture = image("two_people.jpg")
    small = face_boxes(picture)
    full = face_boxes(picture, width=picture.shape[1])  # detected at full size, for reference
    assert len(full) == 2
    for box in small:
        assert max(iou(box, ref) for ref in full) > 0.6, (box, full)
    # The same picture at twice the size: the same faces at twice the coordinates.
    double = cv2.resize(picture, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    doubled = sorted(face_boxes(double), key=lambda b: b[3])
    for box, twice in zip(sorted(small, key=lambda b: b[3]), doubled, strict=True):
        for a, b in zip(box, twice, strict=True):
            assert abs(2 * a - b) <= 12, (box, twice)


def test_face_boxes_on_a_frame_no_wider_than_the_detector_is_not_resized():
    picture = image("obama_1.jpg")
    small = cv2.resize(picture, (DETECT_WIDTH, round(picture.shape[0] * DETECT_WIDTH / picture.shape[1])))
    boxes = face_boxes(small)
    assert len(boxes) == 1 and boxes[0][1] <= DETECT_WIDTH


def test_face_boxes_on_grayscale_and_empty_images():
    assert len(face_boxes(cv2.cvtColor(image("obama_1.jpg"), cv2.COLOR_BGR2GRAY))) == 1
    assert face_boxes(image("obama_1.jpg")[:0]) == []


def test_face_boxes_on_read_only_camera_frames():
    picture = image("obama_1.jpg")
    picture.flags.writeable = False  # as the camera hands frames out
    assert len(face_boxes(picture)) == 1


def test_mirrored_boxes_fall_on_the_mirrored_preview():
    assert mirrored([(10, 60, 50, 20)], 100) == [(10, 80, 50, 40)]


def test_facebox_imports_face_recognition_only_when_used():
    code = (
        "import sys, devices.facebox as f\n"
        "assert 'face_recognition' not in sys.modules\n"
        "f.warm_up()\n"
        "assert 'face_recognition' in sys.modules\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    warm_up()
