"""The ledger's tables as SQLAlchemy metadata, shared by both databases.

Migrations (Alembic, in `migrations/`) create and change these tables; the
stores talk to them with plain SQL for speed. Why some choices:

- `sequence` is assigned by the store under the write lock, not by a database
  sequence: it is part of each hash, and a PostgreSQL sequence leaves gaps
  when a transaction rolls back, while verify treats a gap as tampering.
  On SQLite the column is `INTEGER PRIMARY KEY`, i.e. the rowid itself.
- `payload` is TEXT holding canonical JSON, not JSONB: JSONB reorders keys and
  normalises numbers, and the stored bytes must be the hashed bytes.
- `(stream, version)` is unique: the optimistic-concurrency check of last
  resort, whatever a writer forgot to check.
- `idempotency_key` is unique when present (NULLs never collide); it is set on
  the first event of a command only.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from corridor.services.ports import FoldSnapshot

metadata = sa.MetaData()

SEQUENCE_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

events = sa.Table(
    "events",
    metadata,
    sa.Column("sequence", SEQUENCE_TYPE, primary_key=True, autoincrement=False),
    sa.Column("stream", sa.Text(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("type", sa.Text(), nullable=False),
    sa.Column("payload", sa.Text(), nullable=False),
    sa.Column("actor", sa.Text(), nullable=False),
    sa.Column("recorded_at", sa.Text(), nullable=False),
    sa.Column("idempotency_key", sa.Text(), nullable=True),
    sa.Column("command", sa.BigInteger(), nullable=False),
    sa.Column("previous_hash", sa.Text(), nullable=False),
    sa.Column("hash", sa.Text(), nullable=False),
    sa.UniqueConstraint("stream", "version", name="uq_events_stream_version"),
    sa.UniqueConstraint("idempotency_key", name="uq_events_idempotency_key"),
    sa.CheckConstraint("version >= 1", name="ck_events_version_positive"),
    sa.CheckConstraint("sequence >= 1", name="ck_events_sequence_positive"),
)

COLUMNS = (
    "sequence, stream, version, type, payload, actor, recorded_at, "
    "idempotency_key, command, previous_hash, hash"
)
"""Column order used by every store's SQL; matches `RecordedEvent`'s fields."""

fold_snapshots = sa.Table(
    "fold_snapshots",
    metadata,
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
"""Snapshots of an operation's fold (migration 0007): a cache beside the chain, not in it."""


def snapshot_row(snapshot: FoldSnapshot) -> tuple[Any, ...]:
    """A snapshot's values in the order of `fold_snapshots`' columns, for an INSERT."""
    c = snapshot
    return (c.operation, c.sequence, c.hash, c.recorded_at, c.form, c.code, c.digest, c.body)


def snapshot_of(row: Any) -> FoldSnapshot:
    """The snapshot a `SELECT` of every `fold_snapshots` column (in order) returned."""
    operation, sequence, hash_, recorded_at, form, code, digest, body = row
    return FoldSnapshot(operation, sequence, hash_, recorded_at, form, code, digest, bytes(body))
