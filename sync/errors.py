"""Errors of the sync client, each with a stable code.

Every error derives from `SyncError` (itself a `KioskError`, so the CLI and the UI show it like
any other). The `code` never changes once released; `server_code` carries central's own code
(`auth.revoked`, `request.too_large`, ...) when central answered with one. Codes:

    sync.not_configured   no central URL: the kiosk runs offline
    sync.credential       the credential file is missing, unreadable, readable by others, or
                          is for another kiosk than the one configured
    sync.unreachable      no answer: connection refused or reset, DNS, TLS, timeout
    sync.refused          central refused this kiosk (auth.missing, auth.unknown_kiosk,
                          auth.revoked, auth.forbidden) or the enrolment token (enroll.*)
    sync.rejected         central rejected the request itself (request.*, not_found, a redirect)
    sync.server_error     central failed (5xx)
    sync.malformed_reply  central's answer is not what the contract says: not JSON, wrong
                          shape, a field of the wrong type or range, cut short, too large
    sync.local            the kiosk's own data cannot be sent (an outbox row that is not JSON)

Messages are English, for technicians and the CLI; the touch UI maps the code to plain words.
"""

from __future__ import annotations

from kiosk.errors import KioskError


class SyncError(KioskError):
    """Base of every sync failure; `server_code` is central's error code when it sent one."""

    code = "sync.error"
    template = "Sync failed: {detail}"

    @property
    def server_code(self) -> str | None:
        """Central's stable error code (e.g. `auth.revoked`), when central answered with one."""
        value = self.params.get("server_code")
        return str(value) if value else None


class SyncNotConfigured(SyncError):
    """No central URL is configured: the kiosk runs offline."""

    code = "sync.not_configured"
    template = "No central service is configured ([central] url in the config, or --central URL)"


class SyncCredentialError(SyncError):
    """The kiosk's credential file cannot be used; the message says why and what to do."""

    code = "sync.credential"
    template = "{detail}"


class SyncUnreachable(SyncError):
    """Central did not answer (connection refused or reset, name lookup, TLS, timeout)."""

    code = "sync.unreachable"
    template = "Central {url} unreachable: {detail}"


class SyncRefused(SyncError):
    """Central refused this kiosk or its enrolment token; `server_code` says which (auth.*, enroll.*)."""

    code = "sync.refused"
    template = "Central refused {who} ({server_code}): {detail}"


class SyncRejected(SyncError):
    """Central rejected the request itself (request.*, not_found, an unexpected redirect)."""

    code = "sync.rejected"
    template = "Central rejected {what} (HTTP {status} {server_code}): {detail}"


class SyncServerError(SyncError):
    """Central failed while answering (HTTP 5xx)."""

    code = "sync.server_error"
    template = "Central failed on {what} (HTTP {status} {server_code}): {detail}"


class SyncMalformedReply(SyncError):
    """Central's reply does not follow the contract; nothing of it was used."""

    code = "sync.malformed_reply"
    template = "Central's reply to {what} is malformed: {detail}"


class SyncLocalError(SyncError):
    """The kiosk's own data cannot be sent."""

    code = "sync.local"
    template = "{detail}"
