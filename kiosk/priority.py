"""Priority tickets: the visitors Indonesian service standards entitle to be served first.

Elderly people, people with a disability, pregnant women and parents with an infant take a
priority ticket: it has its own number series per letter (`A1-P001`, see kiosk/queue.py
`format_number`), the counters call it before the normal tickets still waiting, and its paper,
its store row and its outbox payload say which kind it is (`"priority": "elderly"`; null for a
normal ticket). The codes are part of the sync contract (docs/sync-api.md): never rename one.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.i18n import translator
from kiosk.tr import QT_TRANSLATE_NOOP

#: The translation context of the labels (the UI looks them up with QCoreApplication.translate).
CTX = "Priority"


class Priority(StrEnum):
    """A kind of priority visitor; the value is the code stored and sent to central."""

    ELDERLY = "elderly"
    DISABILITY = "disability"
    PREGNANT = "pregnant"
    INFANT = "infant"

    @property
    def source_label(self) -> str:
        """The English label, the source text of its translations (context `Priority`)."""
        return _LABELS[self]

    @property
    def source_short(self) -> str:
        """The short English label for the ticket's marker line (context `Priority`)."""
        return _SHORT[self]

    def label(self, language: str) -> str:
        """The label in `language` ("id" or "en"), e.g. "Lansia (60 tahun ke atas)"."""
        return translator(language)(CTX, _LABELS[self])

    def short_label(self, language: str) -> str:
        """The short label in `language`, e.g. "LANSIA" (the printed ticket's marker)."""
        return translator(language)(CTX, _SHORT[self])


# The codes, in the order the touch screen offers them.
PRIORITY_KINDS: tuple[str, ...] = tuple(p.value for p in Priority)

#: What the touch screen shows for each kind (translated in context "Priority").
_LABELS = {
    Priority.ELDERLY: QT_TRANSLATE_NOOP("Priority", "Elderly (60 years or older)"),
    Priority.DISABILITY: QT_TRANSLATE_NOOP("Priority", "Person with a disability"),
    Priority.PREGNANT: QT_TRANSLATE_NOOP("Priority", "Pregnant woman"),
    Priority.INFANT: QT_TRANSLATE_NOOP("Priority", "Parent with an infant"),
}
#: The kind on the printed ticket's marker line, in capitals.
_SHORT = {
    Priority.ELDERLY: QT_TRANSLATE_NOOP("Priority", "ELDERLY"),
    Priority.DISABILITY: QT_TRANSLATE_NOOP("Priority", "DISABILITY"),
    Priority.PREGNANT: QT_TRANSLATE_NOOP("Priority", "PREGNANT"),
    Priority.INFANT: QT_TRANSLATE_NOOP("Priority", "WITH INFANT"),
}
#: The word on the ticket's marker line: "PRIORITAS: LANSIA" / "PRIORITY: ELDERLY".
T_PRIORITY = QT_TRANSLATE_NOOP("Priority", "PRIORITY")


def parse_priority(value: str | Priority | None) -> Priority | None:
    """None for a normal ticket, else the Priority; ValueError naming the accepted codes."""
    if value is None or isinstance(value, Priority):
        return value
    try:
        return Priority(value)
    except ValueError:
        raise ValueError(f"priority must be one of {', '.join(PRIORITY_KINDS)}, not {value!r}") from None
