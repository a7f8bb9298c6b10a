"""Events as the ledger knows them: what a command asks to append, what was stored.

A command hands the ledger `NewEvent`s (stream, type, payload). The ledger
seals them into `RecordedEvent`s: it gives each a global sequence number, the
next version of its stream, the actor, the recorded time, the command it
belongs to and its place in the hash chain (see `corridor.domain.chain`).

The payload of a recorded event is kept as its canonical JSON text, not as a
parsed object: that text is what was hashed, it is what the stores keep, and
it is immutable. `data()` parses it when a reader needs the values.

Event facts with a meaning of their own (an operation opened, a scenario
loaded) are frozen dataclasses with a `TYPE` class variable; `NewEvent.of`
turns one into a `NewEvent`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple, Protocol

__all__ = [
    "AppendResult",
    "EventFacts",
    "Fact",
    "Head",
    "NewEvent",
    "RecordedEvent",
    "ReplayedEvent",
    "fact_payload",
]

GENESIS_HASH = "0" * 64
"""The previous hash of the first event of every ledger."""


class Fact(Protocol):
    """An event fact: a frozen dataclass with a `TYPE` naming its event type."""

    TYPE: ClassVar[str]


def fact_payload(fact: Fact) -> dict[str, Any]:
    """The payload of a fact: its dataclass fields, tuples as lists."""
    if not dataclasses.is_dataclass(fact) or isinstance(fact, type):
        raise TypeError(f"{type(fact).__name__} is not a dataclass instance")
    return dataclasses.asdict(fact)


@dataclass(frozen=True)
class NewEvent:
    """One event a command asks the ledger to append."""

    stream: str
    type: str
    payload: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, stream: str, fact: Fact) -> NewEvent:
        """The event recording `fact` on `stream`."""
        return cls(stream=stream, type=fact.TYPE, payload=fact_payload(fact))


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as stored: immutable, numbered, timed, attributed and chained."""

    sequence: int
    stream: str
    version: int
    type: str
    payload: str
    """Canonical JSON text of the payload, exactly as hashed."""
    actor: str
    recorded_at: str
    """UTC instant, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (see `corridor.domain.clock`)."""
    idempotency_key: str | None
    """Set on the first event of a command that was given a key; None elsewhere."""
    command: int
    """Sequence number of the first event of the command this event belongs to."""
    previous_hash: str
    hash: str

    def data(self) -> Any:
        """The payload as Python values."""
        return json.loads(self.payload)

    def row(self) -> tuple[int, str, int, str, str, str, str, str | None, int, str, str]:
        """The stored columns in field order: what a store inserts and verify checks."""
        return (
            self.sequence,
            self.stream,
            self.version,
            self.type,
            self.payload,
            self.actor,
            self.recorded_at,
            self.idempotency_key,
            self.command,
            self.previous_hash,
            self.hash,
        )


class EventFacts(Protocol):
    """What a reducer may read of an event: a `RecordedEvent` or a `ReplayedEvent`."""

    @property
    def sequence(self) -> int: ...
    @property
    def stream(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def payload(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def recorded_at(self) -> str: ...
    def data(self) -> Any: ...


class ReplayedEvent(NamedTuple):
    """An event as replay hands it to a reducer: what happened, without its chain fields.

    Replay reads only these columns and builds one tuple per event that has a
    reducer, which costs a fraction of a `RecordedEvent`; the hashes, the
    command and the idempotency key belong to the ledger's integrity, not to
    the state folded from it.
    """

    sequence: int
    stream: str
    version: int
    type: str
    payload: str
    actor: str
    recorded_at: str

    def data(self) -> Any:
        """The payload as Python values."""
        return json.loads(self.payload)


@dataclass(frozen=True)
class Head:
    """Where the ledger ends: the last sequence number and its hash."""

    sequence: int = 0
    hash: str = GENESIS_HASH


@dataclass(frozen=True)
class AppendResult:
    """What one command appended (or, when `replayed`, had appended the first time)."""

    first_sequence: int
    last_sequence: int
    events: tuple[RecordedEvent, ...]
    replayed: bool = False

    @property
    def head(self) -> Head:
        last = self.events[-1]
        return Head(last.sequence, last.hash)
