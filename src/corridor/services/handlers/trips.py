"""Handlers of a trip's lifecycle: plan, board, depart, count, arrive, halt, turn back, close.

Each is one ledger command: the custody events (and any protection alerts a
count raises) together with the deal's decision when the deal is asked (a
first departure is a dispatch, a count at a checkpoint is the request to
cross). A blocked dispatch records the decision alone and the trip stays
boarding; a blocked crossing records the count (it was taken) and the
decision, and the outcome is a refusal either way.
"""

from __future__ import annotations

from corridor.domain.agreement import CrossCheckpoint, DispatchTrip
from corridor.domain.custody import Basis, TripStage
from corridor.domain.suspension_halts import still_halted
from corridor.services.bus import Call, Decided, handles
from corridor.services.commands import (
    ArriveTrip,
    BoardFromManifest,
    BoardTrip,
    CloseTrip,
    CountTrip,
    DepartTrip,
    HaltTrip,
    PlanTrip,
    ResolveAlert,
    TurnBackTrip,
)
from corridor.services.handlers.common import (
    custody_events,
    deal_events,
    decided_on,
    movement_known,
    trip_of,
)
from corridor.services.live import OperationRecord


@handles(PlanTrip)
def plan_trip(record: OperationRecord, command: PlanTrip, call: Call) -> Decided:
    if record.book.world is None:  # with a world, the book's door check names the field
        movement_known(record, command.movement)
    planned = record.book.plan(command.trip, command.movement, command.vehicle, command.convoy)
    return Decided(custody_events(record.id, planned))


@handles(BoardTrip)
def board_trip(record: OperationRecord, command: BoardTrip, call: Call) -> Decided:
    planned = trip_of(record, command.trip)
    boarded = record.book.board(
        command.trip, planned.movement, planned.vehicle, command.site, command.counts,
        Basis.COUNT, call.actor,
    )  # fmt: skip
    return Decided(custody_events(record.id, boarded, call.at(record, command.at)))


@handles(BoardFromManifest)
def board_from_manifest(record: OperationRecord, command: BoardFromManifest, call: Call) -> Decided:
    planned = trip_of(record, command.trip)
    boarded = record.book.board(
        command.trip, planned.movement, planned.vehicle, command.site, command.counts,
        Basis.MANIFEST, call.actor, command.manifest,
    )  # fmt: skip
    return Decided(custody_events(record.id, boarded, call.at(record, command.at)))


@handles(DepartTrip)
def depart_trip(record: OperationRecord, command: DepartTrip, call: Call) -> Decided:
    found = trip_of(record, command.trip)
    at = call.at(record, command.at)
    events = []
    if record.agreement is not None and found.stage is TripStage.BOARDING:
        load = tuple(sorted(found.on_board.items()))
        asked = DispatchTrip(found.movement, found.vehicle, at, load)
        facts, decision = decided_on(record.agreement, asked)
        events = deal_events(record.id, facts)
        if not decision.allowed:
            return Decided(events)
    elif record.agreement is not None:
        still_halted(record.agreement, found.movement)
    moved = record.book.depart(command.trip, command.site, call.actor)
    return Decided(events + custody_events(record.id, moved, at))


@handles(CountTrip)
def count_trip(record: OperationRecord, command: CountTrip, call: Call) -> Decided:
    at = call.at(record, command.at)
    counted = record.book.record_headcount(command.trip, command.site, command.counts, call.actor)
    events = custody_events(record.id, counted, at)
    found = record.book.trips[command.trip]
    if record.agreement is not None and found.stage is not TripStage.BOARDING:
        total = sum(n for _, n in command.counts)
        asked = CrossCheckpoint(found.movement, found.vehicle, command.site, at, total)
        facts, _ = decided_on(record.agreement, asked)
        events += deal_events(record.id, facts)
    return Decided(events)


@handles(ArriveTrip)
def arrive_trip(record: OperationRecord, command: ArriveTrip, call: Call) -> Decided:
    arrived = record.book.arrive(command.trip, command.site, command.counts, call.actor)
    return Decided(custody_events(record.id, arrived, call.at(record, command.at)))


@handles(HaltTrip)
def halt_trip(record: OperationRecord, command: HaltTrip, call: Call) -> Decided:
    halted = record.book.halt(command.trip, command.site, command.reason, call.actor)
    return Decided(custody_events(record.id, halted, call.at(record, command.at)))


@handles(TurnBackTrip)
def turn_back_trip(record: OperationRecord, command: TurnBackTrip, call: Call) -> Decided:
    turned = record.book.turn_back(command.trip, command.site, command.reason, call.actor)
    return Decided(custody_events(record.id, turned, call.at(record, command.at)))


@handles(CloseTrip)
def close_trip(record: OperationRecord, command: CloseTrip, call: Call) -> Decided:
    closed = record.book.close(command.trip, call.actor)
    return Decided(custody_events(record.id, closed, call.at(record, command.at)))


@handles(ResolveAlert)
def resolve_alert(record: OperationRecord, command: ResolveAlert, call: Call) -> Decided:
    """Only a monitor resolves an alert (the interface checks the role), with an explanation."""
    resolved = record.book.resolve(
        command.alert, call.actor, command.outcome, command.explanation, command.transfer_trip
    )
    return Decided(custody_events(record.id, resolved))
