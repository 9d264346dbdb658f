"""Liveness: an active challenge (blink, turn the head left or right, in random order) checked
from face landmarks across frames. No Qt.

What it stops and what it does not (also in the README): a printed photo, a phone or screen
showing a still picture, a frozen or looped frame. It does not stop a replayed video of the person
doing the same challenge at the right moments, a good 3D mask, or a real-time deepfake; an active
challenge in random order only raises the bar.

Landmarks are the dicts `face_recognition.face_landmarks` returns (`LandmarkFrame`: 'chin',
'left_eye', 'right_eye', 'nose_bridge', 'nose_tip', ... as lists of (x, y)), so the checks are
pure functions over landmark sequences and tests drive them with synthetic faces:

* **Blink**: the eye aspect ratio (EAR, Soukupová and Čech 2016: the eye's height over its width,
  both eyes averaged) dips below `BLINK_CLOSED_RATIO` of the visitor's own open-eye baseline
  (the median EAR while they looked at the camera) and comes back above `BLINK_OPEN_RATIO`.
  Eyes closed for less than `BLINK_MIN_SECONDS` is too fast (one frame at 30 fps: landmark
  noise, or a spliced frame), for more than `BLINK_MAX_SECONDS` too slow.
* **Turn**: yaw from landmark geometry: where the nose tip falls along the jaw line (landmarks 0
  to 16) and along the line between the outer eye corners, -1..1, 0 when the nose is midway,
  minus the visitor's own baseline. A turn is `TURN_RATIO` or more held for `TURN_HOLD_FRAMES`
  frames. Tilting a flat photo does not move its nose relative to its jaw, so it cannot fake this.
* **Direction convention: the visitor's own left.** Camera frames are not mirrored
  (`devices.camera`): a visitor turning to their own left moves their nose towards the right of
  the camera's picture. Pass `mirrored=True` for frames that were mirrored (a selfie view).
* **Still and repeated frames**: a live face always jitters a little. The settle window's
  landmarks all within `STILL_TOLERANCE` of the eye distance is a still picture (`still`);
  `REPEAT_RUN` identical frames in a row (pixel-identical when the frame pipeline says so, else
  identical landmarks) is a frozen or looped frame (`repeated`).
* **Order and timing**: the visitor first looks straight at the camera (the settle window gives
  the baselines), then each challenge is asked in turn; before the next one the face must come
  back to frontal. An action starting less than `MIN_REACTION_SECONDS` after it was asked (or
  already under way) was done before it was asked (`early`); none within `STEP_TIMEOUT_SECONDS`
  is `timeout`.

Use: `choose_challenges()` picks the steps; a `LivenessSession` takes one frame at a time
(`feed(landmarks, at)`, returning a frozen `LivenessState` with the prompt to show); `check_sequence`
runs a whole landmark sequence; `frame_landmarks` gets landmarks from a real BGR frame
(face_recognition, imported on first use; detection on a downscaled copy); `check_frames`,
`check_camera` and `liveness_command` (`kiosk face liveness VIDEO --challenge ...`) run real frames.
Never call the frame functions on the GUI thread: one frame costs tens of milliseconds.

Reason codes (stable): live, no_face, not_frontal, still, repeated, early, wrong_direction,
no_blink, no_turn, blink_too_fast, blink_too_slow, face_changed, timeout, unreadable.
"""

from __future__ import annotations

import math
import random
import secrets
import statistics
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.tr import QT_TRANSLATE_NOOP

LandmarkFrame = dict[str, list[tuple[float, float]]]

# --- thresholds -----------------------------------------------------------------------------------

#: Eyes count as closed below this share of the open-eye baseline EAR, open again above the next.
BLINK_CLOSED_RATIO = 0.75
BLINK_OPEN_RATIO = 0.88
#: A blink's closed phase (first closed frame to first open frame): human blinks take 0.1-0.4 s.
BLINK_MIN_SECONDS = 0.06
BLINK_MAX_SECONDS = 0.8
#: A turn: yaw moved this far from the baseline (yaw runs -1..1), for this many frames in a row.
TURN_RATIO = 0.30
TURN_HOLD_FRAMES = 2
#: Frontal: yaw within this of the baseline (and eyes open), for `FRONTAL_FRAMES` frames in a row.
FRONTAL_RATIO = 0.12
FRONTAL_FRAMES = 3
#: The settle window that gives the baselines: at least this many face frames over this long,
#: with the yaw steady within `SETTLE_YAW_SPREAD`.
SETTLE_FRAMES = 8
SETTLE_SECONDS = 0.25
SETTLE_YAW_SPREAD = 0.15
#: An action starting sooner than this after it was asked was not a reaction to the prompt.
MIN_REACTION_SECONDS = 0.15
#: How long the visitor has for each step (and for the settle window).
STEP_TIMEOUT_SECONDS = 6.0
SETTLE_TIMEOUT_SECONDS = 6.0
#: Still: every landmark of the settle window within this share of the eye distance of its mean.
STILL_TOLERANCE = 0.004
#: Frozen: this many frames in a row identical to the one before (pixels, or all 68 landmarks:
#: fitted on the full frame, a live face moves at least one of them within 5 frames).
REPEAT_RUN = 4
#: A face whose eyes are closer than this (pixels) is too far away to read its eyes: ignored.
MIN_EYE_DISTANCE = 24.0
#: Another face, or a cut in the video: between two face frames the eyes' centre moved more than
#: `JUMP_RATIO` eye distances (plus `JUMP_PER_SECOND` per second of gap), or the face's size
#: changed by more than `JUMP_SCALE` times.
JUMP_RATIO = 0.6
JUMP_PER_SECOND = 3.0
JUMP_SCALE = 1.3
#: The settle window starts afresh after this long without a face.
FACE_GAP_SECONDS = 0.3
#: Width of the copy the face detector sees in `frame_landmarks` (landmarks use the full frame).
DETECT_WIDTH = 480


class Challenge(StrEnum):
    BLINK = "blink"
    LEFT = "left"  # the visitor's own left
    RIGHT = "right"  # the visitor's own right


#: Prompts (English source; context "Liveness"; kiosk_id.ts has the Indonesian).
PROMPT_STRAIGHT = QT_TRANSLATE_NOOP("Liveness", "Look straight at the camera")
PROMPTS: dict[Challenge, str] = {
    Challenge.BLINK: QT_TRANSLATE_NOOP("Liveness", "Blink your eyes"),
    Challenge.LEFT: QT_TRANSLATE_NOOP("Liveness", "Turn your head to the left"),
    Challenge.RIGHT: QT_TRANSLATE_NOOP("Liveness", "Turn your head to the right"),
}

#: Per reason code: (English for technicians, the visitor's words as an English source string).
REASONS: dict[str, tuple[str, str]] = {
    "live": ("a live face followed the challenge", QT_TRANSLATE_NOOP("Liveness", "Thank you.")),
    "no_face": (
        "no face long enough to check",
        QT_TRANSLATE_NOOP("Liveness", "We could not see your face. Stand in front of the camera."),
    ),
    "not_frontal": (
        "the face never held still facing the camera",
        QT_TRANSLATE_NOOP("Liveness", "Look straight at the camera and hold still for a moment."),
    ),
    "still": (
        "no landmark moved at all: a still picture",
        QT_TRANSLATE_NOOP("Liveness", "We could not check that you are here in person. Try again or use QR or NIK."),
    ),
    "repeated": (
        "the same frame repeated: a frozen or looped picture",
        QT_TRANSLATE_NOOP("Liveness", "We could not check that you are here in person. Try again or use QR or NIK."),
    ),
    "early": (
        "the action started before it was asked for",
        QT_TRANSLATE_NOOP("Liveness", "Please wait for each instruction, then follow it."),
    ),
    "wrong_direction": (
        "the head turned the other way",
        QT_TRANSLATE_NOOP("Liveness", "You turned the other way. Please try again."),
    ),
    "no_blink": (
        "the input ended without a blink",
        QT_TRANSLATE_NOOP("Liveness", "We did not see you blink. Please try again."),
    ),
    "no_turn": (
        "the input ended without the head turn",
        QT_TRANSLATE_NOOP("Liveness", "We did not see you turn your head. Please try again."),
    ),
    "blink_too_fast": (
        "eyes closed for too short a time to be a blink",
        QT_TRANSLATE_NOOP("Liveness", "Blink once, normally. Please try again."),
    ),
    "blink_too_slow": (
        "eyes closed for too long to be a blink",
        QT_TRANSLATE_NOOP("Liveness", "Blink once, normally. Please try again."),
    ),
    "face_changed": (
        "another face, or a cut in the video, during the challenge",
        QT_TRANSLATE_NOOP("Liveness", "Please stay in front of the camera until the check is done."),
    ),
    "timeout": (
        "the challenge was not done in time",
        QT_TRANSLATE_NOOP("Liveness", "Time is up. Please try again."),
    ),
    "unreadable": (
        "the video could not be read",
        QT_TRANSLATE_NOOP("Liveness", "The camera is not working. Please use QR or NIK."),
    ),
}


def choose_challenges(count: int = 2, *, rng: random.Random | None = None) -> tuple[Challenge, ...]:
    """`count` (1..3) different challenges in random order; `rng` defaults to the system's
    cryptographic source (`secrets`), so the order cannot be predicted by a prepared video."""
    if not 1 <= count <= len(Challenge):
        raise ValueError(f"count must be 1..{len(Challenge)}, not {count}")
    pick = rng if rng is not None else secrets.SystemRandom()
    return tuple(pick.sample(list(Challenge), count))


# --- geometry --------------------------------------------------------------------------------------


def _dist(a, b) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def eye_aspect_ratio(eye: Sequence[tuple[float, float]]) -> float:
    """EAR of one eye's six points (corner, two upper, corner, two lower): height over width."""
    p1, p2, p3, p4, p5, p6 = eye[:6]
    width = _dist(p1, p4)
    return 0.0 if width == 0 else (_dist(p2, p6) + _dist(p3, p5)) / (2.0 * width)


def ear(frame: LandmarkFrame) -> float:
    """Both eyes' EAR, averaged."""
    return (eye_aspect_ratio(frame["left_eye"]) + eye_aspect_ratio(frame["right_eye"])) / 2.0


def _along(point, a, b) -> float:
    """Where `point` projects on the segment a->b, as -1 (at a) .. 1 (at b); 0 midway."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return 0.0
    t = ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / length2
    return 2.0 * t - 1.0


def yaw(frame: LandmarkFrame, *, mirrored: bool = False) -> float:
    """Head yaw from 2D landmarks, about -1..1: positive when the visitor turned to their own left.

    The nose tip (the last nose-bridge point) along the jaw line (first to last chin point) and
    along the line between the outer eye corners, averaged; both lines run from the picture's
    left to its right, so a nose towards the picture's right (the visitor's left, unmirrored)
    is positive. Projection makes it independent of head roll."""
    nose = frame["nose_bridge"][-1] if frame.get("nose_bridge") else frame["nose_tip"][len(frame["nose_tip"]) // 2]
    jaw = _along(nose, frame["chin"][0], frame["chin"][-1])
    eyes = _along(nose, frame["left_eye"][0], frame["right_eye"][3])
    value = (jaw + eyes) / 2.0
    return -value if mirrored else value


def eye_distance(frame: LandmarkFrame) -> float:
    """Distance between the eyes' centres (the scale for jitter)."""

    def centre(points):
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))

    return _dist(centre(frame["left_eye"]), centre(frame["right_eye"]))


def _centre(frame: LandmarkFrame) -> tuple[float, float]:
    points = [*frame["left_eye"], *frame["right_eye"]]
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def jumped(before: LandmarkFrame, after: LandmarkFrame, gap: float) -> bool:
    """Whether `after` (`gap` seconds later) cannot be the same face as `before`: another face,
    or a cut in the video."""
    d0, d1 = eye_distance(before), eye_distance(after)
    if min(d0, d1) <= 0 or max(d0, d1) / min(d0, d1) > JUMP_SCALE:
        return True
    return _dist(_centre(before), _centre(after)) / d0 > JUMP_RATIO + JUMP_PER_SECOND * max(0.0, gap)


def _points(frame: LandmarkFrame) -> list[tuple[float, float]]:
    return [tuple(p) for key in sorted(frame) for p in frame[key]]


def is_still(frames: Sequence[LandmarkFrame]) -> bool:
    """No landmark moved by more than `STILL_TOLERANCE` of the eye distance over `frames`."""
    if len(frames) < 2:
        return False
    scale = max(1e-6, statistics.median(eye_distance(f) for f in frames))
    columns = list(zip(*(_points(f) for f in frames), strict=False))
    spread = max(
        max(max(p[0] for p in col) - min(p[0] for p in col), max(p[1] for p in col) - min(p[1] for p in col))
        for col in columns
    )
    return spread <= STILL_TOLERANCE * scale


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LivenessResult:
    """The outcome: `live`, a stable `code`, `reason` in English (technicians, CLI), `visitor` the
    visitor's words as an English source string (translate in context "Liveness"), which step
    (0-based) it ended on and when (seconds on the session's clock)."""

    live: bool
    code: str
    challenges: tuple[Challenge, ...]
    step: int
    at: float
    detail: str = ""

    @property
    def reason(self) -> str:
        text = REASONS[self.code][0]
        return f"{text} ({self.detail})" if self.detail else text

    @property
    def visitor(self) -> str:
        return REASONS[self.code][1]

    def to_json(self) -> dict:
        return {"live": self.live, "reason": self.code, "message": self.reason}


@dataclass(frozen=True)
class LivenessState:
    """What to show now: `phase` ("settle", "ask", "frontal", "done"), the `prompt` (an English
    source string, context "Liveness"), the current `challenge` and `step`, and `result` once done."""

    phase: str
    prompt: str
    step: int
    challenge: Challenge | None
    result: LivenessResult | None = None


# --- the session ---------------------------------------------------------------------------------


@dataclass
class _Sample:
    at: float
    ear: float
    yaw: float


@dataclass
class LivenessSession:
    """One liveness check, fed one frame at a time (pure Python: the caller supplies the time).

    `feed(landmarks, at, same_as_previous=None)`: `landmarks` of the visitor's face or None (no
    face); `at` seconds on any monotonic clock; `same_as_previous` True when the frame's pixels
    equal the previous frame's (identical landmarks count as the same frame either way).
    `finish(at)` ends the input (a video file ran out). Once done, further frames change nothing."""

    challenges: tuple[Challenge, ...]
    mirrored: bool = False
    started: float | None = None
    _phase: str = "settle"
    _step: int = 0
    _settle: list[tuple[float, LandmarkFrame]] = field(default_factory=list)
    _base_ear: float = 0.0
    _base_yaw: float = 0.0
    _asked_at: float = 0.0
    _phase_since: float = 0.0
    _closed_since: float | None = None
    _turn_run: int = 0
    _turn_first: float | None = None
    _wrong_run: int = 0
    _frontal_run: int = 0
    _previous: LandmarkFrame | None = None
    _last_face: tuple[float, LandmarkFrame] | None = None
    _repeats: int = 0
    _moved: bool = False
    _faces: int = 0
    _result: LivenessResult | None = None

    def __post_init__(self) -> None:
        self.challenges = tuple(Challenge(c) for c in self.challenges)
        if not self.challenges:
            raise ValueError("at least one challenge")

    # -- public --

    @property
    def result(self) -> LivenessResult | None:
        return self._result

    def state(self) -> LivenessState:
        if self._result is not None:
            return LivenessState("done", REASONS[self._result.code][1], self._step, None, self._result)
        challenge = self.challenges[self._step]
        if self._phase == "ask":
            return LivenessState("ask", PROMPTS[challenge], self._step, challenge)
        return LivenessState(self._phase, PROMPT_STRAIGHT, self._step, challenge)

    def feed(
        self, landmarks: LandmarkFrame | None, at: float, *, same_as_previous: bool | None = None
    ) -> LivenessState:
        if self._result is not None:
            return self.state()
        if self.started is None:
            self.started = self._phase_since = at
        if landmarks is not None and not _usable(landmarks):
            landmarks = None
        if landmarks is not None:
            self._faces += 1
            if self._last_face is not None and jumped(self._last_face[1], landmarks, at - self._last_face[0]):
                if self._phase != "settle":
                    self._last_face = (at, landmarks)
                    return self._end("face_changed", at)
                self._settle.clear()
            if self._phase == "settle" and self._settle and at - self._settle[-1][0] > FACE_GAP_SECONDS:
                self._settle.clear()
            self._last_face = (at, landmarks)
            same = bool(same_as_previous) or landmarks == self._previous
            if same:
                self._repeats += 1
                if not self._moved and self._repeats + 1 >= SETTLE_FRAMES:
                    return self._end("still", at, f"the first {self._repeats + 1} frames identical")
                if self._moved and self._repeats >= REPEAT_RUN:
                    return self._end("repeated", at, f"{self._repeats + 1} identical frames in a row")
            else:
                if self._repeats >= REPEAT_RUN:  # a frozen run at the start, then motion
                    return self._end("repeated", at, f"{self._repeats + 1} identical frames in a row")
                self._moved = self._moved or self._previous is not None
                self._repeats = 0
            self._previous = landmarks
        if self._phase == "settle":
            self._on_settle(landmarks, at)
        elif landmarks is not None:
            sample = _Sample(at, ear(landmarks), yaw(landmarks, mirrored=self.mirrored) - self._base_yaw)
            if self._phase == "ask":
                self._on_ask(sample)
            else:
                self._on_frontal(sample)
        if self._result is None:
            self._check_deadline(at)
        return self.state()

    def finish(self, at: float | None = None) -> LivenessResult:
        """The input ended: the result so far, or why it is not live."""
        if self._result is None:
            at = at if at is not None else self._asked_at
            if self._phase == "settle" and self._faces and not self._moved:
                self._end("still", at, f"{self._faces} face frame(s), none moved")
            elif self._phase == "settle":
                self._end("no_face" if self._faces < SETTLE_FRAMES else "not_frontal", at)
            elif self._phase == "ask":
                if self._closed_since is not None:
                    self._end("blink_too_slow", at, "eyes still closed at the end")
                else:
                    blink = self.challenges[self._step] is Challenge.BLINK
                    self._end("no_blink" if blink else "no_turn", at)
            else:
                self._end("timeout", at, "did not look straight at the camera again")
        return self._result

    # -- phases --

    def _on_settle(self, landmarks: LandmarkFrame | None, at: float) -> None:
        if landmarks is None:
            return
        self._settle.append((at, landmarks))
        yaws = [yaw(f, mirrored=self.mirrored) for _, f in self._settle]
        # keep the newest steady run: drop from the front while the yaw spread is too wide
        while len(yaws) > 1 and max(yaws) - min(yaws) > SETTLE_YAW_SPREAD:
            self._settle.pop(0)
            yaws.pop(0)
        frames = [f for _, f in self._settle]
        if len(frames) < SETTLE_FRAMES or at - self._settle[0][0] < SETTLE_SECONDS:
            return
        if is_still(frames):
            self._end("still", at, "no landmark moved during the settle window")
            return
        self._base_ear = statistics.median(ear(f) for f in frames)
        self._base_yaw = statistics.median(yaws)
        if self._base_ear <= 0:
            return
        self._settle.clear()
        self._ask(at)

    def _ask(self, at: float) -> None:
        self._phase, self._asked_at, self._phase_since = "ask", at, at
        self._closed_since, self._turn_run, self._turn_first, self._wrong_run = None, 0, None, 0

    def _on_ask(self, s: _Sample) -> None:
        challenge = self.challenges[self._step]
        if challenge is Challenge.BLINK:
            ratio = s.ear / self._base_ear
            if self._closed_since is None:
                if ratio < BLINK_CLOSED_RATIO:
                    self._closed_since = s.at
                    if s.at - self._asked_at < MIN_REACTION_SECONDS:
                        self._end("early", s.at, f"eyes closing {s.at - self._asked_at:.2f} s after the prompt")
                return
            closed_for = s.at - self._closed_since
            if ratio > BLINK_OPEN_RATIO:
                if closed_for < BLINK_MIN_SECONDS:
                    self._end("blink_too_fast", s.at, f"closed {closed_for:.3f} s")
                elif closed_for > BLINK_MAX_SECONDS:
                    self._end("blink_too_slow", s.at, f"closed {closed_for:.2f} s")
                else:
                    self._passed(s.at)
            elif closed_for > BLINK_MAX_SECONDS:
                self._end("blink_too_slow", s.at, f"closed over {BLINK_MAX_SECONDS:g} s")
            return
        sign = 1.0 if challenge is Challenge.LEFT else -1.0
        toward = s.yaw * sign
        if toward >= TURN_RATIO:
            self._turn_run += 1
            self._wrong_run = 0
            if self._turn_first is None:
                self._turn_first = s.at
            if self._turn_first - self._asked_at < MIN_REACTION_SECONDS:
                self._end("early", s.at, f"turned {self._turn_first - self._asked_at:.2f} s after the prompt")
            elif self._turn_run >= TURN_HOLD_FRAMES:
                self._passed(s.at)
        elif toward <= -TURN_RATIO:
            self._wrong_run += 1
            self._turn_run, self._turn_first = 0, None
            if self._wrong_run >= TURN_HOLD_FRAMES:
                other = Challenge.RIGHT if challenge is Challenge.LEFT else Challenge.LEFT
                self._end("wrong_direction", s.at, f"asked {challenge}, turned {other} (the visitor's own)")
        else:
            self._turn_run, self._turn_first, self._wrong_run = 0, None, 0

    def _passed(self, at: float) -> None:
        self._step += 1
        if self._step >= len(self.challenges):
            self._end("live", at)
        else:
            self._phase, self._phase_since, self._frontal_run = "frontal", at, 0

    def _on_frontal(self, s: _Sample) -> None:
        frontal = abs(s.yaw) <= FRONTAL_RATIO and s.ear / self._base_ear >= BLINK_OPEN_RATIO
        self._frontal_run = self._frontal_run + 1 if frontal else 0
        if self._frontal_run >= FRONTAL_FRAMES:
            self._ask(s.at)

    def _check_deadline(self, at: float) -> None:
        since = at - self._phase_since
        if self._phase == "settle" and since > SETTLE_TIMEOUT_SECONDS:
            self._end("no_face" if self._faces < SETTLE_FRAMES else "not_frontal", at)
        elif self._phase != "settle" and since > STEP_TIMEOUT_SECONDS:
            self._end("timeout", at, f"{self.challenges[self._step]} not done in {STEP_TIMEOUT_SECONDS:g} s")

    def _end(self, code: str, at: float, detail: str = "") -> LivenessState:
        step = min(self._step, len(self.challenges) - 1)
        self._result = LivenessResult(code == "live", code, self.challenges, step, at, detail)
        return self.state()


def _usable(frame: Any) -> bool:
    try:
        return (
            len(frame["chin"]) >= 2
            and len(frame["left_eye"]) >= 6
            and len(frame["right_eye"]) >= 6
            and bool(frame.get("nose_bridge") or frame.get("nose_tip"))
            and eye_distance(frame) >= MIN_EYE_DISTANCE
        )
    except (KeyError, TypeError, IndexError, ZeroDivisionError):
        return False


def check_sequence(
    frames: Iterable[LandmarkFrame | None],
    challenges: Sequence[Challenge | str],
    *,
    fps: float = 30.0,
    mirrored: bool = False,
) -> LivenessResult:
    """Run a whole landmark sequence (frame i at i/fps seconds); the challenge is asked as soon as
    the settle window is done, the next one when the face is frontal again."""
    session = LivenessSession(tuple(challenges), mirrored=mirrored)
    at = 0.0
    for i, frame in enumerate(frames):
        at = i / fps
        if session.feed(frame, at).result is not None:
            break
    return session.finish(at)


# --- real frames ---------------------------------------------------------------------------------

_lock = threading.Lock()


def frame_landmarks(image: Any, *, detect_width: int = DETECT_WIDTH) -> LandmarkFrame | None:
    """The landmarks of the largest face in `image` (a BGR numpy array), or None.

    Detection (face_recognition's HOG, imported on first use) runs on a copy `detect_width` wide;
    the 68 landmarks are then fitted on the full frame, which is cheap and more precise. Takes
    tens of milliseconds: never on the GUI thread."""
    import cv2
    import numpy as np

    from devices.facebox import _face_recognition, face_boxes

    if image is None or getattr(image, "size", 0) == 0:
        return None
    boxes = face_boxes(image, width=detect_width, upsample=1)
    if not boxes:
        return None
    largest = max(boxes, key=lambda b: (b[2] - b[0]) * (b[1] - b[3]))
    if image.ndim == 2:
        rgb = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    elif image.shape[2] == 4:
        rgb = cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)
    else:
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    with _lock:
        found = _face_recognition().face_landmarks(np.ascontiguousarray(rgb), face_locations=[largest])
    return found[0] if found else None


def _same_pixels(a: Any, b: Any) -> bool:
    import numpy as np

    return a is not None and b is not None and a.shape == b.shape and bool(np.array_equal(a, b))


def check_frames(
    frames: Iterable[tuple[Any, float]],
    challenges: Sequence[Challenge | str],
    *,
    mirrored: bool = False,
    landmarks: Callable[[Any], LandmarkFrame | None] = frame_landmarks,
) -> LivenessResult:
    """Run real frames, `(bgr_image, seconds)` pairs, through a session. Off the GUI thread."""
    session = LivenessSession(tuple(challenges), mirrored=mirrored)
    previous = None
    at = 0.0
    for image, at in frames:
        same = _same_pixels(image, previous)
        previous = image
        if session.feed(landmarks(image), at, same_as_previous=same).result is not None:
            break
    return session.finish(at)


def video_frames(video: Path) -> Iterable[tuple[Any, float]]:
    """A video file's frames with their times (frame index / the file's fps, 30 if unknown)."""
    import cv2

    capture = cv2.VideoCapture(str(video))
    if not capture.isOpened():
        raise OSError(f"cannot open video {video}")
    try:
        rate = capture.get(cv2.CAP_PROP_FPS)
        rate = rate if 1.0 <= rate <= 240.0 else 30.0
        index = 0
        while True:
            ok, image = capture.read()
            if not ok or image is None:
                return
            yield image, index / rate
            index += 1
    finally:
        capture.release()


def check_camera(
    camera: Any,
    challenges: Sequence[Challenge | str],
    *,
    timeout: float = SETTLE_TIMEOUT_SECONDS + 3 * STEP_TIMEOUT_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    on_state: Callable[[LivenessState], None] | None = None,
    stop: threading.Event | None = None,
) -> LivenessResult:
    """Run a started `devices.camera.Camera`'s frames (each new frame once, by `seq`) until the
    session decides, `timeout` passes or `stop` is set; `on_state` sees every state (the prompt
    to show). Blocks: run it on a worker, never on the GUI thread."""
    session = LivenessSession(tuple(challenges), mirrored=False)  # camera frames are never mirrored
    seen, previous = 0, None
    deadline = clock() + timeout
    while clock() < deadline and not (stop is not None and stop.is_set()):
        frame = camera.latest()
        if frame is None or frame.seq <= seen:
            time.sleep(0.005)
            continue
        seen = frame.seq
        same = _same_pixels(frame.image, previous)
        previous = frame.image
        state = session.feed(frame_landmarks(frame.image), frame.at, same_as_previous=same)
        if on_state is not None:
            on_state(state)
        if state.result is not None:
            break
    return session.finish(clock())


def liveness_command(video: Path, challenge: str) -> dict:
    """`kiosk face liveness VIDEO --challenge blink|left|right`: whether the video shows a live
    face doing `challenge` (asked once the face has settled, at the start of the video):
    {"live": bool, "reason": code, "message": English}. An unknown challenge raises ValueError."""
    wanted = Challenge(challenge)
    try:
        result = check_frames(video_frames(Path(video)), (wanted,))
    except OSError as exc:
        return {"live": False, "reason": "unreadable", "message": f"{REASONS['unreadable'][0]}: {exc}"}
    return result.to_json()
