"""The visitor's number, where to go, its QR code and what to do next.

Calm whatever the printer did: when the ticket is not on paper, the number grows, an amber card
says why and what to do, the screen stays twice as long (kiosk.session), and a quiet line counts
down instead of a red bar. "Done" is on the screen itself.

The number is drawn as large as the room it gets allows (never cut, never wrapped): on a short
screen in large text it gives way before anything else is cut, the QR code shrinks to its room,
and the people ahead, the wait and the documents scroll.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk import wording
from kiosk.catalog import Service
from kiosk.priority import Priority
from kiosk.queue import Ticket
from kiosk.session import PrintState
from ui.errors import Notice
from ui.screens.common import CENTER
from ui.screens.confirm import FitScroll
from ui.screens.notice import NoticeCard
from ui.theme import theme_of
from ui.widgets import Label, QrView, button, label


class FitNumber(QLabel):
    """The queue number on one line, drawn in the largest font between `least` and `limit` px that
    fits the label's room; it takes the room its column can spare (up to the limit's height)."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "number")
        self.setAlignment(CENTER)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._least = 24
        self._limit = 180

    def set_range(self, least: int, limit: int) -> None:
        least, limit = max(1, least), max(least, limit)
        if (least, limit) == (self._least, self._limit):
            return
        self._least, self._limit = least, limit
        self.setMaximumHeight(self._metrics(limit).height())
        self.updateGeometry()
        self.update()

    def _font(self, px: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(px)
        return font

    def _metrics(self, px: int) -> QFontMetrics:
        return QFontMetrics(self._font(px))

    def _need(self, px: int) -> QSize:
        m = self._metrics(px)
        return QSize(m.horizontalAdvance(self.text()) + 2 * self.margin(), m.height())

    def fitted_px(self) -> int:
        """The largest font size (px) in which the whole number fits the label now."""
        room = self.contentsRect().size()
        low, high = self._least, self._limit
        while low < high:
            mid = (low + high + 1) // 2
            need = self._need(mid)
            if need.width() <= room.width() and need.height() <= room.height():
                low = mid
            else:
                high = mid - 1
        return low

    def sizeHint(self) -> QSize:  # noqa: N802
        return self._need(self._least)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self._need(self._least)

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setFont(self._font(self.fitted_px()))
        p.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        p.drawText(self.contentsRect(), int(self.alignment()), self.text())
        p.end()


class FitQr(QrView):
    """The QR code as a square as large as its room allows, between `least` and `limit` px."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._least = self._limit = 200

    def set_range(self, least: int, limit: int) -> None:
        self._least, self._limit = least, max(least, limit)
        self.setMinimumSize(self._least, self._least)
        self.setMaximumSize(16777215, self._limit)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._limit, self._limit)

    def paintEvent(self, event) -> None:  # noqa: N802
        side = min(self.width(), self.height(), self._limit)
        square = QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)
        p = QPainter(self)
        p.fillRect(square, QColor("white"))
        if self._image is not None:
            n = self._image.width()
            cell = side // n
            x, y = square.x() + (side - cell * n) // 2, square.y() + (side - cell * n) // 2
            p.drawImage(QRect(x, y, cell * n, cell * n), self._image)  # nearest-neighbour: sharp modules
        p.end()


class _Facts(FitScroll):
    """The people ahead, the wait and the documents: asks for the first line's room (the number
    comes first), takes more when the column can spare it, and scrolls for the rest."""

    def __init__(self, content: QWidget, first: tuple[QWidget, ...]) -> None:
        super().__init__(content)
        self._first = first
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802
        full = super().sizeHint()
        width = max(1, self.width() - 2 * self.frameWidth())
        first = sum(w.heightForWidth(width) if w.hasHeightForWidth() else w.sizeHint().height() for w in self._first)
        spacing = self.widget().layout().spacing() * (len(self._first) - 1)
        return QSize(full.width(), min(full.height(), first + spacing))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()  # the people ahead and the wait are never scrolled away


class _Countdown(Label):
    """The quiet countdown line: its room (for the longest text it will show) is kept all along,
    so nothing jumps and the window never grows when it appears."""

    sample = ""

    def _room(self, width: int) -> int:
        m = self.contentsMargins()
        inner = max(1, width - m.left() - m.right())
        rect = self.fontMetrics().boundingRect(QRect(0, 0, inner, 100000), int(Qt.TextFlag.TextWordWrap), self.sample)
        return rect.height() + m.top() + m.bottom()

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return max(super().heightForWidth(width), self._room(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        if self.width() < 100:  # not laid out yet: the height for its width comes with the layout
            return hint
        return QSize(hint.width(), max(hint.height(), self._room(self.width())))


class _Column(QWidget):
    """A column of the landscape page. It takes the whole height of its row whatever it asks, and
    lays its wrapped lines out at the width it really has; so it asks the window for no
    height-for-width of its own (a layout trying a narrower width first would make the window grow)."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return False


def _box(*widgets: QWidget, kind=QWidget) -> tuple[QWidget, QVBoxLayout]:
    w = kind()
    box = QVBoxLayout(w)
    box.setContentsMargins(0, 0, 0, 0)
    for child in widgets:
        box.addWidget(child)
    return w, box


class TicketScreen(QWidget):
    """The number, its QR code and what to do next; side by side in landscape, stacked in portrait."""

    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.main = QGridLayout(self)
        self.caption = label("", "h2", align=CENTER)
        self.number = FitNumber()
        # A priority ticket says so by the number, as its paper does: "Priority queue: Elderly ...".
        self.marker = label("", "value", align=CENTER)
        self.marker.setObjectName("PriorityMarker")
        self.marker.hide()
        self.service = label("", "h2", align=CENTER)
        self.place = label("", "value", align=CENTER)
        self.counter = self.place  # where to go (older name)
        self.qr = FitQr()
        self.qr_caption = label("", "muted", align=CENTER)
        self.ahead = label("", "h2")
        self.wait = label("", "body")
        self.docs = label("", "muted")
        self.facts_widget, self.facts_box = _box(self.ahead, self.wait, self.docs)
        self.facts_box.addStretch(1)
        self.facts = _Facts(self.facts_widget, (self.ahead,))
        # Printing / printed: a green line; not printed: a calm amber card.
        self.printing = label("", "banner-ok")
        self.notice = NoticeCard()
        self.status_box, _ = _box(self.printing, self.notice)
        self.status = _StatusText(self)
        self.countdown = _Countdown()
        self.countdown.setWordWrap(True)
        self.countdown.setProperty("role", "muted")
        self.countdown.setAlignment(CENTER)
        self.done_button = button("", "primary")
        self.done_button.clicked.connect(self.done)
        # "Done" top right: never where the confirm screen's "Yes" was (bottom), so a slow double
        # tap on "Yes" cannot take the number off the screen.
        self.top = QWidget()
        top = QHBoxLayout(self.top)
        top.setContentsMargins(0, 0, 0, 0)
        top.addStretch(1)
        top.addWidget(self.done_button)
        self.end = self.top  # "Done" (older name)
        self._holders: list[QWidget] = []
        self._arranged: tuple | None = None
        self._marker_style = ""

    def _arrange(self, portrait: bool) -> None:
        t = theme_of(self)
        if (portrait, t) == self._arranged:
            return
        if self._arranged is not None and self._arranged[0] == portrait:  # a new look: sizes only
            self._arranged = (portrait, t)
            self._space(t)
            return
        self._arranged = (portrait, t)
        parts = (self.top, self.caption, self.number, self.marker, self.service, self.place, self.qr)
        for w in (*parts, self.qr_caption, self.facts, self.status_box, self.countdown):
            self.main.removeWidget(w)
            w.setParent(self)
        for holder in self._holders:  # the last arrangement's columns, emptied above
            self.main.removeWidget(holder)
            holder.deleteLater()
        self._holders = []
        for r in range(self.main.rowCount()):
            self.main.setRowStretch(r, 0)
        for c in range(self.main.columnCount()):
            self.main.setColumnStretch(c, 0)
        gap = t.px(10)
        # The number takes the room first (stretch 100), up to its limit; the code next; a spacer
        # (stretch 1) whatever is left, so the lines keep together.
        if portrait:
            column, box = _box()
            box.setSpacing(gap)
            box.addWidget(self.top)
            for w in (self.caption, self.number, self.marker, self.service, self.place):
                box.addWidget(w)
            box.addWidget(self.qr, 50)
            box.addWidget(self.qr_caption)
            box.addWidget(self.facts, 20)
            box.setStretchFactor(self.number, 100)
            box.addStretch(1)
            box.addWidget(self.status_box)
            box.addWidget(self.countdown)
            self.main.addWidget(column, 0, 0)
            self.main.setRowStretch(0, 1)
            self._holders = [column]
        else:  # the number, where to go and the wait left; "Done" and the code right
            lines = (self.caption, self.number, self.marker, self.service, self.place, self.facts)
            left, lbox = _box(*lines, kind=_Column)
            lbox.setSpacing(gap)
            lbox.setStretchFactor(self.number, 100)
            lbox.setStretchFactor(self.facts, 20)
            lbox.addStretch(1)
            right, rbox = _box(self.top, self.qr, self.qr_caption, self.countdown, kind=_Column)
            rbox.setSpacing(gap)
            rbox.setStretchFactor(self.qr, 100)
            rbox.addStretch(1)
            self.main.addWidget(left, 0, 0)
            self.main.addWidget(right, 0, 1)
            self.main.setRowStretch(0, 1)
            self.main.setColumnStretch(0, 3)
            self.main.setColumnStretch(1, 2)
            self.main.addWidget(self.status_box, 1, 0, 1, 2)
            self._holders = [left, right]
        for w in (*parts, self.qr_caption, self.facts, self.status_box, self.countdown):
            w.show()
        self._space(t)

    def _space(self, t) -> None:
        """Margins and gaps from the theme (they follow the screen's size)."""
        self.main.setContentsMargins(t.px(48), t.px(20), t.px(48), t.px(12))
        self.main.setHorizontalSpacing(t.px(40))
        self.main.setVerticalSpacing(t.px(12))
        for holder in self._holders:
            holder.layout().setSpacing(t.px(10))

    def render(
        self,
        ticket: Ticket,
        service: Service,
        language: str,
        matrix,
        print_state: PrintState,
        notice: Notice | None,
        portrait: bool,
        qr_side: int,
        number_px: int = 0,
        countdown: int | None = None,
    ) -> None:
        """`notice`: why the ticket is not on paper (ui.errors.printer_notice), when it is not;
        `qr_side`: the code's largest side; `number_px`: the number's largest size when it did not
        print (0: the theme's). The number and the code take what the screen can spare up to those."""
        self._arrange(portrait)
        t = theme_of(self)
        failed = print_state == PrintState.FAILED
        self.caption.setText(self.tr("Your queue number"))
        self.number.setText(ticket.number)
        self.number.setAccessibleName(ticket.number)
        # Not on paper: the number grows (it is what the visitor writes down or photographs).
        limit = max(number_px, t.font(240)) if failed else t.font(180)
        self.number.set_range(t.font(64), limit)
        self._render_marker(ticket, language)
        self.service.setText(service.name(language))
        self.place.setText(self.tr("Go to: {place}").format(place=wording.counter_place(service, language)))
        self.qr.set_matrix(matrix)
        self.qr.set_range(min(t.px(150), qr_side), qr_side)
        self.qr_caption.setText(self.tr("Staff can scan this code to find your number."))
        self.ahead.setText(wording.people_ahead(ticket.people_ahead, language))
        minutes = ticket.estimated_wait_minutes
        text = wording.wait(minutes, language, people_ahead=ticket.people_ahead)
        self.wait.setText(text if minutes <= 0 else self.tr("Estimated wait: {wait}").format(wait=text))
        docs = ", ".join(d(language) for d in service.documents)
        self.docs.setText(self.tr("Have ready: {docs}").format(docs=docs) if docs else "")
        self.docs.setVisible(bool(docs))
        if print_state == PrintState.PRINTING:
            self.printing.setText(self.tr("Printing your ticket\u2026"))
            self.printing.show()
            self.notice.clear()
        elif print_state == PrintState.PRINTED:
            self.printing.setText(self.tr("Please take your ticket from the printer below the screen."))
            self.printing.show()
            self.notice.clear()
        else:
            self.printing.setText("")
            self.printing.hide()
            if notice is not None:
                self.notice.show_notice(notice.title, notice.body, notice.tone)
            else:
                self.notice.clear()
        self.done_button.setText(self.tr("Done"))
        self.show_countdown(countdown)
        self.facts.widget().layout().invalidate()
        self.facts.updateGeometry()

    def _render_marker(self, ticket: Ticket, language: str) -> None:
        """ "Priority queue: Elderly (60 years or older)" in a band of the main colour, as on paper."""
        if ticket.priority is None:
            self.marker.setText("")
            self.marker.hide()
            return
        kind = Priority(ticket.priority).label(language)
        self.marker.setText(self.tr("Priority queue: {kind}").format(kind=kind))
        self.marker.setAccessibleName(self.marker.text())
        t = theme_of(self)
        c = t.colors
        style = (
            f"QLabel#PriorityMarker {{ background: {c.primary}; color: {c.on_primary};"
            f" border-radius: {t.px(12)}px; padding: {t.px(6)}px {t.px(20)}px; }}"
        )
        if style != self._marker_style:  # a new stylesheet repolishes: only when the look changed
            self._marker_style = style
            self.marker.setStyleSheet(style)
        self.marker.show()

    def show_countdown(self, seconds: int | None) -> None:
        """A quiet line near the end (under the code when wide, at the bottom when tall); its room
        is kept all along."""
        text = self.tr("This screen closes in {s} s. Touch it to keep it open.")
        sample = text.format(s=99)
        if sample != self.countdown.sample:
            self.countdown.sample = sample
            self.countdown.updateGeometry()
        self.countdown.setText(text.format(s=seconds) if seconds else "")
        self.countdown.setVisible(True)


class _StatusText:
    """What the status area says, as one string (the printing line or the notice card)."""

    def __init__(self, screen: TicketScreen) -> None:
        self._screen = screen

    def text(self) -> str:
        s = self._screen
        if not s.printing.isHidden():
            return s.printing.text()
        return s.notice.text()
