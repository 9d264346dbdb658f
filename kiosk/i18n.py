"""Translations for the core, in plain Python (no Qt): read from the Qt Linguist `.ts` file.

Source strings are English; `assets/i18n/kiosk_id.ts` carries Bahasa Indonesia. The core (ticket
layout, CLI messages) looks strings up here; the UI installs the compiled `kiosk_id.qm` (made from
the same `.ts` with pyside6-lrelease, see `qm_path`) into QApplication so `tr()` in widgets finds
them. Both give the same strings: `tests/kiosk/test_i18n.py` compares every message with Qt's.

A message counts as translated exactly when lrelease would put it into the `.qm`: a non-empty
translation that is not `vanished` or `obsolete` (lrelease keeps `unfinished` translations that
have text, so the screen shows them; `tools/i18n.py` and a test refuse them anyway).

Nothing is read at import; each language's file is read once, on its first lookup.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

I18N_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"
LANGUAGES = ("id", "en")

#: Translation types lrelease leaves out of the .qm whatever their text.
_DROPPED = frozenset({"vanished", "obsolete"})

_tables: dict[str, dict[tuple[str, str], str]] = {}
_lock = threading.Lock()


def ts_path(language: str) -> Path:
    """The translation source (Qt Linguist XML) for `language`."""
    return I18N_DIR / f"kiosk_{language}.ts"


def qm_path(language: str) -> Path:
    """The compiled translation file for `language` (for Qt's QTranslator in the UI)."""
    return I18N_DIR / f"kiosk_{language}.qm"


def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """{(context, source): translation} for every message lrelease would compile from `path`.

    Plural (numerus) messages are left out: the kiosk has none, and the core has no count to pick
    a form with. A message found twice keeps its first translation.
    """
    import xml.etree.ElementTree as ET

    table: dict[tuple[str, str], str] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            if msg.get("numerus") == "yes":
                continue
            tr = msg.find("translation")
            if tr is None or tr.get("type") in _DROPPED or not tr.text:
                continue
            table.setdefault((name, msg.findtext("source") or ""), tr.text)
    return table


def _table(language: str) -> dict[tuple[str, str], str]:
    """The language's messages, read once per process (English is the source: no table)."""
    table = _tables.get(language)
    if table is None:
        with _lock:
            table = _tables.get(language)
            if table is None:
                path = ts_path(language)
                # Like QTranslator.load() failing: a missing file leaves the English text.
                table = read_ts(path) if language != "en" and path.exists() else {}
                _tables[language] = table
    return table


class Translator:
    """Looks strings up for one language, independent of any installed application translator."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, context: str, text: str) -> str:
        return _table(self.language).get((context, text)) or text

    def context(self, context: str):
        """A one-argument translate function bound to `context`."""
        return lambda text: self(context, text)


def warm_up() -> None:
    """Read every language's messages now (optional: a first lookup reads them anyway)."""
    for language in LANGUAGES:
        _table(language)


@cache
def translator(language: str) -> Translator:
    """The shared Translator for `language`."""
    return Translator(language)
