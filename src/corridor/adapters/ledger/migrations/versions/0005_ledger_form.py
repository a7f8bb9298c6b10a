"""Record the canonical JSON form a ledger's payloads are written in.

Revision ID: 0005
Revises: 0004

A ledger created from this revision on writes RFC 8785 (JSON Canonicalization
Scheme) payloads, so an auditor can recompute every hash with any RFC 8785
library. A ledger that already holds events keeps the form they were hashed
in, `corridor-json-1` (sorted keys, no spaces, floats as Python's `repr`):
their hashes cover those exact bytes and must keep verifying.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "ledger_form",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    held = op.get_bind().execute(sa.text("SELECT 1 FROM events LIMIT 1")).first()
    form = "corridor-json-1" if held is not None else "rfc8785"
    op.bulk_insert(table, [{"name": "canonical_form", "value": form}])


def downgrade() -> None:
    op.drop_table("ledger_form")
