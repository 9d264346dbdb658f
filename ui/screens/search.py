"""Search by need: type a few words on our own keyboard; the services that answer them, at every key.

Portrait stacks the field, the results and the keyboard; landscape puts the keyboard to the right of
the field and the results. The field is read-only for the system (no input method pops up): our
keys and a hardware keyboard's key presses change the query, and the flow (kiosk/flow.py) searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from kiosk import wording
from kiosk.catalog import Catalog, Service
from kiosk.session import MAX_QUERY
from ui import icons
from ui.screens.common import Scroll, action_button, show_action
from ui.screens.keyboard import MIN_KEY_PX, Keyboard
from ui.theme import theme_of
from ui.widgets import RichButton, label


def drop(layout) -> None:
    """Remove a layout's widgets at once: hidden now (never painted again), deleted later."""
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().hide()
            item.widget().deleteLater()


class Field(QLineEdit):
    """The search field: its placeholder is the longest of its examples that it shows whole."""

    def __init__(self) -> None:
        super().__init__()
        self._examples: tuple[str, ...] = ()
        self._inset = 0

    def set_placeholders(self, *examples: str, inset: int = 0) -> None:
        """`examples` longest first; the field shows the first that fits its width less `inset`
        px on each side (its border and padding)."""
        self._examples = examples
        self._inset = inset
        self._fit()

    def _fit(self) -> None:
        if not self._examples:
            return
        self.ensurePolished()
        room = self.width() - 2 * self._inset - self.fontMetrics().averageCharWidth()  # and the cursor
        fits = [e for e in self._examples if self.fontMetrics().horizontalAdvance(e) <= room]
        text = fits[0] if fits else self._examples[-1]
        if text != self.placeholderText():
            self.setPlaceholderText(text)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()


class SearchScreen(QWidget):
    """Emits `query_changed(text)` at every key, `chosen(service_code)` and `browse()` (by agency)."""

    query_changed = Signal(str)
    chosen = Signal(str)
    browse = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a hardware keyboard types here
        self.main = QGridLayout(self)
        self.main.setContentsMargins(40, 24, 40, 8)
        self.main.setSpacing(20)
        self.top = QWidget()
        box = QVBoxLayout(self.top)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        self.title = label("", "h2")
        box.addWidget(self.title)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.glass = QLabel()
        row.addWidget(self.glass)
        self.field = Field()
        self.field.setReadOnly(True)
        self.field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.field.setMaxLength(MAX_QUERY)
        self.field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row.addWidget(self.field, 1)
        box.addLayout(row)
        # What the list shows: a hint (empty query) or a friendly line (no match), then rows.
        self.results = QWidget()
        self.list = QVBoxLayout(self.results)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.setSpacing(14)
        self.message = label("", "body")
        self.list.addWidget(self.message)
        self.browse_button = action_button()
        self.browse_button.clicked.connect(self.browse)
        self.list.addWidget(self.browse_button)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(14)
        self.list.addLayout(self.rows_box)
        self.list.addStretch(1)
        self.scroll = Scroll(self.results)
        self.keyboard = Keyboard()
        self.keyboard.typed.connect(self.type_text)
        self.keyboard.backspace.connect(self.delete_one)
        self.keyboard.cleared.connect(lambda: self.query_changed.emit(""))
        #: The service code of each result row now shown, best first.
        self.row_codes: list[str] = []
        self._rows_key = None
        self._portrait: bool | None = None

    # -- typing -----------------------------------------------------------------------------------
    def type_text(self, text: str) -> None:
        if text == " " and (not self.field.text() or self.field.text().endswith(" ")):
            return  # no leading or double spaces
        self.query_changed.emit((self.field.text() + text)[:MAX_QUERY])

    def delete_one(self) -> None:
        if self.field.text():
            self.query_changed.emit(self.field.text()[:-1])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """A hardware keyboard: letters, digits and space type; Backspace deletes; Escape clears."""
        key = event.key()
        if key == Qt.Key.Key_Backspace:
            self.delete_one()
        elif key == Qt.Key.Key_Escape:
            self.query_changed.emit("")
        elif event.text() and (event.text().isalnum() or event.text() in " -'/."):
            self.type_text(event.text().lower())
        else:
            super().keyPressEvent(event)

    # -- drawing ----------------------------------------------------------------------------------
    def _arrange(self, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for w in (self.top, self.scroll, self.keyboard):
            self.main.removeWidget(w)
        for i in range(3):
            self.main.setRowStretch(i, 0)
            self.main.setColumnStretch(i, 0)
        if portrait:  # field, results, keyboard: one above the other
            self.main.addWidget(self.top, 0, 0)
            self.main.addWidget(self.scroll, 1, 0)
            self.main.addWidget(self.keyboard, 2, 0)
            self.main.setRowStretch(1, 1)
        else:  # field and results on the left, the keyboard on the right
            self.main.addWidget(self.top, 0, 0)
            self.main.addWidget(self.scroll, 1, 0)
            self.main.addWidget(self.keyboard, 0, 1, 2, 1, Qt.AlignmentFlag.AlignBottom)
            self.main.setRowStretch(1, 1)
            self.main.setColumnStretch(0, 5)
            self.main.setColumnStretch(1, 6)

    def render(
        self,
        catalog: Catalog,
        query: str,
        hits: Sequence,
        language: str,
        *,
        portrait: bool,
        ready: bool = True,
        states: dict | None = None,
        now: datetime | None = None,
    ) -> None:
        """`hits` the flow's search results for `query` (each with `.service`), best first; `ready`
        False while the index is still being built; `states` the flow's service states."""
        self._arrange(portrait)
        theme = theme_of(self)
        c = theme.colors
        p = theme.px
        # Landscape: the keyboard takes the width ten 90 px keys need (on a small screen, most of it);
        # the field and the results share what is left.
        margin = p(40 if portrait else 32)
        self.main.setContentsMargins(margin, p(20 if theme.scale >= 0.9 else 12), margin, p(8))
        self.main.setSpacing(p(20))
        self.top.layout().setSpacing(p(14))
        field_height = max(MIN_KEY_PX, theme.px(110))
        font_px = theme.font(40)
        self.field.setFixedHeight(field_height)
        self.field.setStyleSheet(
            f"QLineEdit {{ background: {c.card}; color: {c.ink}; border: {theme.px(4)}px solid {c.accent};"
            f" border-radius: {theme.px(16)}px; padding: 0 {theme.px(20)}px; font-size: {font_px}px;"
            f" font-weight: 700; }}"
        )
        self.glass.setPixmap(icons.pixmap("search", max(48, theme.px(72)), c.accent))
        # A landscape screen too small for the keyboard and a wide column (1366x768): the column
        # keeps what it says short, and the field the column's whole width.
        compact = not portrait and theme.scale < 0.9
        self.glass.setVisible(not compact)
        self.title.setText(self.tr("Type what you need") if compact else self.tr("What do you need? Type a few words."))
        self.field.setAccessibleName(self.tr("Search"))
        if self.field.text() != query:
            self.field.setText(query)
        self.field.setCursorPosition(len(query))
        self.keyboard.render(theme.px(104 if portrait else 100), digits=not (compact and theme.large_text))
        # The example as long as the field shows it whole (a narrow field: one example).
        self.field.set_placeholders(self.tr("e.g. passport, KTP, SKCK"), self.tr("e.g. passport"), inset=p(20) + p(4))
        show_action(self.browse_button, self.tr("Browse by agency"), "", max(MIN_KEY_PX, theme.px(110)), theme)
        text = query.strip()
        if not text:
            self.message.setText(self.tr("Most requested:"))
            entries = [(n.service_code, n.label(language), catalog.service(n.service_code)) for n in catalog.needs]
        elif not ready:
            self.message.setText(self.tr("Searching\u2026"))
            entries = []
        elif not hits:
            self.message.setText(
                self.tr("We found nothing for \u201c{q}\u201d. Try another word, or look through the agencies.").format(
                    q=text
                )
            )
            entries = []
        else:
            self.message.setText(self.tr("Touch the service you need:"))
            entries = [(h.service.code, h.service.name(language), h.service) for h in hits]
        self.browse_button.setVisible(bool(text) and ready and not hits)
        self._show_rows(catalog, entries, language, states or {}, now or datetime.now())
        if self.isVisible() and not self.hasFocus():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_rows(
        self, catalog: Catalog, entries: list[tuple[str, str, Service]], language: str, states: dict, now: datetime
    ) -> None:
        notes, dimmed = [], []
        for _, _, service in entries:
            parts = [catalog.agency(service.agency_code).short(language)]
            state = states.get(service.code)
            dimmed.append(state is not None and not state.available)
            if dimmed[-1]:
                parts.append(wording.state_reason(state.kind, state.until, now, language))
            notes.append("  \u00b7  ".join(parts))
        key = (tuple((code, title) for code, title, _ in entries), tuple(notes))
        if key == self._rows_key:
            return
        self._rows_key = key
        drop(self.rows_box)
        self.row_codes = []
        for (code, title, _), note, dim in zip(entries, notes, dimmed, strict=True):
            row = RichButton("row", "row-title", "row-sub")
            row.setMinimumHeight(max(MIN_KEY_PX, theme_of(self).px(120)))
            row.set_text(title, note)
            row.set_dimmed(dim)
            row.clicked.connect(lambda _=False, code=code: self.chosen.emit(code))
            self.rows_box.addWidget(row)
            self.row_codes.append(code)

    def rows(self) -> list[RichButton]:
        """The result rows now shown, best first."""
        return [self.rows_box.itemAt(i).widget() for i in range(self.rows_box.count())]
