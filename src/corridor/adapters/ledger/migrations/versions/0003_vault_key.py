"""Create the vault's key check: which key this database's personal data is sealed under.

Revision ID: 0003
Revises: 0002

One row at most: the public fingerprint of the master key (an HMAC of a
fixed label under a key derived from it, `MasterKey.check`), written by
`corridor init` or by the first server that opens the vault. It reveals
nothing of the key; it lets start-up refuse a wrong key before a single
person is sealed under it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_key",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("key_check", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("vault_key")
