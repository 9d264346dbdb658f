"""The one place that turns a kiosk error into words for a visitor: what happened, what to do next."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.errors import KioskError, NeedsOnline, PrinterError, QuotaFull, ServiceClosed, StoreError


def visitor_message(error: BaseException) -> str:
    """A short message in the current language, with the next step."""
    if not isinstance(error, KioskError):
        return QCoreApplication.translate("VisitorErrors", "Something went wrong. Please ask at the information desk.")
    if isinstance(error, StoreError):  # the details (a path, SQLite's words) are for the log, not the visitor
        return QCoreApplication.translate(
            "VisitorErrors", "The kiosk could not save your number. Please ask at the information desk."
        )
    what = error.render(lambda text: QCoreApplication.translate("Errors", text))
    if isinstance(error, QuotaFull | ServiceClosed | NeedsOnline):
        return what
    if isinstance(error, PrinterError):
        return (
            what
            + " "
            + QCoreApplication.translate(
                "VisitorErrors",
                "Your number is on the screen: please take a photo or write it down. "
                "Staff at the information desk will help you.",
            )
        )
    return what + "\n" + QCoreApplication.translate("VisitorErrors", "Please ask at the information desk.")
