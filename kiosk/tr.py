"""Marking strings for translation without Qt: the core imports no Qt at all.

`pyside6-lupdate` finds `QT_TRANSLATE_NOOP("Context", "text")` by its name in the source, so this
stand-in keeps the strings in `assets/i18n/kiosk_id.ts` while the core stays Qt-free.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    """Return `text` unchanged; the call marks it for translation in `context`."""
    return text
