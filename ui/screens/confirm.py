"""The last question before the number is made.

Where the fingers go: "No, go back" on top (top left; on a wide screen atop the answers' column);
"Yes" at the bottom, where the detail screen's "Take a queue number" was, so a slow double tap on
"Take" lands on "Yes" (the same way on), never on a way back. What is asked sits between them and
scrolls on a short screen (1366 x 768 in large text): the question can never push "Yes" off the
screen or make the window grow.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk import wording
from kiosk.catalog import Agency, Service
from kiosk.priority import Priority
from kiosk.queue import Availability
from ui.screens.common import CENTER, Scroll
from ui.screens.notice import NoticeCard
from ui.theme import theme_of
from ui.widgets import RichButton, button, label


class FitScroll(Scroll):
    """A part of a screen that scrolls only when the screen is too short for it: it asks for its
    content's height at its width, and for next to nothing as its minimum (the window never grows)."""

    def sizeHint(self) -> QSize:  # noqa: N802
        content = self.widget()
        # The width without a scroll bar: when the room is there, none is needed.
        width = self.width() - 2 * self.frameWidth() if self.width() > 0 else content.sizeHint().width()
        layout = content.layout()
        if layout is not None and layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(width)
        else:
            height = content.sizeHint().height()
        return QSize(content.sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, 0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the wrapped words need another height at this width

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        # The content's layout changed (new words, a new look's fonts once polished): a scroll area
        # does not tell its own layout, so ask again for the room.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


def masked_nik(masked: str) -> str:
    """A masked NIK ("3201********0001") in groups of four, as the visitor typed it."""
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


def _column() -> tuple[QWidget, QVBoxLayout]:
    w = QWidget()
    box = QVBoxLayout(w)
    box.setContentsMargins(0, 0, 0, 0)
    return w, box


class ConfirmScreen(QWidget):
    confirm = Signal()
    back = Signal()
    #: The priority row was touched: open the priority chooser.
    priority_clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        # Left (or top): the way back and what is asked. Right (or bottom): the priority row, the
        # printer notice and "Yes".
        self.ask, ask = _column()
        self.answer, answer = _column()
        self.box.addWidget(self.ask, 1)
        self.box.addWidget(self.answer, 0)
        self.no = button("", "secondary")
        self.no.clicked.connect(self.back)
        facts, self.facts_box = _column()
        self.question = label("", "h2", align=CENTER)
        self.service = label("", "display", align=CENTER)
        self.agency = label("", "body", align=CENTER)
        self.wait = label("", "h2", align=CENTER)
        self.counter = self.agency  # the agency, then where its counters are
        # How the visitor proved who they are (a service that needs identity), and a saved face.
        self.identity = label("", "body", align=CENTER)
        self.enrolled = label("", "body", align=CENTER)
        self.facts_box.addStretch(1)  # the question sits in the middle of its room
        for w in (self.question, self.service, self.agency, self.wait, self.identity, self.enrolled):
            self.facts_box.addWidget(w)
        self.facts_box.addStretch(1)
        self.facts = FitScroll(facts)
        ask.addWidget(self.facts, 1)
        # Priority (elderly, disability, pregnant, infant): a row that opens the chooser; see render_priority.
        self.priority = RichButton("row", "row-title", "row-sub")
        self.priority.clicked.connect(self.priority_clicked)
        # As tall as its words: the spare height goes above it, not into it.
        self.priority.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.notice = NoticeCard(title_role="value")
        self.printer = self.notice.body  # what the visitor is told about the printer (tests read it here)
        extras, self.extras_box = _column()
        self.extras_box.addStretch(1)  # against "Yes" when there is room to spare
        self.extras_box.addWidget(self.priority)
        self.extras_box.addWidget(self.notice)
        self.extras = FitScroll(extras)
        answer.addWidget(self.extras, 1)
        self.yes = button("", "primary")
        self.yes.clicked.connect(self.confirm)
        answer.addWidget(self.yes)
        self._look: tuple | None = None

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """Side by side on a landscape screen (decided by the window, whose size is known before
        this page is laid out), one above the other on a portrait one; sizes from the theme."""
        win = self.window()
        wide = win.width() > win.height()
        t = theme_of(self)
        look = (wide, t)
        if look == self._look:
            return
        self._look = look
        # "No, go back" on top: above the question on a tall screen; on a wide one atop the answers'
        # column, so the question has the whole height of its own.
        for column in (self.ask, self.answer):
            column.layout().removeWidget(self.no)
        home = self.answer if wide else self.ask
        home.layout().insertWidget(0, self.no, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        # Wide: two equal columns. Tall: the question takes the room, the answer what it needs.
        self.box.setStretch(0, 1)
        self.box.setStretch(1, 1 if wide else 0)
        self.box.setContentsMargins(t.px(56), t.px(24), t.px(56), t.px(16))
        self.box.setSpacing(t.px(40) if wide else t.px(16))
        for column in (self.ask, self.answer):
            column.layout().setSpacing(t.px(16))
        self.facts_box.setSpacing(t.px(14))
        self.extras_box.setSpacing(t.px(16))
        self.priority.setMinimumHeight(t.touch(96))
        self.facts.updateGeometry()
        self.extras.updateGeometry()

    def render(
        self,
        service: Service,
        agency: Agency,
        language: str,
        availability: Availability | None,
        printer_ok: bool = True,
        printer_configured: bool = True,
    ) -> None:
        """`printer_ok` False: a configured printer does not work now (a calm notice, the number is
        shown on the screen); `printer_configured` False: the kiosk prints nothing, on purpose."""
        self._arrange()
        prints = printer_ok and printer_configured
        if printer_configured and not printer_ok:
            self.notice.show_notice(
                self.tr("The printer is not working right now"),
                self.tr("Your number will be shown on the screen: you can take a photo of it or write it down."),
                "warning",
            )
        else:
            self.notice.clear()
        self.question.setText(self.tr("Take a queue number for:"))
        self.service.setText(service.name(language))
        self.agency.setText(f"{agency.name(language)}\n{wording.counter_place(service, language)}")
        if availability is not None:
            minutes = availability.estimated_wait_minutes
            text = wording.wait(minutes, language, people_ahead=availability.people_ahead)
            self.wait.setText(text if minutes <= 0 else self.tr("Estimated wait: {wait}").format(wait=text))
        else:
            self.wait.setText("")  # no stale wait from another service or language keeps its room
        self.wait.setVisible(availability is not None)
        self.yes.setText(self.tr("Yes, print my number") if prints else self.tr("Yes, show my number"))
        self.no.setText(self.tr("No, go back"))
        self._refit()

    def render_identity(self, identity, enrolled: bool) -> None:
        """One calm line of how identity was checked (`identity` a kiosk.identity.Identity; a NIK
        masked, never in full), and a line when the face was saved for next time."""
        text = ""
        if identity is not None:
            if identity.method == "nik":
                text = self.tr("Identity: NIK {nik}").format(nik=masked_nik(identity.masked))
            elif identity.method == "face":
                text = self.tr("Identity: face recognised")
            else:
                text = self.tr("Identity: QR code verified")
        self.identity.setText(text)
        self.identity.setVisible(bool(text))
        self.enrolled.setText(self.tr("Your face is saved for next time.") if enrolled else "")
        self.enrolled.setVisible(enrolled)
        self._refit()

    def render_priority(self, kind: str | None, language: str, icon) -> None:
        """The priority row: "I am entitled to priority" or "Priority queue: Elderly" (`icon` a pixmap)."""
        if kind is None:
            self.priority.set_text(self.tr("I am entitled to priority"), "")
        else:
            self.priority.set_text(self.tr("Priority queue: {kind}").format(kind=Priority(kind).label(language)), "")
        self.priority.setAccessibleName(self.priority.title.text() + ". " + self.tr("Touch to change"))
        self.priority.set_picture(icon)
        self.priority.setMinimumHeight(theme_of(self).touch(96))
        self._refit()

    def _refit(self) -> None:
        """New words: the scrolling parts ask again for the height they need."""
        for part in (self.facts, self.extras):
            part.widget().layout().invalidate()
            part.updateGeometry()
