"""The one place that turns a kiosk error into words for a visitor: what happened, what to do next.

The words are chosen by the error's stable `code` (and a printer error's `fault`), never built
from its English message: the technical reason (an errno, an exception's text, a path) is for
the log (kiosk.flow logs it), not the screen. Opening times are said relatively, in the hall's
time ("besok 08.00"), through kiosk.wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk import wording
from kiosk.errors import KioskError, PrinterError
from kiosk.i18n import translator
from kiosk.tr import QT_TRANSLATE_NOOP

CONTEXT = "VisitorErrors"

ASK_DESK = QT_TRANSLATE_NOOP("VisitorErrors", "Please ask at the information desk.")
SOMETHING_WRONG = QT_TRANSLATE_NOOP("VisitorErrors", "Something went wrong.")
NOT_SAVED = QT_TRANSLATE_NOOP("VisitorErrors", "The kiosk could not save your number.")
CLOSED_OPENS = QT_TRANSLATE_NOOP("VisitorErrors", "{service} is closed now. It opens {when}.")
CLOSED = QT_TRANSLATE_NOOP("VisitorErrors", "{service} is closed now.")
COME_BACK = QT_TRANSLATE_NOOP("VisitorErrors", "Please come back then.")
FULL_OPENS = QT_TRANSLATE_NOOP("VisitorErrors", "{service} is full for today. New numbers from {when}.")
FULL = QT_TRANSLATE_NOOP("VisitorErrors", "{service} is full for today.")
LEASE_USED = QT_TRANSLATE_NOOP("VisitorErrors", "This kiosk has no more numbers for {service} today.")
OTHER_KIOSK = QT_TRANSLATE_NOOP("VisitorErrors", "Please use another kiosk or ask at the information desk.")
NEEDS_ONLINE = QT_TRANSLATE_NOOP(
    "VisitorErrors", "{service} needs the connection to the central system, which is down right now."
)
NO_NUMBERS = QT_TRANSLATE_NOOP("VisitorErrors", "This kiosk has no more numbers for this service today.")

# Printing: the ticket exists (it is on the screen and in the queue), only the paper is missing.
SHOWN_ONLY = QT_TRANSLATE_NOOP("VisitorErrors", "Your number is shown on this screen")
NO_PRINTER = QT_TRANSLATE_NOOP(
    "VisitorErrors", "This kiosk does not print tickets. Please take a photo of your number or write it down."
)
NO_PAPER = QT_TRANSLATE_NOOP("VisitorErrors", "The printer is out of paper")
COVER_OPEN = QT_TRANSLATE_NOOP("VisitorErrors", "The printer cover is open")
NOT_PRINTED = QT_TRANSLATE_NOOP("VisitorErrors", "Your ticket could not be printed")
COPY_NUMBER = QT_TRANSLATE_NOOP(
    "VisitorErrors",
    "Your number is valid and you are in the queue. Please take a photo of it or write it down. "
    "Staff at the information desk can help you.",
)


@dataclass(frozen=True)
class Notice:
    """What a visitor is told: a short title, what to do next, and how it should look
    ("info": nothing is wrong for the visitor; "warning": something failed, calmly said)."""

    title: str
    body: str
    tone: str = "warning"

    @property
    def text(self) -> str:
        """Title and body as one paragraph."""
        title = self.title if self.title.endswith((".", "!", "?")) else self.title + "."
        return f"{title} {self.body}".strip()


def _tr(language: str):
    return translator(language).context(CONTEXT)


def _when(error: KioskError, now: datetime | None, language: str) -> str | None:
    opens = error.opens_at
    if opens is None or now is None:
        return None
    return wording.opening(opens, now, language)


def printer_notice(fault: str | None, language: str) -> Notice:
    """Why the ticket is not on paper, by the printer's stable fault code; the number is valid."""
    tr = _tr(language)
    if fault == "disabled":  # no printer on purpose: nothing failed
        return Notice(tr(SHOWN_ONLY), tr(NO_PRINTER), "info")
    title = {"paper_out": NO_PAPER, "cover_open": COVER_OPEN}.get(fault or "", NOT_PRINTED)
    return Notice(tr(title), tr(COPY_NUMBER))


def visitor_notice(error: BaseException, language: str, now: datetime | None = None) -> Notice:
    """The notice for `error` in `language`; `now` (hall time) lets opening times read "besok 08.00"."""
    tr = _tr(language)
    if not isinstance(error, KioskError):
        return Notice(tr(SOMETHING_WRONG), tr(ASK_DESK))
    if isinstance(error, PrinterError):
        return printer_notice(error.params.get("fault"), language)  # type: ignore[arg-type]
    service = str(error.params.get("service", ""))
    code = error.code
    if code.startswith("store."):  # busy, damaged, a full disk: nothing was saved
        return Notice(tr(NOT_SAVED), tr(ASK_DESK))
    if code == "queue.closed":
        when = _when(error, now, language)
        if when:
            return Notice(tr(CLOSED_OPENS).format(service=service, when=when), tr(COME_BACK))
        return Notice(tr(CLOSED).format(service=service), tr(ASK_DESK))
    if code == "queue.lease_used":
        return Notice(tr(LEASE_USED).format(service=service), tr(OTHER_KIOSK))
    if code == "queue.quota_full":
        when = _when(error, now, language)
        if when:
            return Notice(tr(FULL_OPENS).format(service=service, when=when), "")
        return Notice(tr(FULL).format(service=service), tr(ASK_DESK))
    if code == "queue.needs_online":
        return Notice(tr(NEEDS_ONLINE).format(service=service), tr(ASK_DESK))
    if code == "queue.numbers_exhausted":
        return Notice(tr(NO_NUMBERS), tr(OTHER_KIOSK))
    return Notice(tr(SOMETHING_WRONG), tr(ASK_DESK))


def visitor_message(error: BaseException, language: str = "en", now: datetime | None = None) -> str:
    """The notice as one short paragraph: what happened, then what to do next."""
    return visitor_notice(error, language, now).text


def state_message(service, state, language: str, now: datetime | None) -> str | None:
    """Why `service` cannot be taken now (kiosk.flow.ServiceState), as a sentence with the next
    step; None when it can."""
    from kiosk.errors import LeaseUsed, NeedsOnline, QuotaFull, ServiceClosed

    name = service.name(language)
    until = state.until if state.until is not None else "-"
    error = {
        wording.CLOSED: lambda: ServiceClosed(service=name, opens_at=until),
        wording.FULL: lambda: QuotaFull(service=name, quota=service.daily_quota, opens_at=until),
        wording.LEASE_USED: lambda: LeaseUsed(service=name, quota=service.daily_quota, opens_at="-"),
        wording.ONLINE_ONLY_OFFLINE: lambda: NeedsOnline(service=name),
    }.get(state.kind)
    return visitor_message(error(), language, now) if error else None
