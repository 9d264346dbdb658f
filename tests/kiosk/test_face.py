"""The face pipeline on real fixture photos (OpenCV decoding, dlib via face_recognition), the
NumPy gallery, the multi-frame decider and the encrypted template store on real SQLite."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timedelta, timezone

import cv2
import numpy as np
import pytest
from fixturepaths import fixture
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kiosk.face import REASONS
from kiosk.face.decider import Decider
from kiosk.face.gallery import Gallery
from kiosk.face.pipeline import FrameResult, Pipeline, yaw
from kiosk.face.templates import (
    ENROLLED_KIND,
    FORGOTTEN_KIND,
    FaceKeyError,
    FaceTemplates,
    load_key,
)
from kiosk.store import Store

PHOTOS = [
    "obama_1",
    "obama_2",
    "obama_partial_face",
    "biden_1",
    "biden_2",
    "kit_harington_1",
    "kit_harington_2",
    "rose_leslie_1",
    "rose_leslie_2",
    "alex_lacamoire_1",
]
ENROLLED = {"obama": "obama_1", "biden": "biden_1", "kit_harington": "kit_harington_1", "rose_leslie": "rose_leslie_1"}
AT = datetime(2026, 11, 30, 9, 0, tzinfo=timezone(timedelta(hours=7)))


def person(stem: str) -> str:
    return "obama" if stem.startswith("obama") else stem.rsplit("_", 1)[0]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(threshold=0.5)


@pytest.fixture(scope="module")
def results(pipeline) -> dict[str, FrameResult]:
    """Every fixture photo through the pipeline once per module (each encoding takes ~0.1 s)."""
    return {stem: pipeline.analyse(cv2.imread(str(fixture("faces", f"{stem}.jpg")))) for stem in PHOTOS}


@pytest.fixture
def templates(tmp_path):
    store = Store(tmp_path / "kiosk.sqlite3")
    yield FaceTemplates(store, tmp_path / "keys" / "face.key", kiosk_id="k1")
    store.close()


def test_analyse_fixture_photos_gives_one_usable_face_each(results):
    for stem, result in results.items():
        assert result.ok, (stem, result)
        assert result.faces == 1 and result.encoding.shape == (128,) and result.encoding.dtype == np.float32


def test_analyse_two_people_is_several_faces(pipeline):
    result = pipeline.analyse(cv2.imread(str(fixture("faces", "two_people.jpg"))))
    assert result.reason == "several_faces" and result.faces == 2 and result.encoding is None


def test_analyse_gates_each_have_their_own_reason(pipeline, results):
    image = cv2.imread(str(fixture("faces", "obama_1.jpg")))
    assert pipeline.analyse(np.zeros((480, 640, 3), np.uint8)).reason == "no_face"
    assert pipeline.analyse((image * 0.15).astype(np.uint8)).reason == "too_dark"
    assert pipeline.analyse(cv2.GaussianBlur(image, (0, 0), 6)).reason in ("blurred", "no_face")
    small = cv2.resize(image, None, fx=0.2, fy=0.2, interpolation=cv2.INTER_AREA)
    assert pipeline.analyse(cv2.copyMakeBorder(small, 200, 200, 200, 200, cv2.BORDER_CONSTANT)).reason in (
        "too_small",
        "no_face",
    )
    strict = Pipeline(gates=type(pipeline.gates)(max_yaw=0.0))
    assert strict.analyse(image).reason == "not_frontal"
    bright = Pipeline(gates=type(pipeline.gates)(max_brightness=100.0))
    assert bright.analyse(image).reason == "too_bright"


def test_yaw_is_zero_for_a_symmetric_face_and_grows_when_turned():
    eyes = np.array([[60.0, 50], [40, 50], [-40, 50], [-60, 50]])
    assert yaw(np.vstack([eyes, [0.0, 90]])) == pytest.approx(0.0)
    assert abs(yaw(np.vstack([eyes, [40.0, 90]]))) == pytest.approx(0.4)


def test_identify_names_enrolled_people_in_unseen_photos_and_nobody_else(results, templates):
    for name, stem in ENROLLED.items():
        templates.enroll(name, [results[stem].encoding], consent_by="supervisor", at=AT)
    gallery = templates.gallery()
    threshold = 0.5
    for stem, result in results.items():
        if stem in ENROLLED.values():
            continue
        match = gallery.match(result.encoding)
        if person(stem) in ENROLLED:
            assert match.name == person(stem) and match.distance <= threshold, (stem, match)
        else:
            assert match.distance > threshold, (stem, match)  # alex_lacamoire was never enrolled


def test_gallery_match_equals_the_plain_distance_and_verify_is_one_to_one(results):
    rng = np.random.default_rng(1)
    others = rng.normal(0, 0.1, (500, 128)).astype(np.float32)
    names = [f"p{i}" for i in range(500)] + ["obama", "obama"]
    gallery = Gallery(names, np.vstack([others, results["obama_1"].encoding, results["obama_2"].encoding]))
    query = results["obama_partial_face"].encoding
    plain = np.linalg.norm(gallery.matrix - query, axis=1)
    assert np.allclose(gallery.distances(query), plain, atol=1e-4)
    match = gallery.match(query)
    assert match.name == "obama" and match.distance == pytest.approx(plain.min(), abs=1e-4)
    assert gallery.distance_to(query, "obama") == pytest.approx(plain[-2:].min(), abs=1e-4)
    assert gallery.distance_to(query, "p3") == pytest.approx(plain[3], abs=1e-4)
    assert gallery.distance_to(query, "nobody") == float("inf")
    assert Gallery.empty().match(query).name is None


def test_pipeline_verify_checks_the_claimed_identity(pipeline, results):
    gallery = Gallery(["obama", "biden"], np.vstack([results["obama_1"].encoding, results["biden_1"].encoding]))
    image = cv2.imread(str(fixture("faces", "obama_2.jpg")))
    assert pipeline.verify(image, gallery, "obama").name == "obama"
    refused = pipeline.verify(image, gallery, "biden")
    assert refused.name is None and refused.distance > 0.5


def ok(name, distance=0.3):
    return FrameResult("ok", 1, name=name, distance=distance)


def test_decider_needs_agreement_over_consecutive_frames():
    decider = Decider(frames=3)
    assert decider.feed(ok("obama")) is None
    assert decider.feed(ok("obama", 0.4)) is None
    decision = decider.feed(ok("obama", 0.35))
    assert decision is not None and decision.name == "obama" and decision.distance == 0.4 and decision.frames == 3
    # a different name, or a frame without a usable face, starts the run again
    for result in [ok("obama"), ok("biden"), ok("obama"), FrameResult("blurred", 1), ok("obama"), ok("obama")]:
        assert decider.feed(result) is None
    assert decider.feed(ok("obama")).name == "obama"
    # "not enrolled" is a decision too, also only after agreement
    assert decider.feed(ok(None, 0.8)) is None and decider.feed(ok(None, 0.9)) is None
    assert decider.feed(ok(None, 0.85)).name is None


def test_store_holds_no_image_and_templates_are_unreadable_without_the_key(results, templates, tmp_path):
    encoding = results["obama_1"].encoding
    templates.enroll("obama", [encoding], consent_by="supervisor", at=AT)
    templates.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("kiosk.sqlite3*"))
    for dtype in ("<f4", "<f8", ">f4"):
        vector = encoding.astype(dtype).tobytes()
        assert vector not in raw
        assert all(vector[i : i + 16] not in raw for i in range(0, len(vector), 16)), dtype
    image = cv2.imread(str(fixture("faces", "obama_1.jpg")))
    assert image.tobytes()[10000:10064] not in raw and b"\xff\xd8\xff" not in raw  # no pixels, no JPEG
    row = sqlite3.connect(tmp_path / "kiosk.sqlite3").execute("SELECT * FROM face_templates").fetchone()
    assert row is not None and len(row) == 8  # id, subject, nonce, template, key id, consent by/at, enrolled
    key_file = tmp_path / "keys" / "face.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_bytes()) == 32
    assert np.allclose(templates.gallery().matrix[0], encoding)
    key_file.unlink()
    with pytest.raises(FaceKeyError):
        templates.gallery()
    key_file.write_bytes(os.urandom(32))
    key_file.chmod(0o600)
    with pytest.raises(FaceKeyError, match="does not open"):
        templates.gallery()
    key_file.chmod(0o644)
    with pytest.raises(FaceKeyError, match="readable by others"):
        load_key(key_file)


def test_enroll_records_consent_and_outbox_without_template_then_forget_removes(results, templates):
    templates.enroll(
        "obama", [results["obama_1"].encoding, results["obama_2"].encoding], consent_by="supervisor", at=AT
    )
    templates.enroll("biden", [results["biden_1"].encoding], consent_by="supervisor", at=AT)
    store = templates.store
    rows = store.query("SELECT subject, consent_by, consent_at, nonce FROM face_templates WHERE subject = 'obama'")
    assert len(rows) == 2 and {r["consent_by"] for r in rows} == {"supervisor"}
    assert rows[0]["consent_at"] == AT.isoformat() and rows[0]["nonce"] != rows[1]["nonce"]
    outbox = store.query("SELECT kind, payload FROM outbox ORDER BY seq")
    assert [o["kind"] for o in outbox] == [ENROLLED_KIND, ENROLLED_KIND]
    assert '"consent_by": "supervisor"' in outbox[0]["payload"] and 'template"' not in outbox[0]["payload"]
    assert templates.forget("obama", by="supervisor", at=AT) == 2
    assert templates.forget("obama", by="supervisor", at=AT) == 0
    assert templates.gallery().people == ["biden"]
    assert [o["kind"] for o in store.query("SELECT kind FROM outbox ORDER BY seq")][-1] == FORGOTTEN_KIND
    assert len(store.query("SELECT kind FROM outbox")) == 3  # a forget of nobody writes nothing


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    arrays(
        np.uint8,
        st.tuples(st.integers(1, 48), st.integers(1, 48))
        | st.tuples(st.integers(1, 48), st.integers(1, 48), st.integers(1, 5)),
    )
)
def test_pipeline_never_crashes_on_random_small_arrays(pipeline, image):
    gallery = Gallery(["x"], np.zeros((1, 128), np.float32))
    try:
        result = pipeline.identify(image, gallery)
    except ValueError:
        return  # not an image (2 or 5 channels): refused with a message, never a crash
    assert result.reason in REASONS


@given(arrays(np.float64, st.tuples(st.integers(0, 5), st.integers(0, 130))))
@settings(max_examples=60, deadline=None)
def test_pipeline_never_crashes_on_odd_dtypes_and_shapes(image):
    try:
        result = Pipeline().analyse(image)
    except ValueError:
        return
    assert result.reason in REASONS
