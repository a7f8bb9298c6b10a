"""Use cases of the agreement on an operation's ledger: adopt the deal, record, decide.

An operation adopts its agreement when it opens: the deal as written goes
into the ledger with the scenario's digest, so later readers enforce exactly
the terms that were adopted. Incidents, verifications and refutations are
recorded as facts; dispatches, crossings, stage confirmations and resumes are
requests: the engine decides each on the agreement state folded from the
operation's stream, and the decision is appended with its request (and, when
allowed, the event it permits) in one command.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from corridor.domain.agreement import (
    EVENT_TYPES,
    Agreement,
    AgreementState,
    Decision,
    DecisionRecorded,
    IncidentRefuted,
    IncidentReported,
    IncidentVerified,
    Request,
    consequences,
    decide,
    event_from_payload,
)
from corridor.domain.door import Rejected, World, check_incident, check_request
from corridor.domain.events import AppendResult, NewEvent, RecordedEvent
from corridor.domain.operation import opening_events, operation_stream
from corridor.domain.scenario import Scenario
from corridor.domain.state import State
from corridor.errors import IntegrityError, InvalidInput, NotFound
from corridor.services.door import rejected_input
from corridor.services.ports import LedgerStore
from corridor.services.unit_of_work import parse_payload, run_command

__all__ = [
    "AgreementAdopted",
    "StoredDecision",
    "adopted",
    "agreement_state",
    "decide_request",
    "open_with_agreement",
    "record_incident",
    "stored_decisions",
]

Fact = IncidentReported | IncidentVerified | IncidentRefuted


@dataclass(frozen=True)
class AgreementAdopted:
    """The deal an operation runs under, as written, and the scenario it was checked on."""

    TYPE: ClassVar[str] = "agreement-adopted"

    operation: str
    agreement: str
    scenario: str
    scenario_ref: str
    """Where the scenario was loaded from: a bundled name or an absolute file path."""
    scenario_digest: str
    document: dict[str, Any]
    """The agreement section or file as written (plain data)."""


@dataclass(frozen=True)
class StoredDecision:
    """A decision as the ledger holds it, with when and by whom it was asked."""

    sequence: int
    actor: str
    recorded_at: str
    event: DecisionRecorded


def _events(store: LedgerStore, operation: str) -> Iterator[RecordedEvent]:
    return store.read(stream=operation_stream(operation))


def adopted(store: LedgerStore, operation: str) -> AgreementAdopted:
    """The agreement an operation adopted; NotFound when it has none."""
    for event in _events(store, operation):
        if event.type == AgreementAdopted.TYPE:
            data = parse_payload(event.payload)
            return AgreementAdopted(**data)
    raise NotFound(f"operation {operation!r} has no agreement in this ledger (open it with one)")


def open_with_agreement(
    store: LedgerStore,
    operation: str,
    scenario: Scenario,
    agreement: AgreementAdopted,
    *,
    name: str = "",
    actor: str,
    idempotency_key: str | None = None,
) -> AppendResult:
    """Open an operation on a scenario under an agreement: one command, all or nothing."""
    if not operation or "/" in operation:
        raise InvalidInput(f"operation id {operation!r} must be non-empty and contain no '/'")

    def command(state: State) -> list[NewEvent]:
        if state.version(operation_stream(operation)):
            raise IntegrityError(f"operation {operation!r} is already open")
        events = opening_events(
            operation, name or scenario.name, scenario, agreement.scenario_digest
        )
        return [*events, NewEvent.of(operation_stream(operation), agreement)]

    return run_command(store, command, actor=actor, idempotency_key=idempotency_key)


def _fold(
    events: Iterator[RecordedEvent], start: AgreementState, up_to: int | None
) -> AgreementState:
    state = start
    for event in events:
        if up_to is not None and event.version > up_to:
            break
        if event.type in EVENT_TYPES:
            state = state.apply(event_from_payload(event.type, parse_payload(event.payload)))
    return state


def agreement_state(
    store: LedgerStore, operation: str, agreement: Agreement, scenario: Scenario
) -> AgreementState:
    """The agreement state folded from the operation's stream."""
    return _fold(_events(store, operation), AgreementState.start(agreement, scenario), None)


def _on_stream(operation: str, events: tuple[Any, ...]) -> list[NewEvent]:
    return [NewEvent(operation_stream(operation), e.type, e.payload()) for e in events]


def decide_request(
    store: LedgerStore,
    operation: str,
    agreement: Agreement,
    scenario: Scenario,
    request: Request,
    *,
    actor: str,
    idempotency_key: str | None = None,
) -> tuple[Decision, AppendResult]:
    """Decide a request on the current state and append the decision with the request."""
    decided: list[Decision] = []
    start = AgreementState.start(agreement, scenario)
    try:
        check_request(World.of(scenario, agreement.incident_kinds), request)
    except Rejected as rejected:
        raise rejected_input(rejected) from None

    def command(state: State) -> list[NewEvent]:
        stream = operation_stream(operation)
        if not state.version(stream):
            raise NotFound(f"operation {operation!r} has not been opened in this ledger")
        # Fold only what `state` has seen, so the decision rests on the very
        # version the append will expect; a newer writer makes it retry.
        current = _fold(_events(store, operation), start, state.version(stream))
        decision = decide(current, request)
        decided.append(decision)
        return _on_stream(operation, consequences(request, decision))

    result = run_command(store, command, actor=actor, idempotency_key=idempotency_key)
    if result.replayed:
        first = result.events[0]
        stored = event_from_payload(first.type, parse_payload(first.payload))
        assert isinstance(stored, DecisionRecorded)
        return stored.decision, result
    return decided[-1], result


def record_incident(
    store: LedgerStore,
    operation: str,
    agreement: Agreement,
    scenario: Scenario,
    fact: Fact,
    *,
    actor: str,
    idempotency_key: str | None = None,
) -> AppendResult:
    """Record a reported, verified or refuted incident, refusing what cannot be."""
    start = AgreementState.start(agreement, scenario)

    def command(state: State) -> list[NewEvent]:
        stream = operation_stream(operation)
        if not state.version(stream):
            raise NotFound(f"operation {operation!r} has not been opened in this ledger")
        current = _fold(_events(store, operation), start, state.version(stream))
        _check(current, World.of(scenario, agreement.incident_kinds), fact)
        return _on_stream(operation, (fact,))

    return run_command(store, command, actor=actor, idempotency_key=idempotency_key)


def _check(state: AgreementState, world: World, fact: Fact) -> None:
    known = state.incidents.get(fact.incident)
    if isinstance(fact, IncidentReported):
        if known is not None:
            raise IntegrityError(f"incident {fact.incident!r} was already reported")
        try:
            check_incident(world, fact.kind, fact.severity, fact.corridor, fact.site)
        except Rejected as rejected:
            raise rejected_input(rejected) from None
        return
    if known is None:
        raise NotFound(f"incident {fact.incident!r} has not been reported")
    if known.status != "reported":
        raise IntegrityError(f"incident {fact.incident!r} is already {known.status}")
    if not state.rules.is_monitor(fact.monitor):
        raise InvalidInput(f"{fact.monitor!r} is not a monitor of the agreement")


def stored_decisions(store: LedgerStore, operation: str) -> list[StoredDecision]:
    """Every decision recorded for an operation, oldest first."""
    out: list[StoredDecision] = []
    for event in _events(store, operation):
        if event.type == DecisionRecorded.type:
            fact = event_from_payload(event.type, parse_payload(event.payload))
            assert isinstance(fact, DecisionRecorded)
            out.append(StoredDecision(event.sequence, event.actor, event.recorded_at, fact))
    return out
