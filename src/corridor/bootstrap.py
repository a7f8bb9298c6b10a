"""The composition root: the one place that wires settings to adapters.

`open_store(url)` picks the ledger backend from the URL scheme:
`sqlite:///path/to/file.db` (embedded, the default), `postgresql://...` or
`postgresql+psycopg://...` (production) and `memory://` (tests, demos that
need no file). By default the store is created and migrated to the newest
schema; `create=False` opens only a ledger that already exists (read-only
commands), and raises `NotFound` naming `corridor init` otherwise.
"""

from __future__ import annotations

from pathlib import Path

from corridor.domain.clock import Clock
from corridor.errors import InvalidInput
from corridor.services.ports import LedgerStore
from corridor.settings import Settings

__all__ = ["open_existing_store", "open_store", "open_store_from_settings", "sqlite_path"]

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgresql+psycopg://", "postgres://")


def sqlite_path(url: str) -> Path | None:
    """The file an `sqlite:///` URL names; None for any other kind of URL."""
    if url.startswith(SQLITE_PREFIX):
        return Path(url.removeprefix(SQLITE_PREFIX))
    return None


def open_store(
    url: str, clock: Clock | None = None, migrate: bool = True, create: bool = True
) -> LedgerStore:
    """Open (creating and migrating if needed) the ledger at `url`.

    With `create=False` nothing is created or migrated: a missing file or
    database, or one without a ledger in it, is `NotFound`. Each backend is
    imported only when its URL is opened: the PostgreSQL driver and SQLAlchemy
    cost seconds at start-up that a SQLite-only command (and `corridor --help`)
    should not pay.
    """
    if url.startswith(SQLITE_PREFIX):
        from corridor.adapters.ledger.sqlite import SQLiteLedgerStore

        path = url.removeprefix(SQLITE_PREFIX)
        if not path or path == ":memory:":
            raise InvalidInput(f"ledger URL {url!r} names no file; use sqlite:///path/to/file.db")
        if not create:
            from corridor.adapters.ledger.existing import require_sqlite_ledger

            require_sqlite_ledger(Path(path), url)
        return SQLiteLedgerStore(path, clock=clock, migrate=migrate and create)
    if url.startswith(POSTGRES_PREFIXES):
        from corridor.adapters.ledger.postgres import PostgresLedgerStore

        if not create:
            from corridor.adapters.ledger.existing import require_postgres_ledger

            require_postgres_ledger(url)
        return PostgresLedgerStore(url, clock=clock, migrate=migrate and create)
    if url == "memory://":
        from corridor.adapters.ledger.memory import MemoryLedgerStore

        return MemoryLedgerStore(clock=clock)
    raise InvalidInput(
        f"ledger URL {url!r} is not understood; expected sqlite:///FILE, "
        "postgresql://USER@HOST/DB or memory://"
    )


def open_existing_store(url: str, clock: Clock | None = None) -> LedgerStore:
    """The ledger at `url`, which must already exist; nothing is created or migrated."""
    return open_store(url, clock=clock, create=False)


def open_store_from_settings(settings: Settings, clock: Clock | None = None) -> LedgerStore:
    """The ledger the settings name."""
    return open_store(settings.db_url, clock=clock)
