"""The embedded ledger store: one SQLite file, WAL, synchronous=FULL.

Durability and order, and why:

- `journal_mode=WAL` lets readers (verify, replay, the dashboard) run while a
  command is being written, and makes a commit one sequential append to the
  WAL file instead of a rewrite of pages in place.
- `synchronous=FULL` makes SQLite fsync the WAL at every commit, so once
  `append` returns, the command survives a power cut. NORMAL would be faster
  but may lose the last commits, which a field monitor was told were recorded.
- Every append starts with `BEGIN IMMEDIATE`: it takes the database's write
  lock before reading the head. With a plain (deferred) `BEGIN` two processes
  could both read head N, both seal sequence N+1 on top of it, and one would
  fail late on the primary key; worse, a reader's snapshot taken before the
  lock could be stale. Taking the lock first makes appends strictly serial,
  so the hash chain stays one line. Waiting writers queue on `busy_timeout`.
- Reads (`read`, replay's `_scan`) open a connection of their own, marked
  `query_only`. A larger page cache and memory-mapping the file were measured
  and left out: within noise for a replay, and mapped pages would count in
  the reader's memory.
- The connection runs in autocommit mode (`isolation_level=None`) so that the
  module's own implicit transactions never interleave with ours.

Driver errors never leave this module: a locked or unreadable file becomes
`StoreUnavailable`, a broken unique key `ConcurrencyError`/`IntegrityError`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import starmap
from pathlib import Path

import sqlalchemy as sa

from corridor.adapters.ledger.migrate import upgrade_connection
from corridor.adapters.ledger.schema import COLUMNS, snapshot_of, snapshot_row
from corridor.domain.chain import StoredRow
from corridor.domain.clock import Clock
from corridor.domain.events import Head, RecordedEvent
from corridor.domain.fold import ReplayRow
from corridor.errors import ConcurrencyError, IntegrityError, StoreUnavailable
from corridor.services.canonical_forms import LEGACY_FORM
from corridor.services.ports import FoldSnapshot, LedgerStore, WriteTransaction

__all__ = ["SQLiteLedgerStore"]

BUSY_TIMEOUT_MS = 30_000
BATCH = 5_000
STREAMS_PER_QUERY = 500
PRIVATE = 0o600
"""The mode of the database, its WAL and shared-memory files: the ledger names places and times."""
READ_PRAGMAS = (f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}", "PRAGMA query_only = ON")

_INSERT = f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_SELECT = f"SELECT {COLUMNS} FROM events"
_REPLAY = (
    "SELECT sequence, stream, version, type, payload, actor, recorded_at "
    "FROM events ORDER BY sequence"
)
_COMMAND = (
    f"{_SELECT} WHERE sequence >= :command AND command = :command AND sequence < "
    "COALESCE((SELECT sequence FROM events WHERE sequence > :command "
    "AND command <> :command ORDER BY sequence LIMIT 1), 9223372036854775807) "
    "ORDER BY sequence"
)
"""Every event of one command, as a range of the rowid (no index on `command`)."""
_SNAPSHOT = (
    "SELECT operation, sequence, hash, recorded_at, form, code, digest, body "
    "FROM fold_snapshots WHERE operation = ? AND form = ? AND code = ? AND recorded_at < ? "
    "ORDER BY sequence DESC LIMIT 1"
)
_REPLACED = (
    "DELETE FROM fold_snapshots WHERE operation = ? AND (form <> ? OR code <> ? "
    "OR sequence = ? OR (sequence < ? AND recorded_at >= ?))"
)
_KEEP = (
    "INSERT INTO fold_snapshots "
    "(operation, sequence, hash, recorded_at, form, code, digest, body) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
AFTER_EVERY_INSTANT = "~"
"""Sorts after every instant the ledger writes: "recorded before it" means any."""


def _translate(error: sqlite3.Error, where: str) -> Exception:
    """A sqlite3 error as the project's error, keeping the message."""
    text = str(error)
    if isinstance(error, sqlite3.IntegrityError):
        if "stream" in text and "version" in text:
            return ConcurrencyError(f"{where}: another command took that stream version ({text})")
        return IntegrityError(f"{where}: {text}")
    return StoreUnavailable(f"{where}: {text}")


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (SQLite gives WAL and SHM its mode)."""
    if not path.parent.is_dir():
        return  # `_migrate` words the error
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))


def _keep_private(path: Path) -> None:
    """Take group and other access off the database and its WAL, as a key file has none."""
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with suppress(OSError):
            if stat.S_IMODE(each.stat().st_mode) & 0o077:
                each.chmod(PRIVATE)


class _SQLiteTransaction(WriteTransaction):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def head(self) -> Head:
        row = self._db.execute(
            "SELECT sequence, hash FROM events ORDER BY sequence DESC LIMIT 1"
        ).fetchone()
        return Head(row[0], row[1]) if row else Head()

    def versions(self, streams: Iterable[str]) -> dict[str, int]:
        # One MAX per stream, each answered from the end of the (stream,
        # version) index; `stream IN (...) GROUP BY stream` would walk every
        # event of those streams, a cost that grows with the ledger.
        names = list(streams)
        found: dict[str, int] = {}
        for start in range(0, len(names), STREAMS_PER_QUERY):
            chunk = names[start : start + STREAMS_PER_QUERY]
            marks = ", ".join(["(?)"] * len(chunk))
            rows = self._db.execute(
                f"WITH wanted(name) AS (VALUES {marks}) "
                "SELECT name, (SELECT MAX(version) FROM events WHERE stream = name) FROM wanted",
                chunk,
            )
            found.update((name, version) for name, version in rows if version is not None)
        return found

    def command_with_key(self, key: str) -> tuple[RecordedEvent, ...]:
        row = self._db.execute(
            "SELECT command FROM events WHERE idempotency_key = ?", (key,)
        ).fetchone()
        if row is None:
            return ()
        # No index on `command`: a command's events are a range of sequences.
        rows = self._db.execute(_COMMAND, {"command": row[0]}).fetchall()
        return tuple(RecordedEvent(*r) for r in rows)

    def insert(self, events: Sequence[RecordedEvent]) -> None:
        self._db.executemany(_INSERT, [e.row() for e in events])


class SQLiteLedgerStore(LedgerStore):
    """A ledger in one SQLite file; created and migrated on open."""

    def __init__(self, path: str | Path, clock: Clock | None = None, migrate: bool = True) -> None:
        super().__init__(clock)
        self.path = Path(path)
        # One connection, shared by the threads of a server: the lock keeps
        # their transactions from interleaving on it.
        self._lock = threading.RLock()
        if migrate:
            _create_private(self.path)
            self._migrate()
        try:
            self._db = sqlite3.connect(
                self.path,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise _translate(error, f"cannot open ledger {self.path}") from None
        _keep_private(self.path)
        self.canonical_form = self._recorded_form()

    def _recorded_form(self) -> str:
        try:
            row = self._db.execute(
                "SELECT value FROM ledger_form WHERE name = 'canonical_form'"
            ).fetchone()
        except sqlite3.OperationalError:
            return LEGACY_FORM  # a ledger from before forms were recorded, opened unmigrated
        return str(row[0]) if row else LEGACY_FORM

    def _migrate(self) -> None:
        if not self.path.parent.exists():
            raise StoreUnavailable(f"cannot open ledger {self.path}: folder does not exist")
        engine = sa.create_engine(f"sqlite:///{self.path}", poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                connection.exec_driver_sql("PRAGMA journal_mode = WAL")
                upgrade_connection(connection)
        except sa.exc.DBAPIError as error:
            raise StoreUnavailable(f"cannot open ledger {self.path}: {error.orig}") from None
        finally:
            engine.dispose()

    @property
    def description(self) -> str:
        return f"sqlite:///{self.path}"

    @contextmanager
    def _write(self) -> Iterator[WriteTransaction]:
        with self._lock:
            yield from self._transaction()

    def _transaction(self) -> Iterator[WriteTransaction]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _translate(error, f"cannot lock ledger {self.path}") from None
        try:
            yield _SQLiteTransaction(self._db)
        except sqlite3.Error as error:
            self._db.execute("ROLLBACK")
            raise _translate(error, f"ledger {self.path}") from None
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise _translate(error, f"cannot commit to ledger {self.path}") from None

    def _reader(self) -> sqlite3.Connection:
        """A read-only connection inside one read transaction (one WAL snapshot)."""
        reader = sqlite3.connect(self.path, isolation_level=None)
        try:
            for pragma in READ_PRAGMAS:
                reader.execute(pragma)
            reader.execute("BEGIN")
        except BaseException:
            reader.close()
            raise
        return reader

    def read(self, after: int = 0, stream: str | None = None) -> Iterator[RecordedEvent]:
        # A separate connection, so a long read never holds the writer's
        # connection and sees one consistent snapshot (WAL read transaction).
        try:
            reader = self._reader()
        except sqlite3.Error as error:
            raise _translate(error, f"cannot read ledger {self.path}") from None
        make = RecordedEvent
        try:
            if stream is None:
                cursor = reader.execute(f"{_SELECT} WHERE sequence > ? ORDER BY sequence", (after,))
            else:
                # Within a stream, version order is sequence order; ordering by
                # it walks the (stream, version) index instead of sorting the
                # whole stream in a temporary B-tree before the first row.
                cursor = reader.execute(
                    f"{_SELECT} WHERE sequence > ? AND stream = ? ORDER BY version",
                    (after, stream),
                )
            while rows := cursor.fetchmany(BATCH):
                yield from starmap(make, rows)
        except sqlite3.Error as error:
            raise _translate(error, f"cannot read ledger {self.path}") from None
        finally:
            reader.close()

    def _stored_rows(self) -> Iterator[Sequence[StoredRow]]:
        try:
            reader = self._reader()
        except sqlite3.Error as error:
            raise _translate(error, f"cannot read ledger {self.path}") from None
        try:
            cursor = reader.execute(f"{_SELECT} ORDER BY sequence")
            while rows := cursor.fetchmany(BATCH):
                yield rows
        except sqlite3.Error as error:
            raise _translate(error, f"cannot read ledger {self.path}") from None
        finally:
            reader.close()

    def _scan(self, each: Callable[[Sequence[ReplayRow]], None]) -> Head:
        try:
            reader = self._reader()
        except sqlite3.Error as error:
            raise _translate(error, f"cannot read ledger {self.path}") from None
        try:
            cursor = reader.execute(_REPLAY)
            last = 0
            while rows := cursor.fetchmany(BATCH):
                each(rows)
                last = rows[-1][0]
            if not last:
                return Head()
            # The head hash from the same snapshot: one row, not a hash per event.
            (digest,) = reader.execute(
                "SELECT hash FROM events WHERE sequence = ?", (last,)
            ).fetchone()
            return Head(last, digest)
        except sqlite3.Error as error:
            raise _translate(error, f"cannot read ledger {self.path}") from None
        finally:
            reader.close()

    def head(self) -> Head:
        try:
            with self._lock:
                return _SQLiteTransaction(self._db).head()
        except sqlite3.Error as error:
            raise _translate(error, f"cannot read ledger {self.path}") from None

    def hash_at(self, sequence: int) -> str | None:
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT hash FROM events WHERE sequence = ?", (sequence,)
                ).fetchone()
        except sqlite3.Error as error:
            raise _translate(error, f"cannot read ledger {self.path}") from None
        return None if row is None else str(row[0])

    def fold_snapshot(
        self, operation: str, form: int, code: str, before: str | None
    ) -> FoldSnapshot | None:
        try:
            with self._lock:
                row = self._db.execute(
                    _SNAPSHOT, (operation, form, code, before or AFTER_EVERY_INSTANT)
                ).fetchone()
        except sqlite3.OperationalError:
            return None  # a ledger not migrated to 0007 keeps no snapshots
        if row is None:
            return None
        return snapshot_of(row)

    def keep_fold_snapshot(self, snapshot: FoldSnapshot, replaces_from: str) -> bool:
        c = snapshot
        try:
            with self._write() as _:
                self._db.execute(
                    _REPLACED, (c.operation, c.form, c.code, c.sequence, c.sequence, replaces_from)
                )
                self._db.execute(_KEEP, snapshot_row(c))
        except (sqlite3.Error, StoreUnavailable, IntegrityError):
            return False  # unmigrated, read-only or busy: the next read folds again
        return True

    def _load(self, events: Iterator[RecordedEvent]) -> None:
        with self._write() as tx:
            if tx.head().sequence:
                raise IntegrityError(
                    f"{self.description} is not empty; import only into an empty ledger"
                )
            batch: list[RecordedEvent] = []
            for event in events:
                batch.append(event)
                if len(batch) >= BATCH:
                    tx.insert(batch)
                    batch.clear()
            if batch:
                tx.insert(batch)

    def close(self) -> None:
        self._db.close()
