"""What goes over the wire (docs/sync-api.md), split by direction: `...In` is what a kiosk or an
operator sends (validated: a wrong type or range is 422, a missing field 400), `...Out` is what
central answers. Central defines its own shapes; it shares no code with the kiosk.

Unknown fields in a request are ignored, so a newer kiosk can talk to an older central.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    field_validator,
)

KIOSK_ID_PATTERN = r"^[A-Za-z0-9._-]{1,40}$"
HALL_CODE_PATTERN = r"^[A-Z0-9]{2,8}$"
SHORT_CODE_PATTERN = r"^[0-9A-Z]{1,2}$"
KIND_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
SERVICE_CODE_PATTERN = r"^[A-Z0-9-]{2,16}$"
TIMEZONES = ("WIB", "WITA", "WIT")


def _text_only(what: str):
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError(f"expected {what}")
        return value

    return BeforeValidator(check)


#: A time as ISO-8601 text with its offset (never a bare number: that would be a guess).
Timestamp = Annotated[AwareDatetime, _text_only("ISO-8601 text with an offset, e.g. 2026-11-24T09:00:00+07:00")]
Day = Annotated[date, _text_only("a date YYYY-MM-DD")]
Text = Annotated[str, StringConstraints(max_length=2000)]
ShortText = Annotated[str, StringConstraints(max_length=200)]
Kind = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=KIND_PATTERN)]
Seq = Annotated[StrictInt, Field(ge=1, le=2**62)]


#: What no text central stores may hold: NUL (PostgreSQL refuses it) and lone surrogates (valid
#: JSON escapes, but not Unicode: no database can encode them).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(value: Any) -> bool:
    """Whether `value` (text, or lists and objects of it, keys included) holds UNSTORABLE text."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(unstorable(k) or unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(unstorable(v) for v in value)
    return False


class In(BaseModel):
    """A request body."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        if unstorable(value):
            raise ValueError("text with a NUL character or a lone surrogate cannot be stored")
        return value


# --- enrolment ----------------------------------------------------------------------------------


class EnrollIn(In):
    token: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class EnrollOut(BaseModel):
    kiosk_id: str
    hall_code: str
    short_code: str
    credential: str = Field(description="kiosk_id:secret, for `Authorization: Bearer ...`; shown once")


# --- push ---------------------------------------------------------------------------------------


class ItemIn(In):
    id: UUID
    seq: Seq
    kind: Kind
    created_at: Timestamp
    payload: dict[str, Any]


class PushIn(In):
    # max_length is checked again against Settings.max_items; over it is 413, not 422.
    items: Annotated[list[ItemIn], Field(max_length=1000)]


class AckOut(BaseModel):
    id: str
    seq: int
    status: Literal["stored", "duplicate", "conflict"]


class PushOut(BaseModel):
    acks: list[AckOut]
    gaps: list[tuple[int, int]] = Field(description="[from_seq, to_seq] ranges central has not seen")
    server_time: str


#: The priority kinds a kiosk may send (kiosk/priority.py `Priority`): part of the contract.
Priority = Literal["elderly", "disability", "pregnant", "infant"]


class TicketIssuedPayload(In):
    """The payload of `ticket.issued` that central applies (the kiosk sends more; kept in items)."""

    id: UUID
    number: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    day: Day
    service_code: Annotated[str, StringConstraints(pattern=SERVICE_CODE_PATTERN)]
    issued_at: Timestamp
    kiosk_id: Annotated[str, StringConstraints(pattern=KIOSK_ID_PATTERN)]
    hall_code: Annotated[str, StringConstraints(pattern=HALL_CODE_PATTERN)]
    prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,2}$")] | None = None
    #: A priority ticket's kind (kiosk/priority.py); null or absent for a normal ticket.
    priority: Priority | None = None


class PrintOutcomePayload(In):
    """The payload of `ticket.printed` / `ticket.print_failed` / `ticket.print_unconfirmed`."""

    ticket_id: UUID
    state: Literal["printed", "failed", "unconfirmed"]
    error: Text | None = None


# --- pull, commands -----------------------------------------------------------------------------


class ChangeOut(BaseModel):
    cursor: int
    kind: str
    version: int | None = None
    data: dict[str, Any]


class PullOut(BaseModel):
    cursor: int = Field(description="the cursor to send next time")
    more: bool
    changes: list[ChangeOut]


class CommandAckIn(In):
    state: Literal["done", "failed"]
    detail: Text | None = None


class CommandOut(BaseModel):
    id: str
    kiosk_id: str
    kind: str
    args: dict[str, Any]
    state: str
    detail: str | None
    created_at: str
    acked_at: str | None


# --- heartbeat ----------------------------------------------------------------------------------


class DeviceIn(In):
    name: Annotated[str, StringConstraints(max_length=80)]
    kind: Annotated[str, StringConstraints(max_length=20)]
    status: Annotated[str, StringConstraints(max_length=20)]
    reason: ShortText | None = None


class HeartbeatIn(In):
    kiosk_time: Timestamp
    app_version: Annotated[str, StringConstraints(max_length=40)]
    backlog: Annotated[StrictInt, Field(ge=0, le=2**62)]
    oldest_unsent_age_seconds: Annotated[float, Field(ge=0, le=10**10, allow_inf_nan=False)] | None = None
    last_sync_at: Timestamp | None = None
    devices: Annotated[list[DeviceIn], Field(max_length=32)] = []


class HeartbeatOut(BaseModel):
    server_time: str
    clock_skew_seconds: float = Field(description="kiosk minus central, in seconds")


# --- reading a hall -----------------------------------------------------------------------------


class TicketOut(BaseModel):
    number: str
    service_code: str
    kiosk_id: str
    ticket_id: str
    seq: int
    day: str
    issued_at: str
    received_at: str
    print_state: str
    print_error: str | None = None
    priority: str | None = Field(None, description="the priority kind; null for a normal ticket")


class HallTicketsOut(BaseModel):
    hall_code: str
    day: str
    tickets: list[TicketOut]


class KioskOut(BaseModel):
    kiosk_id: str
    short_code: str
    enrolled: bool
    revoked: bool
    revoked_at: str | None
    last_heartbeat_at: str | None
    kiosk_time: str | None
    clock_skew_seconds: float | None
    clock_skew_flagged: bool = Field(description="|skew| over the configured bound")
    backlog: int | None
    oldest_unsent_age_seconds: float | None
    last_sync_at: str | None
    last_push_at: str | None
    app_version: str | None
    devices: list[Any]
    highest_seq: int
    gaps: list[tuple[int, int]]


class HallKiosksOut(BaseModel):
    hall_code: str
    clock_skew_bound_seconds: float
    kiosks: list[KioskOut]


# --- one hall, one queue ------------------------------------------------------------------------


class QueueLetterOut(BaseModel):
    prefix: str = Field(description="the ticket letter (services of one letter share its counters)")
    counters: int
    tickets: int = Field(description="today's tickets of the letter in the model")
    own_tickets: int | None = Field(
        description="the asking kiosk's tickets counted: its letter numbers 1..own_tickets of the day "
        "(null when the operator asks)"
    )
    waiting: int = Field(description="visitors not yet called at as_of")
    wait_seconds: int = Field(description="until a visitor arriving at as_of would be called (0: a counter is free)")
    call_in_seconds: list[int] = Field(
        description="when each waiting visitor is called, seconds after as_of, ascending"
    )
    free_in_seconds: list[int] = Field(
        description="when each busy counter is free, seconds after as_of, ascending (at most `counters`)"
    )
    own_priority_tickets: int | None = Field(
        description="the asking kiosk's priority tickets counted: its priority numbers 1..n of the letter "
        "(null when the operator asks); own_tickets counts its normal ones"
    )
    priority_waiting: int = Field(description="priority visitors not yet called at as_of (counted in waiting too)")
    priority_wait_seconds: int = Field(
        description="until a priority visitor arriving at as_of would be called (0: a counter is free)"
    )
    priority_call_in_seconds: list[int] = Field(
        description="when each waiting priority visitor is called, seconds after as_of, ascending"
    )
    priority_free_in_seconds: list[int] = Field(
        description="when each counter is free for a new priority visitor (after the visits at a counter and "
        "the priority visitors waiting), seconds after as_of, ascending (at most `counters`)"
    )


class QueueKioskOut(BaseModel):
    kiosk_id: str
    tickets: int = Field(description="today's tickets of this kiosk in the queues")
    clock_skew_seconds: float | None = Field(description="kiosk minus central, from its last heartbeat")
    corrected_seconds: float = Field(description="taken off this kiosk's issue times (0: none)")
    clock_skew_flagged: bool = Field(description="|skew| over the configured bound")


class HallQueueOut(BaseModel):
    hall_code: str
    day: str
    as_of: str = Field(description="central's time the queue is computed for (UTC)")
    catalog_version: int | None
    counted_seq: int | None = Field(
        description="the asking kiosk's tickets with an outbox seq up to this are counted, no later one "
        "(null when the operator asks)"
    )
    clock_skew_bound_seconds: float
    letters: list[QueueLetterOut]
    kiosks: list[QueueKioskOut]
    unknown_letter_tickets: int = Field(description="today's tickets of letters the hall's catalog does not list")


# --- hall-wide quotas (leases) ------------------------------------------------------------------


class LeaseReturnPayload(In):
    """The payload of `lease.return`: the kiosk gives back `amount` unused numbers of its lease of
    `service_code` on `day` (it has already lowered its own lease by as much)."""

    day: Day
    service_code: Annotated[str, StringConstraints(pattern=SERVICE_CODE_PATTERN)]
    amount: Annotated[StrictInt, Field(ge=0, le=9999)]


# --- supervisors: login, the fleet, remote commands ---------------------------------------------


class TokenOut(BaseModel):
    """OAuth2's password-flow answer."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds the token is valid for")


class MeOut(BaseModel):
    username: str
    role: Literal["admin", "supervisor"]
    halls: list[str] = Field(description="the halls the caller sees")


class AlertOut(BaseModel):
    level: Literal["error", "warning"]
    kind: str = Field(description="paper_out, paper_low, device, offline, never, backlog, clock")
    hall_code: str
    kiosk_id: str
    message: str


class FleetKioskOut(BaseModel):
    hall_code: str
    hall_name: str
    id: str
    short_code: str
    status: Literal["online", "offline", "never"] = Field(
        description="from the last heartbeat's age: offline after CENTRAL_OFFLINE_MINUTES (default 2); never: none"
    )
    last_heartbeat: str | None = Field(description="central's time of the last heartbeat, ISO UTC")
    heartbeat_age_seconds: float | None
    backlog: int | None = Field(description="facts the kiosk had not sent, at its last heartbeat")
    backlog_age_seconds: float | None = Field(description="age of the oldest unsent fact now (estimated)")
    app_version: str | None
    clock_skew_seconds: float | None = Field(description="kiosk minus central")
    clock_skew_flagged: bool
    last_sync: str | None = Field(description="the kiosk's last successful sync, as it reported it")
    last_push: str | None
    device_health: Literal["ok", "warning", "error", "unknown"]
    devices: list[Any]
    pending_commands: int
    enrolled: bool
    revoked: bool
    alerts: list[AlertOut]


class FleetCommandIn(In):
    kind: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="lock, unlock, pause_service, resume_service, refresh_catalog, refresh_config, "
        "diagnostics_bundle, restart"
    )
    args: dict[str, Any] = Field(default_factory=dict, description='{"service": CODE} for pause/resume_service')


class FleetCommandOut(BaseModel):
    id: str
    kiosk_id: str
    kind: str
    args: dict[str, Any]
    state: Literal["pending", "done", "failed"]
    detail: str | None
    created_at: str
    created_by: str | None
    acked_at: str | None


class ServiceFiguresOut(BaseModel):
    code: str
    name: str
    tickets_today: int


class LetterFiguresOut(BaseModel):
    prefix: str
    counters: int
    tickets_today: int
    waiting_now: int
    wait_now_seconds: int = Field(description="until a visitor arriving now would be called (model)")
    average_wait_seconds: int = Field(description="mean modelled wait over today's tickets")


class HallFiguresOut(BaseModel):
    hall_code: str
    hall_name: str
    day: str
    tickets_today: int
    waiting_now: int
    average_wait_seconds: int
    services: list[ServiceFiguresOut]
    letters: list[LetterFiguresOut]


class AuditEventOut(BaseModel):
    at: str
    actor: str
    action: str
    via: str
    hall_code: str | None
    kiosk_id: str | None
    detail: dict[str, Any]
