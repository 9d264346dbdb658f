"""Hall-wide quotas: kiosks' leases of a service's daily quota, and which tickets were issued
under one (tickets.leased), with an index to count a hall's day per service and kiosk.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Types are spelled out here (not imported from central.models), so this file keeps building
the same schema whatever models.py becomes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def utc(name: str, nullable: bool = False) -> sa.Column:
    """A UTC instant (central.models.UTCDateTime stores its impl, DateTime(timezone=True))."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("kiosk_id", sa.String(40), nullable=False),
        sa.Column("service_code", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("granted", sa.Integer(), nullable=False),
        sa.Column("returned", sa.Integer(), nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("full_told", sa.Boolean(), nullable=False),
        utc("created_at"),
        utc("updated_at"),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_leases_hall_code_halls"),
        sa.ForeignKeyConstraint(["kiosk_id"], ["kiosks.id"], name="fk_leases_kiosk_id_kiosks"),
        sa.PrimaryKeyConstraint("kiosk_id", "service_code", "day", name="pk_leases"),
    )
    op.create_index("ix_leases_hall_day", "leases", ["hall_code", "day"])
    # Tickets central has already: none was issued under a lease (leases start with this revision).
    op.add_column("tickets", sa.Column("leased", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index("ix_tickets_quota", "tickets", ["hall_code", "day", "service_code", "kiosk_id", "leased"])


def downgrade() -> None:
    op.drop_index("ix_tickets_quota", table_name="tickets")
    op.drop_column("tickets", "leased")
    op.drop_index("ix_leases_hall_day", table_name="leases")
    op.drop_table("leases")
