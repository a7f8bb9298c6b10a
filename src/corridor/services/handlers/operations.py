"""Handlers of the operation itself: open it, set its clock, record a party's claim.

Opening records the operation, its scenario and movements, the clock it runs
on and, when the scenario has a deal, the agreement as written: one command,
all or nothing.
"""

from __future__ import annotations

from datetime import datetime

from corridor.domain.event_types import AGREEMENT_ADOPTED as ADOPTED_TYPE
from corridor.domain.events import NewEvent
from corridor.domain.figures import ClaimRecorded
from corridor.domain.operation import NoteRecorded, opening_events, operation_stream
from corridor.domain.operation_clock import ClockSet, OperationClock
from corridor.errors import InvalidInput
from corridor.services.bus import Call, Decided, Services, handles
from corridor.services.commands import OpenOperation, RecordClaim, RecordNote, SetClock
from corridor.services.handlers.common import movement_known
from corridor.services.live import OperationRecord

MAX_NOTE = 4_000


def clock_for(start: datetime | None, speed: float, wall: datetime) -> OperationClock:
    """A live clock, or an exercise clock reading `start` now."""
    if start is None:
        return OperationClock.live()
    try:
        return OperationClock.exercise(start, wall, speed)
    except ValueError as error:
        raise InvalidInput(f"clock: {error}") from None


def clock_event(operation: str, clock: OperationClock) -> NewEvent:
    return NewEvent.of(operation_stream(operation), ClockSet(operation, clock.payload()))


def opening(services: Services, command: OpenOperation, call: Call) -> Decided:
    operation = command.operation
    if not operation or "/" in operation:
        raise InvalidInput(f"operation: {operation!r} must be non-empty and contain no '/'")
    clock = clock_for(command.clock_start, command.clock_speed, call.wall)
    found = services.openings.opening(command.scenario)
    scenario = found.scenario
    events = opening_events(operation, command.name or scenario.name, scenario, found.digest)
    events.append(clock_event(operation, clock))
    if found.adoption is not None:
        adoption = {"operation": operation, **found.adoption}
        events.append(NewEvent(operation_stream(operation), ADOPTED_TYPE, adoption))
    return Decided(events, {"clock": clock.payload(), "agreed": found.adoption is not None})


@handles(SetClock)
def set_clock(record: OperationRecord, command: SetClock, call: Call) -> Decided:
    clock = clock_for(command.start, command.speed, call.wall)
    return Decided([clock_event(record.id, clock)], {"clock": clock.payload()})


@handles(RecordClaim)
def record_claim(record: OperationRecord, command: RecordClaim, call: Call) -> Decided:
    """A figure someone else stated, with its source and time, beside the ledger's."""
    movement_known(record, command.movement)
    payload = {
        "movement": command.movement,
        "figure": str(command.figure),
        "value": command.value,
        "claimant": str(command.claimant),
        "by": command.by,
        "source": command.source,
        "stated_at": command.stated_at.isoformat(),
    }
    return Decided([NewEvent(operation_stream(record.id), ClaimRecorded.TYPE, payload)])


@handles(RecordNote)
def record_note(record: OperationRecord, command: RecordNote, call: Call) -> Decided:
    if not command.text.strip() or len(command.text) > MAX_NOTE:
        raise InvalidInput(f"text: a note must have 1 to {MAX_NOTE} characters")
    fact = NoteRecorded(operation=record.id, text=command.text)
    return Decided([NewEvent.of(operation_stream(record.id), fact)])
