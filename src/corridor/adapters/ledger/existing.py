"""Is there a ledger at this URL? Asked without creating, migrating or writing anything.

Read-only commands (`ledger verify`, `ops state`, `users list`, ...) must not
leave an empty database behind when pointed at a wrong path: `sqlite3.connect`
creates the file it is given, and opening a store migrates it. So the question
is asked first, on a connection that cannot write: SQLite in URI mode `ro`,
PostgreSQL through a plain connection that only reads the catalogue.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from corridor.adapters.ledger.postgres import sqlalchemy_url
from corridor.errors import NotFound, StoreUnavailable

__all__ = ["require_postgres_ledger", "require_sqlite_ledger"]


def _missing(where: str, url: str, why: str = "", first: str = "") -> NotFound:
    detail = f" ({why})" if why else ""
    return NotFound(
        f"no ledger at {where}{detail}; {first}create it with 'corridor init --db {url}'"
    )


def require_sqlite_ledger(path: Path, url: str) -> None:
    """Raise NotFound unless `path` is an SQLite file holding the ledger's events table."""
    if not path.exists():
        raise _missing(str(path), url)
    if not path.is_file():
        raise _missing(str(path), url, "not a regular file")
    try:
        reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = reader.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'"
            ).fetchone()
        finally:
            reader.close()
    except sqlite3.DatabaseError as error:
        raise _missing(str(path), url, f"not an SQLite database: {error}") from None
    if found is None:
        raise _missing(str(path), url, "the file holds no corridor ledger")


def require_postgres_ledger(url: str) -> None:
    """Raise NotFound unless the database exists and holds the ledger's events table."""
    parsed = sqlalchemy_url(url)
    where = parsed.render_as_string(hide_password=True)
    engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            found = sa.inspect(connection).has_table("events")
    except sa.exc.DBAPIError as error:
        text = str(error.orig or error).strip()
        first = text.splitlines()[0] if text else type(error).__name__
        if "does not exist" in first:
            why = first.rpartition("FATAL:")[2].strip()
            raise _missing(where, where, why, "create the database, then ") from None
        raise StoreUnavailable(f"cannot open ledger {where}: {first}") from None
    finally:
        engine.dispose()
    if not found:
        raise _missing(where, where, "the database holds no corridor ledger")
