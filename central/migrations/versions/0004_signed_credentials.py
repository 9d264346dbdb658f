"""Signed QR credentials: the halls' signing keys, revoked credentials, and the credentials
kiosks used (a second use of one nonce in a hall is flagged as a conflict).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-15

Types are spelled out here (not imported from central.models), so this file keeps building
the same schema whatever models.py becomes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UUID_TYPE = sa.Uuid(as_uuid=False).with_variant(sa.String(36), "sqlite")


def utc(name: str, nullable: bool = False) -> sa.Column:
    """A UTC instant (central.models.UTCDateTime stores its impl, DateTime(timezone=True))."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("public_key", sa.String(44), nullable=False),
        sa.Column("private_key", sa.String(44), nullable=False),
        utc("created_at"),
        utc("valid_from"),
        utc("valid_until", True),
        utc("revoked_at", True),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_signing_keys_hall_code_halls"),
        sa.PrimaryKeyConstraint("key_id", name="pk_signing_keys"),
    )
    op.create_index("ix_signing_keys_hall", "signing_keys", ["hall_code", "created_at"])
    op.create_table(
        "credential_revocations",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("nonce", sa.String(24), nullable=True),
        sa.Column("subject", sa.String(48), nullable=True),
        utc("issued_before", True),
        utc("created_at"),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_credential_revocations_hall_code_halls"),
        sa.PrimaryKeyConstraint("id", name="pk_credential_revocations"),
    )
    op.create_index("ix_credential_revocations_hall_code", "credential_revocations", ["hall_code"])
    op.create_table(
        "credential_uses",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        sa.Column("item_id", UUID_TYPE, nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("kiosk_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(48), nullable=False),
        sa.Column("nonce", sa.String(24), nullable=False),
        sa.Column("ticket_id", sa.String(36), nullable=True),
        sa.Column("used_at", sa.String(40), nullable=False),
        utc("received_at"),
        sa.Column("conflict", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_credential_uses_hall_code_halls"),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"], name="fk_credential_uses_kiosk_id_kiosks"),
        sa.PrimaryKeyConstraint("id", name="pk_credential_uses"),
        sa.UniqueConstraint("item_id", name="uq_credential_uses_item_id"),
    )
    op.create_index("ix_credential_uses_hall_nonce", "credential_uses", ["hall_code", "nonce"])


def downgrade() -> None:
    op.drop_index("ix_credential_uses_hall_nonce", table_name="credential_uses")
    op.drop_table("credential_uses")
    op.drop_index("ix_credential_revocations_hall_code", table_name="credential_revocations")
    op.drop_table("credential_revocations")
    op.drop_index("ix_signing_keys_hall", table_name="signing_keys")
    op.drop_table("signing_keys")
