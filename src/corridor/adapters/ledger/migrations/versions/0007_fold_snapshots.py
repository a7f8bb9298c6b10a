"""Snapshots of an operation's fold, beside the ledger.

Revision ID: 0007
Revises: 0006

A report of a long operation folded every event from the first; a
snapshot keeps the fold after one event so a read folds only what came
after it (decision 0029). The table is a cache beside the append-only
`events` table, never part of the chain: rows are replaced and deleted, and
a row whose `hash` is not the chain's at `sequence`, or whose `form` or
`code` is not the running code's, is ignored. `body` is zlib-compressed
JSON; `digest` the SHA-256 of it uncompressed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SEQUENCE_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "fold_snapshots",
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("sequence", SEQUENCE_TYPE, nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.Column("form", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("digest", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("operation", "sequence", name="pk_fold_snapshots"),
    )


def downgrade() -> None:
    op.drop_table("fold_snapshots")
