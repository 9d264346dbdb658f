"""The start of a visit: the hall's most requested needs, search, browse by agency, priority, language.

A touch on a need goes straight to its service; the search field opens the search screen; "Browse by
agency" opens the agency grid. The welcome line, the language button and the printer notice show
both languages (a first-time visitor may not read the kiosk's default one); everything else is in
the current language. Portrait stacks everything and gives the needs the height; landscape puts
search, browse and priority side by side above the needs. The needs scroll when they do not fit
(large text, a small screen, a notice): never cut off, never squeezed. Their columns follow the
width and the look: as many as leave every title's longest word whole.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from kiosk import wording
from kiosk.catalog import Catalog
from kiosk.i18n import translator
from kiosk.priority import Priority
from ui import icons
from ui.screens.common import Scroll, action_button, fitting_columns, longest_word_px, show_action, text_font
from ui.screens.notice import NoticeCard
from ui.screens.priority import priority_strip
from ui.screens.search import drop
from ui.theme import theme_of
from ui.widgets import RichButton, bilingual, button, label

# Shown in both languages at once, so looked up per language.
IDLE_WELCOME = QT_TRANSLATE_NOOP("Idle", "Welcome")
IDLE_NO_PRINTER = QT_TRANSLATE_NOOP("Idle", "The printer is not working: your number will be shown on the screen.")

#: The smallest touch target, in px, whatever the screen.
MIN_TARGET_PX = 90
#: A need tile's text column is at least this many title-font px wide per line (a calm line, not
#: one word under another), and always as wide as the titles' longest word.
TILE_TEXT_EMS = 6


class IdleScreen(QWidget):
    """Emits `need_chosen(service_code)`, `search()`, `browse()`, `priority()` and `language()`."""

    need_chosen = Signal(str)
    search = Signal()
    browse = Signal()
    priority = Signal()
    language = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.main = QGridLayout(self)
        self.main.setContentsMargins(48, 28, 48, 28)
        self.main.setSpacing(20)
        self.welcome = bilingual(label("", "h2"))
        self.question = label("", "h1")
        self.search_button = action_button()
        self.search_button.clicked.connect(self.search)
        self.language_button = bilingual(button("", "secondary"))
        self.language_button.clicked.connect(self.language)
        self.popular = label("", "muted")
        self.needs = QWidget()
        self.needs_grid = QGridLayout(self.needs)
        self.needs_grid.setContentsMargins(0, 0, 0, 0)
        self.needs_grid.setSpacing(16)
        self.needs_scroll = Scroll(self.needs)
        self.browse_button = action_button()
        self.browse_button.clicked.connect(self.browse)
        self.priority_button = RichButton("row", "row-title", "row-sub")
        self.priority_button.clicked.connect(self.priority)
        #: The hall is closed now: when it opens (calm, blue-grey).
        self.notice = NoticeCard(title_role="value")
        #: A configured printer does not work: the number is shown on the screen (calm, amber).
        self.printer = bilingual(NoticeCard(title_role="value", body_role="body"))
        self.top = QWidget()
        self.top_grid = QGridLayout(self.top)
        self.top_grid.setContentsMargins(0, 0, 0, 0)
        for w in (self.search_button, self.browse_button):
            w.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        #: The need tiles by their service code, in the catalog's order.
        self.need_tiles: dict[str, RichButton] = {}
        self._needs_key = None
        self._shape: tuple | None = None

    def _arrange(self, shape: str, roomy: bool) -> None:
        """ "portrait", "landscape", or "compact": a landscape screen too low for a line of words
        above the buttons (1366x768): one row of buttons, the language button at its end, and
        the height left to the needs (two full rows of them). `roomy`: the welcome line shows."""
        if (shape, roomy) == self._shape:
            return
        self._shape = (shape, roomy)
        parts = (self.top, self.notice, self.printer, self.search_button, self.popular, self.needs_scroll)
        for w in (*parts, self.browse_button, self.priority_button, self.language_button):
            self.main.removeWidget(w)
        for w in (self.welcome, self.question, self.language_button):
            self.top_grid.removeWidget(w)
        for i in range(9):
            self.main.setRowStretch(i, 0)
            self.main.setColumnStretch(i, 0)
        right_top = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.top.setVisible(shape != "compact")
        if shape == "portrait":
            # The welcome beside the language button; the question gets the whole width below.
            self.top_grid.addWidget(self.welcome, 0, 0)
            self.top_grid.addWidget(self.language_button, 0, 1, right_top)
            self.top_grid.addWidget(self.question, 1, 0, 1, 2)
            for row, w in enumerate(parts):
                self.main.addWidget(w, row, 0)
            self.main.addWidget(self.browse_button, 6, 0)
            self.main.addWidget(self.priority_button, 7, 0)
            self.main.setRowStretch(5, 1)
        else:  # search, browse and priority side by side, the needs in a wide grid below
            if shape == "landscape":  # the words beside the language button, centred on it
                if roomy:
                    self.top_grid.addWidget(self.welcome, 0, 0, Qt.AlignmentFlag.AlignBottom)
                    self.top_grid.addWidget(self.question, 1, 0, Qt.AlignmentFlag.AlignTop)
                else:
                    self.top_grid.addWidget(self.question, 0, 0, 2, 1, Qt.AlignmentFlag.AlignVCenter)
                self.top_grid.addWidget(self.language_button, 0, 1, 2, 1, right)
                self.main.addWidget(self.top, 0, 0, 1, 4)
            else:
                self.main.addWidget(self.language_button, 3, 3)
            self.main.addWidget(self.notice, 1, 0, 1, 4)
            self.main.addWidget(self.printer, 2, 0, 1, 4)
            self.main.addWidget(self.search_button, 3, 0)
            self.main.addWidget(self.browse_button, 3, 1)
            self.main.addWidget(self.priority_button, 3, 2, 1, 2 if shape == "landscape" else 1)
            self.main.addWidget(self.popular, 4, 0, 1, 4)
            self.main.addWidget(self.needs_scroll, 5, 0, 1, 4)
            self.main.setRowStretch(5, 1)
            for column, stretch in enumerate((4, 4, 3, 0) if shape == "landscape" else (3, 3, 4, 0)):
                self.main.setColumnStretch(column, stretch)
        self.top_grid.setColumnStretch(0, 1)
        self._needs_key = None

    def render(
        self,
        hall: str,
        printer_ok: bool = True,
        portrait: bool = True,
        catalog: Catalog | None = None,
        language: str = "id",
        *,
        priority: str | None = None,
        states: dict | None = None,
        now: datetime | None = None,
        notice: str | None = None,
    ) -> None:
        """`printer_ok` False: a configured printer does not work (a kiosk without one on purpose
        passes True: nothing to warn about); `catalog` None while the store opens (no needs yet);
        `states` the flow's service states (a need whose service cannot be taken now says why, as
        `Flow.state_of` reads them: a service not in `states` is open); `notice` a calm line (the
        hall is closed: `kiosk.wording.hall_closed`)."""
        theme = theme_of(self)
        # A landscape screen with a notice, or a small one, drops the welcome line and the list's
        # heading: room for the needs.
        roomy = portrait or (printer_ok and not notice and theme.scale >= 0.9)
        self._arrange("portrait" if portrait else "landscape" if theme.scale >= 0.9 else "compact", roomy)
        accent = theme.colors.accent
        target = max(MIN_TARGET_PX, theme.px(120 if portrait else 110))
        margin = theme.px(48 if portrait else 40)
        self.main.setContentsMargins(margin, theme.px(24), margin, theme.px(24))
        self.main.setSpacing(theme.px(18))
        self.top_grid.setHorizontalSpacing(theme.px(20))
        self.top_grid.setVerticalSpacing(theme.px(4))
        self.welcome.setVisible(roomy)
        ind, eng = translator("id").context("Idle"), translator("en").context("Idle")
        self.welcome.setText(f"{ind(IDLE_WELCOME)} \u00b7 {eng(IDLE_WELCOME)}")
        self.question.setText(self.tr("What do you need today?"))
        # The example only where the field is wide (portrait); the words wrap where it is narrow.
        show_action(
            self.search_button,
            self.tr("Type what you need, e.g. passport") if portrait else self.tr("Type what you need"),
            "search",
            target,
            theme,
        )
        self.search_button.setAccessibleName(self.tr("Search: type what you need"))
        show_action(self.browse_button, self.tr("Browse by agency"), "", target, theme)
        lang = self.language_button
        lang.setText("English" if language == "id" else "Bahasa Indonesia")
        lang.setIcon(icons.icon("language", 64, accent))
        lang.setAccessibleName("Switch to English" if language == "id" else "Ganti ke Bahasa Indonesia")
        lang.setMinimumHeight(max(MIN_TARGET_PX, theme.px(100)))
        lang.ensurePolished()
        lang.setMinimumWidth(lang.sizeHint().width())  # never narrower than its words
        self.popular.setText(self.tr("Most requested \u2013 touch one to start:"))
        self.popular.setVisible(roomy and catalog is not None and bool(catalog.needs))
        self._render_priority(priority, language, theme, portrait)
        if notice:
            self.notice.show_notice(notice, "", "info")
        else:
            self.notice.clear()
        if printer_ok:
            self.printer.clear()
        else:
            self.printer.show_notice(ind(IDLE_NO_PRINTER), eng(IDLE_NO_PRINTER), "warning")
        self._render_needs(catalog, language, portrait, states or {}, now or datetime.now(), theme)

    def _render_priority(self, priority: str | None, language: str, theme, portrait: bool) -> None:
        """Portrait: the four icons in a row and a line saying who; landscape: a square of icons."""
        b = self.priority_button
        if portrait:
            b.set_picture(priority_strip(max(40, theme.px(64)), theme.colors.accent, theme.px(10)))
        else:
            b.set_picture(priority_strip(max(30, theme.px(44)), theme.colors.accent, theme.px(6), columns=2))
        b.layout().setContentsMargins(theme.px(24), theme.px(14), theme.px(24), theme.px(14))
        b.layout().setSpacing(theme.px(20))
        if priority is None:
            sub = self.tr("Elderly, disability, pregnant, with an infant: touch here to be served first.")
            b.set_text(self.tr("Priority queue"), sub if portrait else "")
        else:
            b.set_text(
                self.tr("Priority queue: {kind} \u2713").format(kind=Priority(priority).label(language)),
                self.tr("Touch here to change it.") if portrait else "",
            )
        b.setAccessibleName(self.tr("Priority queue: elderly, disability, pregnant, with an infant"))
        b.setMinimumHeight(max(MIN_TARGET_PX + 10, theme.px(130 if portrait else 110)))

    def _render_needs(self, catalog, language: str, portrait: bool, states: dict, now: datetime, theme) -> None:
        needs = catalog.needs if catalog is not None else ()
        self.needs_scroll.setVisible(bool(needs))
        titles, notes = [], []
        for need in needs:
            service = catalog.service(need.service_code)
            note = catalog.agency(service.agency_code).short(language)
            state = states.get(service.code)
            if state is not None and not state.available:  # why it cannot be taken now, in place of the agency
                note = wording.state_reason(state.kind, state.until, now, language)
            titles.append(need.label(language))
            notes.append(note)
        # Sizes from the look: the icon, the tile's margins, and the columns that keep words whole.
        p = theme.px
        icon = max(48, p(96 if portrait else 80))
        margins = (p(24), p(16))
        gap = p(18)
        spacing = p(16)
        title_font = text_font(self.font(), theme.font(34), QFont.Weight.Bold)
        sub_font = text_font(self.font(), theme.font(24))
        needed = max(
            longest_word_px(titles, title_font),
            longest_word_px(notes, sub_font),
            TILE_TEXT_EMS * theme.font(34),
        )
        edge = 2 * p(3) + p(12)  # the tile's border, and room to spare
        chrome = 2 * margins[0] + icon + gap + edge
        width = self.window().width() - 2 * self.main.contentsMargins().left() - p(24)  # less the scroll bar
        columns = fitting_columns(width, 2 if portrait else 4, spacing, chrome, needed)
        key = (id(catalog), language, portrait, theme, columns, tuple(notes))
        if key == self._needs_key:
            return
        self._needs_key = key
        drop(self.needs_grid)
        self.needs_grid.setSpacing(spacing)
        self.need_tiles = {}
        for i, (need, title, note) in enumerate(zip(needs, titles, notes, strict=True)):
            service = catalog.service(need.service_code)
            agency = catalog.agency(service.agency_code)
            tile = RichButton("row", "row-title", "row-sub")
            tile.layout().setContentsMargins(margins[0], margins[1], margins[0], margins[1])
            tile.layout().setSpacing(gap)
            tile.setMinimumHeight(max(MIN_TARGET_PX + 10, p(130 if portrait else 110)))
            tile.set_text(title, note)
            color = theme.colors.accent if theme.high_contrast else agency.color
            tile.set_picture(icons.pixmap(need.icon, icon, color))
            state = states.get(service.code)
            tile.set_dimmed(state is not None and not state.available)
            tile.clicked.connect(lambda _=False, code=service.code: self.need_chosen.emit(code))
            self.needs_grid.addWidget(tile, i // columns, i % columns)
            self.need_tiles[service.code] = tile
        rows = (len(needs) + columns - 1) // columns
        for r in range(max(rows + 1, self.needs_grid.rowCount())):
            # The tiles share the height; past a calm size, the rest stays empty below them.
            self.needs_grid.setRowStretch(r, 100 if r < rows else 1 if r == rows else 0)
        for c in range(max(4, self.needs_grid.columnCount())):
            self.needs_grid.setColumnStretch(c, 1 if c < columns else 0)
        if not theme.large_text:
            for tile in self.need_tiles.values():
                tile.setMaximumHeight(max(tile.minimumHeight(), p(260)))
