"""Errors the kiosk core raises, each with a stable code.

Every error derives from `KioskError`. The `code` never changes once
released (scripts and the fleet dashboard key on it); `message` is the
English text, translated for visitors by `ui.errors` and for the CLI by
`kiosk.i18n`. Codes:

    config.invalid          the config file is broken (bad TOML, unknown key, wrong type)
    catalog.invalid         the service catalog file is broken
    catalog.unknown_service no service with that code
    queue.quota_full        the service has issued its daily quota
    queue.lease_used        this kiosk's share of the hall's daily quota (its lease) is used up
    queue.closed            the service is outside its opening hours
    queue.needs_online      the service needs the central link, which is down
    queue.numbers_exhausted the day's number range for a ticket letter is used up
    queue.paused            a supervisor paused the service (a remote command); resumed the same way
    kiosk.locked            a supervisor took the kiosk out of service (a remote command)
    store.failed            the local database could not be opened or written
    store.damaged           the local database failed its integrity check; left as found
    store.too_new           the local database was written by a newer kiosk version; left as found
    device.printer          the printer failed (see PrinterError.reason)
"""

from __future__ import annotations

from datetime import datetime

from kiosk.clock import hall_time_label
from kiosk.tr import QT_TRANSLATE_NOOP


class KioskError(Exception):
    """Base of every error the kiosk reports; `code` is stable, `message` is English."""

    code = "kiosk.error"
    template = QT_TRANSLATE_NOOP("Errors", "Something went wrong.")

    def __init__(self, **params: object) -> None:
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The English message with its parameters."""
        return self.render(lambda text: text)

    def render(self, translate, *, moment=None) -> str:
        """The message with its parameters, through `translate` (English -> display language).

        A datetime parameter (`opens_at`) is written by `moment` (default: the CLI's and the
        log's "25-11-2026 08:00 WIB"); visitors' screens do not use this text but
        `ui.errors.visitor_message`, which says it relatively ("besok 08.00", kiosk.wording)."""
        show = moment or hall_time_label
        return translate(self.template).format(**{k: _fmt(v, show) for k, v in self.params.items()})

    @property
    def opens_at(self) -> datetime | None:
        """When the refused service opens (again), if the error says so."""
        value = self.params.get("opens_at")
        return value if isinstance(value, datetime) else None


def _fmt(value: object, show) -> object:
    if isinstance(value, datetime):
        return show(value)
    return value


class ConfigError(KioskError):
    """A config file is broken; the message names the file, the key and what was expected."""

    code = "config.invalid"
    template = QT_TRANSLATE_NOOP("Errors", "{file}: {key}: {problem}")


class CatalogError(KioskError):
    """The catalog file is broken; the message names the file and the key."""

    code = "catalog.invalid"
    template = QT_TRANSLATE_NOOP("Errors", "{file}: {key}: {problem}")


class UnknownService(KioskError):
    """No service with that code in the catalog."""

    code = "catalog.unknown_service"
    template = QT_TRANSLATE_NOOP("Errors", "Unknown service code: {service_code}")


class QuotaFull(KioskError):
    """The service has issued its daily quota; `opens_at` says when it opens again."""

    code = "queue.quota_full"
    template = QT_TRANSLATE_NOOP(
        "Errors", "{service} is full for today ({quota} tickets). It opens again on {opens_at}."
    )


class LeaseUsed(QuotaFull):
    """This kiosk has issued its share of the hall-wide daily quota (its lease from central) and
    has no more for now: central is out of reach, or has not topped the share up yet. The hall
    may still have numbers at other kiosks. A QuotaFull, so screens show it as the reason a
    service cannot be taken now; the message says what to do."""

    code = "queue.lease_used"
    template = QT_TRANSLATE_NOOP(
        "Errors",
        "This kiosk has no more numbers for {service} today: its share is used up and the central "
        "system has not sent more (the link may be down). Please use another kiosk or ask at the "
        "information desk.",
    )


class ServiceClosed(KioskError):
    """The service is outside its opening hours; `opens_at` says when it opens."""

    code = "queue.closed"
    template = QT_TRANSLATE_NOOP("Errors", "{service} is closed now. It opens on {opens_at}.")


class NeedsOnline(KioskError):
    """The service cannot be issued while the central link is down."""

    code = "queue.needs_online"
    template = QT_TRANSLATE_NOOP(
        "Errors",
        "{service} needs the link to the central system, which is down now. Please ask at the information desk.",
    )


class ServicePaused(KioskError):
    """A supervisor paused the service from central (kiosk/commands.py); it is resumed the same way."""

    code = "queue.paused"
    template = QT_TRANSLATE_NOOP(
        "Errors", "{service} is paused for now. Please ask at the information desk or try again later."
    )


class KioskLocked(KioskError):
    """A supervisor took the kiosk out of service from central (kiosk/commands.py): no tickets."""

    code = "kiosk.locked"
    template = QT_TRANSLATE_NOOP(
        "Errors", "This kiosk is out of service for now. Please use another kiosk or ask at the information desk."
    )


class CredentialUsed(KioskError):
    """The QR credential was used here already (a booking is good for one ticket)."""

    code = "identity.credential_used"
    template = QT_TRANSLATE_NOOP(
        "Errors", "This QR code has already been used for a queue number. Please ask at the information desk."
    )


class NumbersExhausted(KioskError):
    """All numbers of a ticket letter are used for today."""

    code = "queue.numbers_exhausted"
    template = QT_TRANSLATE_NOOP("Errors", "No more ticket numbers today for letter {prefix}.")


class StoreError(KioskError):
    """The local database could not be opened or written; nothing was half-written."""

    code = "store.failed"
    template = QT_TRANSLATE_NOOP("Errors", "The local database failed: {reason}")


class StoreDamaged(StoreError):
    """The store failed its integrity check: the kiosk stops issuing and leaves the file for recovery."""

    code = "store.damaged"
    template = QT_TRANSLATE_NOOP(
        "Errors",
        "The local database {path} is damaged ({detail}). No tickets are issued until a technician "
        "checks it ('kiosk store check'); the file is left as it is for recovery.",
    )


class StoreTooNew(StoreError):
    """The store's schema is newer than this code: refused by name, never written to."""

    code = "store.too_new"
    template = QT_TRANSLATE_NOOP(
        "Errors",
        "The local database {path} was written by a newer kiosk version (schema {found}; this version "
        "knows up to {known}). Update the kiosk software; the file was not changed.",
    )


class DeviceError(KioskError):
    """A device failed."""

    code = "device.error"
    template = QT_TRANSLATE_NOOP("Errors", "{device}: {reason}")


class PrinterError(DeviceError):
    """The printer could not print; `reason` is one of the PRINTER_* strings in devices.printer."""

    code = "device.printer"
    template = QT_TRANSLATE_NOOP("Errors", "Printer: {reason}")
