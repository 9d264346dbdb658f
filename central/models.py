"""Central's tables (SQLAlchemy 2). The migrations in central/migrations/ build exactly these
(tests/central/test_migrations.py compares them on SQLite and PostgreSQL).

Times central takes itself are UTC (`UTCDateTime`); times a kiosk reports are kept as the
kiosk wrote them (ISO-8601 text with its offset) and, where we sort on them, also as UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: A UUID: native on PostgreSQL, its 36-character text on SQLite (readable in the sqlite3 shell).
UUID_TYPE = Uuid(as_uuid=False).with_variant(String(36), "sqlite")
#: An autoincrementing 64-bit key (SQLite's rowid alias must be declared INTEGER).
BIGINT_PK = BigInteger().with_variant(Integer, "sqlite")


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as UTC: timestamptz on PostgreSQL, naive UTC text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class Hall(Base):
    """A Mal Pelayanan Publik."""

    __tablename__ = "halls"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    timezone: Mapped[str] = mapped_column(String(4))  # WIB, WITA, WIT
    created_at: Mapped[datetime]


class Kiosk(Base):
    """A kiosk of a hall: its credential, its sync position and its last heartbeat."""

    __tablename__ = "kiosks"
    __table_args__ = (UniqueConstraint("hall_code", "short_code"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"), index=True)
    short_code: Mapped[str] = mapped_column(String(2))
    #: sha256 hex of the secret; None until the kiosk exchanged its enrolment token.
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    enrolled_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # Sync position: every seq 1..contiguous_seq is stored; max_seq is the highest stored.
    contiguous_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    max_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_push_at: Mapped[datetime | None]
    # The last heartbeat.
    heartbeat_at: Mapped[datetime | None]  # central's clock
    kiosk_time: Mapped[str | None] = mapped_column(String(40))  # the kiosk's clock, as it sent it
    clock_skew_seconds: Mapped[float | None] = mapped_column(Float)  # kiosk minus central
    backlog: Mapped[int | None] = mapped_column(Integer)
    oldest_unsent_age_seconds: Mapped[float | None] = mapped_column(Float)
    last_sync_at: Mapped[str | None] = mapped_column(String(40))  # as the kiosk reported it
    devices: Mapped[list[Any] | None]
    app_version: Mapped[str | None] = mapped_column(String(40))


class EnrolToken(Base):
    """A one-time token a kiosk exchanges for its credential."""

    __tablename__ = "enrol_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"))
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Item(Base):
    """A fact as a kiosk pushed it, stored once: unique by id, and by (kiosk, seq)."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("kiosk_id", "seq"),)

    id: Mapped[str] = mapped_column(UUID_TYPE, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON: sorted keys, no spaces
    payload_sha256: Mapped[str] = mapped_column(String(64))
    #: The ticket a ticket.* item is about (to find a print outcome that came before its ticket).
    subject: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[str] = mapped_column(String(40))  # the kiosk's clock, as it sent it
    received_at: Mapped[datetime]


class Ticket(Base):
    """A hall ticket, from a `ticket.issued` item."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_hall_order", "hall_code", "day", "issued_utc", "received_at", "kiosk_id", "seq"),
        # The day's count per service and kiosk (hall-wide quotas, repo/leases.py): an index-only scan.
        Index("ix_tickets_quota", "hall_code", "day", "service_code", "kiosk_id", "leased"),
    )

    id: Mapped[str] = mapped_column(UUID_TYPE, primary_key=True)  # the kiosk's ticket UUID
    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"))
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"))
    number: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)  # the hall-local day the kiosk issued it on
    prefix: Mapped[str | None] = mapped_column(String(2))
    service_code: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(BigInteger)  # the kiosk's sequence number of the ticket.issued item
    item_id: Mapped[str] = mapped_column(UUID_TYPE)
    issued_at: Mapped[str] = mapped_column(String(40))  # the kiosk's clock, with its offset
    issued_utc: Mapped[datetime]  # the same instant in UTC, to sort on
    received_at: Mapped[datetime]  # central's clock
    print_state: Mapped[str] = mapped_column(String(16), default="pending")
    print_error: Mapped[str | None] = mapped_column(Text)
    #: Issued under the kiosk's lease of the service's hall-wide quota (the payload's `lease`).
    leased: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The priority kind (elderly, disability, pregnant, infant), None for a normal ticket: the
    #: counters call a letter's priority visitors before its normal ones (repo/hallqueue.py).
    priority: Mapped[str | None] = mapped_column(String(16))


class Conflict(Base):
    """An item whose id (or kiosk and seq) central knows with a different content: kept, not applied."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("item_id", "kiosk_id", "seq", "payload_sha256"),)

    id: Mapped[int] = mapped_column(BIGINT_PK, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(UUID_TYPE)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime]


class Gap(Base):
    """A range of a kiosk's sequence numbers central has not seen, below the highest it has."""

    __tablename__ = "gaps"

    id: Mapped[int] = mapped_column(BIGINT_PK, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)
    from_seq: Mapped[int] = mapped_column(BigInteger)
    to_seq: Mapped[int] = mapped_column(BigInteger)
    found_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]


class Catalog(Base):
    """A version of a hall's service catalog (the TOML file's text)."""

    __tablename__ = "catalogs"

    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    toml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    #: Who stored it: a username, "operator" (the operator token), "cli" or None (before 0006).
    created_by: Mapped[str | None] = mapped_column(String(40))


class HallConfig(Base):
    """A version of a hall's central configuration: a few kiosk settings (repo/hall_config.py's
    allow-list) its kiosks take over their own config file, pulled as a `config` change."""

    __tablename__ = "hall_configs"

    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: "section.key" -> value, e.g. {"timeouts.inactivity_seconds": 90}.
    settings: Mapped[dict[str, Any]]
    created_by: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]


class Change(Base):
    """Something a kiosk pulls: for every kiosk of a hall (kiosk_id NULL) or for one."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_hall_cursor", "hall_code", "cursor"),)

    cursor: Mapped[int] = mapped_column(BIGINT_PK, primary_key=True, autoincrement=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"))
    kiosk_id: Mapped[str | None] = mapped_column(ForeignKey("kiosks.id"))
    kind: Mapped[str] = mapped_column(String(32))
    version: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class Command(Base):
    """A command for one kiosk (refresh the catalog, pause, ...) and its acknowledgement."""

    __tablename__ = "commands"

    id: Mapped[str] = mapped_column(UUID_TYPE, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    args: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(8), default="pending")  # pending, done, failed
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    acked_at: Mapped[datetime | None]
    #: Who sent it: a supervisor's username, "operator" (the operator token), None (the CLI).
    created_by: Mapped[str | None] = mapped_column(String(40))


class Lease(Base):
    """A kiosk's share of a service's daily quota for one hall-local day (repo/leases.py).

    The kiosk may issue `granted - returned` tickets of the service that day; central counts
    the ones it received from the `tickets` table (`leased`), so the unused part is
    granted - returned - (leased tickets received). Only grants (under the hall's lock) add to
    `granted`; only `lease.return` items the kiosk pushed add to `returned`.
    """

    __tablename__ = "leases"
    __table_args__ = (Index("ix_leases_hall_day", "hall_code", "day"),)

    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), primary_key=True)
    service_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the hall-local day
    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"))
    granted: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    #: How many central asked the kiosk to give back and it has not answered yet (0: none asked).
    asked: Mapped[int] = mapped_column(Integer, default=0)
    #: Whether the kiosk was last told that the hall's quota is used up.
    full_told: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SigningKey(Base):
    """A hall's Ed25519 key for signed QR credentials (repo/credentials.py). The private key is
    kept here, in the database: acceptable for the reference service (README, "Signed QR
    credentials"); a production central keeps it in an HSM or a KMS."""

    __tablename__ = "signing_keys"
    __table_args__ = (Index("ix_signing_keys_hall", "hall_code", "created_at"),)

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)  # HALL-n
    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"))
    public_key: Mapped[str] = mapped_column(String(44))  # 32 raw bytes, base64url without padding
    private_key: Mapped[str] = mapped_column(String(44))  # the 32-byte seed, base64url without padding
    created_at: Mapped[datetime]
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class CredentialRevocation(Base):
    """A revoked credential (by nonce) or a subject's credentials issued up to `issued_before`."""

    __tablename__ = "credential_revocations"

    id: Mapped[int] = mapped_column(BIGINT_PK, primary_key=True, autoincrement=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"), index=True)
    nonce: Mapped[str | None] = mapped_column(String(24))
    subject: Mapped[str | None] = mapped_column(String(48))
    issued_before: Mapped[datetime | None]
    created_at: Mapped[datetime]


class CredentialUse(Base):
    """A `credential.used` item: a kiosk accepted a credential. A second use of a nonce in the
    hall (two offline kiosks, or a kiosk whose store was reset) is flagged `conflict`."""

    __tablename__ = "credential_uses"
    __table_args__ = (Index("ix_credential_uses_hall_nonce", "hall_code", "nonce"),)

    id: Mapped[int] = mapped_column(BIGINT_PK, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(UUID_TYPE, unique=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"))
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(48))
    nonce: Mapped[str] = mapped_column(String(24))
    ticket_id: Mapped[str | None] = mapped_column(String(36))
    used_at: Mapped[str] = mapped_column(String(40))  # the kiosk's clock, as it sent it
    received_at: Mapped[datetime]
    conflict: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class User(Base):
    """A supervisor (sees and commands the kiosks of their halls, `user_halls`) or an
    administrator (every hall). The password is stored as an argon2id hash (central/security.py)."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(40), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))  # admin, supervisor
    #: A demo user (`central --demo`, password "demo"): refused when central is not in demo mode.
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime]


class UserHall(Base):
    """A hall a supervisor looks after."""

    __tablename__ = "user_halls"

    username: Mapped[str] = mapped_column(ForeignKey("users.username", ondelete="CASCADE"), primary_key=True)
    hall_code: Mapped[str] = mapped_column(ForeignKey("halls.code"), primary_key=True)


class UserToken(Base):
    """A user's bearer token (API) or dashboard session: opaque, stored as its SHA-256, with an
    expiry; logging out deletes it."""

    __tablename__ = "user_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # api, dashboard
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class LoginFailure(Base):
    """Failed logins of a username (known or not), for the throttle (repo/users.py)."""

    __tablename__ = "login_failures"

    username: Mapped[str] = mapped_column(String(40), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class AuditEvent(Base):
    """What a supervisor or administrator did at central: who, when, what, in which hall."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_hall_at", "hall_code", "at"),)

    id: Mapped[int] = mapped_column(BIGINT_PK, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    #: The username as given (also for a failed login of an unknown name), or "operator", or "cli".
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))  # login.ok, login.failed, login.locked, logout, command.sent, ...
    hall_code: Mapped[str | None] = mapped_column(String(8))
    kiosk_id: Mapped[str | None] = mapped_column(String(40))
    #: Where it came from: api, dashboard, cli.
    via: Mapped[str] = mapped_column(String(12))
    detail: Mapped[dict[str, Any]]
