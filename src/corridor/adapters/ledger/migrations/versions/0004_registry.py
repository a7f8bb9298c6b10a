"""Keyed blind indexes of name sound keys, for cross-script lookup and blocking.

Revision ID: 0004
Revises: 0003

One row per person and name part: HMAC-SHA256 under the vault's blind-index
key of the part's sound key (`MHMD` for محمد and Mohammed alike). The sound
key itself is never stored; without the key a row cannot be checked against
a list of names. Rows go with their person on erasure.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_name_keys",
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("person", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("operation", "person", "name_key", name="pk_vault_name_keys"),
    )
    op.create_index("ix_vault_name_keys_key", "vault_name_keys", ["operation", "name_key"])


def downgrade() -> None:
    op.drop_index("ix_vault_name_keys_key", table_name="vault_name_keys")
    op.drop_table("vault_name_keys")
