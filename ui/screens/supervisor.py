"""The supervisor's screens: the hidden corner gesture, the PIN pad (a badge QR also lets in) and
the supervisor screen (health, today's tickets per service with pause/resume, sync backlog and
"Sync now", out of service, reprint, diagnostics, exit to the desktop). Staff-facing: denser than
the visitor screens, in the kiosk's language; device names and reasons as the devices word them."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QPoint, QRect, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from ui.screens.common import Scroll, staff_title_bar
from ui.screens.pin import PinScreen
from ui.theme import theme_of
from ui.widgets import Card, bilingual, button, label

#: The supervisor's hidden way in: a press held this long in the top-left or bottom-left corner.
HOLD_MS = 3000
#: The corner's side, in pixels of the page (scaled by nothing: a finger's width and a bit).
CORNER_PX = 140

#: The PIN pad's own words (the rest of the pad is the technician's, ui/screens/pin.py).
PIN_TITLE = QT_TRANSLATE_NOOP("SupervisorPinScreen", "Supervisor")
PIN_CHECKING = QT_TRANSLATE_NOOP("SupervisorPinScreen", "Checking\u2026")
PIN_HINT = QT_TRANSLATE_NOOP("SupervisorPinScreen", "Enter the supervisor PIN or scan your supervisor badge.")
PIN_NO_PIN = QT_TRANSLATE_NOOP(
    "SupervisorPinScreen", "No supervisor PIN is set on this kiosk. Scan your supervisor badge."
)
PIN_BADGE_REFUSED = QT_TRANSLATE_NOOP("SupervisorPinScreen", "This code is not a valid supervisor badge.")

_PRESS = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)
_END = (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel)


def _pin_tr(text: str) -> str:
    return QCoreApplication.translate("SupervisorPinScreen", text)


class CornerHold(QObject):
    """An application-wide filter: a press held HOLD_MS in a left corner of `page()` emits
    `held`; a release, or a move out of the corner, stops it. `page` returns the widget shown now
    (None: the gesture is off, e.g. not on the idle screen)."""

    held = Signal()

    def __init__(self, page, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.hold_ms = HOLD_MS
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.held)

    def in_corner(self, global_pos: QPoint) -> bool:
        page = self.page()
        if page is None or not page.isVisible():
            return False
        local = page.mapFromGlobal(global_pos)
        side = CORNER_PX
        top_left = QRect(0, 0, side, side)
        bottom_left = QRect(0, page.height() - side, side, side)
        return top_left.contains(local) or bottom_left.contains(local)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in _PRESS and isinstance(watched, QWidget):
            pos = _global_pos(event)
            if pos is not None and self.in_corner(pos):
                self.timer.start(self.hold_ms)
            else:
                self.timer.stop()
        elif kind in _END:
            self.timer.stop()
        elif kind == QEvent.Type.MouseMove and self.timer.isActive():
            pos = _global_pos(event)
            if pos is not None and not self.in_corner(pos):
                self.timer.stop()
        return False


def _global_pos(event) -> QPoint | None:
    if hasattr(event, "globalPosition"):
        return event.globalPosition().toPoint()
    points = getattr(event, "points", lambda: [])()
    return points[0].globalPosition().toPoint() if points else None


class SupervisorPinScreen(PinScreen):
    """The technician's PIN pad with the supervisor's words; a badge QR scanned lets in too."""

    def render(self, *, configured: bool, status, busy: bool, now, portrait: bool, badge_refused=None) -> None:
        # The pad shows also without a PIN configured: a badge may still be scanned, but keys do nothing.
        super().render(configured=configured, status=status, busy=busy, now=now, portrait=portrait)
        self.title.setText(_pin_tr(PIN_TITLE))
        if busy:
            self.hint.setText(_pin_tr(PIN_CHECKING))
        elif configured:
            self.hint.setText(_pin_tr(PIN_HINT))
        else:
            self.hint.setText(_pin_tr(PIN_NO_PIN))
        if badge_refused:
            self.message.setText(_pin_tr(PIN_BADGE_REFUSED))
            self.message.show()


class SupervisorScreen(QWidget):
    """Emits the supervisor's actions; renders the flow's Supervisor facts."""

    close_clicked = Signal()
    sync_now = Signal()
    out_of_service = Signal(bool)
    reprint = Signal()
    diagnostics = Signal()
    exit_confirmed = Signal()
    pause = Signal(str, bool)

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        self.outer = outer
        outer.addLayout(staff_title_bar(self, self.close_clicked))
        content = QWidget()
        self.list = QVBoxLayout(content)
        self.list.setContentsMargins(0, 0, 0, 0)
        # Health.
        self.health_card = Card()
        self.health_title = label("", "value")
        self.health_card.box.addWidget(self.health_title)
        self.health_lines = QVBoxLayout()
        self.health_card.box.addLayout(self.health_lines)
        self.list.addWidget(self.health_card)
        # Actions.
        self.actions = QGridLayout()
        self.sync_button = button("", "secondary")
        self.lock_button = button("", "secondary")
        self.reprint_button = button("", "secondary")
        self.diagnostics_button = button("", "secondary")
        self.exit_button = button("", "secondary")
        self.sync_button.clicked.connect(self.sync_now)
        self.lock_button.clicked.connect(lambda: self.out_of_service.emit(not self._locked))
        self.reprint_button.clicked.connect(self.reprint)
        self.diagnostics_button.clicked.connect(self.diagnostics)
        self.exit_button.clicked.connect(self.ask_exit)
        self.action_buttons = (
            self.sync_button,
            self.lock_button,
            self.reprint_button,
            self.diagnostics_button,
            self.exit_button,
        )
        for b in self.action_buttons:
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.list.addLayout(self.actions)
        # The exit's confirmation (hidden until Exit is pressed).
        self.confirm_card = Card()
        self.confirm_text = label("", "body")
        self.confirm_yes = button("", "primary")
        self.confirm_no = button("", "secondary")
        self.confirm_yes.clicked.connect(self._exit_yes)
        self.confirm_no.clicked.connect(self._exit_no)
        row = QHBoxLayout()
        row.addWidget(self.confirm_yes)
        row.addWidget(self.confirm_no)
        self.confirm_card.box.addWidget(self.confirm_text)
        self.confirm_card.box.addLayout(row)
        self.confirm_card.hide()
        self.list.addWidget(self.confirm_card)
        self.results = QVBoxLayout()
        self.list.addLayout(self.results)
        # Today's tickets per service.
        self.services_card = Card()
        self.services_title = label("", "value")
        self.services_card.box.addWidget(self.services_title)
        self.service_rows = QGridLayout()
        self.services_card.box.addLayout(self.service_rows)
        self.list.addWidget(self.services_card)
        self.list.addStretch(1)
        self.scroll = Scroll(content)
        outer.addWidget(self.scroll, 1)
        self._locked = False
        self._columns = 0
        #: Pause/resume buttons by service code (for tests and the accessible names).
        self.pause_buttons: dict[str, QWidget] = {}
        #: The count label of each service by code.
        self.counts: dict[str, QWidget] = {}

    # -- exit ---------------------------------------------------------------------------------------
    def ask_exit(self) -> None:
        self.confirm_card.show()

    def _exit_yes(self) -> None:
        self.confirm_card.hide()
        self.exit_confirmed.emit()

    def _exit_no(self) -> None:
        self.confirm_card.hide()

    # -- render -------------------------------------------------------------------------------------
    def render(self, supervisor, *, catalog, language: str, printer_ok: bool, sync_status, locked, portrait) -> None:
        """`supervisor`: the flow's Supervisor (tickets_today, paused, busy, results)."""
        theme = theme_of(self)
        self.outer.setContentsMargins(theme.px(32), theme.px(20), theme.px(32), theme.px(20))
        self.outer.setSpacing(theme.px(16))
        self.list.setSpacing(theme.px(16))
        self.actions.setSpacing(theme.px(12))
        self._locked = locked
        self.title.setText(self.tr("Supervisor"))
        self.close_button.setText(self.tr("Close"))
        self.close_button.setMinimumHeight(theme.touch(100))
        # Health.
        self.health_title.setText(self.tr("Kiosk and devices"))
        lines = [self.tr("Printer: ready") if printer_ok else self.tr("Printer: not ready")]
        for h in supervisor.flow.device_health:
            lines.append(f"{h.name}: {h.status} {h.reason}".rstrip())
        if sync_status is None:
            lines.append(self.tr("Sync: not running"))
        else:
            state = self.tr("online") if sync_status.online else self.tr("offline")
            lines.append(
                self.tr("Sync: {state}, {n} facts waiting to be sent").format(state=state, n=sync_status.backlog)
            )
        lines.append(self.tr("Out of service") if locked else self.tr("In service"))
        _fill(self.health_lines, [bilingual(label(text, "body")) for text in lines])
        # Actions.
        busy = supervisor.busy
        for b, text in (
            (self.sync_button, self.tr("Sync now")),
            (self.lock_button, self.tr("Back in service") if locked else self.tr("Take out of service")),
            (self.reprint_button, self.tr("Reprint last ticket")),
            (self.diagnostics_button, self.tr("Diagnostics")),
            (self.exit_button, self.tr("Exit to desktop")),
        ):
            b.setText(text)
            b.setMinimumHeight(theme.touch(100))
        self.lock_button.setEnabled("lock" not in busy)
        self.reprint_button.setEnabled(supervisor.can_reprint and "reprint" not in busy)
        columns = 1 if theme.large_text else 2
        if columns != self._columns:
            self._columns = columns
            for b in self.action_buttons:
                self.actions.removeWidget(b)
            for i, b in enumerate(self.action_buttons):
                self.actions.addWidget(b, i // columns, i % columns)
        self.confirm_text.setText(
            self.tr("Exit to the desktop? The kiosk stops serving visitors until it is started again.")
        )
        self.confirm_yes.setText(self.tr("Yes, exit"))
        self.confirm_no.setText(self.tr("No"))
        for b in (self.confirm_yes, self.confirm_no):
            b.setMinimumHeight(theme.touch(100))
        words = {
            "sync": (self.tr("A sync round was asked for."), ""),
            "lock": (self.tr("Saved."), self.tr("Not saved.")),
            "reprint": (self.tr("The last ticket was printed again."), self.tr("Not reprinted.")),
        }
        banners = []
        for name, (ok, _detail) in supervisor.results.items():
            key = "lock" if name.startswith("pause:") else name
            if key in words and (ok or words[key][1]):
                banners.append(label(words[key][0 if ok else 1], "banner-ok" if ok else "banner-error"))
        _fill(self.results, banners)
        # Today's tickets per service.
        self.services_title.setText(self.tr("Tickets today per service"))
        self._render_services(supervisor, catalog, language, theme)

    def _render_services(self, supervisor, catalog, language: str, theme) -> None:
        grid = self.service_rows
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.pause_buttons, self.counts = {}, {}
        if catalog is None:
            return
        counts = supervisor.tickets_today or {}
        grid.setHorizontalSpacing(theme.px(16))
        grid.setVerticalSpacing(theme.px(8))
        grid.setColumnStretch(0, 1)
        for row, service in enumerate(catalog.services()):
            paused = service.code in supervisor.paused
            name = service.name(language)
            text = f"{service.code} \u00b7 {name}"
            if paused:
                text += " \u00b7 " + self.tr("paused")
            lab = bilingual(label(text, "body"))
            count = label(str(counts.get(service.code, 0)), "value")
            b = button(self.tr("Resume") if paused else self.tr("Pause"), "secondary")
            b.setAccessibleName(
                (self.tr("Resume {service}") if paused else self.tr("Pause {service}")).format(service=name)
            )
            b.setMinimumSize(theme.touch(90), theme.touch(90))
            b.setEnabled(f"pause:{service.code}" not in supervisor.busy)
            b.clicked.connect(lambda _=False, code=service.code, p=paused: self.pause.emit(code, not p))
            grid.addWidget(lab, row, 0)
            grid.addWidget(count, row, 1)
            grid.addWidget(b, row, 2)
            self.pause_buttons[service.code] = b
            self.counts[service.code] = count


def _fill(box, widgets: list) -> None:
    while box.count():
        item = box.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
    for w in widgets:
        box.addWidget(w)
