"""Translations through Qt's own machinery (QtCore only, no widgets).

Source strings are English; `assets/i18n/kiosk_id.qm` (compiled from the
`.ts` file with pyside6-lrelease) carries Bahasa Indonesia. The UI installs
the same files into QApplication so `tr()` in widgets finds them too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QTranslator

I18N_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"
LANGUAGES = ("id", "en")


def qm_path(language: str) -> Path:
    """The compiled translation file for `language`."""
    return I18N_DIR / f"kiosk_{language}.qm"


class Translator:
    """Looks strings up for one language, independent of any installed application translator."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._qt = QTranslator()
        if language != "en":
            self._qt.load(str(qm_path(language)))

    def __call__(self, context: str, text: str) -> str:
        return self._qt.translate(context, text) or text

    def context(self, context: str):
        """A one-argument translate function bound to `context`."""
        return lambda text: self(context, text)


def warm_up() -> None:
    """Create the translators on the calling (main) thread: a QObject made by a short-lived
    worker thread would outlive that thread's Qt bookkeeping."""
    for language in LANGUAGES:
        translator(language)


@cache
def translator(language: str) -> Translator:
    """The shared Translator for `language`."""
    return Translator(language)
