"""UI test helpers: screenshot folder, settling, and layout checks a person would make by eye."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget

from ui.window import KioskWindow

ROOT = Path(__file__).resolve().parents[1]
#: Where the flow tests save a PNG of every screen (README: "Screenshots").
SCREENSHOTS = Path(os.environ.get("KIOSK_SCREENSHOTS", ROOT / "screenshots"))
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "small": (1366, 768)}


class TapClock:
    """The window's monotonic clock in UI tests: it stands still, so the touch guard after every
    page change holds until a test taps with `tap()`, which moves it past the guard (deterministic)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def wait_out_touch_guard(window: KioskWindow) -> None:
    """Move the window's tap clock past the touch guard (as a visitor whose finger rests a moment)."""
    if isinstance(window.monotonic, TapClock):
        window.monotonic.advance(window.touch_guard_ms / 1000 + 0.001)


def tap(qtbot, widget: QWidget) -> None:
    """Touch `widget` as a visitor would: after the screen's touch guard, a real press and release."""
    assert widget.isVisible() and widget.isEnabled(), widget
    wait_out_touch_guard(widget.window())
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def settle(qtbot, window: KioskWindow) -> None:
    """Let pending background work land and layouts finish."""
    qtbot.waitUntil(lambda: window.ops.pending == 0, timeout=10000)
    for _ in range(3):
        QApplication.processEvents()
        # Widgets a screen replaced (deleteLater) go now, as they would in the event loop.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def visible_widgets(window: QWidget, kind) -> list:
    return [w for w in window.findChildren(kind) if w.isVisibleTo(window) and w.window() is window]


def layout_problems(window: KioskWindow) -> list[str]:
    """Text that does not fit its box, boxes outside the window, small text, small touch targets."""
    problems = []
    frame = window.rect()
    expected = getattr(window, "expected_size", None)
    if expected and (window.width(), window.height()) != expected:
        problems.append(f"the window grew to {window.width()}x{window.height()}: its content does not fit {expected}")
    for lab in visible_widgets(window, QLabel):
        if not lab.text() or lab.width() == 0:
            continue
        rect = lab.rect().translated(lab.mapTo(window, lab.rect().topLeft()))
        if not frame.contains(rect):
            # Inside a scroll area, a row may sit below the fold: allowed, the list scrolls.
            if not _in_scroll_area(lab):
                problems.append(f"outside the window: {lab.text()!r} at {rect}")
        if lab.wordWrap():
            if lab.heightForWidth(lab.width()) > lab.height() + 2:
                problems.append(
                    f"cut off: {lab.text()!r} needs {lab.heightForWidth(lab.width())} px, has {lab.height()}"
                )
        elif lab.sizeHint().width() > lab.width() + 2:
            problems.append(f"cut off: {lab.text()!r} needs {lab.sizeHint().width()} px wide, has {lab.width()}")
        for word in broken_words(lab):
            problems.append(f"a word broken across lines: {word!r} in {lab.text()!r}")
        px = lab.font().pixelSize()
        if 0 < px < 24:
            problems.append(f"text smaller than 24 px ({px}): {lab.text()!r}")
    for b in visible_widgets(window, QAbstractButton):
        if b.text() and b.sizeHint().width() > b.width() + 2:
            problems.append(f"cut off: button {b.text()!r} needs {b.sizeHint().width()} px wide, has {b.width()}")
        if b.height() < 90 or b.width() < 90:
            problems.append(f"touch target {b.width()}x{b.height()} < 90 px: {b.accessibleName() or b.text()!r}")
    return problems


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


# -- words broken across lines -------------------------------------------------------------------


def label_lines(lab: QLabel) -> list[str]:
    """The lines `lab` shows its plain text in, broken as QLabel breaks them (at its width, its font).

    QLabel wraps with QTextOption.WrapAtWordBoundaryOrAnywhere: at spaces, after '-' and '/', and,
    when one word is wider than the label, anywhere inside it."""
    text = QLabel.text(lab).replace(
        "\n", "\u2028"
    )  # what Qt draws (ui.widgets.Label shows an unbreakable form)  # as QLabel does: a line separator, a forced break
    rect = lab.contentsRect()
    width = rect.width() - 2 * lab.margin() - max(lab.indent(), 0)
    layout = QTextLayout(text, lab.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1, width))
        lines.append(text[line.textStart() : line.textStart() + line.textLength()].replace("\u2028", "\n"))
    layout.endLayout()
    return lines


def broken_words(lab: QLabel) -> list[str]:
    """Words of a wrapped label that a line break cuts in two ("KTP-" / "el", "(Habis/" / "Penuh)")."""
    if not lab.wordWrap() or lab.textFormat() == Qt.TextFormat.RichText or "<" in QLabel.text(lab):
        return []
    out = []
    lines = label_lines(lab)
    for before, after in zip(lines, lines[1:], strict=False):
        if before and after and not before[-1].isspace() and not after[0].isspace() and before[-1] != "\n":
            out.append(before.split()[-1] + "|" + after.split()[0])
    return out


# -- the language of what is shown ---------------------------------------------------------------


class Languages:
    """Which texts belong to one language only: the UI's messages (assets/i18n/kiosk_id.ts) and the
    catalog's names in both languages. A text on an Indonesian screen that is an English message with
    a different translation (or an English catalog name) is in the wrong language, and the reverse."""

    def __init__(self, catalog) -> None:
        import re

        from kiosk.catalog import Keywords, Text
        from kiosk.i18n import read_ts, ts_path

        pairs: list[tuple[str, str]] = [(src, tr) for (_, src), tr in read_ts(ts_path("id")).items() if src != tr]
        pairs += [(t.en, t.id) for t in _texts(catalog, (Text, Keywords)) if isinstance(t, Text) and t.en != t.id]
        english = {en for en, _ in pairs}
        indonesian = {ind for _, ind in pairs}
        only = {"id": indonesian - english, "en": english - indonesian}
        self.exact = {language: {t for t in texts if "{" not in t} for language, texts in only.items()}
        self.templates = {}
        for language, texts in only.items():
            shapes = []
            for t in sorted(texts):
                if "{" not in t:
                    continue
                pieces = re.split(r"\{[^}]*\}", t)
                if sum(len(p.split()) for p in pieces) < 2:  # too little fixed text to tell a language by
                    continue
                shapes.append(".+?".join(re.escape(p) for p in pieces))
            self.templates[language] = re.compile("^(?:" + "|".join(shapes) + ")$", re.DOTALL) if shapes else None

    def foreign(self, text: str, language: str) -> str | None:
        """The part of `text` that is in the other language than `language`, or None."""
        other = "en" if language == "id" else "id"
        text = text.replace("\u2011", "-").replace("\u2060", "")
        parts = [text, *(p.strip() for p in _split(text))]
        for part in parts:
            if not part:
                continue
            if part in self.exact[other]:
                return part
            if self.templates[other] is not None and self.templates[other].match(part):
                return part
        return None


def _split(text: str) -> list[str]:
    import re

    return re.split(r"\n|\s+\u00b7\s+|:\s+|\.\s+|,\s+|\s+\u2013\s+", text)


def _texts(obj, kinds, seen=None):
    """Every `kinds` instance inside a tree of dataclasses and tuples."""
    import dataclasses

    if isinstance(obj, kinds):
        yield obj
        return
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _texts(getattr(obj, f.name), kinds)
    elif isinstance(obj, tuple | list):
        for item in obj:
            yield from _texts(item, kinds)


def language_problems(window: KioskWindow, languages: Languages) -> list[str]:
    """Visible texts and accessible names in the other language than the screen's (bilingual widgets aside)."""
    from ui.widgets import is_bilingual

    language = window.session.state.language
    problems = []
    for w in visible_widgets(window, QLabel) + visible_widgets(window, QAbstractButton):
        if is_bilingual(w):
            continue
        for text in {w.text(), w.accessibleName()}:
            if text and (wrong := languages.foreign(text, language)):
                problems.append(f"{'English' if language == 'id' else 'Indonesian'} on a {language} screen: {wrong!r}")
    return problems


def unnamed_buttons(window: KioskWindow) -> list[str]:
    """Visible buttons a screen reader could not name."""
    return [
        f"button without an accessible name: {type(b).__name__} {b.text()!r} in {type(b.parentWidget()).__name__}"
        for b in visible_widgets(window, QAbstractButton)
        if not b.accessibleName().strip()
    ]


# -- identity ----------------------------------------------------------------------------------------

#: A NIK with a valid structure (Jawa Barat, born 17-05-1990), for services that need identity.
VALID_NIK = "3201011705900001"


def pass_identity(qtbot, window: KioskWindow) -> None:
    """On an identify step (a service that needs identity, e.g. KTP-EL's NIK): prove it with a
    typed NIK, through the keypad's own commands, and wait for the confirm screen."""
    from kiosk.session import Step

    flow = window.flow
    if flow.step not in (Step.IDENTIFY, Step.SCAN, Step.NIK):
        return
    flow.identity.switch("nik")
    flow.identity.nik_input(VALID_NIK)
    flow.identity.nik_submit()
    settle(qtbot, window)
    assert flow.step == Step.CONFIRM, flow.step
