"""One pipeline for every command: find its handler, decide on the live record, append.

`handle(services, command, actor, key)` is the only way a command reaches the
ledger. The handler registered for the command's type decides on a copy of
the operation's live record (`LiveOperations.command`: load the record,
decide, append atomically with the stream's version, decide again on a
version conflict) and returns the events to append. A retried command with
an idempotency key returns the first command's events, even when deciding
again would now refuse (a trip cannot depart twice): the key is looked up in
the append's own transaction, and again only when the command is refused, so
a first command pays no look-up of its own (an opening is looked up first,
since deciding it reads the scenario files).
A retry of a request whose first answer was lost names when the request first
arrived (`first_arrival`): it is stamped with that time, and when the first
command committed meanwhile (the ledger refuses the key as taken), the first
command is its answer.

The outcome says what the deal decided in that command: `refused` when any
decision it recorded blocked, so every interface answers a refusal as a
refusal (409, exit 1), never as success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from corridor.domain.clock import Clock, SystemClock, format_instant
from corridor.domain.event_types import DECISION_RECORDED as DECISION_TYPE
from corridor.domain.events import AppendResult, NewEvent
from corridor.errors import CorridorError, StoreUnavailable
from corridor.services.commands import Command, OpenOperation
from corridor.services.live import LiveOperations, OperationRecord
from corridor.services.openings import OpeningSource

__all__ = ["Call", "Decided", "Outcome", "Services", "handle", "handles"]


@dataclass(frozen=True)
class Call:
    """Who sends a command and when the wall clock says it arrived."""

    actor: str
    wall: datetime

    def at(self, record: OperationRecord, given: datetime | None) -> datetime:
        """The command's time: as given, else now in the operation's own time."""
        return given if given is not None else record.clock.now(self.wall)


@dataclass
class Decided:
    """A handler's answer: the events to append and what else to tell the caller."""

    events: list[NewEvent]
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What one command appended (or had appended, when replayed) and what it decided."""

    result: AppendResult
    extras: dict[str, Any]

    @property
    def decisions(self) -> list[dict[str, Any]]:
        """Each decision recorded by the command, with its request."""
        return [e.data() for e in self.result.events if e.type == DECISION_TYPE]

    @property
    def refused(self) -> bool:
        """The deal blocked something this command asked for."""
        return any(not d["decision"]["allowed"] for d in self.decisions)


@dataclass
class Services:
    """What handlers need: the live record over the ledger, openings, the wall clock."""

    live: LiveOperations
    openings: OpeningSource
    wall: Clock = field(default_factory=SystemClock)

    def clock_view(self, record: OperationRecord) -> dict[str, Any]:
        """The clock in force and the operation's time now."""
        now = record.clock.now(self.wall.now())
        return {**record.clock.payload(), "now": format_instant(now)}


C = TypeVar("C")
Handler = Callable[[OperationRecord, Any, Call], Decided]
OpeningHandler = Callable[[Services, OpenOperation, Call], Decided]

_HANDLERS: dict[type, Handler] = {}


def handles(kind: type[C]) -> Callable[[Callable[[OperationRecord, C, Call], Decided]], Any]:
    """Register the handler of one command type."""

    def register(fn: Callable[[OperationRecord, C, Call], Decided]) -> Any:
        _HANDLERS[kind] = fn
        return fn

    return register


def handle(
    services: Services,
    command: Command,
    actor: str,
    idempotency_key: str | None = None,
    first_arrival: datetime | None = None,
) -> Outcome:
    """Run `command` through its handler and the ledger: all its events or none.

    `first_arrival` says the caller checked this is the request first sent
    with `idempotency_key`, and when it arrived then.
    """
    call = Call(actor, first_arrival or services.wall.now())
    if idempotency_key is not None and isinstance(command, OpenOperation):
        recorded = services.live.ledger.recorded_command(idempotency_key)
        if recorded is not None:
            return Outcome(recorded, {})
    try:
        outcome = _run(services, command, call, idempotency_key)
    except StoreUnavailable:
        raise
    except CorridorError:
        if idempotency_key is None:
            raise
        # Refused on the record its first sending made, or decided otherwise
        # than then (the ledger refuses the key for other events), or the same
        # request, sent first, committed while this one decided: the first
        # command is the answer.
        recorded = services.live.ledger.recorded_command(idempotency_key)
        if recorded is None:
            raise
        return Outcome(recorded, {})
    if outcome.result.replayed:
        return Outcome(outcome.result, {})
    return outcome


def _run(services: Services, command: Command, call: Call, idempotency_key: str | None) -> Outcome:
    # Importing the handler modules registers them; here, so callers import one module.
    from corridor.services import handlers  # noqa: F401

    actor = call.actor
    extras: dict[str, Any] = {}
    if isinstance(command, OpenOperation):
        from corridor.services.handlers.operations import opening

        decided = opening(services, command, call)
        result = services.live.command(
            command.operation,
            lambda _: decided.events,
            actor,
            idempotency_key,
            opening=True,
        )
        return Outcome(result, decided.extras)
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"no handler for {type(command).__name__}")

    def decide(record: OperationRecord) -> list[NewEvent]:
        decided = handler(record, command, call)
        extras.clear()
        extras.update(decided.extras)
        return decided.events

    result = services.live.command(command.operation, decide, actor, idempotency_key)
    return Outcome(result, dict(extras))
