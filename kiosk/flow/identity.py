"""The identify steps of the flow: face (liveness then match), QR credential, NIK keypad, enrolment.

A service whose catalog entry needs identity (kiosk/identity.py) goes DETAIL → an identify step →
CONFIRM. The step first shown is the catalog's method (a face falls back to the QR screen when
the camera does not work); each identify screen offers the other two ways, always.

- Face (IDENTIFY): a `kiosk.face.check.FaceCheck` runs on the "face" lane (its own thread: it
  blocks for seconds); the flow polls its `progress` every POLL_MS on the GUI thread for the
  prompt to show and say. The gallery is read first on the writer lane (the store's thread).
- QR (SCAN, and any identify step): a scan is checked offline on the writer lane against the
  keys, revocations and used nonces of the store (`kiosk.credential.check`); it is used up in
  the ticket's own transaction, so a ticket never issued leaves the booking unused.
- NIK: the keypad's digits are checked by `kiosk.nik.check_nik` (structure, province, date).
- Enrolment (CONSENT, ENROL): offered after an account QR proved who the visitor is (and only
  then); with consent, a face check captures the live face's encodings and `FaceTemplates`
  stores them encrypted under the account's subject, consent recorded as the visitor's.

Leaving the identify steps (back, the timeout, home) stops the face check and forgets what
it saw; the session's identity is wiped with the session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.credential import GARBLED
from kiosk.identity import FACE, MATCHED, NIK, QR, VALID, VERIFIED, VISITOR_KINDS, Identity, first_method
from kiosk.session import IDENTITY_STEPS, Step

if TYPE_CHECKING:
    from kiosk.flow.core import Flow

log = logging.getLogger("kiosk.flow")

#: How often the face check's progress is read for the screen (ms).
POLL_MS = 150
#: Outcome codes of the flow itself (besides kiosk.face.check's and the credential's).
NO_FACES = "no_faces"  # nobody is enrolled at this kiosk: the face way cannot work
CHECK_FAILED = "check_failed"  # the face check crashed (logged): try again or QR / NIK
NOT_FOR_VISITORS = "not_for_visitors"  # a valid QR of a kind that says nothing about its holder
ENROL_FAILED = "enrol_failed"  # the templates could not be stored


class IdentityFlow:
    """Drives the identify steps for `flow` (see the module docstring)."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        #: The running FaceCheck, if any.
        self.check = None
        #: What the face screen shows now: the newest liveness state (None: waiting for a face).
        self.progress = None
        #: The face check has passed liveness and is matching ("Checking…").
        self.deciding = False
        #: Makes a FaceCheck: `make_check(camera, gallery=..., challenges=..., frames=...)`; tests
        #: replace it (the default runs the real pipeline on the real camera's frames).
        self.make_check: Callable[..., Any] = self._real_check
        self._pipeline = None
        self._generation = 0  # each face check's number: late answers of an old one are dropped
        self._qr_busy = False

    # -- facts --------------------------------------------------------------------------------------
    @property
    def camera_ok(self) -> bool:
        """A camera is there and its last health read was not ERROR."""
        from devices.health import Status

        camera = self.flow.camera
        if camera is None:
            return False
        return not any(
            h.name == camera.name and h.status in (Status.ERROR, Status.ABSENT) for h in self.flow.device_health
        )

    @property
    def running(self) -> bool:
        return self.check is not None

    # -- entering -----------------------------------------------------------------------------------
    def begin(self, service) -> None:
        """From DETAIL: the first identify step for `service`."""
        self.flow.session.identify(first_method(service, camera_ok=self.camera_ok))
        self._entered()

    def switch(self, method: str) -> None:
        """The visitor chose another way (face, qr, nik) on an identify screen."""
        flow = self.flow
        if flow.step not in (Step.IDENTIFY, Step.SCAN, Step.NIK) or method not in (FACE, QR, NIK):
            return
        self.stop()
        flow.session.identify(method)
        self._entered()

    def _entered(self) -> None:
        flow = self.flow
        log.info("identity: %s for %s", flow.step, flow.state.service_code)
        flow._changed()
        if flow.step == Step.IDENTIFY:
            self.start_face()

    def retry(self) -> None:
        """Try the face again (after a failure shown on the face or enrol screen)."""
        flow = self.flow
        if flow.step not in (Step.IDENTIFY, Step.ENROL) or self.running:
            return
        flow.session.touch()
        flow.session.identity_failed(None)
        flow._changed()
        self.start_face(enrol=flow.step == Step.ENROL)

    # -- the face --------------------------------------------------------------------------------------
    def _real_check(self, camera, *, gallery, challenges, frames):
        from kiosk.face.check import FaceCheck
        from kiosk.face.commands import make_pipeline

        if self._pipeline is None:
            self._pipeline = make_pipeline(self.flow.settings)
        return FaceCheck(camera, pipeline=self._pipeline, gallery=gallery, challenges=challenges, frames=frames)

    def start_face(self, *, enrol: bool = False) -> None:
        flow = self.flow
        self.stop()
        self._generation += 1
        generation = self._generation
        self.progress, self.deciding = None, False
        if not self.camera_ok:
            flow.session.identity_failed("camera")
            flow._changed()
            return
        kiosk = flow.kiosk

        def read_gallery():
            from kiosk.face.commands import templates

            return templates(kiosk).gallery()

        def gallery_read(gallery) -> None:
            if generation != self._generation:
                return
            if not len(gallery):
                self._failed(generation, NO_FACES)
                return
            self._run_check(generation, gallery)

        if enrol:
            self._run_check(generation, None)
            return
        flow.runner.run(read_gallery, on_success=gallery_read, on_failure=lambda exc: self._crashed(generation, exc))

    def _run_check(self, generation: int, gallery) -> None:
        from kiosk.liveness import choose_challenges

        flow = self.flow
        if generation != self._generation or flow.step not in (Step.IDENTIFY, Step.ENROL):
            return
        face = flow.settings.face
        check = self.make_check(
            flow.camera, gallery=gallery, challenges=choose_challenges(face.challenges), frames=face.frames
        )
        self.check = check
        flow.runner.run(
            check.run,
            on="face",
            on_success=lambda outcome: self._checked(generation, outcome),
            on_failure=lambda exc: self._crashed(generation, exc),
        )
        flow.runner.later(POLL_MS, lambda: self._poll(generation))

    def _poll(self, generation: int) -> None:
        """Show the check's newest prompt (GUI thread), every POLL_MS while it runs."""
        check, flow = self.check, self.flow
        if generation != self._generation or check is None:
            return
        progress, deciding = check.progress, check.deciding
        if progress is not None and (progress != self.progress or deciding != self.deciding):
            self.progress, self.deciding = progress, deciding
            flow.session.touch()  # a visitor following the prompts is not idle
            flow._changed()
        flow.runner.later(POLL_MS, lambda: self._poll(generation))

    def _checked(self, generation: int, outcome) -> None:
        from kiosk.face import check as fc

        flow = self.flow
        if generation != self._generation:
            return
        self.check = None
        self.deciding = False
        state = flow.state
        log.info(
            "identity: face check %s (%s)%s",
            outcome.code,
            outcome.reason,
            f", distance {outcome.distance:.3f}" if outcome.distance is not None else "",
        )
        self._audit("face", outcome.code, outcome.distance, outcome.reason)
        if state.step == Step.ENROL and outcome.code == fc.CAPTURED:
            self._save_enrolment(state.enrol_subject, outcome.encodings)
            return
        if state.step == Step.IDENTIFY and outcome.code == fc.MATCHED:
            identity = Identity(FACE, MATCHED, outcome.name, score=outcome.distance)
            flow.session.identified(identity)
            flow._changed()
            return
        if state.step in (Step.IDENTIFY, Step.ENROL):
            flow.session.identity_failed(outcome.reason)
            flow._changed()

    def _failed(self, generation: int, code: str) -> None:
        flow = self.flow
        if generation != self._generation:
            return
        self.check = None
        if flow.step in (Step.IDENTIFY, Step.ENROL):
            flow.session.identity_failed(code)
            flow._changed()

    def _crashed(self, generation: int, exc: BaseException) -> None:
        log.error("identity: face check failed: %r", exc)
        self._failed(generation, CHECK_FAILED)

    def stop(self) -> None:
        """Stop a running face check (it ends at its next frame) and forget its progress."""
        if self.check is not None:
            self.check.stop()
        self.check = None
        self._generation += 1
        self.progress, self.deciding = None, False

    def left(self) -> None:
        """Called after every step change: leaving the face steps stops the check."""
        if self.flow.step not in (Step.IDENTIFY, Step.ENROL) and (self.check is not None or self.progress):
            self.stop()

    # -- QR ---------------------------------------------------------------------------------------
    def scanned(self, text: str) -> bool:
        """A scan on an identify step: check it as a credential (True: taken here)."""
        flow = self.flow
        if flow.step not in (Step.IDENTIFY, Step.SCAN, Step.NIK) or flow.kiosk is None:
            return False
        if self._qr_busy:
            return True
        self._qr_busy = True
        flow.session.touch()
        kiosk, settings, now = flow.kiosk, flow.settings, flow.clock.now()

        def check():
            from kiosk.credential import check as check_credential  # noqa: F811

            return check_credential(kiosk.store, text, now, demo=settings.demo)

        def done(verdict) -> None:
            self._qr_busy = False
            self._qr_checked(verdict)

        def failed(exc: BaseException) -> None:
            self._qr_busy = False
            log.error("identity: QR check failed: %r", exc)
            if flow.step in (Step.IDENTIFY, Step.SCAN, Step.NIK):
                flow.session.identity_failed(GARBLED)
                flow._changed()

        flow.runner.run(check, on_success=done, on_failure=failed)
        return True

    def _qr_checked(self, verdict) -> None:
        flow = self.flow
        if flow.step not in (Step.IDENTIFY, Step.SCAN, Step.NIK):
            return
        code = verdict.reason_code if not verdict.valid else None
        if verdict.valid and verdict.kind not in VISITOR_KINDS:
            code = NOT_FOR_VISITORS
        log.info("identity: QR %s (%s)", "accepted" if code is None else "refused", verdict.reason_code)
        self._audit("qr", "verified" if code is None else "refused", None, code or verdict.kind)
        if code is not None:
            flow.session.identity_failed(code)
            flow._changed()
            return
        self.stop()
        identity = Identity(QR, VERIFIED, verdict.subject, credential=verdict)
        offer = verdict.kind == "account" and flow.settings.face.enrol and self.camera_ok
        flow.session.identified(identity, enrol_subject=verdict.subject if offer else None)
        flow._changed()

    # -- NIK ---------------------------------------------------------------------------------------
    def nik_input(self, digits: str) -> None:
        """The keypad's digits so far (only digits are kept, at most 16)."""
        flow = self.flow
        if flow.step != Step.NIK:
            return
        clean = "".join(ch for ch in digits if ch.isdigit())[:16]
        if clean != flow.state.nik_entry or flow.state.id_message:
            flow.session.set_nik_entry(clean)
            flow._changed()

    def nik_submit(self) -> None:
        from kiosk.nik import check_nik

        flow = self.flow
        if flow.step != Step.NIK:
            return
        result = check_nik(flow.state.nik_entry, flow.clock.now().date())
        self._audit("nik", "valid" if result.valid else "refused", None, result.reason_code)
        if not result.valid:
            log.info("identity: NIK refused (%s)", result.reason_code)
            flow.session.identity_failed(result.reason_code)
            flow._changed()
            return
        log.info("identity: NIK accepted")
        flow.session.identified(Identity(NIK, VALID, flow.state.nik_entry))
        flow._changed()

    # -- enrolment ----------------------------------------------------------------------------------
    def consent(self, given: bool) -> None:
        """The visitor's answer on the consent screen: yes → ENROL (the face check captures), no → CONFIRM."""
        flow = self.flow
        if flow.step != Step.CONSENT:
            return
        if not given or not self.camera_ok:
            log.info("identity: face enrolment declined")
            flow.session.enrol_done(False)
            flow._changed()
            return
        log.info("identity: face enrolment consented")
        flow.session.enrol()
        flow._changed()
        self.start_face(enrol=True)

    def _save_enrolment(self, subject: str | None, encodings) -> None:
        flow = self.flow
        kiosk, now = flow.kiosk, flow.clock.now()

        def save():
            from kiosk.face.commands import templates

            return templates(kiosk).enroll(subject, list(encodings), consent_by="visitor", at=now)

        def saved(ids) -> None:
            log.info("identity: face enrolled, %d template(s)", len(ids))
            if flow.step == Step.ENROL:
                flow.session.enrol_done(True)
                flow._changed()

        def not_saved(exc: BaseException) -> None:
            log.error("identity: face enrolment not saved: %r", exc)
            if flow.step == Step.ENROL:
                flow.session.identity_failed(ENROL_FAILED)
                flow._changed()

        if not subject:
            not_saved(ValueError("no subject to enrol under"))
            return
        flow.runner.run(save, on_success=saved, on_failure=not_saved)

    # -- audit ----------------------------------------------------------------------------------------
    def _audit(self, method: str, result: str, score: float | None, reason: str | None) -> None:
        """Every identity decision is an audit event (method, result, score, reason; never the
        subject's NIK in full, a template or an image)."""
        data = {"method": method, "result": result, "score": score, "reason": reason}
        self.flow.audit("identity.decision", {**data, "service": self.flow.state.service_code})


def identity_step(step: Step) -> bool:
    return step in IDENTITY_STEPS
