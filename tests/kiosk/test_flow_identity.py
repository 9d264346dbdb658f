"""Identity in the flow, without a screen: services that need identity go through an identify step,
the ticket and its outbox row record the method and result, a NIK is kept only where needed."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import timedelta

import pytest
from flowkit import SyncRunner

from central import demo, signing
from devices.health import DeviceHealth, Status
from devices.scanner import ScanEvent
from kiosk.app import build
from kiosk.face import check as fc
from kiosk.flow import Flow
from kiosk.i18n import translator
from kiosk.liveness import PROMPTS, Challenge, LivenessState
from kiosk.session import PrintState, Step

NIK = "3201011705900001"
NIK_SERVICE = "KTP-EL"  # identity = "nik"
FACE_SERVICE = "JKN-UBAH-DATA"  # identity = "face"
PLAIN_SERVICE = "PKB-TAHUNAN"  # identity = "none"


class StubCamera:
    name = "stub-camera"
    kind = "simulated"
    mirror = True

    def latest(self):
        return None


class StubCheck:
    """Stands for kiosk.face.check.FaceCheck: answers `outcome` when run."""

    made: list = []

    def __init__(self, outcome, *, gallery, challenges, frames) -> None:
        self.outcome, self.gallery, self.challenges, self.frames = outcome, gallery, challenges, frames
        self.progress = LivenessState("ask", PROMPTS[Challenge.BLINK], 0, Challenge.BLINK)
        self.deciding = False
        self.stopped = False

    def run(self):
        return self.outcome

    def stop(self) -> None:
        self.stopped = True


class HeldRunner(SyncRunner):
    """Runs everything at once except the face lane, which waits until `release()` (a check in flight)."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list = []

    def run(self, fn, *, on_success, on_failure=None, on="writer") -> None:
        if on == "face":
            self.held.append((fn, on_success, on_failure))
            return
        super().run(fn, on_success=on_success, on_failure=on_failure, on=on)

    def release(self) -> None:
        held, self.held = self.held, []
        for fn, on_success, on_failure in held:
            super().run(fn, on_success=on_success, on_failure=on_failure)


@pytest.fixture
def demo_settings(settings):
    return dataclasses.replace(settings, demo=True)


def make_flow(settings, clock, runner=None, *, camera=True):
    f = Flow(settings, clock, runner or SyncRunner())
    kiosk = build(settings, clock=clock)
    f.backend_ready(kiosk)
    if camera:
        f.camera = StubCamera()
    return f


@pytest.fixture
def flow(demo_settings, clock):
    f = make_flow(demo_settings, clock)
    yield f
    f.kiosk.close()


def credential(clock, *, kind="account", subject="ACC-0042", minutes=30, ago=0, seed=demo.DEMO_KEY_SEED):
    private = signing.keypair_of(signing.unb64(seed))[0]
    now = clock.now() - timedelta(minutes=ago)
    return signing.sign(
        private_key=private,
        key_id="DEMO-1",
        kind=kind,
        subject=subject,
        issued_at=now,
        not_before=now,
        expires_at=now + timedelta(minutes=minutes),
    ).text


def stub_checks(flow, outcome) -> list:
    made = []

    def make(camera, *, gallery, challenges, frames):
        check = StubCheck(outcome, gallery=gallery, challenges=challenges, frames=frames)
        made.append(check)
        return check

    flow.identity.make_check = make
    return made


def enrol_someone(flow, name="ACC-0042"):
    import numpy as np

    from kiosk.face.commands import templates

    encoding = np.full(128, 0.05, dtype=np.float32)
    templates(flow.kiosk).enroll(name, [encoding], consent_by="supervisor", at=flow.clock.now())


def to_identify(flow, code):
    flow.choose_service(code)
    assert flow.step == Step.DETAIL
    flow.take()


def outbox(flow, kind):
    rows = flow.kiosk.store.conn.execute("SELECT payload FROM outbox WHERE kind = ?", (kind,)).fetchall()
    return [json.loads(p) for (p,) in rows]


# -- routing -----------------------------------------------------------------------------------------


def test_a_service_without_identity_goes_straight_to_confirm(flow):
    to_identify(flow, PLAIN_SERVICE)
    assert flow.step == Step.CONFIRM and flow.state.identity is None
    flow.confirm()
    ticket = flow.state.ticket
    assert ticket.identity_method is None and ticket.identity_result is None and ticket.identity_subject is None


def test_each_service_opens_its_own_method_first(flow):
    to_identify(flow, NIK_SERVICE)
    assert flow.step == Step.NIK
    flow.back()
    assert flow.step == Step.DETAIL
    flow.home()
    stub_checks(flow, fc.FaceOutcome(fc.UNKNOWN))
    enrol_someone(flow)
    to_identify(flow, FACE_SERVICE)
    assert flow.step == Step.IDENTIFY


def test_a_face_service_offers_the_qr_first_when_the_camera_is_down(flow):
    flow.device_health = (DeviceHealth("stub-camera", "simulated", Status.ERROR, "unplugged"),)
    to_identify(flow, FACE_SERVICE)
    assert flow.step == Step.SCAN
    flow.identity.switch("face")  # asked anyway: the screen says the camera does not work
    assert flow.step == Step.IDENTIFY and flow.state.id_message == "camera"


def test_a_face_service_without_any_camera_opens_on_the_qr(demo_settings, clock):
    f = make_flow(demo_settings, clock, camera=False)
    to_identify(f, FACE_SERVICE)
    assert f.step == Step.SCAN
    f.kiosk.close()


def test_the_visitor_can_switch_ways_at_any_time(flow):
    made = stub_checks(flow, fc.FaceOutcome(fc.UNKNOWN))
    enrol_someone(flow)
    to_identify(flow, NIK_SERVICE)
    flow.identity.switch("qr")
    assert flow.step == Step.SCAN
    flow.identity.switch("face")
    assert flow.step == Step.IDENTIFY and len(made) == 1
    flow.identity.switch("nik")
    assert flow.step == Step.NIK
    flow.identity.switch("bogus")
    assert flow.step == Step.NIK


# -- NIK -------------------------------------------------------------------------------------------------


def test_a_valid_nik_reaches_the_ticket_in_full_for_a_service_that_needs_it(flow):
    to_identify(flow, NIK_SERVICE)
    flow.identity.nik_input("3201 0117 0590 0001 99")  # spaces dropped, at most 16 digits kept
    assert flow.state.nik_entry == NIK
    flow.identity.nik_submit()
    assert flow.step == Step.CONFIRM
    identity = flow.state.identity
    assert identity.method == "nik" and identity.result == "valid" and NIK not in repr(identity)
    assert NIK not in repr(flow.state)
    flow.confirm()
    ticket = flow.state.ticket
    assert (ticket.identity_method, ticket.identity_result, ticket.identity_subject) == ("nik", "valid", NIK)
    row = flow.kiosk.store.conn.execute("SELECT identity_method, identity_subject FROM tickets").fetchone()
    assert row == ("nik", NIK)
    (payload,) = outbox(flow, "ticket.issued")
    assert payload["identity_method"] == "nik" and payload["identity_subject"] == NIK


def test_an_invalid_nik_is_explained_and_changes_nothing(flow):
    to_identify(flow, NIK_SERVICE)
    for wrong, code in (("3201011705", "nik.length"), ("9901011705900001", "nik.province")):
        flow.identity.nik_input(wrong)
        flow.identity.nik_submit()
        assert flow.step == Step.NIK and flow.state.id_message == code and flow.state.identity is None
    flow.identity.nik_input("32010117059000")  # typing again clears the message
    assert flow.state.id_message is None
    assert flow.kiosk.store.conn.execute("SELECT COUNT(*) FROM tickets").fetchone() == (0,)


def test_identity_is_kept_for_the_session_and_masked_for_a_service_that_does_not_need_the_nik(flow):
    made = stub_checks(flow, fc.FaceOutcome(fc.UNKNOWN))
    to_identify(flow, FACE_SERVICE)  # nobody enrolled: the face way says so
    assert flow.step == Step.IDENTIFY and flow.state.id_message == "no_faces" and made == []
    flow.identity.switch("nik")
    flow.identity.nik_input(NIK)
    flow.identity.nik_submit()
    assert flow.step == Step.CONFIRM
    flow.confirm()
    ticket = flow.state.ticket
    assert ticket.identity_method == "nik" and ticket.identity_subject == "3201********0001"
    raw = flow.kiosk.store.path.read_bytes()
    assert NIK.encode() not in raw


def test_back_from_an_identify_step_forgets_the_attempt(flow):
    to_identify(flow, NIK_SERVICE)
    flow.identity.nik_input("32010117")
    flow.back()
    assert flow.step == Step.DETAIL and flow.state.nik_entry == "" and flow.state.identity is None


# -- face ------------------------------------------------------------------------------------------------


def test_a_matched_live_face_reaches_the_ticket_without_its_template(flow):
    made = stub_checks(flow, fc.FaceOutcome(fc.MATCHED, "ACC-0042", 0.31))
    enrol_someone(flow)
    to_identify(flow, FACE_SERVICE)
    assert made and len(made[0].gallery) == 1 and made[0].frames == 3 and len(made[0].challenges) == 2
    assert flow.step == Step.CONFIRM
    assert flow.state.identity.method == "face" and flow.state.identity.score == pytest.approx(0.31)
    flow.confirm()
    ticket = flow.state.ticket
    assert (ticket.identity_method, ticket.identity_result, ticket.identity_subject) == ("face", "matched", "ACC-0042")


@pytest.mark.parametrize(
    "outcome, code",
    [
        (fc.FaceOutcome(fc.UNKNOWN, None, 0.8), "unknown"),
        (fc.FaceOutcome(fc.CAMERA), "camera"),
        (fc.FaceOutcome(fc.FACE_CHANGED), "face_changed"),
    ],
)
def test_a_face_that_is_not_accepted_is_explained_and_can_be_retried(flow, outcome, code):
    made = stub_checks(flow, outcome)
    enrol_someone(flow)
    to_identify(flow, FACE_SERVICE)
    assert flow.step == Step.IDENTIFY and flow.state.id_message == code and flow.state.identity is None
    flow.identity.retry()
    assert len(made) == 2


def test_a_failed_liveness_is_worded_by_its_reason(flow):
    from kiosk.identity import message_for
    from kiosk.liveness import LivenessResult

    still = LivenessResult(False, "still", (Challenge.BLINK,), 0, 1.0)
    stub_checks(flow, fc.FaceOutcome(fc.NOT_LIVE, liveness=still))
    enrol_someone(flow)
    to_identify(flow, FACE_SERVICE)
    assert flow.state.id_message == "still"
    context, text = message_for("still")
    assert context == "Liveness" and "in person" in text


def test_the_face_prompt_follows_the_check_and_the_timeout_stops_it(demo_settings, clock):
    runner = HeldRunner()
    f = make_flow(demo_settings, clock, runner)
    made = stub_checks(f, fc.FaceOutcome(fc.MATCHED, "ACC-0042", 0.3))
    enrol_someone(f)
    to_identify(f, FACE_SERVICE)
    assert f.step == Step.IDENTIFY and len(runner.held) == 1 and f.identity.running
    said = []
    f.speak = lambda text, language: said.append(text)
    polls = [fn for ms, fn in runner.later_calls]
    polls[-1]()  # the poll shows the check's prompt, and says it
    assert f.identity.progress.challenge == Challenge.BLINK
    blink = translator("id")("Liveness", "Blink your eyes")
    assert said == [blink] and blink != "Blink your eyes"
    clock.advance(seconds=demo_settings.timeouts.inactivity_seconds + 1)
    f.tick()
    assert f.step == Step.IDLE and f.state.identity is None
    assert made[0].stopped and not f.identity.running and f.identity.progress is None
    runner.release()  # the check's late answer changes nothing
    assert f.step == Step.IDLE and f.state.identity is None
    f.kiosk.close()


# -- QR ----------------------------------------------------------------------------------------------------


def scan(flow, text):
    flow.scanned(ScanEvent(text, "qr", "test"))


def test_a_booking_qr_is_used_up_with_the_ticket(flow, clock):
    to_identify(flow, NIK_SERVICE)  # any identify screen takes a scan
    text = credential(clock, kind="booking", subject="BK-7")
    scan(flow, text)
    assert flow.step == Step.CONFIRM and flow.state.identity.method == "qr"
    flow.confirm()
    ticket = flow.state.ticket
    assert (ticket.identity_method, ticket.identity_result, ticket.identity_subject) == ("qr", "verified", "BK-7")
    (used,) = outbox(flow, "credential.used")
    assert used["ticket_id"] == ticket.id and used["subject"] == "BK-7"
    flow.home()
    to_identify(flow, NIK_SERVICE)
    scan(flow, text)  # the same booking again
    assert flow.step == Step.NIK and flow.state.id_message == "credential.replayed"


def test_a_booking_used_between_check_and_ticket_is_refused_and_nothing_is_written(flow, clock):
    from kiosk.credential import check, use

    to_identify(flow, NIK_SERVICE)
    text = credential(clock, kind="booking", subject="BK-8")
    scan(flow, text)
    assert flow.step == Step.CONFIRM
    store = flow.kiosk.store
    verdict = check(store, text, clock.now(), demo=True)
    with store.transaction():  # another process used it meanwhile
        use(store, verdict, None, now=clock.now())
    flow.confirm()
    assert flow.step == Step.DETAIL and flow.state.error.code == "identity.credential_used"
    assert store.conn.execute("SELECT COUNT(*) FROM tickets").fetchone() == (0,)


@pytest.mark.parametrize(
    "make, code",
    [
        (lambda clock: credential(clock, kind="badge"), "not_for_visitors"),
        (lambda clock: credential(clock, minutes=10, ago=120), "credential.expired"),
        (lambda clock: "MPP1.garbage.garbage", "credential.garbled"),
        (lambda clock: "hello", "credential.garbled"),
    ],
)
def test_a_refused_qr_is_explained_and_changes_nothing(flow, clock, make, code):
    to_identify(flow, NIK_SERVICE)
    scan(flow, make(clock))
    assert flow.step == Step.NIK and flow.state.id_message == code and flow.state.identity is None
    assert outbox(flow, "credential.used") == []


def test_a_scan_outside_the_identify_steps_is_ignored(flow, clock):
    scan(flow, credential(clock))
    assert flow.step == Step.IDLE and flow.state.identity is None


# -- enrolment ----------------------------------------------------------------------------------------------


def test_an_account_qr_offers_enrolment_and_no_thanks_goes_to_the_ticket(flow, clock):
    to_identify(flow, NIK_SERVICE)
    scan(flow, credential(clock, kind="account", subject="ACC-7"))
    assert flow.step == Step.CONSENT and flow.state.enrol_subject == "ACC-7"
    flow.identity.consent(False)
    assert flow.step == Step.CONFIRM and not flow.state.enrolled
    assert flow.kiosk.store.conn.execute("SELECT COUNT(*) FROM face_templates").fetchone() == (0,)


def test_enrolment_with_consent_stores_templates_under_the_account(flow, clock):
    import numpy as np

    encodings = tuple(np.full(128, 0.01 * i, dtype=np.float32) for i in range(1, 4))
    made = stub_checks(flow, fc.FaceOutcome(fc.CAPTURED, encodings=encodings))
    to_identify(flow, NIK_SERVICE)
    scan(flow, credential(clock, kind="account", subject="ACC-9"))
    flow.identity.consent(True)
    assert made[0].gallery is None  # enrolment: capture, no matching
    assert flow.step == Step.CONFIRM and flow.state.enrolled
    rows = flow.kiosk.store.conn.execute("SELECT subject, consent_by FROM face_templates").fetchall()
    assert rows == [("ACC-9", "visitor")] * 3
    assert outbox(flow, "face.enrolled")
    flow.confirm()
    assert flow.state.ticket.identity_method == "qr" and flow.state.print_state == PrintState.PRINTED


def test_a_booking_qr_or_a_disabled_setting_offers_no_enrolment(demo_settings, clock):
    settings = dataclasses.replace(demo_settings, face=dataclasses.replace(demo_settings.face, enrol=False))
    f = make_flow(settings, clock)
    to_identify(f, NIK_SERVICE)
    scan(f, credential(clock, kind="account"))
    assert f.step == Step.CONFIRM
    f.kiosk.close()


def test_the_raw_store_holds_no_template_in_clear(flow, clock):
    import numpy as np

    encodings = (np.arange(128, dtype=np.float32) / 128.0,) * 3
    stub_checks(flow, fc.FaceOutcome(fc.CAPTURED, encodings=encodings))
    to_identify(flow, NIK_SERVICE)
    scan(flow, credential(clock, kind="account", subject="ACC-10"))
    flow.identity.consent(True)
    flow.kiosk.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = flow.kiosk.store.path.read_bytes()
    assert encodings[0].tobytes() not in raw and encodings[0][:16].tobytes() not in raw
    with sqlite3.connect(flow.kiosk.store.path) as conn:
        (blob,) = conn.execute("SELECT template FROM face_templates LIMIT 1").fetchone()
    assert encodings[0].tobytes() != blob
