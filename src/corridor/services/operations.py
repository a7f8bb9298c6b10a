"""Use cases of an operation's record: open it on a scenario, add notes, read it back."""

from __future__ import annotations

from corridor.domain.events import AppendResult, NewEvent
from corridor.domain.operation import (
    NoteRecorded,
    Operation,
    opening_events,
    operation_stream,
    operations,
)
from corridor.domain.scenario import Scenario
from corridor.domain.state import State
from corridor.errors import IntegrityError, InvalidInput, NotFound
from corridor.services.ports import LedgerStore
from corridor.services.unit_of_work import replay, run_command

__all__ = ["find_operation", "open_operation", "record_note", "state_of"]

MAX_NOTE = 4_000


def find_operation(state: State, operation: str) -> Operation:
    """The operation named in a folded state; `NotFound` if it was never opened."""
    for found in operations(state.document):
        if found.id == operation:
            return found
    raise NotFound(f"operation {operation!r} has not been opened in this ledger")


def open_operation(
    store: LedgerStore,
    operation: str,
    scenario: Scenario,
    *,
    name: str = "",
    actor: str,
    content_hash: str | None = None,
    idempotency_key: str | None = None,
) -> AppendResult:
    """Record an operation opened on `scenario`, its scenario and movements: one command."""
    if not operation or "/" in operation:
        raise InvalidInput(f"operation id {operation!r} must be non-empty and contain no '/'")

    def decide(state: State) -> list[NewEvent]:
        if state.version(operation_stream(operation)):
            raise IntegrityError(f"operation {operation!r} is already open")
        return opening_events(operation, name or scenario.name, scenario, content_hash)

    return run_command(store, decide, actor=actor, idempotency_key=idempotency_key)


def record_note(
    store: LedgerStore,
    operation: str,
    text: str,
    *,
    actor: str,
    idempotency_key: str | None = None,
) -> AppendResult:
    """Add a note to an open operation's record."""
    if not text.strip() or len(text) > MAX_NOTE:
        raise InvalidInput(f"a note must have 1 to {MAX_NOTE} characters")

    def decide(state: State) -> list[NewEvent]:
        find_operation(state, operation)
        fact = NoteRecorded(operation=operation, text=text)
        return [NewEvent.of(operation_stream(operation), fact)]

    return run_command(store, decide, actor=actor, idempotency_key=idempotency_key)


def state_of(store: LedgerStore) -> State:
    """The whole folded state of a ledger."""
    return replay(store)
