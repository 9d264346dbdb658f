"""The initial schema: halls, kiosks, enrolment tokens, items, tickets, conflicts, gaps,
catalogs, changes, commands.

Revision ID: 0001
Revises:
Create Date: 2026-11-30

Types are spelled out here (not imported from central.models), so this file keeps building
the same schema whatever models.py becomes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False).with_variant(sa.String(length=36), "sqlite")
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def utc(name: str, nullable: bool = False) -> sa.Column:
    """A UTC instant (central.models.UTCDateTime stores its impl, DateTime(timezone=True))."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "halls",
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("timezone", sa.String(4), nullable=False),
        utc("created_at"),
        sa.PrimaryKeyConstraint("code", name="pk_halls"),
    )
    op.create_table(
        "catalogs",
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("toml", sa.Text(), nullable=False),
        utc("created_at"),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_catalogs_hall_code_halls"),
        sa.PrimaryKeyConstraint("hall_code", "version", name="pk_catalogs"),
    )
    op.create_table(
        "kiosks",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("short_code", sa.String(2), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=True),
        utc("created_at"),
        utc("enrolled_at", nullable=True),
        utc("revoked_at", nullable=True),
        sa.Column("contiguous_seq", sa.BigInteger(), nullable=False),
        sa.Column("max_seq", sa.BigInteger(), nullable=False),
        utc("last_push_at", nullable=True),
        utc("heartbeat_at", nullable=True),
        sa.Column("kiosk_time", sa.String(40), nullable=True),
        sa.Column("clock_skew_seconds", sa.Float(), nullable=True),
        sa.Column("backlog", sa.Integer(), nullable=True),
        sa.Column("oldest_unsent_age_seconds", sa.Float(), nullable=True),
        sa.Column("last_sync_at", sa.String(40), nullable=True),
        sa.Column("devices", sa.JSON(), nullable=True),
        sa.Column("app_version", sa.String(40), nullable=True),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_kiosks_hall_code_halls"),
        sa.PrimaryKeyConstraint("id", name="pk_kiosks"),
        sa.UniqueConstraint("hall_code", "short_code", name="uq_kiosks_hall_code_short_code"),
    )
    op.create_index("ix_kiosks_hall_code", "kiosks", ["hall_code"])
    op.create_table(
        "changes",
        sa.Column("cursor", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("kiosk_id", sa.String(40), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        utc("created_at"),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_changes_hall_code_halls"),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"], name="fk_changes_kiosk_id_kiosks"),
        sa.PrimaryKeyConstraint("cursor", name="pk_changes"),
    )
    op.create_index("ix_changes_hall_cursor", "changes", ["hall_code", "cursor"])
    op.create_table(
        "commands",
        sa.Column("id", UUID, nullable=False),
        sa.Column("kiosk_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        utc("created_at"),
        utc("acked_at", nullable=True),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"], name="fk_commands_kiosk_id_kiosks"),
        sa.PrimaryKeyConstraint("id", name="pk_commands"),
    )
    op.create_index("ix_commands_kiosk_id", "commands", ["kiosk_id"])
    op.create_table(
        "conflicts",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("item_id", UUID, nullable=False),
        sa.Column("kiosk_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        utc("received_at"),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"], name="fk_conflicts_kiosk_id_kiosks"),
        sa.PrimaryKeyConstraint("id", name="pk_conflicts"),
        sa.UniqueConstraint(
            "item_id", "kiosk_id", "seq", "payload_sha256", name="uq_conflicts_item_id_kiosk_id_seq_payload_sha256"
        ),
    )
    op.create_index("ix_conflicts_kiosk_id", "conflicts", ["kiosk_id"])
    op.create_table(
        "enrol_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("kiosk_id", sa.String(40), nullable=False),
        utc("created_at"),
        utc("expires_at"),
        utc("used_at", nullable=True),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_enrol_tokens_hall_code_halls"),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"], name="fk_enrol_tokens_kiosk_id_kiosks"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_enrol_tokens"),
    )
    op.create_index("ix_enrol_tokens_kiosk_id", "enrol_tokens", ["kiosk_id"])
    op.create_table(
        "gaps",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("kiosk_id", sa.String(40), nullable=False),
        sa.Column("from_seq", sa.BigInteger(), nullable=False),
        sa.Column("to_seq", sa.BigInteger(), nullable=False),
        utc("found_at"),
        utc("resolved_at", nullable=True),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"], name="fk_gaps_kiosk_id_kiosks"),
        sa.PrimaryKeyConstraint("id", name="pk_gaps"),
    )
    op.create_index("ix_gaps_kiosk_id", "gaps", ["kiosk_id"])
    op.create_table(
        "items",
        sa.Column("id", UUID, nullable=False),
        sa.Column("kiosk_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(36), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        utc("received_at"),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"], name="fk_items_kiosk_id_kiosks"),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        sa.UniqueConstraint("kiosk_id", "seq", name="uq_items_kiosk_id_seq"),
    )
    op.create_index("ix_items_subject", "items", ["subject"])
    op.create_table(
        "tickets",
        sa.Column("id", UUID, nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("kiosk_id", sa.String(40), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("prefix", sa.String(2), nullable=True),
        sa.Column("service_code", sa.String(16), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("item_id", UUID, nullable=False),
        sa.Column("issued_at", sa.String(40), nullable=False),
        utc("issued_utc"),
        utc("received_at"),
        sa.Column("print_state", sa.String(16), nullable=False),
        sa.Column("print_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_tickets_hall_code_halls"),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"], name="fk_tickets_kiosk_id_kiosks"),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
    )
    op.create_index(
        "ix_tickets_hall_order", "tickets", ["hall_code", "day", "issued_utc", "received_at", "kiosk_id", "seq"]
    )


def downgrade() -> None:
    for table in (
        "tickets",
        "items",
        "gaps",
        "enrol_tokens",
        "conflicts",
        "commands",
        "changes",
        "kiosks",
        "catalogs",
        "halls",
    ):
        op.drop_table(table)
