"""Running one command against the ledger: replay, decide, append, retry on conflict.

A use case is a pure `decide(state) -> events` function plus this loop. The
state is folded from the ledger; the events are appended with, as expected
versions, the versions of their streams in that state. If another writer got
there first the append raises `ConcurrencyError`, nothing was written, and
the loop replays and decides again on the newer state, so a conflict costs a
retry, never a lost or doubled command. With an idempotency key a retried
command returns the first result instead of deciding again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from corridor.domain.events import AppendResult, NewEvent
from corridor.domain.state import State
from corridor.errors import ConcurrencyError
from corridor.services.payloads import parse_payload
from corridor.services.ports import LedgerStore

__all__ = ["Decide", "parse_payload", "replay", "run_command"]

Decide = Callable[[State], Sequence[NewEvent]]
"""A command's decision: the events to append, given the current state."""

ATTEMPTS = 5


def replay(store: LedgerStore) -> State:
    """The state folded from every event in the ledger (`LedgerStore.replay`)."""
    return store.replay()


def run_command(
    store: LedgerStore,
    decide: Decide,
    *,
    actor: str,
    idempotency_key: str | None = None,
    attempts: int = ATTEMPTS,
) -> AppendResult:
    """Decide on the current state and append, retrying when another writer was first."""
    if idempotency_key is not None:
        # A retried command must get its first result even when deciding again
        # would now refuse it (an operation cannot be opened twice).
        recorded = store.recorded_command(idempotency_key)
        if recorded is not None:
            return recorded
    for attempt in range(1, attempts + 1):
        state = replay(store)
        events = decide(state)
        expected = {e.stream: state.version(e.stream) for e in events}
        try:
            return store.append(events, expected, actor=actor, idempotency_key=idempotency_key)
        except ConcurrencyError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")
