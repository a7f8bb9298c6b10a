"""State as a fold over events: `state = fold(events)`, pure and deterministic.

The state is one JSON-shaped document (dicts, lists, strings, numbers) that
reducers build event by event. Each event type has at most one reducer,
registered in a `Reducers` table; a reducer reads the event's payload and
updates its own part of the document in place (the document is private to
one `fold` call, so this is still a pure function of the events: same events
in, same document out). The finished document is handed out inside a frozen
`State` and must not be changed afterwards.

Other parts of the domain add their own event types and their own top-level
key of the document by registering reducers on `REDUCERS`, e.g.

    @REDUCERS.on("agreement-signed")
    def _signed(document, event, data): document.setdefault("agreements", {})...

Event types with no reducer are skipped, so an older reader can replay a
newer ledger. `State.dump()` is the canonical JSON of the document plus the
head it was folded to: replaying the same events gives byte-identical dumps.
The state also knows each stream's version, so a command decided on it can
append with those versions as its expected versions.

Two ways in, one result: `fold(events)` takes recorded events one by one;
`Folding` takes replay rows in batches, as a store reads them (see
`LedgerStore.replay`), builds a `ReplayedEvent` only for events that have a
reducer and is told the head at the end. Both apply the same reducers in the
same order, so their dumps are byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from corridor.domain.canonical import canonical_bytes
from corridor.domain.events import EventFacts, Head, RecordedEvent, ReplayedEvent

__all__ = ["REDUCERS", "Folding", "Reducer", "Reducers", "ReplayRow", "State", "fold"]

Reducer = Callable[[dict[str, Any], EventFacts, Any], None]
"""`reducer(document, event, data)`: apply one event (`data` is its parsed payload)."""

ReplayRow = tuple[int, str, int, str, str, str, str]
"""`(sequence, stream, version, type, payload, actor, recorded_at)`, as a store reads it."""


class Reducers:
    """Which reducer applies which event type."""

    def __init__(self) -> None:
        self._by_type: dict[str, Reducer] = {}

    def on(self, event_type: str) -> Callable[[Reducer], Reducer]:
        """Decorator: register the reducer for `event_type` (one per type)."""

        def register(reducer: Reducer) -> Reducer:
            if event_type in self._by_type:
                raise ValueError(f"event type {event_type!r} already has a reducer")
            self._by_type[event_type] = reducer
            return reducer

        return register

    def get(self, event_type: str) -> Reducer | None:
        return self._by_type.get(event_type)

    def types(self) -> tuple[str, ...]:
        return tuple(sorted(self._by_type))


REDUCERS = Reducers()
"""The registry every built-in event type registers on."""


@dataclass(frozen=True)
class State:
    """The document folded from a ledger, and the head it was folded to."""

    head: Head = field(default_factory=Head)
    document: Mapping[str, Any] = field(default_factory=dict)
    versions: Mapping[str, int] = field(default_factory=dict)
    """Version of every stream folded; what a command expects when it appends."""

    def version(self, stream: str) -> int:
        """The stream's version in this state (0 when it has no events)."""
        return self.versions.get(stream, 0)

    def dump(self) -> bytes:
        """Canonical JSON of the state: byte-identical for identical events."""
        return canonical_bytes(
            {"head": {"sequence": self.head.sequence, "hash": self.head.hash}, **self.document}
        )


def fold(
    events: Iterable[RecordedEvent],
    reducers: Reducers = REDUCERS,
    loads: Callable[[str], Any] = json.loads,
) -> State:
    """Apply every event in order; `loads` parses payload text (any JSON parser)."""
    document: dict[str, Any] = {}
    versions: dict[str, int] = {}
    last: RecordedEvent | None = None
    lookup = reducers.get
    for last in events:
        versions[last.stream] = last.version
        reducer = lookup(last.type)
        if reducer is not None:
            reducer(document, last, loads(last.payload))
    head = Head() if last is None else Head(last.sequence, last.hash)
    return State(head, document, versions)


class Folding:
    """A fold in progress, fed replay rows batch by batch; `state(head)` finishes it."""

    def __init__(self, reducers: Reducers = REDUCERS) -> None:
        self._document: dict[str, Any] = {}
        self._versions: dict[str, int] = {}
        self._lookup = reducers._by_type.get  # the dict's own get: no method call per event

    def add(self, rows: Iterable[ReplayRow], loads: Callable[[str], Any] = json.loads) -> None:
        """Apply `rows` in order; `loads` parses the payloads of those that have a reducer."""
        # Runs once per event of a million-event ledger: locals only, and a
        # tuple (not a dataclass) for the reducer's view of the event.
        document = self._document
        versions = self._versions
        lookup = self._lookup
        make = tuple.__new__
        for row in rows:
            versions[row[1]] = row[2]
            reducer = lookup(row[3])
            if reducer is not None:
                reducer(document, make(ReplayedEvent, row), loads(row[4]))

    def state(self, head: Head) -> State:
        """The folded state, at `head` (the last row added)."""
        return State(head, self._document, self._versions)
