"""The ledger port: what use cases need from an event store, and the one append algorithm.

`LedgerStore` is an abstract base class. Backends (in-memory, SQLite,
PostgreSQL, in `corridor.adapters.ledger`) supply a write transaction that
holds the ledger's write lock, plus reads; the append algorithm, verify,
export and import are written once here so every backend behaves the same.

Appending one command (`append`), in one write transaction:

1. if an idempotency key is given and a command with that key is stored,
   return that command's events (`replayed=True`) and write nothing; a key
   reused for different events is an `IntegrityError`;
2. compare each stream's current version with the expected one; any
   difference is a `ConcurrencyError` (nothing written; reload and retry).
   Streams not named in `expected_versions` are appended to unchecked;
3. seal the events after the current head (sequence, version, hash chain)
   with the store clock's time, and insert them; commit.

Because the lock is taken before step 1, appends are serial and the chain
stays linear however many processes write.

Replay (`replay`) is the hot read path: a backend feeds the fold batches of
plain rows holding only what reducers read (`_scan`), and the head hash is
read once at the end, from the same snapshot. Verify likewise checks batches
of plain rows (`_stored_rows`). The defaults go through `read()`, so a
backend that does not override them is slower, not different.
"""

from __future__ import annotations

import dataclasses
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import IO, Any

from corridor.domain.canonical import CanonicalError, check_string_lengths
from corridor.domain.chain import (
    ChainChecker,
    StoredRow,
    VerifyReport,
    event_hash,
    export_line,
    seal,
)
from corridor.domain.clock import Clock, SystemClock, format_instant
from corridor.domain.events import AppendResult, Head, NewEvent, RecordedEvent
from corridor.domain.fold import Folding, ReplayRow
from corridor.domain.state import REDUCERS, Reducers, State
from corridor.errors import (
    ConcurrencyError,
    IntegrityError,
    InvalidInput,
    LedgerCorrupted,
    Problem,
)
from corridor.services.canonical_forms import FORMS, LEGACY_FORM, NEW_FORM, encoder
from corridor.services.payloads import payload_parser

__all__ = ["FoldSnapshot", "LedgerStore", "WriteTransaction"]

MAX_NAME = 200
"""Longest stream, type, actor or idempotency key accepted."""

SCAN_BATCH = 5_000
"""Rows per batch handed to the fold by the default `_scan`."""


@dataclass(frozen=True)
class FoldSnapshot:
    """A fold of one operation's stream, kept beside the ledger (never in it).

    `sequence` and `hash` name the last event folded in; `form` and `code`
    the format and fold code that wrote `body`; `digest` is the SHA-256 of
    the uncompressed body (`corridor.services.exports.snapshots`).
    """

    operation: str
    sequence: int
    hash: str
    recorded_at: str
    form: int
    code: str
    digest: str
    body: bytes


class WriteTransaction(ABC):
    """One transaction holding the ledger's write lock; committed on clean exit."""

    @abstractmethod
    def head(self) -> Head:
        """The last stored sequence and hash."""

    @abstractmethod
    def versions(self, streams: Iterable[str]) -> dict[str, int]:
        """Current version of each named stream that exists."""

    @abstractmethod
    def command_with_key(self, key: str) -> tuple[RecordedEvent, ...]:
        """Every event of the command stored under `key` (empty if none)."""

    @abstractmethod
    def insert(self, events: Sequence[RecordedEvent]) -> None:
        """Insert sealed events; a broken unique key raises `IntegrityError`."""


class LedgerStore(ABC):
    """An append-only, hash-chained store of events."""

    canonical_form: str = NEW_FORM
    """How new payloads are written (`corridor.services.canonical_forms`); stores read the
    form their ledger recorded, `corridor-json-1` for one from before forms were recorded."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()

    # -- what a backend provides -------------------------------------------------

    @abstractmethod
    def _write(self) -> AbstractContextManager[WriteTransaction]:
        """Begin a transaction holding the write lock; commit on exit, roll back on error."""

    @abstractmethod
    def read(self, after: int = 0, stream: str | None = None) -> Iterator[RecordedEvent]:
        """Stored events with sequence > `after` (of one stream if named), in order."""

    @abstractmethod
    def head(self) -> Head:
        """The last stored sequence and its hash (sequence 0 when empty)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and files."""

    @property
    @abstractmethod
    def description(self) -> str:
        """Where the ledger lives, safe to print (no password)."""

    # -- snapshots of a fold, beside the ledger ----------------------------------
    # A backend without a side table keeps none: every read folds from the start.

    def hash_at(self, sequence: int) -> str | None:
        """The hash of the event at `sequence`; None when there is none."""
        events = self.read(after=sequence - 1)
        try:
            first = next(events, None)
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()
        return first.hash if first is not None and first.sequence == sequence else None

    def fold_snapshot(
        self, operation: str, form: int, code: str, before: str | None
    ) -> FoldSnapshot | None:
        """The newest snapshot of `operation` in `form` by `code`, recorded before `before`."""
        return None

    def keep_fold_snapshot(self, snapshot: FoldSnapshot, replaces_from: str) -> bool:
        """Store `snapshot`; False when this ledger keeps none (or cannot now).

        It replaces the operation's snapshots at lower sequences recorded at
        or after `replaces_from`, and every one of another form or code.
        """
        return False

    # -- the one append algorithm ------------------------------------------------

    def append(
        self,
        events: Sequence[NewEvent],
        expected_versions: Mapping[str, int] | None = None,
        actor: str = "system",
        idempotency_key: str | None = None,
    ) -> AppendResult:
        """Append all events of one command in one transaction, or none of them."""
        drafts = _drafts(events, actor, idempotency_key, encoder(self.canonical_form))
        expected = dict(expected_versions or {})
        streams = sorted({d[0] for d in drafts} | set(expected))
        with self._write() as tx:
            if idempotency_key is not None:
                stored = tx.command_with_key(idempotency_key)
                if stored:
                    _same_command(stored, drafts, idempotency_key)
                    return AppendResult(stored[0].sequence, stored[-1].sequence, stored, True)
            current = tx.versions(streams)
            for stream, version in sorted(expected.items()):
                found = current.get(stream, 0)
                if found != version:
                    raise ConcurrencyError(
                        f"stream {stream!r} is at version {found}, expected {version}; "
                        "reload and retry",
                        stream=stream,
                        expected=version,
                        found=found,
                    )
            # The clock is read under the lock, so recorded times follow the
            # sequence order whenever the clock itself does not step back.
            sealed = seal(
                drafts,
                head=tx.head(),
                versions=current,
                actor=actor,
                recorded_at=format_instant(self.clock.now()),
                idempotency_key=idempotency_key,
            )
            tx.insert(sealed)
        return AppendResult(sealed[0].sequence, sealed[-1].sequence, sealed, False)

    def recorded_command(self, idempotency_key: str) -> AppendResult | None:
        """The command stored under `idempotency_key`, as a replayed result; None if none."""
        with self._write() as tx:
            stored = tx.command_with_key(idempotency_key)
        if not stored:
            return None
        return AppendResult(stored[0].sequence, stored[-1].sequence, stored, True)

    # -- replay ------------------------------------------------------------------

    def replay(self, reducers: Reducers = REDUCERS) -> State:
        """The state folded from every event; the same dump as `fold(self.read())`."""
        folding = Folding(reducers)

        def add(rows: Sequence[ReplayRow]) -> None:
            folding.add(rows, payload_parser([row[4] for row in rows]))

        return folding.state(self._scan(add))

    def _scan(self, each: Callable[[Sequence[ReplayRow]], None]) -> Head:
        """Hand `each` every event's replay row, in order and in batches; return the head."""
        batch: list[ReplayRow] = []
        last: RecordedEvent | None = None
        for last in self.read():
            batch.append(
                (
                    last.sequence,
                    last.stream,
                    last.version,
                    last.type,
                    last.payload,
                    last.actor,
                    last.recorded_at,
                )
            )
            if len(batch) >= SCAN_BATCH:
                each(batch)
                batch = []
        if batch:
            each(batch)
        return Head() if last is None else Head(last.sequence, last.hash)

    # -- checking, export and import ---------------------------------------------

    def verify(self) -> VerifyReport:
        """Recompute the chain and sequence; the report names the first bad sequence."""
        checker = ChainChecker()
        for rows in self._stored_rows():
            if not checker.check_rows(rows):
                break
        return checker.report()

    def _stored_rows(self) -> Iterator[Sequence[StoredRow]]:
        """Every stored event's columns, in order and in batches (verify's input)."""
        batch: list[StoredRow] = []
        for e in self.read():
            batch.append(e.row())
            if len(batch) >= SCAN_BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def export(self, out: IO[str]) -> int:
        """Write every event as one canonical JSON line; returns how many."""
        count = 0
        for event in self.read():
            out.write(export_line(event))
            out.write("\n")
            count += 1
        return count

    def import_lines(self, lines: Iterable[str], source: str = "<input>") -> int:
        """Load an exported ledger into this empty store; all of it or, on any flaw, nothing."""
        numbered = ((number, line) for number, line in enumerate(lines, start=1) if line.strip())
        forms = [self.canonical_form, *(f for f in FORMS if f != self.canonical_form)]
        return self._checked_load(
            ((f"{source}:{n}", parse_line(line, source, n, forms)) for n, line in numbered)
        )

    def load(self, events: Iterable[RecordedEvent]) -> int:
        """Bulk-load sealed events into this empty store, checking the chain as they go."""
        return self._checked_load((f"sequence {e.sequence}", e) for e in events)

    def _checked_load(self, events: Iterable[tuple[str, RecordedEvent]]) -> int:
        if self.head().sequence != 0:
            raise IntegrityError(
                f"{self.description} is not empty; import only into an empty ledger"
            )
        checker = ChainChecker()

        def checked() -> Iterator[RecordedEvent]:
            for where, event in events:
                if not checker.check(event):
                    raise LedgerCorrupted(
                        f"{where}: {checker.problem}; nothing imported",
                        sequence=checker.first_bad_sequence or event.sequence,
                    )
                yield event

        self._load(checked())
        return checker.events

    @abstractmethod
    def _load(self, events: Iterator[RecordedEvent]) -> None:
        """Insert already-sealed events in one transaction; roll back if iteration raises."""

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_FIELDS: dict[str, type | tuple[type, ...]] = {
    "actor": str,
    "command": int,
    "hash": str,
    "idempotency_key": (str, type(None)),
    "previous_hash": str,
    "recorded_at": str,
    "sequence": int,
    "stream": str,
    "type": str,
    "version": int,
}


def parse_line(
    line: str, source: str, number: int, forms: Sequence[str] = (NEW_FORM, LEGACY_FORM)
) -> RecordedEvent:
    """One exported JSON line back into a `RecordedEvent`; `InvalidInput` if malformed.

    The payload is written again in the first of `forms` under which the line's
    own hash holds (a ledger's canonical form is not in its export); if none
    does, in the first, and the chain check names the row.
    """

    def bad(path: str, message: str, column: int = 1) -> InvalidInput:
        problem = Problem(source, number, column, path, message)
        return InvalidInput(f"{source}:{number}: {message}", [problem])

    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise bad("", f"not JSON: {error.msg}", error.colno) from None
    if not isinstance(row, dict):
        raise bad("", "expected a JSON object (one event per line)")
    missing = sorted((set(_FIELDS) | {"payload"}) - set(row))
    if missing:
        raise bad("", f"missing field(s): {', '.join(missing)}")
    extra = sorted(set(row) - set(_FIELDS) - {"payload"})
    if extra:
        raise bad(extra[0], f"unknown field(s): {', '.join(extra)}")
    for name, kind in _FIELDS.items():
        value = row[name]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise bad(name, f"expected {_kind_name(kind)}, got {json.dumps(value)[:40]}")
    if not isinstance(row["payload"], dict):
        raise bad("payload", "expected a JSON object")
    try:
        texts = [encoder(form)(row["payload"]) for form in forms]
    except CanonicalError as error:
        raise bad("payload", str(error)) from None
    event = RecordedEvent(
        sequence=row["sequence"],
        stream=row["stream"],
        version=row["version"],
        type=row["type"],
        payload=texts[0],
        actor=row["actor"],
        recorded_at=row["recorded_at"],
        idempotency_key=row["idempotency_key"],
        command=row["command"],
        previous_hash=row["previous_hash"],
        hash=row["hash"],
    )
    for text in texts:
        candidate = dataclasses.replace(event, payload=text)
        if event_hash(candidate) == event.hash:
            return candidate
    return event


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "an integer", type(None): "null"}
    return " or ".join(names[k] for k in kinds)


def _drafts(
    events: Sequence[NewEvent], actor: str, key: str | None, encode: Callable[[Any], str]
) -> list[tuple[str, str, str]]:
    """Check a command's input and encode each payload once, before any lock is taken."""
    problems: list[str] = []
    if not events:
        problems.append("a command must append at least one event")
    for label, value in (("actor", actor), ("idempotency key", key)):
        if value is not None and not (0 < len(value) <= MAX_NAME):
            problems.append(f"{label} must be 1 to {MAX_NAME} characters, got {value!r}")
    drafts: list[tuple[str, str, str]] = []
    for index, event in enumerate(events):
        for label, value in (("stream", event.stream), ("type", event.type)):
            if not isinstance(value, str) or not (0 < len(value) <= MAX_NAME):
                problems.append(
                    f"event {index}: {label} must be 1 to {MAX_NAME} characters, got {value!r}"
                )
        if not isinstance(event.payload, Mapping):
            problems.append(f"event {index}: payload must be an object")
            continue
        try:
            check_string_lengths(event.payload)
            drafts.append((event.stream, event.type, encode(event.payload)))
        except CanonicalError as error:
            problems.append(f"event {index}: payload {error}")
    if problems:
        raise InvalidInput(
            "; ".join(problems),
            [Problem("<command>", 0, 0, "", p) for p in problems],
        )
    return drafts


def _same_command(
    stored: tuple[RecordedEvent, ...], drafts: list[tuple[str, str, str]], key: str
) -> None:
    recorded = [(e.stream, e.type, e.payload) for e in stored]
    if recorded != drafts:
        raise IntegrityError(
            f"idempotency key {key!r} was used for a different command "
            f"(sequence {stored[0].sequence}); use a new key for a new command"
        )
