"""Catalog and configuration editing at central: who stored each catalog version, and the
versioned per-hall kiosk configuration (`hall_configs`) pushed to the kiosks with the pull.

Revision ID: 0006
Revises: 0005
Create Date: 2027-02-02

Types are spelled out here (not imported from central.models), so this file keeps building
the same schema whatever models.py becomes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("catalogs", sa.Column("created_by", sa.String(40), nullable=True))
    op.create_table(
        "hall_configs",
        sa.Column("hall_code", sa.String(8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["hall_code"], ["halls.code"], name="fk_hall_configs_hall_code_halls"),
        sa.PrimaryKeyConstraint("hall_code", "version", name="pk_hall_configs"),
    )


def downgrade() -> None:
    op.drop_table("hall_configs")
    with op.batch_alter_table("catalogs") as batch:
        batch.drop_column("created_by")
