"""Bring a ledger database to the newest schema with Alembic, from code.

The migration scripts ship inside the package (`migrations/versions/`), so an
installed `corridor` can create and upgrade its own databases; no
`alembic.ini` is needed. Stores call `upgrade(url)` when they open.

Adding tables later (the personal-data vault, API tokens) means adding one
revision file in `migrations/versions/` whose `down_revision` is the current
head, e.g. `0002_vault.py` with `revision = "0002"`, `down_revision = "0001"`,
and `upgrade()` / `downgrade()` using `alembic.op`. Nothing else changes: every
store runs all pending revisions on open, on SQLite and PostgreSQL alike.
Keep revisions portable (plain `op.create_table`; dialect-specific statements
guarded by `op.get_context().dialect.name`).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

__all__ = ["MIGRATIONS", "current_revision", "head_revision", "upgrade_connection"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# A fixed key for the PostgreSQL advisory lock taken while migrating, so two
# processes opening a fresh database at once do not both create the tables.
MIGRATION_LOCK_KEY = 7_316_052_016


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest revision the package ships."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database is at (None when never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_connection(connection: sa.Connection) -> None:
    """Run every pending revision on `connection`, then commit."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
    try:
        if current_revision(connection) != head_revision():
            command.upgrade(_config(connection), "head")
        connection.commit()
    finally:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            connection.commit()
