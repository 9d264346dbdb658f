"""The face screen: identify by face (IDENTIFY) or save the face after consent (ENROL).

A live mirrored preview with an oval to put the face in, the liveness prompt written large (the
flow says it too), how far the challenge has got, and always a way out: the QR code or the NIK
keypad (identify), or Skip (enrol). A failed attempt is told calmly (an amber card, the words of
kiosk.identity.message_for) with "Try again"; without a working camera the screen shows no preview,
only what happened and the ways out, large.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from ui.preview import PreviewView
from ui.screens.common import CENTER, action_button, show_action
from ui.screens.confirm import FitScroll
from ui.screens.notice import NoticeCard
from ui.screens.ways import TwoParts, attempt_text, show_way, way_button
from ui.theme import theme_of
from ui.widgets import button, label

IDENTIFY = "identify"
ENROL = "enrol"


class FaceScreen(QWidget):
    """Emits `switch(method)` ("qr", "nik"), `retry()` and `skip()` (enrol only)."""

    switch = Signal(str)
    retry = Signal()
    skip = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.mode = IDENTIFY
        self.parts = TwoParts(self)
        self.title = label("", "h2")
        self.parts.outer.insertWidget(0, self.title)
        self.steps = label("", "value", align=CENTER)
        self.prompt = label("", "display", align=CENTER)
        self.hint = label("", "body", align=CENTER)
        self.preview = PreviewView(guide=True, aspect=(4, 3))
        self.notice = NoticeCard(title_role="value")
        self.message = self.notice.title  # the failed attempt's words (tests read them here)
        self.try_again = button("", "primary")
        self.try_again.clicked.connect(self.retry)
        self.ways = {m: way_button(m) for m in ("qr", "nik")}
        for method, b in self.ways.items():
            b.clicked.connect(lambda _=False, method=method: self.switch.emit(method))
        self.skip_button = action_button()
        self.skip_button.clicked.connect(self.skip)
        # What to do now: scrolls only when a short screen in large text has no room for it.
        content = QWidget()
        self.words_box = QVBoxLayout(content)
        self.words_box.setContentsMargins(0, 0, 0, 0)
        for w in (self.steps, self.prompt, self.hint, self.notice):
            self.words_box.addWidget(w)
        self.words_box.addStretch(1)
        self.words = FitScroll(content)
        self.parts.first.addWidget(self.preview, 1)
        self.parts.second.addWidget(self.words, 1)
        self.parts.second.addWidget(self.try_again)
        for b in (*self.ways.values(), self.skip_button):
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.parts.bottom.addWidget(b, 1)
        # Without a camera the ways out come up under the words (not at the foot of an empty screen).
        self.parts.outer.addStretch(0)

    def _arrange(self, portrait: bool, theme) -> None:
        self.parts.arrange(portrait, theme, stretch=(1, 0) if portrait else (5, 4))
        self.words_box.setSpacing(theme.px(14))
        win = self.window()
        if portrait:  # the picture as tall as its width allows (4:3), no bars above and below
            self.preview.setMaximumHeight((win.width() - 2 * theme.px(48)) * 3 // 4)
        else:
            self.preview.setMaximumHeight(16777215)

    def render(
        self,
        *,
        mode: str,
        camera_ok: bool,
        running: bool,
        progress,
        deciding: bool,
        challenges: int,
        message: str | None,
        portrait: bool,
    ) -> None:
        """`progress` the face check's kiosk.liveness.LivenessState (None: no face yet);
        `message` the failed attempt's code (state.id_message)."""
        theme = theme_of(self)
        self.mode = mode
        self._arrange(portrait, theme)
        enrol = mode == ENROL
        self.title.setAlignment(CENTER if portrait else Qt.AlignmentFlag.AlignLeft)
        self.title.setText(self.tr("Saving your face") if enrol else self.tr("Show your face to the camera"))
        if not camera_ok and message is None:
            message = "camera"
        failed = message is not None
        no_camera = message == "camera" or not camera_ok
        # After a failure the words and the ways on take the room of the picture (nothing is checked).
        self.preview.setVisible(not no_camera and not (failed and not running))
        self.preview.guide_color = theme.colors.accent if theme.high_contrast else "#FFFFFF"
        self.preview.setMinimumSize(theme.px(320), theme.px(240))
        self.preview.placeholder = ""
        # What to do now: the prompt (the flow says it too), or what went wrong.
        self.prompt.setVisible(not failed)
        self.hint.setVisible(not failed)
        self.steps.setVisible(not failed and progress is not None and progress.phase in ("ask", "frontal"))
        if not failed:
            if deciding:
                self.prompt.setText(self.tr("Checking\u2026"))
                self.hint.setText(self.tr("Please stay in front of the camera."))
            elif progress is None:
                self.prompt.setText(QCoreApplication.translate("Liveness", "Look straight at the camera"))
                self.hint.setText(self.tr("Put your face inside the oval."))
            else:
                self.prompt.setText(QCoreApplication.translate("Liveness", progress.prompt))
                self.hint.setText(self.tr("Put your face inside the oval.") if progress.phase == "settle" else "")
                self.hint.setVisible(bool(self.hint.text()))
            if progress is not None:
                n = max(1, challenges)
                self.steps.setText(self.tr("Step {k} of {n}").format(k=min(progress.step + 1, n), n=n))
        if failed:
            self.notice.show_notice(attempt_text(message), "", "warning")
        else:
            self.notice.clear()
        self.try_again.setText(self.tr("Try again"))
        self.try_again.setVisible(failed and not no_camera and not running)
        self.try_again.setMinimumHeight(theme.touch(120))
        # The ways out: QR and NIK when identifying, Skip when saving the face.
        height = theme.touch(150 if no_camera and portrait else 110)
        for b in self.ways.values():
            show_way(b, theme, height)
            b.setVisible(not enrol)
        show_action(self.skip_button, self.tr("Skip, do not save"), "", theme.touch(110), theme)
        self.skip_button.setVisible(enrol)
        self.parts.bottom.setDirection(
            self.parts.bottom.Direction.TopToBottom
            if no_camera and portrait and not enrol
            else self.parts.bottom.Direction.LeftToRight
        )
        outer, still = self.parts.outer, self.preview.isHidden()
        outer.setStretch(outer.indexOf(self.parts.row), 0 if still else 1)
        outer.setStretch(outer.count() - 1, 1 if still else 0)
        self.words.widget().layout().invalidate()
        self.words.updateGeometry()
