"""The composition root: the one place that wires settings to adapters.

`open_store(url)` picks the ledger backend from the URL scheme:
`sqlite:///path/to/file.db` (embedded, the default), `postgresql://...` or
`postgresql+psycopg://...` (production) and `memory://` (tests, demos that
need no file). The store is created and migrated to the newest schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from corridor.domain.clock import Clock
from corridor.errors import InvalidInput
from corridor.services.ports import LedgerStore
from corridor.settings import Settings

if TYPE_CHECKING:
    from corridor.services.bus import Services

__all__ = ["open_store", "open_store_from_settings", "services_over", "sqlite_path"]

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgresql+psycopg://", "postgres://")


def sqlite_path(url: str) -> Path | None:
    """The file an `sqlite:///` URL names; None for any other kind of URL."""
    if url.startswith(SQLITE_PREFIX):
        return Path(url.removeprefix(SQLITE_PREFIX))
    return None


def open_store(url: str, clock: Clock | None = None, migrate: bool = True) -> LedgerStore:
    """Open (creating and migrating if needed) the ledger at `url`.

    Each backend is imported only when its URL is opened: the PostgreSQL driver
    and SQLAlchemy cost seconds at start-up that a SQLite-only command (and
    `corridor --help`) should not pay.
    """
    if url.startswith(SQLITE_PREFIX):
        from corridor.adapters.ledger.sqlite import SQLiteLedgerStore

        path = url.removeprefix(SQLITE_PREFIX)
        if not path or path == ":memory:":
            raise InvalidInput(f"ledger URL {url!r} names no file; use sqlite:///path/to/file.db")
        return SQLiteLedgerStore(path, clock=clock, migrate=migrate)
    if url.startswith(POSTGRES_PREFIXES):
        from corridor.adapters.ledger.postgres import PostgresLedgerStore

        return PostgresLedgerStore(url, clock=clock, migrate=migrate)
    if url == "memory://":
        from corridor.adapters.ledger.memory import MemoryLedgerStore

        return MemoryLedgerStore(clock=clock)
    raise InvalidInput(
        f"ledger URL {url!r} is not understood; expected sqlite:///FILE, "
        "postgresql://USER@HOST/DB or memory://"
    )


def open_store_from_settings(settings: Settings, clock: Clock | None = None) -> LedgerStore:
    """The ledger the settings name."""
    return open_store(settings.db_url, clock=clock)


def services_over(store: LedgerStore) -> Services:
    """The command services over one ledger, with scenario files as the openings."""
    from corridor.adapters.openings import FileOpenings
    from corridor.services.bus import Services
    from corridor.services.live import LiveOperations

    openings = FileOpenings()
    return Services(LiveOperations(store, openings.resolve), openings)
