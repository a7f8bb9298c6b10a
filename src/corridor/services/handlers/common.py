"""What handlers share: events onto the operation's stream, stamped in operation time."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from corridor.domain.agreement import AgreementEvent, AgreementState, Decision, consequences, decide
from corridor.domain.agreement import Request as DealRequest
from corridor.domain.clock import format_instant
from corridor.domain.custody import CustodyEvent, Trip
from corridor.domain.custody_codec import event_type, to_payload
from corridor.domain.events import NewEvent
from corridor.domain.operation import operation_stream
from corridor.errors import InvalidInput, NotFound
from corridor.services.live import OperationRecord


def custody_events(
    operation: str, events: Iterable[CustodyEvent], at: datetime | None = None
) -> list[NewEvent]:
    """Custody events on the operation's stream; those that carry a time get `at`."""
    stream = operation_stream(operation)
    stamp = format_instant(at) if at is not None else ""
    out: list[NewEvent] = []
    for event in events:
        if stamp and any(f.name == "at" for f in dataclasses.fields(event)):
            event = dataclasses.replace(event, at=stamp)  # type: ignore[arg-type]
        out.append(NewEvent(stream, event_type(event), to_payload(event)))
    return out


def deal_events(operation: str, facts: Iterable[AgreementEvent]) -> list[NewEvent]:
    stream = operation_stream(operation)
    return [NewEvent(stream, e.type, e.payload()) for e in facts]


def deal_of(record: OperationRecord) -> AgreementState:
    if record.agreement is None:
        raise NotFound(f"operation {record.id!r} runs under no agreement")
    return record.agreement


def decided_on(
    state: AgreementState, request: DealRequest
) -> tuple[tuple[AgreementEvent, ...], Decision]:
    """The decision on `request` in `state` and the facts recording it (decision, then effect)."""
    decision = decide(state, request)
    return consequences(request, decision), decision


def trip_of(record: OperationRecord, trip: str) -> Trip:
    found = record.book.trips.get(trip)
    if found is None:
        raise NotFound(f"no trip {trip!r} in operation {record.id!r}; plan it first")
    return found


def movement_known(record: OperationRecord, movement: str) -> None:
    if movement not in record.movements:
        allowed = ", ".join(sorted(record.movements)) or "none"
        raise InvalidInput(
            f"movement: no movement {movement!r} in operation {record.id!r} (allowed: {allowed})"
        )
