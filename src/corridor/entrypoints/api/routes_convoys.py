"""Convoys: trips that move together, each action one ledger command for all of them.

Every convoy action runs on all of the convoy's trips at once: if any trip
refuses, nothing is appended and the 409 names the trip and why. A convoy's
departure asks the agreement engine for each trip that has not yet left, as
a single trip's departure does, in trip order and each in the light of the
ones before; if the deal blocks any of them the convoy stays, and only the
blocking decisions are recorded and answered.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from corridor.domain.agreement import AgreementEvent, CrossCheckpoint, DispatchTrip
from corridor.domain.convoys import (
    close_convoy,
    convoy_stage,
    convoy_trips,
    count_convoy,
    depart_convoy,
    halt_convoy,
    turn_back_convoy,
)
from corridor.domain.custody import CustodyBook, CustodyEvent, CustodyRefused, TripStage, counts
from corridor.domain.custody_codec import event_type, to_payload
from corridor.domain.events import AppendResult, NewEvent
from corridor.domain.operation import operation_stream
from corridor.domain.suspension_halts import still_halted
from corridor.entrypoints.api.auth import Caller, Context, shown
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.guard import idempotency_key
from corridor.entrypoints.api.models import ID_PATTERN, AtSite, ConvoyCount, Stop, moment
from corridor.entrypoints.api.routes_agreement import as_new_events, decided_on
from corridor.entrypoints.api.views import alert_view, command_view, trip_view
from corridor.errors import NotFound
from corridor.protection.access import Permission
from corridor.services.live import OperationRecord

router = APIRouter(responses=ERROR_RESPONSES, tags=["convoys"])

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
ConvoyId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]


def _known(book: CustodyBook, operation: str, convoy: str) -> None:
    if not convoy_trips(book, convoy):
        raise NotFound(f"no convoy {convoy!r} in operation {operation!r}")


def _custody(operation: str, events: list[CustodyEvent]) -> list[NewEvent]:
    stream = operation_stream(operation)
    return [NewEvent(stream, event_type(e), to_payload(e)) for e in events]


def _with_decisions(answer: dict[str, Any], result: AppendResult) -> dict[str, Any]:
    decided = [e.data() for e in result.events if e.type == "decision-recorded"]
    if decided:
        answer["decisions"] = [
            {"request": d["request"], "decision": d["decision"]} for d in decided
        ]
        answer["ok"] = all(d["decision"]["allowed"] for d in decided)
    return answer


@router.get("/operations/{operation}/convoys")
def list_convoys(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """Trips grouped by the convoy they move in, with each convoy's stage."""
    who.require(Permission.READ, operation)

    def view(record: OperationRecord) -> Any:
        names = sorted({t.convoy for t in record.book.trips.values() if t.convoy})
        listed = []
        for name in names:
            trips = convoy_trips(record.book, name)
            listed.append(
                {
                    "convoy": name,
                    "trips": [t.id for t in trips],
                    "stages": sorted({str(t.stage) for t in trips}),
                    "stage": str(convoy_stage([t.stage for t in trips])),
                }
            )
        return listed

    return shown(who, ctx.live.read(operation, view))


@router.get("/operations/{operation}/convoys/{convoy}")
def get_convoy(operation: OperationId, convoy: ConvoyId, who: Caller, ctx: Context) -> Any:
    """A convoy's trips and their stages, its overall stage, and its open alerts."""
    who.require(Permission.READ, operation)

    def view(record: OperationRecord) -> Any:
        _known(record.book, operation, convoy)
        trips = convoy_trips(record.book, convoy)
        alerts = [a for t in trips for a in record.book.open_alerts_of(t)]
        return {
            "convoy": convoy,
            "stage": str(convoy_stage([t.stage for t in trips])),
            "trips": [trip_view(record, t) for t in trips],
            "open_alerts": [alert_view(record.book.alerts[a]) for a in sorted(alerts)],
        }

    return shown(who, ctx.live.read(operation, view))


@router.post("/operations/{operation}/convoys/{convoy}/depart")
def depart(
    operation: OperationId,
    convoy: ConvoyId,
    body: AtSite,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    """Dispatch every trip of the convoy, or none.

    Each trip still boarding is a dispatch the agreement engine decides, as
    for a single trip; a halted trip departs again only when the deal no
    longer halts its movement. If the deal blocks any trip, the convoy
    stays, the blocking decisions are recorded, and the answer has
    `ok: false` with them.
    """
    who.require(Permission.MOVE, operation)
    at = moment(body.at)

    def command(record: OperationRecord) -> list[NewEvent]:
        _known(record.book, operation, convoy)
        waiting = [
            (t.id, t.movement, t.vehicle, t.stage, tuple(sorted(t.on_board.items())))
            for t in convoy_trips(record.book, convoy)
        ]
        moved = depart_convoy(record.book, convoy, body.site, who.actor)
        state = record.agreement
        if state is None:
            return _custody(operation, moved)
        allowed: list[AgreementEvent] = []
        blocked: list[AgreementEvent] = []
        for trip, movement, vehicle, stage, load in waiting:
            if stage is TripStage.HALTED:
                try:
                    still_halted(state, movement)
                except CustodyRefused as refused:
                    raise CustodyRefused(f"convoy {convoy}: trip {trip}: {refused}") from None
            elif stage is TripStage.BOARDING:
                facts, decision = decided_on(state, DispatchTrip(movement, vehicle, at, load))
                if decision.allowed:
                    state = state.fold(facts)
                    allowed += facts
                else:
                    blocked += facts
        if blocked:
            return as_new_events(operation, blocked)
        return as_new_events(operation, allowed) + _custody(operation, moved)

    result = ctx.live.command(operation, command, who.actor, idempotency_key(request.state))
    return shown(who, _with_decisions(command_view(result, who.role), result))


def _count(
    operation: str,
    convoy: str,
    body: ConvoyCount,
    who: Caller,
    ctx: Context,
    request: Request,
    arrival: bool,
) -> Any:
    who.require(Permission.COUNT, operation)
    people = {trip: counts(c) for trip, c in body.counts.items()}
    at = moment(body.at)

    def command(record: OperationRecord) -> list[NewEvent]:
        _known(record.book, operation, convoy)
        counted = count_convoy(record.book, convoy, body.site, people, who.actor, arrival)
        events = _custody(operation, counted)
        state = record.agreement
        if arrival or state is None:
            return events
        for trip in sorted(people):
            found = record.book.trips[trip]
            if found.stage is TripStage.BOARDING:
                continue
            total = sum(n for _, n in people[trip])
            asked = CrossCheckpoint(found.movement, found.vehicle, body.site, at, total)
            facts, _ = decided_on(state, asked)
            state = state.fold(facts)
            events += as_new_events(operation, facts)
        return events

    result = ctx.live.command(operation, command, who.actor, idempotency_key(request.state))
    return shown(who, _with_decisions(command_view(result, who.role), result))


@router.post("/operations/{operation}/convoys/{convoy}/headcounts", status_code=201)
def record_headcounts(
    operation: OperationId,
    convoy: ConvoyId,
    body: ConvoyCount,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    """A monitor's count of every trip of the convoy at one checkpoint, in one command.

    Every trip on the road must be counted; each drop raises its own alert.
    Under an agreement each count is also that vehicle's request to cross.
    """
    return _count(operation, convoy, body, who, ctx, request, arrival=False)


@router.post("/operations/{operation}/convoys/{convoy}/arrival", status_code=201)
def arrive(
    operation: OperationId,
    convoy: ConvoyId,
    body: ConvoyCount,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    """The arrival count of every trip of the convoy; drops raise alerts as at a checkpoint."""
    return _count(operation, convoy, body, who, ctx, request, arrival=True)


def _move(
    operation: str, convoy: str, who: Caller, ctx: Context, request: Request, step: Any
) -> Any:
    who.require(Permission.MOVE, operation)

    def run(book: CustodyBook) -> list[CustodyEvent]:
        _known(book, operation, convoy)
        events: list[CustodyEvent] = step(book)
        return events

    result = ctx.live.custody(operation, run, who.actor, idempotency_key(request.state))
    return shown(who, command_view(result, who.role))


@router.post("/operations/{operation}/convoys/{convoy}/halt")
def halt(
    operation: OperationId,
    convoy: ConvoyId,
    body: Stop,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    """Halt every trip of the convoy on the road."""
    return _move(
        operation, convoy, who, ctx, request,
        lambda book: halt_convoy(book, convoy, body.site, body.reason, who.actor),
    )  # fmt: skip


@router.post("/operations/{operation}/convoys/{convoy}/turn-back")
def turn_back(
    operation: OperationId,
    convoy: ConvoyId,
    body: Stop,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    """Turn every trip of the convoy back; their people wait again once they return."""
    return _move(
        operation, convoy, who, ctx, request,
        lambda book: turn_back_convoy(book, convoy, body.site, body.reason, who.actor),
    )  # fmt: skip


@router.post("/operations/{operation}/convoys/{convoy}/close")
def close(
    operation: OperationId, convoy: ConvoyId, who: Caller, ctx: Context, request: Request
) -> Any:
    """Close every trip of the convoy; refused while any has not arrived or has an open alert."""
    return _move(
        operation, convoy, who, ctx, request, lambda book: close_convoy(book, convoy, who.actor)
    )
