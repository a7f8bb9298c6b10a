"""The composition root: the one place that wires settings to adapters.

`open_store(url)` picks the ledger backend from the URL scheme:
`sqlite:///path/to/file.db` (embedded, the default), `postgresql://...` or
`postgresql+psycopg://...` (production) and `memory://` (tests, demos that
need no file). By default the store is created and migrated to the newest
schema; `create=False` opens only a ledger that already exists (read-only
commands), and raises `NotFound` naming `corridor init` otherwise.

`initialise` is the one place a vault key is made (`corridor init`, and the
demo on a fresh database); `confirm_vault_key` is what every server asks at
start-up before it seals anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.domain.clock import Clock, SystemClock, format_instant
from corridor.errors import InvalidInput, NotFound
from corridor.services.ports import LedgerStore
from corridor.settings import Settings

if TYPE_CHECKING:
    from corridor.protection.keys import MasterKey
    from corridor.services.bus import Services

__all__ = [
    "Initialised",
    "confirm_vault_key",
    "initialise",
    "ledger_exists",
    "open_existing_store",
    "open_store",
    "open_store_from_settings",
    "services_over",
    "sqlite_path",
]

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


def services_over(store: LedgerStore) -> Services:
    """The command services over one ledger, with scenario files as the openings."""
    from corridor.adapters.openings import FileOpenings
    from corridor.services.bus import Services
    from corridor.services.live import LiveOperations

    openings = FileOpenings()
    return Services(LiveOperations(store, openings.resolve), openings)


@dataclass(frozen=True)
class Initialised:
    """What `initialise` made: where the ledger is, its head, and the key file."""

    ledger: str
    events: int
    key_file: Path


def ledger_exists(url: str) -> bool:
    """Whether a ledger is already at `url` (asked without creating anything)."""
    try:
        open_existing_store(url).close()
    except NotFound:
        return False
    return True


def initialise(url: str, key_file: Path, clock: Clock | None = None) -> Initialised:
    """Create (or migrate) the ledger, write a new key file and record its key check.

    The one place a key is made. Everything that can refuse is asked before
    the key file is written: an existing key file, a missing folder, a vault
    that already has a key.
    """
    # Imported on use, like the stores: cryptography and SQLAlchemy cost
    # start-up time that commands without a vault should not pay.
    from corridor.adapters.vault.key_check import SqlVaultKeyCheck
    from corridor.protection.keys import MasterKey, write_key
    from corridor.services.vault_key import confirm_key, require_no_key

    if key_file.exists():
        raise InvalidInput(
            f"key file {key_file} already exists; it is never overwritten "
            "(it may be the only way to read stored personal data)"
        )
    if not key_file.parent.is_dir():
        raise InvalidInput(f"cannot write key file {key_file}: folder does not exist")
    with open_store(url, clock=clock) as store:
        where, head = store.description, store.head()
    vault = SqlVaultKeyCheck(url)
    try:
        require_no_key(vault, where)
        key = MasterKey.generate()
        try:
            write_key(key_file, key)
        except OSError as error:
            reason = error.strerror or str(error)
            raise InvalidInput(f"cannot write key file {key_file}: {reason}") from None
        confirm_key(vault, key, f"key file {key_file}", format_instant(_now(clock)))
    finally:
        vault.close()
    return Initialised(where, head.sequence, key_file)


def confirm_vault_key(url: str, key: MasterKey, source: str, clock: Clock | None = None) -> str:
    """Refuse a key that is not the vault's at `url`; 'recorded' or 'matched' otherwise."""
    from corridor.adapters.vault.key_check import SqlVaultKeyCheck
    from corridor.services.vault_key import confirm_key

    open_store(url, clock=clock).close()  # the vault's tables come with the ledger's
    vault = SqlVaultKeyCheck(url, migrate=False)
    try:
        return confirm_key(vault, key, source, format_instant(_now(clock)))
    finally:
        vault.close()


def _now(clock: Clock | None) -> datetime:
    return (clock or SystemClock()).now()
