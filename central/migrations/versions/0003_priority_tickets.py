"""Priority tickets: a ticket's priority kind (elderly, disability, pregnant, infant; NULL for a
normal ticket), from the `ticket.issued` payload's `priority`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08

Types are spelled out here (not imported from central.models), so this file keeps building
the same schema whatever models.py becomes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("priority", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("tickets", "priority")
