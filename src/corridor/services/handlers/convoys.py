"""Handlers of convoy actions: every action on all of a convoy's trips, or on none.

A convoy's departure asks the deal for each trip still boarding, in trip
order and each in the light of the ones before; if the deal blocks any of
them the convoy stays and only the blocking decisions are recorded. A halted
trip departs again only when the deal no longer halts its movement. Counts
at a checkpoint are, trip by trip, the request to cross.
"""

from __future__ import annotations

from corridor.domain.agreement import AgreementEvent, CrossCheckpoint, DispatchTrip
from corridor.domain.convoys import (
    close_convoy,
    convoy_trips,
    count_convoy,
    depart_convoy,
    halt_convoy,
    turn_back_convoy,
)
from corridor.domain.custody import CustodyBook, CustodyRefused, TripStage
from corridor.domain.suspension_halts import still_halted
from corridor.errors import NotFound
from corridor.services.bus import Call, Decided, handles
from corridor.services.commands import (
    ArriveConvoy,
    CloseConvoy,
    CountConvoy,
    DepartConvoy,
    HaltConvoy,
    TurnBackConvoy,
)
from corridor.services.handlers.common import custody_events, deal_events, decided_on
from corridor.services.live import OperationRecord


def known(book: CustodyBook, operation: str, convoy: str) -> None:
    if not convoy_trips(book, convoy):
        raise NotFound(f"no convoy {convoy!r} in operation {operation!r}")


@handles(DepartConvoy)
def depart(record: OperationRecord, command: DepartConvoy, call: Call) -> Decided:
    known(record.book, record.id, command.convoy)
    at = call.at(record, command.at)
    waiting = [
        (t.id, t.movement, t.vehicle, t.stage, tuple(sorted(t.on_board.items())))
        for t in convoy_trips(record.book, command.convoy)
    ]
    moved = depart_convoy(record.book, command.convoy, command.site, call.actor)
    state = record.agreement
    if state is None:
        return Decided(custody_events(record.id, moved, at))
    allowed: list[AgreementEvent] = []
    blocked: list[AgreementEvent] = []
    for trip, movement, vehicle, stage, load in waiting:
        if stage is TripStage.HALTED:
            try:
                still_halted(state, movement)
            except CustodyRefused as refused:
                raise CustodyRefused(f"convoy {command.convoy}: trip {trip}: {refused}") from None
        elif stage is TripStage.BOARDING:
            facts, decision = decided_on(state, DispatchTrip(movement, vehicle, at, load))
            if decision.allowed:
                state = state.fold(facts)
                allowed += facts
            else:
                blocked += facts
    if blocked:
        return Decided(deal_events(record.id, blocked))
    return Decided(deal_events(record.id, allowed) + custody_events(record.id, moved, at))


def _count(record: OperationRecord, command: CountConvoy | ArriveConvoy, call: Call) -> Decided:
    known(record.book, record.id, command.convoy)
    at = call.at(record, command.at)
    people = dict(command.counts)
    arrival = isinstance(command, ArriveConvoy)
    counted = count_convoy(record.book, command.convoy, command.site, people, call.actor, arrival)
    events = custody_events(record.id, counted, at)
    state = record.agreement
    if arrival or state is None:
        return Decided(events)
    for trip in sorted(people):
        found = record.book.trips[trip]
        if found.stage is TripStage.BOARDING:
            continue
        total = sum(n for _, n in people[trip])
        asked = CrossCheckpoint(found.movement, found.vehicle, command.site, at, total)
        facts, _ = decided_on(state, asked)
        state = state.fold(facts)
        events += deal_events(record.id, facts)
    return Decided(events)


@handles(CountConvoy)
def count(record: OperationRecord, command: CountConvoy, call: Call) -> Decided:
    return _count(record, command, call)


@handles(ArriveConvoy)
def arrive(record: OperationRecord, command: ArriveConvoy, call: Call) -> Decided:
    return _count(record, command, call)


@handles(HaltConvoy)
def halt(record: OperationRecord, command: HaltConvoy, call: Call) -> Decided:
    known(record.book, record.id, command.convoy)
    halted = halt_convoy(record.book, command.convoy, command.site, command.reason, call.actor)
    return Decided(custody_events(record.id, halted, call.at(record, command.at)))


@handles(TurnBackConvoy)
def turn_back(record: OperationRecord, command: TurnBackConvoy, call: Call) -> Decided:
    known(record.book, record.id, command.convoy)
    turned = turn_back_convoy(record.book, command.convoy, command.site, command.reason, call.actor)
    return Decided(custody_events(record.id, turned, call.at(record, command.at)))


@handles(CloseConvoy)
def close(record: OperationRecord, command: CloseConvoy, call: Call) -> Decided:
    known(record.book, record.id, command.convoy)
    closed = close_convoy(record.book, command.convoy, call.actor)
    return Decided(custody_events(record.id, closed, call.at(record, command.at)))
