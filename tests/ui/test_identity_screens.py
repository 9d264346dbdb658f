"""The identify screens on the real window: the NIK keypad, the face screen (a stand-in face check,
no dlib), the QR screen, the consent and enrolment screens, and the confirm screen's identity line.
Every screen is also drawn in its hard states (a failure, no camera) at the three sizes and looks,
and checked as the screenshot matrix checks (nothing cut off, targets >= 90 px, one language)."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import timedelta

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from uikit import (
    SCREENSHOTS,
    SIZES,
    Languages,
    language_problems,
    layout_problems,
    settle,
    tap,
    unnamed_buttons,
    visible_widgets,
)

from central import demo, signing
from devices.scanner import ScanEvent
from kiosk.face import check as fc
from kiosk.liveness import PROMPTS, Challenge, LivenessState
from kiosk.nik import check_nik
from kiosk.session import Step

NIK = "3201011705900001"  # Jawa Barat, born 17-05-1990
NIK_SERVICE = ("DUKCAPIL", "KTP-EL")  # identity = "nik"
FACE_SERVICE = "JKN-UBAH-DATA"  # identity = "face"


# -- stand-ins ---------------------------------------------------------------------------------------


class StubCamera:
    """A camera that hands out a new frame at every look (a grey gradient, 640x480)."""

    name = "stub-camera"
    kind = "simulated"
    mirror = True
    fps = 30.0

    def __init__(self) -> None:
        ramp = np.linspace(40, 200, 640, dtype=np.uint8)
        self.image = np.dstack([np.tile(ramp, (480, 1))] * 3).copy()
        self.image[:, :320, 2] = 220  # the left half reddish: a mirrored preview shows it on the right
        self.image.setflags(write=False)
        self.seq = 0
        self.stopped = False

    def start(self) -> None:
        pass

    def stop(self) -> None:
        self.stopped = True

    def latest(self):
        from devices.camera import Frame

        self.seq += 1
        return Frame(self.image, self.seq, time.monotonic())

    def health(self):
        from devices.health import DeviceHealth, Status

        return DeviceHealth(self.name, "camera", Status.OK, "30 fps")


class StubCheck:
    """Stands for kiosk.face.check.FaceCheck: its `progress` is set by the test; `run()` (on the
    face lane) waits until the test `finish()`es it or the flow `stop()`s it."""

    def __init__(self, *, gallery, challenges, frames) -> None:
        self.gallery, self.challenges, self.frames = gallery, challenges, frames
        self.progress = None
        self.deciding = False
        self.stopped = False
        self.outcome = None
        self._done = threading.Event()

    def run(self):
        self._done.wait(20)
        if self.stopped or self.outcome is None:
            return fc.FaceOutcome(fc.STOPPED)
        return self.outcome

    def finish(self, outcome) -> None:
        self.outcome = outcome
        self._done.set()

    def stop(self) -> None:
        self.stopped = True
        self._done.set()


@pytest.fixture
def settings(settings):
    """The test settings under --demo: the demo hall's key signs the QR credentials."""
    return dataclasses.replace(settings, demo=True)


@pytest.fixture
def checks():
    """The stand-in face checks made; all stopped at the end (the face lane must not wait on one)."""
    made: list[StubCheck] = []
    yield made
    for check in made:
        check.stop()


@pytest.fixture
def window(qtbot, make_window, checks):
    """`window(size, camera=True)`: a window whose face checks are stand-ins (and with a camera)."""

    def make(size: str = "portrait", *, camera: bool = True, enrolled: bool = True):
        w = make_window(size)
        settle(qtbot, w)  # the window's own devices (none in the test config) are made first

        def make_check(camera, *, gallery, challenges, frames):
            check = StubCheck(gallery=gallery, challenges=challenges, frames=frames)
            checks.append(check)
            return check

        w.flow.identity.make_check = make_check
        if camera:
            w.devices_ready((StubCamera(), None))
        if enrolled:
            enrol_someone(w)
        return w

    return make


def enrol_someone(w, name: str = "ACC-0042") -> None:
    from kiosk.face.commands import templates

    templates(w.kiosk).enroll(name, [np.full(128, 0.05, dtype=np.float32)], consent_by="supervisor", at=w.clock.now())


def credential(clock, *, kind: str = "booking", subject: str = "BK-7") -> str:
    private = signing.keypair_of(signing.unb64(demo.DEMO_KEY_SEED))[0]
    now = clock.now()
    return signing.sign(
        private_key=private,
        key_id=demo.DEMO_KEY_ID,
        kind=kind,
        subject=subject,
        issued_at=now,
        not_before=now,
        expires_at=now + timedelta(minutes=30),
    ).text


def scan(qtbot, w, text: str) -> None:
    w.scan_did_arrive.emit(ScanEvent(text, "QRCODE", "serial"))
    settle(qtbot, w)


def to_detail(qtbot, w, agency: str, service: str, language: str = "id") -> None:
    w.on_start(language)
    w.on_agency(agency)
    w.on_service(service)
    settle(qtbot, w)


def take(qtbot, w) -> None:
    qtbot.waitUntil(lambda: w.detail.take_button.isEnabled(), timeout=10000)
    tap(qtbot, w.detail.take_button)
    settle(qtbot, w)


def to_face(qtbot, w, language: str = "id") -> None:
    agency = w.kiosk.catalog.service(FACE_SERVICE).agency_code
    to_detail(qtbot, w, agency, FACE_SERVICE, language)
    take(qtbot, w)


def texts_on_screen(w) -> list[str]:
    """Every text and accessible name the visitor (or a screen reader) can reach now."""
    out = []
    for widget in visible_widgets(w, QLabel) + visible_widgets(w, QAbstractButton):
        out += [widget.text(), QLabel.text(widget) if isinstance(widget, QLabel) else "", widget.accessibleName()]
    return [t for t in out if t]


def type_on_keypad(qtbot, w, digits: str) -> None:
    for d in digits:
        tap(qtbot, w.nik.keys[d])
    settle(qtbot, w)


def check_layout(w, languages) -> list[str]:
    return layout_problems(w) + unnamed_buttons(w) + language_problems(w, languages)


def shot(w, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(SCREENSHOTS / f"identity_{name}.png"))


# -- NIK ------------------------------------------------------------------------------------------------


def test_a_nik_service_opens_the_keypad_and_a_tapped_nik_reaches_confirm_masked(qtbot, window):
    started = time.monotonic()
    w = window("portrait", camera=False, enrolled=False)
    to_detail(qtbot, w, *NIK_SERVICE)
    take(qtbot, w)
    assert w.session.state.step == Step.NIK and w.stack.currentWidget() is w.nik
    assert w.footer.back_button.isVisible() and not w.nik.ok.isEnabled()
    assert w.nik.counter.text() == "0/16"
    type_on_keypad(qtbot, w, NIK[:12])
    assert w.session.state.nik_entry == NIK[:12]
    assert w.nik.display.text().startswith("3201 0117 0590") and w.nik.counter.text() == "12/16"
    assert not w.nik.ok.isEnabled()
    tap(qtbot, w.nik.keys["delete"])
    settle(qtbot, w)
    assert w.session.state.nik_entry == NIK[:11]
    type_on_keypad(qtbot, w, NIK[11:])
    assert w.nik.display.text() == "3201 0117 0590 0001" and w.nik.counter.text() == "16/16"
    tap(qtbot, w.nik.keys["5"])  # a 17th digit is not taken
    settle(qtbot, w)
    assert w.session.state.nik_entry == NIK
    shot(w, "portrait_id_nik_full")
    tap(qtbot, w.nik.ok)
    settle(qtbot, w)
    state = w.session.state
    assert state.step == Step.CONFIRM and state.identity.method == "nik"
    assert w.confirm.identity.isVisible() and w.confirm.identity.text() == "Identitas: NIK 3201 **** **** 0001"
    on_screen = texts_on_screen(w)
    assert not any(NIK in t.replace(" ", "") for t in on_screen), "the full NIK is on the screen"
    assert w.nik.digits == "" and NIK[:4] not in w.nik.display.text()  # nothing left in the keypad
    shot(w, "portrait_id_confirm_nik")
    print(f"NIK by touch to confirm: {time.monotonic() - started:.1f} s")


def test_an_invalid_nik_is_explained_in_words_and_the_keyboard_works(qtbot, window):
    w = window("landscape", camera=False, enrolled=False)
    to_detail(qtbot, w, *NIK_SERVICE)
    take(qtbot, w)
    wrong = "3201013505900001"  # day 35: no such birth date
    w.nik.setFocus()
    qtbot.keyClicks(w.nik, wrong + "7")  # a hardware keyboard; the 17th digit is not taken
    settle(qtbot, w)
    assert w.session.state.nik_entry == wrong
    qtbot.keyClick(w.nik, Qt.Key.Key_Return)
    settle(qtbot, w)
    state = w.session.state
    assert state.step == Step.NIK and state.id_message == "nik.date" and state.identity is None
    expected = check_nik(wrong, w.clock.now().date()).visitor_text(QCoreApplication.translate)
    assert w.nik.notice.isVisible() and w.nik.message.text() == expected
    assert expected.startswith("Angka ke-7 sampai ke-12")  # Indonesian, in plain words
    assert not layout_problems(w)
    shot(w, "landscape_id_nik_refused")
    qtbot.keyClick(w.nik, Qt.Key.Key_Backspace)
    settle(qtbot, w)
    assert w.session.state.nik_entry == wrong[:-1] and not w.nik.notice.isVisible()
    tap(qtbot, w.footer.back_button)  # back: the attempt is forgotten
    settle(qtbot, w)
    assert w.session.state.step == Step.DETAIL and w.session.state.nik_entry == ""
    assert w.nik.digits == "" and "3201" not in w.nik.display.text()


# -- face, QR, switching -----------------------------------------------------------------------------


def test_the_visitor_switches_face_to_qr_to_nik_and_back_to_the_service(qtbot, window, checks):
    w = window("portrait")
    to_face(qtbot, w)
    assert w.session.state.step == Step.IDENTIFY and w.stack.currentWidget() is w.face
    qtbot.waitUntil(lambda: len(checks) == 1 and w.face_preview.running, timeout=5000)
    qtbot.waitUntil(lambda: w.face.preview.image is not None, timeout=5000)
    assert w.face.preview.mirror and w.face_preview.faces is False
    w.face.preview.repaint()
    assert w.face.preview.drawn_guide
    tap(qtbot, w.face.ways["qr"])
    settle(qtbot, w)
    assert w.session.state.step == Step.SCAN and checks[0].stopped and not w.face_preview.running
    assert w.scan.ways["face"].isVisible()
    tap(qtbot, w.scan.ways["nik"])
    settle(qtbot, w)
    assert w.session.state.step == Step.NIK
    tap(qtbot, w.nik.ways["face"])
    settle(qtbot, w)
    assert w.session.state.step == Step.IDENTIFY
    qtbot.waitUntil(lambda: len(checks) == 2, timeout=5000)
    tap(qtbot, w.footer.back_button)
    settle(qtbot, w)
    assert w.session.state.step == Step.DETAIL and checks[1].stopped and not w.face_preview.running


def test_a_face_service_without_a_camera_opens_on_the_qr_screen(qtbot, window):
    w = window("landscape", camera=False)
    to_face(qtbot, w)
    assert w.session.state.step == Step.SCAN and w.stack.currentWidget() is w.scan
    assert not w.scan.ways["face"].isVisible() and w.scan.ways["nik"].isVisible()
    assert "scanner" in w.scan.where.text().lower() or "pemindai" in w.scan.where.text().lower()
    w.flow.identity.switch("face")  # the face screen itself, without a camera: words and ways out
    settle(qtbot, w)
    assert w.session.state.step == Step.IDENTIFY
    assert not w.face.preview.isVisible() and w.face.notice.isVisible()
    assert w.face.message.text() == QCoreApplication.translate(
        "Identity", "The camera is not working now. Please scan your QR code or type your NIK."
    )
    assert not w.face.try_again.isVisible()
    assert w.face.ways["qr"].isVisible() and w.face.ways["nik"].isVisible()
    assert not check_layout(w, Languages(w.kiosk.catalog))


def test_a_booking_qr_reaches_confirm(qtbot, window, clock):
    w = window("portrait", camera=False)
    to_detail(qtbot, w, *NIK_SERVICE)
    take(qtbot, w)
    w.flow.identity.switch("qr")
    settle(qtbot, w)
    scan(qtbot, w, "not a credential")
    assert w.session.state.step == Step.SCAN and w.scan.notice.isVisible()
    assert w.scan.message.text() == QCoreApplication.translate(
        "Credential", "This code cannot be read. Please show your MPP code or use NIK."
    )
    shot(w, "portrait_id_scan_refused")
    scan(qtbot, w, credential(clock))
    state = w.session.state
    assert state.step == Step.CONFIRM and state.identity.method == "qr"
    assert w.confirm.identity.text() == "Identitas: kode QR terverifikasi"


def test_an_account_qr_asks_for_consent_and_no_thanks_goes_to_confirm(qtbot, window, clock):
    w = window("portrait")
    to_detail(qtbot, w, *NIK_SERVICE)
    take(qtbot, w)
    scan(qtbot, w, credential(clock, kind="account", subject="ACC-0042"))
    assert w.session.state.step == Step.CONSENT and w.stack.currentWidget() is w.consent
    assert not w.footer.back_button.isVisible()
    assert w.consent.no.height() >= w.consent.yes.height() and w.consent.no.width() >= w.consent.yes.width()
    words = " ".join(part.text() for pair in w.consent.parts for part in pair)
    assert "27/2022" in words and "templat" in words.lower()
    shot(w, "portrait_id_consent")
    tap(qtbot, w.header.language)  # the same words in English
    settle(qtbot, w)
    assert "UU PDP No. 27/2022" in words and "explicit consent" in " ".join(b.text() for _, b in w.consent.parts)
    shot(w, "portrait_en_consent")
    tap(qtbot, w.consent.no)
    settle(qtbot, w)
    state = w.session.state
    assert state.step == Step.CONFIRM and not state.enrolled and state.identity.method == "qr"
    assert not w.confirm.enrolled.isVisible()


def test_consent_yes_opens_the_enrol_screen_and_skip_goes_to_confirm(qtbot, window, clock, checks):
    w = window("landscape")
    to_detail(qtbot, w, *NIK_SERVICE)
    take(qtbot, w)
    scan(qtbot, w, credential(clock, kind="account", subject="ACC-0042"))
    tap(qtbot, w.consent.yes)
    settle(qtbot, w)
    assert w.session.state.step == Step.ENROL and w.stack.currentWidget() is w.face
    assert w.face.title.text() == "Menyimpan wajah Anda"
    assert w.face.skip_button.isVisible() and not w.face.ways["qr"].isVisible()
    qtbot.waitUntil(lambda: len(checks) == 1 and w.face_preview.running, timeout=5000)
    assert checks[0].gallery is None  # enrolment captures, it matches no one
    tap(qtbot, w.face.skip_button)
    settle(qtbot, w)
    assert w.session.state.step == Step.CONFIRM and not w.session.state.enrolled and checks[0].stopped


def test_the_face_prompt_follows_the_check_and_a_failure_can_be_tried_again(qtbot, window, checks):
    w = window("portrait")
    to_face(qtbot, w)
    qtbot.waitUntil(lambda: len(checks) == 1, timeout=5000)
    check = checks[0]
    assert w.face.prompt.text() == "Lihat lurus ke kamera"
    check.progress = LivenessState("ask", PROMPTS[Challenge.LEFT], 0, Challenge.LEFT)
    qtbot.waitUntil(lambda: w.face.prompt.text() == "Tolehkan kepala ke kiri", timeout=3000)
    assert w.face.steps.isVisible() and w.face.steps.text() == "Langkah 1 dari 2"
    check.progress = LivenessState("ask", PROMPTS[Challenge.BLINK], 1, Challenge.BLINK)
    qtbot.waitUntil(lambda: w.face.steps.text() == "Langkah 2 dari 2", timeout=3000)
    assert w.face.prompt.text() == QCoreApplication.translate("Liveness", "Blink your eyes")
    shot(w, "portrait_id_face_prompt")
    check.deciding = True
    check.progress = LivenessState("done", "Thank you.", 2, None)
    qtbot.waitUntil(lambda: w.face.prompt.text() == "Memeriksa\u2026", timeout=3000)
    check.finish(fc.FaceOutcome(fc.UNKNOWN))
    qtbot.waitUntil(lambda: w.session.state.id_message == "unknown", timeout=5000)
    settle(qtbot, w)
    assert w.face.notice.isVisible() and w.face.try_again.isVisible() and not w.face.prompt.isVisible()
    shot(w, "portrait_id_face_unknown")
    tap(qtbot, w.face.try_again)
    settle(qtbot, w)
    qtbot.waitUntil(lambda: len(checks) == 2, timeout=5000)
    assert w.session.state.id_message is None and not w.face.try_again.isVisible()
    checks[1].finish(fc.FaceOutcome(fc.MATCHED, "ACC-0042", 0.31))
    qtbot.waitUntil(lambda: w.session.state.step == Step.CONFIRM, timeout=5000)
    settle(qtbot, w)
    assert w.confirm.identity.text() == "Identitas: wajah dikenali" and not w.face_preview.running


def test_the_timeout_on_the_face_screen_stops_the_check_and_keeps_nothing(qtbot, window, checks, clock):
    w = window("landscape")
    to_face(qtbot, w, "en")
    qtbot.waitUntil(lambda: len(checks) == 1 and w.face_preview.running, timeout=5000)
    checks[0].progress = LivenessState("ask", PROMPTS[Challenge.RIGHT], 0, Challenge.RIGHT)
    qtbot.waitUntil(lambda: w.face.prompt.text() == "Turn your head to the right", timeout=3000)
    shot(w, "landscape_en_face_prompt")
    clock.advance(seconds=w.settings.timeouts.inactivity_seconds + 1)
    w.on_tick()
    settle(qtbot, w)
    state = w.session.state
    assert state.step == Step.IDLE and state.identity is None and state.id_message is None
    assert checks[0].stopped and not w.flow.identity.running and not w.face_preview.running
    assert w.face.preview.image is None


# -- every identify screen, in its hard states, at every size and look ----------------------------------


STATES = {
    "face": (Step.IDENTIFY, None),
    "face-unknown": (Step.IDENTIFY, "unknown"),
    "face-nocamera": (Step.IDENTIFY, "camera"),
    "scan-refused": (Step.SCAN, "credential.expired"),
    "nik-refused": (Step.NIK, "nik.date"),
    "consent": (Step.CONSENT, None),
    "enrol-failed": (Step.ENROL, "enrol_failed"),
}


@pytest.mark.parametrize("size", list(SIZES))
def test_identify_screens_fit_in_every_look_and_language(qtbot, window, size):
    w = window(size)
    languages = Languages(w.kiosk.catalog)
    to_detail(qtbot, w, *NIK_SERVICE)
    problems = {}
    for look in ("normal", "large", "contrast"):
        w.flow.session.set_look(large_text=look == "large", high_contrast=look == "contrast")
        for name, (step, message) in STATES.items():
            for language in ("id", "en"):
                session = w.flow.session
                session.state = dataclasses.replace(
                    session.state,
                    step=step,
                    language=language,
                    id_message=message,
                    nik_entry="3201013505900001" if step == Step.NIK else "",
                    enrol_subject="ACC-0042" if step in (Step.CONSENT, Step.ENROL) else None,
                )
                w.render()
                w.resize(*SIZES[size])
                settle(qtbot, w)
                if look == "normal" or size == "small":
                    shot(w, f"{size}_{language}_{look}_{name}")
                found = check_layout(w, languages)
                if found:
                    problems[f"{size} {language} {look} {name}"] = found
    w.flow.home()
    assert not problems, "\n".join(f"{k}: " + "; ".join(v) for k, v in problems.items())
