"""Liveness: synthetic landmark sequences that blink or turn pass; stills, repeats and faces that
do not follow the challenge fail, each with its own code; real frames (a still photo as a video,
the fixture clip) go through face_recognition's landmarks."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fixturepaths import fixture

from kiosk import liveness as L
from kiosk.liveness import Challenge

FPS = 30.0
OPEN_EAR = 0.30


def face(*, yaw: float = 0.0, ear: float = OPEN_EAR, dx: float = 0.0, rng: random.Random | None = None, noise=0.4):
    """A synthetic face_recognition landmark dict: eyes 80 px apart, image yaw `yaw` (positive:
    nose towards the picture's right), eye aspect ratio `ear`, shifted `dx`; `noise` px jitter."""
    rng = rng or random.Random(0)

    def p(x, y):
        return (x + dx + rng.gauss(0, noise), y + rng.gauss(0, noise)) if noise else (x + dx, y)

    h = ear * 20  # EAR = (2h + 2h) / (2 * 40)
    nose = 280 + yaw / ((1 / 80 + 1 / 60) / 2)

    def eye(x0):
        return [
            p(x0, 180),
            p(x0 + 12, 180 - h),
            p(x0 + 28, 180 - h),
            p(x0 + 40, 180),
            p(x0 + 28, 180 + h),
            p(x0 + 12, 180 + h),
        ]

    return {
        "chin": [p(200 + 10 * i, 200 + 60 * (1 - ((i - 8) / 8) ** 2)) for i in range(17)],
        "left_eye": eye(220),
        "right_eye": eye(300),
        "nose_bridge": [p(280 + (nose - 280) * k / 3, 185 + 12 * k) for k in range(4)],
        "nose_tip": [p(nose - 16 + 8 * k, 235) for k in range(5)],
        "left_eyebrow": [p(215 + 10 * k, 165) for k in range(5)],
        "right_eyebrow": [p(295 + 10 * k, 165) for k in range(5)],
    }


def frames(*segments, seed=1):
    """Concatenate (count, kwargs) segments into one jittered sequence."""
    rng = random.Random(seed)
    out = []
    for count, kwargs in segments:
        out += [face(rng=rng, **kwargs) for _ in range(count)]
    return out


SETTLE = (15, {})
REACT = (9, {})


def blink_sequence(closed_frames=4, seed=1):
    return frames(
        SETTLE, REACT, (1, {"ear": 0.2}), (closed_frames, {"ear": 0.1}), (1, {"ear": 0.2}), (15, {}), seed=seed
    )


def turn_sequence(image_yaw, seed=1):
    ramp = [(1, {"yaw": image_yaw * k / 5}) for k in range(1, 6)]
    return frames(SETTLE, REACT, *ramp, (10, {"yaw": image_yaw}), seed=seed)


# --- passing ---------------------------------------------------------------------------------------


def test_check_sequence_passes_blink():
    result = L.check_sequence(blink_sequence(), [Challenge.BLINK], fps=FPS)
    assert (result.live, result.code) == (True, "live"), result.reason


def test_check_sequence_passes_turn_left_as_visitor_own_left():
    # unmirrored camera: the visitor's own left moves the nose to the picture's right
    result = L.check_sequence(turn_sequence(+0.5), ["left"], fps=FPS)
    assert (result.live, result.code) == (True, "live"), result.reason


def test_check_sequence_passes_turn_right():
    result = L.check_sequence(turn_sequence(-0.5), [Challenge.RIGHT], fps=FPS)
    assert result.live, result.reason


def test_check_sequence_mirrored_frames_swap_picture_sides():
    assert L.check_sequence(turn_sequence(-0.5), [Challenge.LEFT], fps=FPS, mirrored=True).live
    assert L.check_sequence(turn_sequence(-0.5), [Challenge.LEFT], fps=FPS).code == "wrong_direction"


def test_check_sequence_passes_two_steps_with_return_to_frontal():
    seq = turn_sequence(+0.5) + frames(
        (6, {"yaw": 0.25}), (6, {}), REACT, (1, {"ear": 0.1}), (3, {"ear": 0.1}), (10, {})
    )
    result = L.check_sequence(seq, [Challenge.LEFT, Challenge.BLINK], fps=FPS)
    assert result.live, result.reason


def test_yaw_is_zero_for_the_fixture_frontal_face_and_roll_invariant():
    frontal = face(noise=0)
    assert abs(L.yaw(frontal)) < 1e-9
    assert L.yaw(face(yaw=0.4, noise=0)) == pytest.approx(0.4)
    assert L.yaw(face(yaw=0.4, noise=0), mirrored=True) == pytest.approx(-0.4)
    assert L.ear(frontal) == pytest.approx(OPEN_EAR)


# --- failing ---------------------------------------------------------------------------------------


def test_check_sequence_without_blink_fails_no_blink():
    result = L.check_sequence(frames((60, {})), [Challenge.BLINK], fps=FPS)
    assert (result.live, result.code) == (False, "no_blink")


def test_check_sequence_without_turn_fails_timeout_after_step_time():
    result = L.check_sequence(frames((300, {})), [Challenge.LEFT], fps=FPS)
    assert (result.live, result.code) == (False, "timeout")
    assert result.at == pytest.approx(L.STEP_TIMEOUT_SECONDS + L.SETTLE_FRAMES / FPS, abs=0.1)


def test_check_sequence_wrong_direction_fails():
    result = L.check_sequence(turn_sequence(-0.5), [Challenge.LEFT], fps=FPS)
    assert (result.live, result.code) == (False, "wrong_direction")
    assert "left" in result.reason


def test_check_sequence_constant_frames_fail_still():
    constant = [face(noise=0)] * 60
    for challenge in Challenge:
        result = L.check_sequence(constant, [challenge], fps=FPS)
        assert (result.live, result.code) == (False, "still")


def test_check_sequence_sub_pixel_jitter_only_fails_still():
    rng = random.Random(3)
    result = L.check_sequence([face(rng=rng, noise=0.02) for _ in range(60)], [Challenge.BLINK], fps=FPS)
    assert (result.live, result.code) == (False, "still")


def test_check_sequence_repeated_frames_fail_repeated():
    # a blinking face, but every frame shown five times (a frozen or stretched stream)
    stretched = [f for f in blink_sequence() for _ in range(L.REPEAT_RUN + 1)]
    result = L.check_sequence(stretched, [Challenge.BLINK], fps=FPS)
    assert (result.live, result.code) == (False, "repeated")


def test_check_sequence_blink_too_fast_and_too_slow():
    fast = frames(SETTLE, REACT, (1, {"ear": 0.1}), (15, {}))
    assert L.check_sequence(fast, [Challenge.BLINK], fps=FPS).code == "blink_too_fast"
    slow = blink_sequence(closed_frames=40)
    assert L.check_sequence(slow, [Challenge.BLINK], fps=FPS).code == "blink_too_slow"


def test_session_action_right_at_the_prompt_fails_early():
    session = L.LivenessSession((Challenge.LEFT,))
    rng = random.Random(5)
    i = 0
    while session.state().phase == "settle":
        session.feed(face(rng=rng), i / FPS)
        i += 1
    assert session.state().prompt == "Turn your head to the left"
    for _ in range(3):  # already turning when asked: faster than anyone reacts to a prompt
        state = session.feed(face(yaw=0.5, rng=rng), i / FPS)
        i += 1
    assert state.result is not None and state.result.code == "early"


def test_session_blink_already_closing_at_the_prompt_fails_early():
    seq = frames(SETTLE, (1, {"ear": 0.1}), (2, {"ear": 0.1}), (10, {}))
    # settle completes at frame 8..15; find the ask frame and close the eyes right there
    session = L.LivenessSession((Challenge.BLINK,))
    rng = random.Random(2)
    i = 0
    while session.state().phase == "settle":
        session.feed(face(rng=rng), i / FPS)
        i += 1
    for f in seq[15:]:
        state = session.feed(f, i / FPS)
        i += 1
        if state.result:
            break
    assert state.result.code == "early"


def test_check_sequence_face_swapped_mid_challenge_fails_face_changed():
    seq = frames(SETTLE, REACT, (10, {"dx": 200}))
    assert L.check_sequence(seq, [Challenge.BLINK], fps=FPS).code == "face_changed"


def test_check_sequence_no_face_and_small_face_fail_no_face():
    assert L.check_sequence([None] * 60, [Challenge.BLINK], fps=FPS).code == "no_face"
    tiny = [{k: [(x / 10, y / 10) for x, y in v] for k, v in f.items()} for f in frames((60, {}))]
    assert L.check_sequence(tiny, [Challenge.BLINK], fps=FPS).code == "no_face"


def test_check_sequence_garbage_landmarks_do_not_crash():
    junk = [{}, {"chin": []}, {"left_eye": [(0, 0)] * 6}, None, {"chin": "x"}] * 10
    result = L.check_sequence(junk, [Challenge.RIGHT], fps=FPS)
    assert (result.live, result.code) == (False, "no_face")


def test_every_reason_code_has_words_and_every_challenge_a_prompt():
    for code, (tech, visitor) in L.REASONS.items():
        assert tech and visitor, code
    assert set(L.PROMPTS) == set(Challenge)


def test_choose_challenges_random_order_distinct_and_injectable():
    picks = {L.choose_challenges(2, rng=random.Random(seed)) for seed in range(40)}
    assert len(picks) == 6  # every ordered pair of two different challenges shows up
    assert all(len(set(p)) == 2 for p in picks)
    assert L.choose_challenges(2, rng=random.Random(7)) == L.choose_challenges(2, rng=random.Random(7))
    assert len(L.choose_challenges(3)) == 3  # secrets by default
    with pytest.raises(ValueError):
        L.choose_challenges(0)


# --- real frames -----------------------------------------------------------------------------------


def _write_still(path: Path, fourcc: str) -> Path:
    """obama_1.jpg repeated as a 2 s, 30 fps video."""
    import cv2

    image = cv2.resize(cv2.imread(str(fixture("faces", "obama_1.jpg"))), (640, 800))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), 30.0, (640, 800))
    assert writer.isOpened()
    for _ in range(60):
        writer.write(image)
    writer.release()
    return path


@pytest.fixture(scope="module")
def still_video(tmp_path_factory) -> Path:
    """Lossy (mp4v): the codec makes every frame a little different, like a camera on a photo."""
    return _write_still(tmp_path_factory.mktemp("still") / "still.mp4", "mp4v")


@pytest.fixture(scope="module")
def still_video_exact(tmp_path_factory) -> Path:
    """Motion JPEG: every frame the same pixels (a frozen or injected frame)."""
    return _write_still(tmp_path_factory.mktemp("still") / "still.avi", "MJPG")


NOT_FOLLOWED = {"still", "repeated", "no_blink", "no_turn", "timeout"}


def test_frame_landmarks_finds_the_fixture_face():
    import cv2

    landmarks = L.frame_landmarks(cv2.imread(str(fixture("faces", "obama_1.jpg"))))
    assert landmarks is not None and len(landmarks["chin"]) == 17
    assert abs(L.yaw(landmarks)) < 0.15  # looking at the camera


@pytest.mark.parametrize("challenge", ["blink", "left", "right"])
def test_liveness_command_still_photo_video_never_passes(still_video, still_video_exact, challenge):
    out = L.liveness_command(still_video, challenge)
    assert out["live"] is False
    assert out["reason"] in NOT_FOLLOWED, out
    exact = L.liveness_command(still_video_exact, challenge)
    assert exact["live"] is False and exact["reason"] in {"still", "repeated"}, exact


def test_check_camera_still_photo_stream_never_passes(still_video, still_video_exact):
    from devices.camera import CaptureCamera, Source

    for video in (still_video, still_video_exact):
        camera = CaptureCamera(Source("video", str(video), str(video)), fps=30.0)
        camera.start()
        try:
            for challenges in ((Challenge.BLINK, Challenge.LEFT), (Challenge.RIGHT,)):
                result = L.check_camera(camera, challenges, timeout=3.0)
                assert result.live is False
                assert result.code in NOT_FOLLOWED, result.reason
        finally:
            camera.stop()


def test_liveness_command_fixture_clip_returns_a_verdict():
    out = L.liveness_command(fixture("faces", "short_hamilton_clip.mp4"), "blink")
    assert isinstance(out["live"], bool)
    assert out["reason"] in L.REASONS
    assert isinstance(out["message"], str) and out["message"]


def test_liveness_command_single_image_is_still():
    out = L.liveness_command(fixture("faces", "obama_1.jpg"), "blink")  # OpenCV reads it as one frame
    assert (out["live"], out["reason"]) == (False, "still")


def test_liveness_command_unreadable_video(tmp_path):
    bad = tmp_path / "not-a-video.mp4"
    bad.write_bytes(b"\x00not a video")
    assert L.liveness_command(bad, "blink") == {
        "live": False,
        "reason": "unreadable",
        "message": L.liveness_command(bad, "blink")["message"],
    }
    with pytest.raises(ValueError):
        L.liveness_command(bad, "nod")
