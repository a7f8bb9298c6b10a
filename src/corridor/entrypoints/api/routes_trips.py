"""Trips through their lifecycle, headcounts and protection alerts (convoys: `routes_convoys`).

Each write is one custody command: the count and any alerts it raises are
appended together, or not at all.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from corridor.domain.agreement import CrossCheckpoint, DispatchTrip
from corridor.domain.custody import Basis, CustodyBook, CustodyEvent, TripStage, counts
from corridor.domain.custody_codec import event_type, to_payload
from corridor.domain.events import AppendResult, NewEvent
from corridor.domain.operation import operation_stream
from corridor.domain.suspension_halts import still_halted
from corridor.entrypoints.api.auth import Caller, Context, kept_json, shown
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.guard import idempotency_key
from corridor.entrypoints.api.models import (
    ID_PATTERN,
    AtSite,
    Boarding,
    Headcount,
    PlanTrip,
    Resolve,
    Stop,
    moment,
)
from corridor.entrypoints.api.routes_agreement import decided_events
from corridor.entrypoints.api.views import alert_view, command_view, trip_view
from corridor.errors import NotFound
from corridor.protection.access import Permission, Principal, sees_personal_data
from corridor.protection.redaction import REDACTED
from corridor.services.boarding import board_by_manifest
from corridor.services.live import OperationRecord

router = APIRouter(responses=ERROR_RESPONSES, tags=["trips"])

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
TripId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
AlertId = Annotated[str, Path(pattern=ID_PATTERN, max_length=120)]


def _run(
    ctx: Context,
    who: Principal,
    request: Request,
    operation: str,
    permission: Permission,
    step: Any,
) -> Any:
    who.require(permission, operation)
    result = ctx.live.custody(operation, step, who.actor, idempotency_key(request.state))
    return shown(who, command_view(result, who.role))


def _movement_known(record: OperationRecord, movement: str) -> None:
    if movement not in record.movements:
        raise NotFound(f"no movement {movement!r} in operation {record.id!r}")


def _trips_view(record: OperationRecord) -> list[dict[str, Any]]:
    return [trip_view(record, record.book.trips[t]) for t in sorted(record.book.trips)]


@router.get("/operations/{operation}/trips")
async def list_trips(operation: OperationId, who: Caller, ctx: Context) -> Any:
    who.require(Permission.READ, operation)
    return await kept_json(ctx, who, operation, "trips", _trips_view)


@router.get("/operations/{operation}/trips/{trip}")
def get_trip(operation: OperationId, trip: TripId, who: Caller, ctx: Context) -> Any:
    who.require(Permission.READ, operation)

    def view(record: OperationRecord) -> Any:
        found = record.book.trips.get(trip)
        if found is None:
            raise NotFound(f"no trip {trip!r} in operation {operation!r}")
        return trip_view(record, found)

    return shown(who, ctx.live.read(operation, view))


@router.post("/operations/{operation}/trips", status_code=201)
def plan_trip(
    operation: OperationId, body: PlanTrip, who: Caller, ctx: Context, request: Request
) -> Any:
    """Plan a trip of a movement on a vehicle, optionally in a convoy (coordinator)."""
    who.require(Permission.MANAGE, operation)

    def decide(record: OperationRecord) -> Any:
        if record.book.world is None:  # with a world, the book's door check names the field
            _movement_known(record, body.movement)
        events = record.book.plan(body.trip, body.movement, body.vehicle, body.convoy or "")
        return [NewEvent(operation_stream(operation), event_type(e), to_payload(e)) for e in events]

    result = ctx.live.command(operation, decide, who.actor, idempotency_key(request.state))
    return shown(who, command_view(result, who.role))


@router.post("/operations/{operation}/trips/{trip}/boarding", status_code=201)
def board(
    operation: OperationId,
    trip: TripId,
    body: Boarding,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    """The boarding count of a planned trip: counts by group, or a manifest of person ids.

    With a manifest each person's group comes from their vault record; the
    read is audited once for the whole manifest, and the ledger gets the ids
    and the counts by group, never a name.
    """
    key = idempotency_key(request.state)
    if body.manifest is not None:
        who.require(Permission.COUNT, operation)
        if ctx.personal is None:
            raise NotFound("this server was started without a vault key; board by counts instead")
        day = moment(body.at).date()
        result = board_by_manifest(
            ctx.live, ctx.personal, who, operation, trip, body.site, body.manifest, day, key
        )
        return shown(who, command_view(result, who.role))
    people = counts(body.counts or {})

    def step(book: CustodyBook) -> list[CustodyEvent]:
        planned = book.trips.get(trip)
        if planned is None:
            raise NotFound(f"no trip {trip!r} in operation {operation!r}; plan it first")
        return book.board(
            trip, planned.movement, planned.vehicle, body.site, people, Basis.COUNT, who.actor
        )

    return _run(ctx, who, request, operation, Permission.COUNT, step)


@router.post("/operations/{operation}/trips/{trip}/depart")
def depart(
    operation: OperationId, trip: TripId, body: AtSite, who: Caller, ctx: Context, request: Request
) -> Any:
    """Dispatch a boarded trip: the agreement engine decides, and the decision is recorded.

    A blocked dispatch is recorded with the clause that blocked it, and the
    trip stays boarding; the answer carries the decision either way. A halted
    trip departs again without a new dispatch, but not while the deal still
    halts its movement (409 naming the term).
    """
    who.require(Permission.MOVE, operation)

    def command(record: OperationRecord) -> list[NewEvent]:
        found = record.book.trips.get(trip)
        events: list[NewEvent] = []
        first = found is not None and found.stage is TripStage.BOARDING
        if record.agreement is not None and found is not None and not first:
            still_halted(record.agreement, found.movement)
        if record.agreement is not None and found is not None and first:
            load = tuple(sorted(found.on_board.items()))
            asked = DispatchTrip(found.movement, found.vehicle, moment(body.at), load)
            events, decision = decided_events(record, asked)
            if not decision["allowed"]:
                return events
        stream = operation_stream(operation)
        moved = record.book.depart(trip, body.site, who.actor)
        return events + [NewEvent(stream, event_type(e), to_payload(e)) for e in moved]

    result = ctx.live.command(operation, command, who.actor, idempotency_key(request.state))
    return shown(who, _with_decision(command_view(result, who.role), result))


@router.post("/operations/{operation}/trips/{trip}/headcounts", status_code=201)
def record_headcount(
    operation: OperationId,
    trip: TripId,
    body: Headcount,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    """A monitor's count at a checkpoint; any drop raises a protection alert.

    Under an agreement the count is also the vehicle's request to cross: the
    engine's decision is recorded with the count, and a blocked crossing is
    answered with `ok: false` and the clause (the count itself always stands).
    """
    who.require(Permission.COUNT, operation)

    def command(record: OperationRecord) -> list[NewEvent]:
        people = counts(body.counts)
        counted = record.book.record_headcount(trip, body.site, people, who.actor)
        stream = operation_stream(operation)
        events = [NewEvent(stream, event_type(e), to_payload(e)) for e in counted]
        found = record.book.trips[trip]
        if record.agreement is not None and found.stage is not TripStage.BOARDING:
            total = sum(n for _, n in people)
            asked = CrossCheckpoint(
                found.movement, found.vehicle, body.site, moment(body.at), total
            )
            decided, _ = decided_events(record, asked)
            events += decided
        return events

    result = ctx.live.command(operation, command, who.actor, idempotency_key(request.state))
    return shown(who, _with_decision(command_view(result, who.role), result))


def _with_decision(answer: dict[str, Any], result: AppendResult) -> dict[str, Any]:
    stored = [e.data()["decision"] for e in result.events if e.type == "decision-recorded"]
    if stored:
        answer["decision"] = stored[0]
        answer["ok"] = bool(stored[0]["allowed"])
    return answer


@router.post("/operations/{operation}/trips/{trip}/halt")
def halt(
    operation: OperationId, trip: TripId, body: Stop, who: Caller, ctx: Context, request: Request
) -> Any:
    return _run(
        ctx, who, request, operation, Permission.MOVE,
        lambda book: book.halt(trip, body.site, body.reason, who.actor),
    )  # fmt: skip


@router.post("/operations/{operation}/trips/{trip}/turn-back")
def turn_back(
    operation: OperationId, trip: TripId, body: Stop, who: Caller, ctx: Context, request: Request
) -> Any:
    return _run(
        ctx, who, request, operation, Permission.MOVE,
        lambda book: book.turn_back(trip, body.site, body.reason, who.actor),
    )  # fmt: skip


@router.post("/operations/{operation}/trips/{trip}/arrival", status_code=201)
def arrive(
    operation: OperationId,
    trip: TripId,
    body: Headcount,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    """The arrival count; drops raise alerts as at a checkpoint."""
    return _run(
        ctx, who, request, operation, Permission.COUNT,
        lambda book: book.arrive(trip, body.site, counts(body.counts), who.actor),
    )  # fmt: skip


@router.post("/operations/{operation}/trips/{trip}/close")
def close_trip(
    operation: OperationId, trip: TripId, who: Caller, ctx: Context, request: Request
) -> Any:
    """Close an arrived trip; refused while it has an unresolved protection alert."""
    return _run(
        ctx, who, request, operation, Permission.MOVE, lambda book: book.close(trip, who.actor)
    )


@router.get("/operations/{operation}/alerts", tags=["custody"])
def list_alerts(operation: OperationId, who: Caller, ctx: Context) -> Any:
    who.require(Permission.READ, operation)
    alerts = ctx.live.read(
        operation, lambda r: [alert_view(r.book.alerts[a]) for a in sorted(r.book.alerts)]
    )
    if not sees_personal_data(who.role):
        for alert in alerts:
            if "resolution" in alert:
                alert["resolution"]["explanation"] = REDACTED
    return shown(who, alerts)


@router.post("/operations/{operation}/alerts/{alert}/resolve", tags=["custody"])
def resolve_alert(
    operation: OperationId,
    alert: AlertId,
    body: Resolve,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    """Only a monitor resolves an alert, with a recorded explanation."""
    return _run(
        ctx, who, request, operation, Permission.COUNT,
        lambda book: book.resolve(
            alert, who.actor, body.outcome, body.explanation, body.transfer_trip or ""
        ),
    )  # fmt: skip
