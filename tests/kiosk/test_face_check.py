"""The kiosk's face check on real frames: the fixture clip through liveness, then enrolment and a match;
a still photo fed as a camera stream never passes. Real OpenCV decoding, dlib landmarks and encodings."""

from __future__ import annotations

import threading

import cv2
import pytest
from fixturepaths import fixture

from devices.camera import Frame
from kiosk.face import check as fc
from kiosk.face.commands import read_image
from kiosk.face.gallery import Gallery
from kiosk.face.pipeline import Pipeline

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class ReplayCamera:
    """Hands out the frames of a clip one by one, each once, timed as the clip is (30 fps): the
    check sees every frame however long it takes on it (a camera that waits for the reader)."""

    name = "replay"
    kind = "simulated"
    mirror = True

    def __init__(self, images, fps: float = 30.0) -> None:
        self.images, self.fps = images, fps
        self.index = -1
        self.lock = threading.Lock()

    def latest(self):
        with self.lock:
            if self.index + 1 >= len(self.images):
                return None  # the clip ran out: no new frame (the check calls it a camera failure)
            self.index += 1
            return Frame(self.images[self.index], self.index + 1, self.index / self.fps)

    def clock(self) -> float:
        """The clip's own time: the check's deadlines count clip seconds, not this machine's."""
        return max(self.index, 0) / self.fps


@pytest.fixture(scope="module")
def clip():
    capture = cv2.VideoCapture(str(fixture("faces", "short_hamilton_clip.mp4")))
    images = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        images.append(image)
    capture.release()
    assert len(images) > 200
    return images


def run(camera, *, gallery, challenges=("right",)):
    check = fc.FaceCheck(
        camera, pipeline=Pipeline(), gallery=gallery, challenges=challenges, clock=camera.clock, no_frame_seconds=0.3
    )
    return check.run(), check


def test_the_clip_passes_its_challenge_then_enrols_and_is_recognised(clip):
    enrolled, check = run(ReplayCamera(clip), gallery=None)
    assert enrolled.code == fc.CAPTURED, enrolled
    assert enrolled.liveness.live and len(enrolled.encodings) == 3
    assert check.progress is not None and check.progress.phase == "done"

    pipeline = Pipeline()
    others = [pipeline.analyse(read_image(fixture("faces", f"{name}.jpg"))).encoding for name in ("obama_1", "biden_1")]
    strangers = Gallery(["obama", "biden"], others)
    assert min(strangers.distances(enrolled.encodings[0])) > 0.6  # the clip's face is neither of them

    gallery = Gallery(["obama", "biden", "ACC-1", "ACC-1", "ACC-1"], others + list(enrolled.encodings))
    matched, _ = run(ReplayCamera(clip), gallery=gallery)
    assert matched.code == fc.MATCHED and matched.name == "ACC-1" and matched.distance < 0.5


def test_a_still_photo_as_a_camera_never_passes(clip):
    photo = read_image(fixture("faces", "obama_1.jpg"))
    outcome, _ = run(ReplayCamera([photo] * 60), gallery=Gallery(["obama"], [Pipeline().analyse(photo).encoding]))
    assert outcome.code == fc.NOT_LIVE and outcome.reason == "still"


def test_the_wrong_challenge_fails_on_the_clip(clip):
    outcome, _ = run(ReplayCamera(clip), gallery=None, challenges=("left",))
    assert outcome.code == fc.NOT_LIVE and outcome.reason in ("wrong_direction", "no_turn", "timeout")


def test_a_camera_that_sends_nothing_is_a_camera_failure():
    outcome, _ = run(ReplayCamera([]), gallery=None)
    assert outcome.code == fc.CAMERA


def test_stop_ends_the_check():
    camera = ReplayCamera([])
    check = fc.FaceCheck(camera, pipeline=Pipeline(), gallery=None, challenges=("blink",))
    check.stop()
    assert check.run().code == fc.STOPPED
