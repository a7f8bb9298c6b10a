"""An in-memory ledger store: the real port, kept in lists, for fast unit tests.

It obeys the same contract as the database stores (the contract tests run on
it too): one lock serialises writers, unique keys are enforced, and a
transaction that fails leaves nothing behind because inserts are staged and
only published on commit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from corridor.domain.clock import Clock
from corridor.domain.events import Head, RecordedEvent
from corridor.errors import ConcurrencyError, IntegrityError
from corridor.services.ports import LedgerStore, WriteTransaction

__all__ = ["MemoryLedgerStore"]


class _MemoryTransaction(WriteTransaction):
    def __init__(self, store: MemoryLedgerStore) -> None:
        self._store = store
        self.staged: list[RecordedEvent] = []
        self._versions: dict[str, int] = {}
        self._sequences: set[int] = set()
        self._keys: dict[str, int] = {}

    def head(self) -> Head:
        rows = self.staged or self._store.rows
        return Head(rows[-1].sequence, rows[-1].hash) if rows else Head()

    def versions(self, streams: Iterable[str]) -> dict[str, int]:
        known = {**self._store.versions, **self._versions}
        return {s: known[s] for s in streams if s in known}

    def command_with_key(self, key: str) -> tuple[RecordedEvent, ...]:
        first = self._store.keys.get(key)
        if first is None:
            return ()
        return tuple(e for e in self._store.rows if e.command == first)

    def insert(self, events: Sequence[RecordedEvent]) -> None:
        store = self._store
        for event in events:
            stored = max(store.versions.get(event.stream, 0), self._versions.get(event.stream, 0))
            if event.version <= stored:
                raise ConcurrencyError(
                    f"stream {event.stream!r} already has version {event.version}",
                    stream=event.stream,
                )
            if event.sequence in store.sequences or event.sequence in self._sequences:
                raise IntegrityError(f"sequence {event.sequence} is already stored")
            key = event.idempotency_key
            if key is not None and (key in store.keys or key in self._keys):
                raise IntegrityError(f"idempotency key {key!r} already used")
            self._versions[event.stream] = event.version
            self._sequences.add(event.sequence)
            if key is not None:
                self._keys[key] = event.command
            self.staged.append(event)

    def publish(self) -> None:
        store = self._store
        store.rows.extend(self.staged)
        store.versions.update(self._versions)
        store.sequences.update(self._sequences)
        store.keys.update(self._keys)


class MemoryLedgerStore(LedgerStore):
    """Events in a Python list; gone when the process ends."""

    def __init__(self, clock: Clock | None = None) -> None:
        super().__init__(clock)
        self.rows: list[RecordedEvent] = []
        self.versions: dict[str, int] = {}
        self.sequences: set[int] = set()
        self.keys: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def _write(self) -> Iterator[WriteTransaction]:
        with self._lock:
            tx = _MemoryTransaction(self)
            yield tx
            tx.publish()

    def read(self, after: int = 0, stream: str | None = None) -> Iterator[RecordedEvent]:
        for event in list(self.rows):
            if event.sequence > after and (stream is None or event.stream == stream):
                yield event

    def head(self) -> Head:
        rows = self.rows
        return Head(rows[-1].sequence, rows[-1].hash) if rows else Head()

    def _load(self, events: Iterator[RecordedEvent]) -> None:
        with self._lock:
            if self.rows:
                raise IntegrityError("memory ledger is not empty; import only into an empty ledger")
            tx = _MemoryTransaction(self)
            tx.insert(list(events))
            tx.publish()

    def close(self) -> None:
        """Nothing to release."""

    @property
    def description(self) -> str:
        return "memory ledger"
