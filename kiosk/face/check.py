"""One face check at the kiosk: a liveness challenge, then identification (or capture for enrolment).

`FaceCheck.run()` blocks on a worker thread (never the GUI thread): it takes each new camera
frame once, feeds its landmarks to a `kiosk.liveness.LivenessSession` until the challenge is
passed or failed, then runs the face pipeline on the frames that follow until `[face] frames`
consecutive frames agree (a `Decider`), and returns a `FaceOutcome`. The screen reads
`progress` (the newest `LivenessState`, replaced whole, so reading it from another thread is
safe) to show and speak the prompt; `stop()` ends the check at the next frame (the visitor
left, switched to QR or NIK, or the session was wiped).

The identification frames must follow the challenge without a gap and show one face near where
the live face was: a face swapped in after the challenge is refused as `face_changed`.
Nothing is kept: no frame and, outside enrolment, no encoding leaves this object.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.face.decider import Decider
from kiosk.liveness import (
    SETTLE_TIMEOUT_SECONDS,
    STEP_TIMEOUT_SECONDS,
    Challenge,
    LivenessResult,
    LivenessSession,
    LivenessState,
    _same_pixels,
    frame_landmarks,
)

log = logging.getLogger("kiosk.face")

#: Outcome codes.
MATCHED = "matched"  # a live face matched an enrolled person
UNKNOWN = "unknown"  # a live face, not enrolled (or not the claimed person)
CAPTURED = "captured"  # enrolment: a live face's encodings taken
NOT_LIVE = "not_live"  # the liveness challenge failed (see `liveness.code`)
NO_DECISION = "no_decision"  # live, but the frames after it never agreed in time
FACE_CHANGED = "face_changed"  # another face after the challenge
CAMERA = "camera"  # no frames: the camera is unplugged or frozen
STOPPED = "stopped"  # stop() was called

#: How long identification may take after the challenge passed.
DECIDE_SECONDS = 4.0
#: No new frame for this long: the camera is down.
NO_FRAME_SECONDS = 3.0
#: A face whose centre moved more than this (in face widths) since the last live frame is another face.
MAX_SHIFT = 0.75


@dataclass(frozen=True)
class FaceOutcome:
    code: str
    name: str | None = None
    distance: float | None = None
    liveness: LivenessResult | None = None
    #: Enrolment only: the encodings of the live face (never an image).
    encodings: tuple = field(default=(), repr=False)

    @property
    def reason(self) -> str:
        """The stable reason: the liveness code when the challenge failed, else the outcome code."""
        if self.code == NOT_LIVE and self.liveness is not None:
            return self.liveness.code
        return self.code


def _centre(box) -> tuple[float, float, float]:
    top, right, bottom, left = box
    return ((left + right) / 2.0, (top + bottom) / 2.0, max(1.0, float(right - left)))


def _landmark_centre(landmarks) -> tuple[float, float] | None:
    points = [p for part in landmarks.values() for p in part]
    if not points:
        return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


class FaceCheck:
    """A liveness challenge then a decision, over a started camera's frames (see the module doc).

    `gallery` None means enrolment (capture `frames` encodings of the live face); `claimed` a
    name for a 1:1 check instead of 1:N. `landmarks` and `pipeline` are injectable for tests."""

    def __init__(
        self,
        camera: Any,
        *,
        pipeline: Any,
        gallery: Any,
        challenges: Sequence[Challenge | str],
        frames: int = 3,
        claimed: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        landmarks: Callable[[Any], Any] = frame_landmarks,
        no_frame_seconds: float = NO_FRAME_SECONDS,
    ) -> None:
        self.camera = camera
        self.pipeline = pipeline
        self.gallery = gallery
        self.challenges = tuple(Challenge(c) for c in challenges)
        self.frames = frames
        self.claimed = claimed
        self.clock = clock
        self.landmarks = landmarks
        self.no_frame_seconds = no_frame_seconds
        self._stop = threading.Event()
        #: The newest state, for the screen (None until the first frame).
        self.progress: LivenessState | None = None
        #: Identification running after the challenge passed (the screen says "Checking…").
        self.deciding = False

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def _next_frame(self, seen: int):
        """The next new frame, or None when stopped or the camera sent nothing for a while."""
        waited_since = time.monotonic()  # this machine's time: a camera with no frames has no time of its own
        while not self._stop.is_set():
            frame = self.camera.latest()
            if frame is not None and frame.seq > seen:
                return frame
            if time.monotonic() - waited_since > self.no_frame_seconds:
                return None
            time.sleep(0.005)
        return None

    def run(self) -> FaceOutcome:
        try:
            return self._run()
        finally:
            self.deciding = False

    def _run(self) -> FaceOutcome:
        session = LivenessSession(self.challenges, mirrored=False)  # camera frames are never mirrored
        limit = SETTLE_TIMEOUT_SECONDS + len(self.challenges) * STEP_TIMEOUT_SECONDS + 2.0
        started = self.clock()
        seen, previous, last_live = 0, None, None
        result: LivenessResult | None = None
        while result is None:
            frame = self._next_frame(seen)
            if frame is None:
                return FaceOutcome(STOPPED if self._stop.is_set() else CAMERA)
            seen = frame.seq
            same = _same_pixels(frame.image, previous)
            previous = frame.image
            marks = self.landmarks(frame.image)
            if marks is not None:
                last_live = _landmark_centre(marks)
            state = session.feed(marks, frame.at, same_as_previous=same)
            self.progress = state
            result = state.result
            if result is None and self.clock() - started > limit:
                result = session.finish(frame.at)
        if not result.live:
            return FaceOutcome(NOT_LIVE, liveness=result)
        return self._decide(seen, last_live, result)

    def _decide(self, seen: int, last_live, liveness: LivenessResult) -> FaceOutcome:
        self.deciding = True
        decider = Decider(self.frames)
        encodings: list = []
        deadline = self.clock() + DECIDE_SECONDS
        while self.clock() < deadline:
            frame = self._next_frame(seen)
            if frame is None:
                return FaceOutcome(STOPPED if self._stop.is_set() else CAMERA, liveness=liveness)
            seen = frame.seq
            if self.gallery is None:
                result = self.pipeline.analyse(frame.image)
            elif self.claimed is not None:
                result = self.pipeline.verify(frame.image, self.gallery, self.claimed)
            else:
                result = self.pipeline.identify(frame.image, self.gallery)
            if not result.ok:
                decider.reset()
                encodings.clear()
                continue
            if last_live is not None and result.box is not None:
                x, y, width = _centre(result.box)
                if abs(x - last_live[0]) > MAX_SHIFT * width or abs(y - last_live[1]) > MAX_SHIFT * width:
                    return FaceOutcome(FACE_CHANGED, liveness=liveness)
                last_live = (x, y)
            if self.gallery is None:
                encodings.append(result.encoding)
                if len(encodings) >= self.frames:
                    return FaceOutcome(CAPTURED, liveness=liveness, encodings=tuple(encodings))
                continue
            decision = decider.feed(result)
            if decision is not None:
                code = MATCHED if decision.name is not None else UNKNOWN
                return FaceOutcome(code, decision.name, decision.distance, liveness=liveness)
        return FaceOutcome(NO_DECISION, liveness=liveness)
