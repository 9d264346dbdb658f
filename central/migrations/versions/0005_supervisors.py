"""Supervisors: users and the halls they look after, their tokens and dashboard sessions, the
login throttle, central's audit of what they did, and who sent each command.

Revision ID: 0005
Revises: 0004
Create Date: 2027-01-12

Types are spelled out here (not imported from central.models), so this file keeps building
the same schema whatever models.py becomes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def utc(name: str, nullable: bool = False) -> sa.Column:
    """A UTC instant (central.models.UTCDateTime stores its impl, DateTime(timezone=True))."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False),
        utc("created_at"),
        sa.PrimaryKeyConstraint("username", name="pk_users"),
    )
    op.create_table(
        "user_halls",
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name="fk_user_halls_username_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_user_halls_hall_code_halls"),
        sa.PrimaryKeyConstraint("username", "hall_code", name="pk_user_halls"),
    )
    op.create_table(
        "user_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        utc("created_at"),
        utc("expires_at"),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name="fk_user_tokens_username_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_user_tokens"),
    )
    op.create_index("ix_user_tokens_username", "user_tokens", ["username"])
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        utc("first_failed_at"),
        utc("locked_until", True),
        sa.PrimaryKeyConstraint("username", name="pk_login_failures"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", BIGINT_PK, autoincrement=True, nullable=False),
        utc("at"),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=True),
        sa.Column("kiosk_id", sa.String(40), nullable=True),
        sa.Column("via", sa.String(12), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_hall_at", "audit_events", ["hall_code", "at"])
    op.add_column("commands", sa.Column("created_by", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commands") as batch:
        batch.drop_column("created_by")
    op.drop_index("ix_audit_events_hall_at", table_name="audit_events")
    op.drop_index("ix_audit_events_at", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_table("login_failures")
    op.drop_index("ix_user_tokens_username", table_name="user_tokens")
    op.drop_table("user_tokens")
    op.drop_table("user_halls")
    op.drop_table("users")
