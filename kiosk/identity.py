"""Who the visitor is, for a service that needs it: how it was proven and what the ticket keeps.

A service's catalog entry says `identity = "none" | "nik" | "qr" | "face"`. Every service that
needs identity accepts all three ways (a face that passed liveness and matched, a signed QR
credential, a NIK typed on the keypad); the catalog's value is the way offered first, and the
visitor can always switch. The ticket and its outbox row record the method and the result, so
a counter knows how much was checked: a typed NIK is only structure-checked ("valid") and the
counter checks the KTP; a QR is signature-checked ("verified"); a face "matched" an enrolled
template after a liveness challenge.

Kept, and where:
- a NIK in full only on tickets of services that need the NIK itself (`identity = "nik"`),
  masked everywhere else (the ticket of another service, logs, the screen after entry);
- never a face template or image: the ticket says "face", "matched" and the distance;
- the session holds an `Identity` until the ticket is issued or the session is wiped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kiosk.nik import mask
from kiosk.tr import QT_TRANSLATE_NOOP

NONE = "none"
FACE = "face"
QR = "qr"
NIK = "nik"
METHODS = (FACE, QR, NIK)

#: The result recorded for each method.
MATCHED = "matched"  # a live face matched an enrolled template
VERIFIED = "verified"  # a signed credential checked offline
VALID = "valid"  # a NIK whose structure is right (not checked against a register)

#: The QR credential kinds a visitor proves who they are with (a badge is for staff; a ticket QR
#: says nothing about its holder).
VISITOR_KINDS = ("account", "booking")

_NIK_LIKE = re.compile(r"^\d{16}$")


@dataclass(frozen=True)
class Identity:
    """How a visitor proved who they are in this session (kept in memory only until the ticket)."""

    method: str
    result: str
    #: Whose identity: the NIK, the QR credential's subject, or the enrolled name the face matched.
    subject: str
    #: The face's largest distance over the agreeing frames (smaller is closer); None otherwise.
    score: float | None = None
    #: The QR credential's kiosk.credential.Verdict, used up in the ticket's own transaction.
    credential: Any = None

    @property
    def masked(self) -> str:
        """The subject as a log or another service's ticket may show it."""
        return masked(self.subject)

    def __repr__(self) -> str:  # a NIK never reaches a log through a repr
        return f"Identity(method={self.method!r}, result={self.result!r}, subject={self.masked!r})"


def masked(subject: str | None) -> str | None:
    """A NIK-like subject (16 digits) masked; other subjects (an account id, a name) as they are."""
    if subject is None:
        return None
    return mask(subject) if _NIK_LIKE.match(subject) else subject


def needs_identity(service) -> bool:
    return service.identity != NONE


def keeps_nik(service) -> bool:
    """Whether the service needs the NIK itself (its counter prepares the citizen's file by it)."""
    return service.identity == NIK


def first_method(service, *, camera_ok: bool) -> str:
    """The way offered first: the catalog's, except a face when the camera does not work (then
    the QR, which needs no camera when a scanner is there)."""
    wanted = service.identity
    if wanted == FACE and not camera_ok:
        return QR
    return wanted if wanted in METHODS else NIK


def ticket_fields(service, identity: Identity | None) -> dict:
    """The identity columns of the ticket (and its outbox payload): method, result, subject."""
    if identity is None:
        return {"identity_method": None, "identity_result": None, "identity_subject": None}
    subject = identity.subject if keeps_nik(service) else masked(identity.subject)
    return {"identity_method": identity.method, "identity_result": identity.result, "identity_subject": subject}


# -- the visitor's words for a failed attempt ----------------------------------------------------

#: Face outcomes and the flow's own codes (English sources, context "Identity").
FACE_MESSAGES = {
    "unknown": QT_TRANSLATE_NOOP(
        "Identity", "We do not recognise your face. Scan the QR code in your MPP Digital app, or type your NIK."
    ),
    "no_decision": QT_TRANSLATE_NOOP("Identity", "We could not see your face clearly. Please try again."),
    "face_changed": QT_TRANSLATE_NOOP(
        "Identity", "Please stay in front of the camera until the check is done. Try again."
    ),
    "camera": QT_TRANSLATE_NOOP(
        "Identity", "The camera is not working now. Please scan your QR code or type your NIK."
    ),
    "stopped": QT_TRANSLATE_NOOP("Identity", "The check was stopped. Please try again."),
    "no_faces": QT_TRANSLATE_NOOP(
        "Identity", "Face check is not set up at this kiosk yet. Please scan your QR code or type your NIK."
    ),
    "check_failed": QT_TRANSLATE_NOOP(
        "Identity", "The face check did not work. Please try again, or scan your QR code or type your NIK."
    ),
    "not_for_visitors": QT_TRANSLATE_NOOP(
        "Identity", "This code is not an MPP Digital account or booking code. Please scan the code from your app."
    ),
    "enrol_failed": QT_TRANSLATE_NOOP(
        "Identity", "Your face could not be saved. You can still take your queue number."
    ),
}


def message_for(code: str | None) -> tuple[str, str] | None:
    """(translation context, English source) of a failed attempt's code; None for no code.
    NIK codes ("nik.*") are worded by kiosk.nik (their words take the NIK's parameters)."""
    if not code:
        return None
    if code in FACE_MESSAGES:
        return ("Identity", FACE_MESSAGES[code])
    if code.startswith("credential."):
        from kiosk.credential import GARBLED, VISITOR_MESSAGES

        return ("Credential", VISITOR_MESSAGES.get(code, VISITOR_MESSAGES[GARBLED]))
    if code.startswith("nik."):
        from kiosk.nik import VISITOR_MESSAGES as NIK_MESSAGES

        return ("Nik", NIK_MESSAGES.get(code, code))
    from kiosk.liveness import REASONS

    if code in REASONS:
        return ("Liveness", REASONS[code][1])
    return ("Identity", FACE_MESSAGES["check_failed"])
