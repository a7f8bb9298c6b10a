"""`ledger backup`: a consistent copy of a ledger that may be in use, checked once written.

Copying `corridor.db` with `cp` while a server writes can catch a page
half-written, and leaves behind whatever is still in `corridor.db-wal`: a
copy of the main file alone may hold none of the recent commands. So:

- SQLite: the online backup API (`sqlite3.Connection.backup`) copies the
  database page by page from one read snapshot, WAL content included; the
  copy is switched to a rollback journal, so it is one self-contained file.
- PostgreSQL: an export (JSON Lines, as `ledger export`), read in one
  statement and so from one snapshot; `ledger import` restores it.

Either way the copy is written under a temporary name (0600), fsynced, read
back and verified, and only then renamed to the name asked for; a copy that
does not verify is removed and the command fails.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from corridor.domain.chain import ChainChecker
from corridor.domain.events import Head
from corridor.errors import CorridorError, LedgerCorrupted
from corridor.services.ports import LedgerStore, parse_line

__all__ = ["Backup", "back_up"]


@dataclass(frozen=True)
class Backup:
    """What was written: how many events, up to which head, and in which form."""

    events: int
    head: Head
    kind: str


def back_up(store: LedgerStore, out: Path) -> Backup:
    """Write a verified, consistent copy of `store` to `out` (which must not exist)."""
    from corridor.adapters.ledger.sqlite import SQLiteLedgerStore

    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if isinstance(store, SQLiteLedgerStore):
            made = _sqlite_copy(store.path, partial)
        else:
            made = _export_copy(store, partial)
        os.replace(partial, out)
    except OSError as error:
        raise CorridorError(f"cannot write {out}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)
    return made


def _private(path: Path) -> None:
    path.touch(mode=0o600)
    path.chmod(0o600)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sqlite_copy(source: Path, partial: Path) -> Backup:
    from corridor.adapters.ledger.sqlite import SQLiteLedgerStore

    _private(partial)
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(partial)
    try:
        reader.backup(target)
    finally:
        target.close()
        reader.close()
    with SQLiteLedgerStore(partial, migrate=False) as copy:
        report = copy.verify()
        head = copy.head()
    # Opening it as a store switched it back to WAL; one self-contained file again.
    single = sqlite3.connect(partial)
    try:
        single.execute("PRAGMA journal_mode = DELETE")
    finally:
        single.close()
    _fsync(partial)
    if not report.ok or report.head != head:
        raise LedgerCorrupted(
            f"the copy does not verify ({report.problem}); no backup written",
            sequence=report.first_bad_sequence or 0,
        )
    return Backup(report.events, report.head, "SQLite database")


def _export_copy(store: LedgerStore, partial: Path) -> Backup:
    _private(partial)
    with partial.open("w", encoding="utf-8", newline="\n") as stream:
        store.export(stream)
        stream.flush()
        os.fsync(stream.fileno())
    checker = ChainChecker()
    with partial.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not checker.check(parse_line(line, str(partial), number)):
                raise LedgerCorrupted(
                    f"the copy does not verify at line {number} ({checker.problem}); "
                    "no backup written",
                    sequence=checker.first_bad_sequence or number,
                )
    report = checker.report()
    return Backup(report.events, report.head, "ledger export, JSON Lines")
