"""The production ledger store: PostgreSQL through SQLAlchemy and psycopg 3.

How appends stay serial, and why this way:

The hash chain needs appends in one line: each command must read the head
(sequence and hash) and write the next rows before any other command reads
it. Under PostgreSQL's default READ COMMITTED isolation two transactions can
both read head N; the primary key would reject the second one only at insert
time, after it had sealed its events on a stale head.

So every append transaction first runs `LOCK TABLE events IN EXCLUSIVE MODE`.
That mode conflicts with itself and with the ROW EXCLUSIVE lock every INSERT,
UPDATE or DELETE takes, but not with the ACCESS SHARE lock of plain SELECTs:
writers queue one behind the other while readers (verify, replay, exports)
keep reading. Because READ COMMITTED takes a fresh snapshot for each
statement, the SELECT of the head that follows the LOCK sees every command
committed before the lock was granted. The lock is released at COMMIT or
ROLLBACK, including when the client dies: the server ends the session and
rolls its transaction back, so a killed writer never leaves half a command.

Alternatives considered: `pg_advisory_xact_lock(key)` does the same job but
only for writers that know the key; a table lock also stops a stray INSERT
from a console or another tool from slipping into the chain. SERIALIZABLE
isolation would detect the conflict but by aborting and retrying, which under
contention wastes work the lock simply queues. A database sequence for the
sequence number is not used either: it leaves gaps after rollbacks, and a
gap is exactly what `verify` must report as tampering.

Driver errors are translated here: an unreachable server is
`StoreUnavailable` naming the URL without its password.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import starmap
from typing import Any

import psycopg
import sqlalchemy as sa

from corridor.adapters.ledger.migrate import upgrade_connection
from corridor.adapters.ledger.schema import COLUMNS, snapshot_of, snapshot_row
from corridor.domain.chain import StoredRow
from corridor.domain.clock import Clock
from corridor.domain.events import Head, RecordedEvent
from corridor.domain.fold import ReplayRow
from corridor.errors import ConcurrencyError, CorridorError, IntegrityError, StoreUnavailable
from corridor.services.canonical_forms import LEGACY_FORM
from corridor.services.ports import FoldSnapshot, LedgerStore, WriteTransaction

__all__ = ["PostgresLedgerStore", "sqlalchemy_url"]

BATCH = 5_000
_INSERT = f"INSERT INTO events ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
_SELECT = f"SELECT {COLUMNS} FROM events"
_REPLAY = (
    "SELECT sequence, stream, version, type, payload, actor, recorded_at "
    "FROM events ORDER BY sequence"
)
_COMMAND = (
    f"{_SELECT} WHERE sequence >= %(command)s AND command = %(command)s AND sequence < "
    "COALESCE((SELECT sequence FROM events WHERE sequence > %(command)s "
    "AND command <> %(command)s ORDER BY sequence LIMIT 1), 9223372036854775807) "
    "ORDER BY sequence"
)
"""Every event of one command, as a range of the primary key (no index on `command`)."""
_SNAPSHOT = (
    "SELECT operation, sequence, hash, recorded_at, form, code, digest, body "
    "FROM fold_snapshots WHERE operation = %s AND form = %s AND code = %s "
    "AND (%s::text IS NULL OR recorded_at < %s::text) ORDER BY sequence DESC LIMIT 1"
)
_REPLACED = (
    "DELETE FROM fold_snapshots WHERE operation = %s AND (form <> %s OR code <> %s "
    "OR sequence = %s OR (sequence < %s AND recorded_at >= %s))"
)
_KEEP = (
    "INSERT INTO fold_snapshots "
    "(operation, sequence, hash, recorded_at, form, code, digest, body) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)


def sqlalchemy_url(url: str) -> sa.URL:
    """`postgresql://...` with the psycopg 3 driver named, as SQLAlchemy wants it."""
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _translate(error: psycopg.Error, where: str) -> CorridorError:
    if isinstance(error, psycopg.errors.UniqueViolation):
        constraint = getattr(error.diag, "constraint_name", None) or ""
        if constraint == "uq_events_stream_version":
            return ConcurrencyError(f"{where}: another command took that stream version")
        return IntegrityError(f"{where}: duplicate key ({constraint})")
    if isinstance(error, psycopg.IntegrityError | psycopg.errors.RaiseException):
        return IntegrityError(f"{where}: {str(error).splitlines()[0]}")
    return StoreUnavailable(f"{where}: {str(error).splitlines()[0] if str(error) else error}")


class _PostgresTransaction(WriteTransaction):
    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._db = connection

    def head(self) -> Head:
        row = self._db.execute(
            "SELECT sequence, hash FROM events ORDER BY sequence DESC LIMIT 1"
        ).fetchone()
        return Head(row[0], row[1]) if row else Head()

    def versions(self, streams: Iterable[str]) -> dict[str, int]:
        # One MAX per stream, each read from the end of the (stream, version)
        # index; a GROUP BY over the streams would read all their events.
        rows = self._db.execute(
            "SELECT name, (SELECT MAX(version) FROM events WHERE stream = name)"
            " FROM unnest(%s::text[]) AS wanted(name)",
            (list(streams),),
        ).fetchall()
        return {name: version for name, version in rows if version is not None}

    def command_with_key(self, key: str) -> tuple[RecordedEvent, ...]:
        # The key's index first: most commands are sent once and end here.
        # There is no index on `command` (it would cost every insert a page):
        # a command's events are the sequences from its number up to the
        # next command's, so they are read as a range of the primary key.
        found = self._db.execute(
            "SELECT command FROM events WHERE idempotency_key = %s", (key,)
        ).fetchone()
        if found is None:
            return ()
        rows = self._db.execute(_COMMAND, {"command": found[0]}).fetchall()
        return tuple(RecordedEvent(*r) for r in rows)

    def insert(self, events: Sequence[RecordedEvent]) -> None:
        with self._db.cursor() as cursor:
            cursor.executemany(_INSERT, [e.row() for e in events])


def _rollback(db: psycopg.Connection[Any]) -> None:
    """Roll back if the connection still can; a lost one has nothing to undo."""
    with suppress(psycopg.Error):
        db.rollback()


class PostgresLedgerStore(LedgerStore):
    """A ledger in a PostgreSQL database; tables created and migrated on open."""

    def __init__(self, url: str, clock: Clock | None = None, migrate: bool = True) -> None:
        super().__init__(clock)
        self.url = sqlalchemy_url(url)
        # One connection, shared by the threads of a server: the lock keeps
        # their transactions from interleaving on it.
        self._lock = threading.RLock()
        self._safe_url = self.url.render_as_string(hide_password=True)
        self._engine = sa.create_engine(self.url, pool_size=2, max_overflow=4, pool_pre_ping=True)
        try:
            if migrate:
                with self._engine.connect() as connection:
                    upgrade_connection(connection)
            self._pooled = self._engine.raw_connection()
        except sa.exc.DBAPIError as error:
            self._engine.dispose()
            message = str(error.orig).splitlines()[0] if error.orig else str(error)
            raise StoreUnavailable(f"cannot open ledger {self._safe_url}: {message}") from None
        self._db: psycopg.Connection[Any] = self._pooled.driver_connection  # type: ignore[assignment]
        self.canonical_form = self._recorded_form()

    def _recorded_form(self) -> str:
        with self._lock:
            try:
                found = self._db.execute("SELECT to_regclass('ledger_form')").fetchone()
                row = None
                if found is not None and found[0] is not None:
                    row = self._db.execute(
                        "SELECT value FROM ledger_form WHERE name = 'canonical_form'"
                    ).fetchone()
                self._db.commit()
            except psycopg.Error as error:
                _rollback(self._db)
                raise _translate(error, f"cannot open ledger {self._safe_url}") from None
        return str(row[0]) if row else LEGACY_FORM

    @property
    def description(self) -> str:
        return self._safe_url

    @contextmanager
    def _write(self) -> Iterator[WriteTransaction]:
        with self._lock:
            yield from self._transaction()

    def _connection(self) -> psycopg.Connection[Any]:
        """The store's connection, replaced first if the last one was lost."""
        if self._db.closed or self._db.broken:
            # The server restarted or ended the session: the failed command
            # already raised StoreUnavailable; the next one gets a new session.
            self._pooled.invalidate()
            try:
                self._pooled = self._engine.raw_connection()
            except sa.exc.DBAPIError as error:
                raise StoreUnavailable(
                    f"cannot reach ledger {self._safe_url}: {error.orig}"
                ) from None
            self._db = self._pooled.driver_connection  # type: ignore[assignment]
        return self._db

    def _transaction(self) -> Iterator[WriteTransaction]:
        db = self._connection()
        try:
            db.execute("LOCK TABLE events IN EXCLUSIVE MODE")
        except psycopg.Error as error:
            _rollback(db)
            raise _translate(error, f"cannot lock ledger {self._safe_url}") from None
        try:
            yield _PostgresTransaction(db)
        except psycopg.Error as error:
            _rollback(db)
            raise _translate(error, f"ledger {self._safe_url}") from None
        except BaseException:
            _rollback(db)
            raise
        try:
            db.commit()
        except psycopg.Error as error:
            _rollback(db)
            raise _translate(error, f"cannot commit to ledger {self._safe_url}") from None

    def _reader(self) -> tuple[Any, psycopg.Connection[Any]]:
        """A pooled connection of its own for a long read, and its driver connection."""
        try:
            pooled = self._engine.raw_connection()
        except sa.exc.DBAPIError as error:
            raise StoreUnavailable(f"cannot read ledger {self._safe_url}: {error.orig}") from None
        db: psycopg.Connection[Any] = pooled.driver_connection  # type: ignore[assignment]
        return pooled, db

    def read(self, after: int = 0, stream: str | None = None) -> Iterator[RecordedEvent]:
        # A server-side cursor on a connection of its own: rows stream in
        # batches from one snapshot, memory stays flat however long the ledger.
        pooled, db = self._reader()
        make = RecordedEvent
        try:
            with db.transaction(), db.cursor(name="corridor_read") as cursor:
                if stream is None:
                    cursor.execute(f"{_SELECT} WHERE sequence > %s ORDER BY sequence", (after,))
                else:
                    cursor.execute(
                        f"{_SELECT} WHERE sequence > %s AND stream = %s ORDER BY sequence",
                        (after, stream),
                    )
                while rows := cursor.fetchmany(BATCH):
                    yield from starmap(make, rows)
        except psycopg.Error as error:
            raise _translate(error, f"cannot read ledger {self._safe_url}") from None
        finally:
            pooled.close()

    def _stored_rows(self) -> Iterator[Sequence[StoredRow]]:
        pooled, db = self._reader()
        try:
            with db.transaction(), db.cursor(name="corridor_verify") as cursor:
                cursor.execute(f"{_SELECT} ORDER BY sequence")
                while rows := cursor.fetchmany(BATCH):
                    yield rows
        except psycopg.Error as error:
            raise _translate(error, f"cannot read ledger {self._safe_url}") from None
        finally:
            pooled.close()

    def _scan(self, each: Callable[[Sequence[ReplayRow]], None]) -> Head:
        pooled, db = self._reader()
        try:
            # REPEATABLE READ: the head hash read after the rows comes from
            # the same snapshot as the rows.
            with db.transaction():
                db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                last = 0
                with db.cursor(name="corridor_replay") as cursor:
                    cursor.execute(_REPLAY)
                    while rows := cursor.fetchmany(BATCH):
                        each(rows)
                        last = rows[-1][0]
                if not last:
                    return Head()
                row = db.execute("SELECT hash FROM events WHERE sequence = %s", (last,)).fetchone()
                assert row is not None, "the last replayed event is in the same snapshot"
                return Head(last, row[0])
        except psycopg.Error as error:
            raise _translate(error, f"cannot read ledger {self._safe_url}") from None
        finally:
            pooled.close()

    def head(self) -> Head:
        try:
            with self._lock:
                db = self._connection()
                head = _PostgresTransaction(db).head()
                db.rollback()
                return head
        except psycopg.Error as error:
            _rollback(self._db)
            raise _translate(error, f"cannot read ledger {self._safe_url}") from None

    def hash_at(self, sequence: int) -> str | None:
        try:
            with self._lock:
                db = self._connection()
                row = db.execute(
                    "SELECT hash FROM events WHERE sequence = %s", (sequence,)
                ).fetchone()
                db.rollback()
        except psycopg.Error as error:
            _rollback(self._db)
            raise _translate(error, f"cannot read ledger {self._safe_url}") from None
        return None if row is None else str(row[0])

    def fold_snapshot(
        self, operation: str, form: int, code: str, before: str | None
    ) -> FoldSnapshot | None:
        try:
            with self._lock:
                db = self._connection()
                row = db.execute(_SNAPSHOT, (operation, form, code, before, before)).fetchone()
                db.rollback()
        except psycopg.Error:
            _rollback(self._db)
            return None  # a ledger not migrated to 0007 keeps no snapshots
        if row is None:
            return None
        return snapshot_of(row)

    def keep_fold_snapshot(self, snapshot: FoldSnapshot, replaces_from: str) -> bool:
        c = snapshot
        try:
            with self._lock:
                db = self._connection()
                db.execute(
                    _REPLACED, (c.operation, c.form, c.code, c.sequence, c.sequence, replaces_from)
                )
                db.execute(_KEEP, snapshot_row(c))
                db.commit()
        except (psycopg.Error, StoreUnavailable):
            _rollback(self._db)
            return False  # unmigrated, read-only or lost: the next read folds again
        return True

    def _load(self, events: Iterator[RecordedEvent]) -> None:
        with self._write() as tx:
            if tx.head().sequence:
                raise IntegrityError(
                    f"{self._safe_url} is not empty; import only into an empty ledger"
                )
            # COPY streams rows in one statement: the bulk path for imports.
            with (
                self._db.cursor() as cursor,
                cursor.copy(f"COPY events ({COLUMNS}) FROM STDIN") as copy,
            ):
                for event in events:
                    copy.write_row(event.row())

    def close(self) -> None:
        try:
            self._pooled.close()
        finally:
            self._engine.dispose()
