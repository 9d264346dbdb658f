"""The visitor's screens. Thin: each renders what it is given and emits what was touched."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.catalog import Agency, Catalog, Service
from kiosk.errors import LeaseUsed, NeedsOnline, QuotaFull, ServiceClosed
from kiosk.i18n import translator
from kiosk.queue import Availability, Ticket, is_kiosk_estimate
from kiosk.session import PrintState
from ui import icons
from ui.errors import visitor_message
from ui.theme import PRIMARY
from ui.widgets import Card, QrView, RichButton, button, label

CENTER = Qt.AlignmentFlag.AlignCenter


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
        elif item.layout():
            _clear(item.layout())


def wait_text(minutes: int) -> str:
    if minutes <= 0:
        text = QCoreApplication.translate("Screens", "A counter is free now")
    else:
        text = QCoreApplication.translate("Screens", "About {m} min").format(m=minutes)
    if is_kiosk_estimate(minutes):  # part of a hall queue, but offline or stale: say whose count it is
        return QCoreApplication.translate("Screens", "{wait} (this kiosk's estimate)").format(wait=text)
    return text


def identity_text(service: Service) -> str:
    if service.identity == "nik":
        return QCoreApplication.translate("Screens", "Bring your KTP: your NIK is checked at the counter.")
    if service.identity == "face":
        return QCoreApplication.translate("Screens", "Your identity is checked by face at the counter.")
    if service.identity == "qr":
        return QCoreApplication.translate("Screens", "Bring the QR code of your online booking.")
    return ""


# The idle screen shows both languages at once, so it looks its strings up per language.
IDLE_WELCOME = QT_TRANSLATE_NOOP("Idle", "Welcome")
IDLE_WHAT = QT_TRANSLATE_NOOP("Idle", "Take a queue number here for every service in this hall.")
IDLE_CHOOSE = QT_TRANSLATE_NOOP("Idle", "Touch your language to start")
IDLE_NO_PRINTER = QT_TRANSLATE_NOOP("Idle", "The printer is not working: your number will be shown on the screen.")
FAULT_TITLE = QT_TRANSLATE_NOOP("Idle", "This kiosk is out of service")
FAULT_NEXT = QT_TRANSLATE_NOOP("Idle", "Please use another kiosk or ask at the information desk.")


class Scroll(QScrollArea):
    """A vertical list that scrolls: it asks for little height, so a long list never grows the window."""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setWidget(content)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A finger drags the list (kinetic scrolling), as on a phone; a tap still presses a button.
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, 200)


class Header(QFrame):
    language_clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("Header")
        row = QHBoxLayout(self)
        row.setContentsMargins(32, 14, 32, 14)
        self.brand = label("MPP", "brand", wrap=False)
        self.hall = label("", "brand", wrap=False)
        self.clock = label("", "clock", wrap=False)
        # Quiet: tickets still work offline; the mark is for the curious and for staff.
        self.offline = label("", "clock", wrap=False)
        self.offline.setVisible(False)
        self.language = button("", "header")
        self.language.setIcon(icons.icon("language", 64, PRIMARY))
        self.language.clicked.connect(self.language_clicked)
        row.addWidget(self.brand)
        row.addSpacing(16)
        row.addWidget(self.hall, 1)
        row.addWidget(self.offline)
        row.addSpacing(24)
        row.addWidget(self.clock)
        row.addSpacing(24)
        row.addWidget(self.language)

    def render(self, hall: str, clock: str, language: str, show_language: bool, offline: bool = False) -> None:
        self.hall.setText(hall)
        self.clock.setText(clock)
        self.offline.setText("\u25cb " + self.tr("Offline"))
        self.offline.setAccessibleName(self.tr("Offline: tickets still work"))
        self.offline.setVisible(offline)
        # The button names the other language, in that language, so a visitor can read it.
        self.language.setText("English" if language == "id" else "Bahasa Indonesia")
        self.language.setVisible(show_language)


class Footer(QWidget):
    back = Signal()
    home = Signal()

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(32, 8, 32, 24)
        box.setSpacing(12)
        # A full-width bar, hard to miss, while the session is about to be wiped.
        self.countdown = label("", "countdown", align=CENTER)
        box.addWidget(self.countdown)
        row = QHBoxLayout()
        box.addLayout(row)
        self.back_button = button("", "secondary")
        self.home_button = button("", "secondary")
        self.back_button.setIcon(icons.icon("back", 64, PRIMARY))
        self.home_button.setIcon(icons.icon("home", 64, PRIMARY))
        self.back_button.clicked.connect(self.back)
        self.home_button.clicked.connect(self.home)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.home_button)

    def render(self, *, show_back: bool, countdown: int | None, done: bool = False) -> None:
        self.back_button.setText(self.tr("Back"))
        self.back_button.setVisible(show_back)
        self.home_button.setText(self.tr("Done") if done else self.tr("Start over"))
        self.countdown.setVisible(countdown is not None)
        if countdown is not None:
            self.countdown.setText(self.tr("Back to start in {s} s. Touch the screen to stay.").format(s=countdown))


class IdleScreen(QWidget):
    """The attract screen: bilingual, two huge language buttons; either one starts.

    Portrait stacks the welcome above the buttons; landscape puts them side by side.
    """

    start = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.main = QGridLayout(self)
        self.main.setContentsMargins(64, 40, 64, 48)
        self.main.setSpacing(40)
        self.welcome = QWidget()
        box = QVBoxLayout(self.welcome)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        self.picture = QLabel()
        self.picture.setAlignment(CENTER)
        self.welcome_id = label("", "display", align=CENTER)
        self.welcome_en = label("", "h2", align=CENTER)
        self.hall = label("", "h1", align=CENTER)
        self.what_id = label("", "body", align=CENTER)
        self.what_en = label("", "muted", align=CENTER)
        for w in (self.picture, self.welcome_id, self.welcome_en, self.hall):
            box.addWidget(w)
        box.addSpacing(16)
        box.addWidget(self.what_id)
        box.addWidget(self.what_en)
        self.choice = QWidget()
        pick = QVBoxLayout(self.choice)
        pick.setContentsMargins(0, 0, 0, 0)
        pick.setSpacing(16)
        self.choose = label("", "h2", align=CENTER)
        self.choose_en = label("", "body", align=CENTER)
        pick.addWidget(self.choose)
        pick.addWidget(self.choose_en)
        self.buttons = QGridLayout()
        self.buttons.setSpacing(32)
        self.indonesian = button("Bahasa Indonesia", "language")
        self.english = button("English", "language")
        self.indonesian.clicked.connect(lambda: self.start.emit("id"))
        self.english.clicked.connect(lambda: self.start.emit("en"))
        pick.addLayout(self.buttons)
        self.printer = label("", "banner-error", align=CENTER)
        pick.addWidget(self.printer)
        self._portrait: bool | None = None

    def _arrange(self, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for w in (self.welcome, self.choice):
            self.main.removeWidget(w)
        for w in (self.indonesian, self.english):
            self.buttons.removeWidget(w)
        for i in range(3):
            self.main.setRowStretch(i, 0)
            self.main.setColumnStretch(i, 0)
        if portrait:  # welcome over the buttons, the buttons side by side
            self.main.addWidget(self.welcome, 1, 0)
            self.main.addWidget(self.choice, 2, 0)
            self.main.setRowStretch(0, 2)
            self.main.setRowStretch(3, 2)
            self.buttons.addWidget(self.indonesian, 0, 0)
            self.buttons.addWidget(self.english, 0, 1)
        else:  # welcome left, the buttons stacked on the right
            self.main.addWidget(self.welcome, 0, 0, Qt.AlignmentFlag.AlignVCenter)
            self.main.addWidget(self.choice, 0, 1, Qt.AlignmentFlag.AlignVCenter)
            self.main.setColumnStretch(0, 1)
            self.main.setColumnStretch(1, 1)
            self.buttons.addWidget(self.indonesian, 0, 0)
            self.buttons.addWidget(self.english, 1, 0)

    def render(self, hall: str, printer_ok: bool = True, portrait: bool = True, icon_size: int = 140) -> None:
        self._arrange(portrait)
        self.picture.setPixmap(icons.pixmap("ticket", icon_size, PRIMARY))
        ind, eng = translator("id").context("Idle"), translator("en").context("Idle")
        self.welcome_id.setText(ind(IDLE_WELCOME))
        self.welcome_en.setText(eng(IDLE_WELCOME))
        self.hall.setText(hall)
        self.what_id.setText(ind(IDLE_WHAT))
        self.what_en.setText(eng(IDLE_WHAT))
        self.choose.setText(ind(IDLE_CHOOSE))
        self.choose_en.setText(eng(IDLE_CHOOSE))
        self.printer.setText(ind(IDLE_NO_PRINTER) + "\n" + eng(IDLE_NO_PRINTER))
        self.printer.setVisible(not printer_ok)


class FaultScreen(QWidget):
    """Shown when the kiosk cannot work at all (its store or catalog cannot be opened)."""

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(64, 48, 64, 64)
        box.setSpacing(24)
        box.addStretch(1)
        self.title_id = label("", "display", align=CENTER)
        self.title_en = label("", "h2", align=CENTER)
        self.next_id = label("", "body", align=CENTER)
        self.next_en = label("", "muted", align=CENTER)
        self.reason = label("", "muted", align=CENTER)
        for w in (self.title_id, self.title_en, self.next_id, self.next_en):
            box.addWidget(w)
        box.addStretch(1)
        box.addWidget(self.reason)

    def render(self, reason: str) -> None:
        ind, eng = translator("id").context("Idle"), translator("en").context("Idle")
        self.title_id.setText(ind(FAULT_TITLE))
        self.title_en.setText(eng(FAULT_TITLE))
        self.next_id.setText(ind(FAULT_NEXT))
        self.next_en.setText(eng(FAULT_NEXT))
        self.reason.setText(reason)


class ChoiceScreen(QWidget):
    """A title, a hint, and big buttons in a grid that scrolls by finger if it must."""

    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(40, 32, 40, 8)
        box.setSpacing(20)
        self.title = label("", "h1")
        self.hint = label("", "muted")
        box.addWidget(self.title)
        box.addWidget(self.hint)
        self.grid = QGridLayout()
        self.grid.setSpacing(20)
        holder = QWidget()
        holder.setLayout(self.grid)
        box.addWidget(Scroll(holder), 1)

    def place(self, buttons: list[tuple[str, RichButton]], columns: int) -> None:
        """Replace the grid's buttons; each emits `chosen(code)` when touched."""
        _clear(self.grid)
        for i, (code, b) in enumerate(buttons):
            b.clicked.connect(lambda _=False, code=code: self.chosen.emit(code))
            self.grid.addWidget(b, i // columns, i % columns)
        for c in range(max(columns, 4)):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        rows = (len(buttons) + columns - 1) // columns
        for r in range(rows + 2):
            self.grid.setRowStretch(r, 1 if r == rows else 0)  # spare height goes below the buttons


class AgencyScreen(ChoiceScreen):
    def __init__(self) -> None:
        super().__init__()
        self._key = None

    def render(self, catalog: Catalog, language: str, columns: int, tile_height: int, icon_size: int = 72) -> None:
        self.title.setText(self.tr("Which agency do you need?"))
        self.hint.setText(self.tr("Touch one to see its services."))
        key = (id(catalog), language, columns, tile_height, icon_size)
        if key == self._key:
            return
        self._key = key
        tiles = []
        for agency in catalog.agencies:
            tile = RichButton("tile", "tile-title", "tile-sub")
            tile.setMinimumHeight(tile_height)
            tile.setStyleSheet(
                f"QPushButton {{ background: {agency.color}; border: none; }}"
                f"QPushButton:pressed {{ background: #0E1A2B; }}"
            )
            tile.set_text(agency.short(language), agency.name(language))
            tile.set_picture(icons.pixmap(agency.code, icon_size))
            tiles.append((agency.code, tile))
        self.place(tiles, columns)


class ServiceScreen(ChoiceScreen):
    def render(
        self,
        agency: Agency,
        language: str,
        online: bool,
        columns: int = 1,
        availability: dict[str, Availability] | None = None,
    ) -> None:
        """`availability` (service code -> today's queue) arrives from the store a moment later."""
        self.title.setText(agency.name(language))
        self.hint.setText(self.tr("Choose the service you came for."))
        rows = []
        for service in agency.services:
            row = RichButton("row", "row-title", "row-sub")
            row.setMinimumHeight(140)
            notes = [service.counter_group]
            today = (availability or {}).get(service.code)
            if not service.offline and not online:
                notes.append(self.tr("needs the online link (down now)"))
            elif today is not None and not today.open:
                notes.append(self.tr("closed now"))
            elif today is not None and today.lease_used:
                notes.append(self.tr("none left at this kiosk"))
            elif today is not None and today.quota_left <= 0:
                notes.append(self.tr("full for today"))
            elif today is not None and today.estimated_wait_minutes <= 0:
                notes.append(self.tr("no wait now"))
            elif today is not None:
                notes.append(self.tr("about {m} min wait").format(m=today.estimated_wait_minutes))
            if service.identity != "none" and (service.offline or online):
                notes.append(
                    {"nik": self.tr("bring your KTP"), "face": self.tr("face check"), "qr": self.tr("booking QR code")}[
                        service.identity
                    ]
                )
            row.set_text(service.name(language), "  \u00b7  ".join(notes))
            rows.append((service.code, row))
        self.place(rows, columns)


def _info_row(title: str, value: str) -> QWidget:
    w = QWidget()
    row = QHBoxLayout(w)
    row.setContentsMargins(0, 0, 0, 0)
    left = label(title, "muted")
    right = label(value, "value", wrap=True)
    right.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    row.addWidget(left, 1)
    row.addWidget(right, 1)
    return w


class DetailScreen(QWidget):
    take = Signal()

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(40, 32, 40, 8)
        box.setSpacing(20)
        self.title = label("", "h1")
        self.agency = label("", "muted")
        box.addWidget(self.title)
        box.addWidget(self.agency)
        self.error = label("", "banner-error")
        box.addWidget(self.error)
        self.body = QBoxHolder()
        box.addWidget(Scroll(self.body), 1)  # a long document list scrolls rather than being cut
        self.take_button = button("", "primary")
        self.take_button.clicked.connect(self.take)
        box.addWidget(self.take_button)

    def render(
        self,
        service: Service,
        agency: Agency,
        language: str,
        availability: Availability | None,
        error_text: str | None,
        online: bool,
        columns: int,
    ) -> None:
        self.title.setText(service.name(language))
        self.agency.setText(agency.name(language))
        # What blocks a ticket comes from the service and today's queue; the last attempt's error
        # (error_text) is shown, but a visitor may try again unless the queue itself says no.
        name = service.name(language)
        blocked = None
        if not service.offline and not online:
            blocked = visitor_message(NeedsOnline(service=name))
        elif availability is not None and not availability.open:
            blocked = visitor_message(ServiceClosed(service=name, opens_at=availability.opens_at or "-"))
        elif availability is not None and availability.lease_used:
            blocked = visitor_message(LeaseUsed(service=name, quota=service.daily_quota, opens_at="-"))
        elif availability is not None and availability.quota_left <= 0:
            blocked = visitor_message(
                QuotaFull(service=name, quota=service.daily_quota, opens_at=availability.opens_at or "-")
            )
        problem = error_text or blocked
        self.error.setVisible(bool(problem))
        self.error.setText(problem or "")
        self.take_button.setText(self.tr("Take a queue number"))
        self.take_button.setEnabled(availability is not None and blocked is None)
        docs = Card()
        docs.box.addWidget(label(self.tr("Have these ready"), "h2"))
        for d in service.documents:
            docs.box.addWidget(label("\u2610  " + d(language), "body"))
        if note := identity_text(service):
            docs.box.addWidget(label(note, "muted"))
        docs.box.addStretch(1)
        info = Card()
        info.box.addWidget(label(self.tr("Today"), "h2"))
        if availability is None:
            info.box.addWidget(label(self.tr("Checking the queue\u2026"), "muted"))
        else:
            info.box.addWidget(_info_row(self.tr("People waiting"), str(availability.people_ahead)))
            wait = wait_text(availability.estimated_wait_minutes) if availability.open else "\u2013"
            info.box.addWidget(_info_row(self.tr("Estimated wait"), wait))
            info.box.addWidget(
                _info_row(self.tr("Numbers left today"), f"{availability.quota_left} / {service.daily_quota}")
            )
        info.box.addWidget(_info_row(self.tr("Counter"), service.counter_group))
        info.box.addStretch(1)
        self.body.show_cards([docs, info], columns)


class QBoxHolder(QWidget):
    """Lays cards side by side (landscape) or stacked (portrait)."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(20)

    def show_cards(self, cards: list[QWidget], columns: int) -> None:
        _clear(self.grid)
        for i, card in enumerate(cards):
            self.grid.addWidget(card, i // columns, i % columns)
        for c in range(2):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        rows = (len(cards) + columns - 1) // columns
        for r in range(3):
            self.grid.setRowStretch(r, 1 if r == rows else 0)  # spare height goes below the cards


class ConfirmScreen(QWidget):
    confirm = Signal()
    back = Signal()

    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.setContentsMargins(64, 48, 64, 24)
        box.setSpacing(28)
        box.addStretch(1)
        self.question = label("", "h2", align=CENTER)
        self.service = label("", "display", align=CENTER)
        self.agency = label("", "body", align=CENTER)
        self.wait = label("", "h2", align=CENTER)
        for w in (self.question, self.service, self.agency, self.wait):
            box.addWidget(w)
        box.addStretch(1)
        self.printer = label("", "banner-error", align=CENTER)
        box.addWidget(self.printer)
        self.yes = button("", "primary")
        self.yes.clicked.connect(self.confirm)
        box.addWidget(self.yes)
        self.no = button("", "secondary")
        self.no.clicked.connect(self.back)
        box.addWidget(self.no)
        box.addStretch(1)

    def render(
        self,
        service: Service,
        agency: Agency,
        language: str,
        availability: Availability | None,
        printer_ok: bool = True,
    ) -> None:
        self.printer.setText(self.tr("The printer is not working: your number will be shown on the screen."))
        self.printer.setVisible(not printer_ok)
        self.question.setText(self.tr("Print a queue number for:"))
        self.service.setText(service.name(language))
        self.agency.setText(agency.name(language))
        if availability is not None:
            self.wait.setText(
                self.tr("Estimated wait: {wait}").format(wait=wait_text(availability.estimated_wait_minutes))
            )
        self.wait.setVisible(availability is not None)
        self.yes.setText(self.tr("Yes, print my number"))
        self.no.setText(self.tr("No, go back"))


class IssuingScreen(QWidget):
    def __init__(self) -> None:
        super().__init__()
        box = QVBoxLayout(self)
        box.addStretch(1)
        self.text = label("", "h1", align=CENTER)
        box.addWidget(self.text)
        box.addStretch(1)

    def render(self) -> None:
        self.text.setText(self.tr("Making your queue number\u2026"))


class TicketScreen(QWidget):
    """The number, its QR code and what to do next; side by side in landscape, stacked in portrait."""

    def __init__(self) -> None:
        super().__init__()
        self.main = QGridLayout(self)
        self.main.setContentsMargins(48, 24, 48, 8)
        self.main.setSpacing(16)
        self.caption = label("", "h2", align=CENTER)
        self.number = label("", "number", wrap=False, align=CENTER)
        self.service = label("", "h2", align=CENTER)
        self.head = QWidget()
        head = QVBoxLayout(self.head)
        head.setContentsMargins(0, 0, 0, 0)
        for w in (self.caption, self.number, self.service):
            head.addWidget(w)
        self.qr = QrView()
        self.ahead = label("", "h2")
        self.wait = label("", "body")
        self.counter = label("", "body")
        self.docs = label("", "muted")
        self.facts_widget = QWidget()
        facts = QVBoxLayout(self.facts_widget)
        facts.setContentsMargins(0, 0, 0, 0)
        for w in (self.ahead, self.wait, self.counter, self.docs):
            facts.addWidget(w)
        self.status = label("", "banner-ok")
        self._portrait: bool | None = None

    def _arrange(self, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for w in (self.head, self.qr, self.facts_widget, self.status):
            self.main.removeWidget(w)
        for r in range(6):
            self.main.setRowStretch(r, 0)
        if portrait:
            self.main.addWidget(self.head, 0, 0)
            self.main.addWidget(self.qr, 1, 0, Qt.AlignmentFlag.AlignHCenter)
            self.main.addWidget(self.facts_widget, 2, 0)
            self.main.setRowStretch(3, 1)
            self.main.addWidget(self.status, 4, 0)
        else:
            self.main.addWidget(self.head, 0, 0)
            self.main.addWidget(self.facts_widget, 1, 0)
            self.main.addWidget(self.qr, 0, 1, 2, 1, Qt.AlignmentFlag.AlignCenter)
            self.main.setRowStretch(2, 1)
            self.main.addWidget(self.status, 3, 0, 1, 2)

    def render(
        self,
        ticket: Ticket,
        service: Service,
        language: str,
        matrix,
        print_state: PrintState,
        error_text: str | None,
        portrait: bool,
        qr_side: int,
    ) -> None:
        self._arrange(portrait)
        self.caption.setText(self.tr("Your queue number"))
        self.number.setText(ticket.number)
        self.number.setAccessibleName(ticket.number)
        self.service.setText(service.name(language))
        self.qr.set_matrix(matrix)
        self.qr.setFixedSize(qr_side, qr_side)
        self.ahead.setText(self.tr("People ahead of you: {n}").format(n=ticket.people_ahead))
        self.wait.setText(self.tr("Estimated wait: {wait}").format(wait=wait_text(ticket.estimated_wait_minutes)))
        self.counter.setText(self.tr("Counter: {group}").format(group=service.counter_group))
        docs = ", ".join(d(language) for d in service.documents)
        self.docs.setText(self.tr("Have ready: {docs}").format(docs=docs) if docs else "")
        if print_state == PrintState.PRINTING:
            self.status.setProperty("role", "banner-ok")
            self.status.setText(self.tr("Printing your ticket\u2026"))
        elif print_state == PrintState.PRINTED:
            self.status.setProperty("role", "banner-ok")
            self.status.setText(self.tr("Please take your ticket from the printer below the screen."))
        else:
            self.status.setProperty("role", "banner-error")
            self.status.setText(error_text or "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)


__all__ = [
    "AgencyScreen",
    "ConfirmScreen",
    "DetailScreen",
    "FaultScreen",
    "Footer",
    "Header",
    "IdleScreen",
    "IssuingScreen",
    "ServiceScreen",
    "TicketScreen",
]
