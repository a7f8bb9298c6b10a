"""Create the personal-data vault and the API tokens tables.

Revision ID: 0002
Revises: 0001

The vault holds only ciphertext, nonce and a keyed blind index per person;
the key is never in the database. Vault rows may be deleted (erasure), unlike
events. Tokens are stored as SHA-256 hashes only. `api_responses` keeps the
first answer to each POST with an Idempotency-Key, so a retry gets it again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_people",
        sa.Column("person", sa.Text(), primary_key=True),
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("blind_index", sa.Text(), nullable=False),
        sa.Column("key_check", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
    )
    op.create_index("ix_vault_people_lookup", "vault_people", ["operation", "blind_index"])
    op.create_table(
        "api_tokens",
        sa.Column("token_id", sa.Text(), primary_key=True),
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.Text(), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_hash"),
    )
    op.create_table(
        "api_responses",
        sa.Column("idempotency_key", sa.Text(), primary_key=True),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("api_responses")
    op.drop_table("api_tokens")
    op.drop_index("ix_vault_people_lookup", table_name="vault_people")
    op.drop_table("vault_people")
