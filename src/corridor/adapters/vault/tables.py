"""The vault and token tables as SQLAlchemy metadata (created by revisions 0002, 0003 and 0004)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

vault_people = sa.Table(
    "vault_people",
    metadata,
    sa.Column("person", sa.Text(), primary_key=True),
    sa.Column("operation", sa.Text(), nullable=False),
    sa.Column("nonce", sa.LargeBinary(), nullable=False),
    sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
    sa.Column("blind_index", sa.Text(), nullable=False),
    sa.Column("key_check", sa.Text(), nullable=False),
    sa.Column("created_at", sa.Text(), nullable=False),
)

vault_name_keys = sa.Table(
    "vault_name_keys",
    metadata,
    sa.Column("operation", sa.Text(), primary_key=True),
    sa.Column("person", sa.Text(), primary_key=True),
    sa.Column("name_key", sa.Text(), primary_key=True),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("token_id", sa.Text(), primary_key=True),
    sa.Column("operation", sa.Text(), nullable=False),
    sa.Column("role", sa.Text(), nullable=False),
    sa.Column("label", sa.Text(), nullable=False),
    sa.Column("token_hash", sa.Text(), nullable=False),
    sa.Column("created_at", sa.Text(), nullable=False),
    sa.Column("revoked_at", sa.Text(), nullable=True),
    sa.Column("expires_at", sa.Text(), nullable=True),
)

api_responses = sa.Table(
    "api_responses",
    metadata,
    sa.Column("idempotency_key", sa.Text(), primary_key=True),
    sa.Column("request", sa.Text(), nullable=False),
    sa.Column("status", sa.Integer(), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),
    sa.Column("created_at", sa.Text(), nullable=False),
)
