"""Tokens may carry an expiry.

Revision ID: 0006
Revises: 0005

A token handed to a monitor for one shift should stop working when the
shift ends, even if nobody remembers to revoke it. `expires_at` is an
ISO 8601 UTC instant, or NULL for a token that lasts until revoked (every
token issued before this revision).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as table:
        table.add_column(sa.Column("expires_at", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as table:
        table.drop_column("expires_at")
