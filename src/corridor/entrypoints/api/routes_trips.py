"""Trips through their lifecycle, headcounts and protection alerts (convoys: `routes_convoys`).

Each route parses, checks the caller's permission, hands one command to its
handler (`corridor.services.handlers.trips`) and renders the outcome.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from corridor.domain.custody import counts
from corridor.entrypoints.api.answers import answered
from corridor.entrypoints.api.auth import Caller, Context, kept_json, shown
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.guard import first_arrival, idempotency_key
from corridor.entrypoints.api.models import (
    ID_PATTERN,
    AtSite,
    Boarding,
    Headcount,
    PlanTrip,
    Resolve,
    Stop,
    given,
)
from corridor.errors import NotFound
from corridor.protection.access import Permission, Principal, sees_personal_data
from corridor.protection.redaction import REDACTED
from corridor.services import commands
from corridor.services.boarding import board_by_manifest
from corridor.services.bus import Outcome, handle
from corridor.services.live import OperationRecord
from corridor.services.views import alert_view, trip_view

router = APIRouter(responses=ERROR_RESPONSES, tags=["trips"])

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
TripId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
AlertId = Annotated[str, Path(pattern=ID_PATTERN, max_length=120)]


def run(
    ctx: Context, who: Principal, request: Request, permission: Permission, command: Any
) -> Outcome:
    """Check the caller may, then hand the command to its handler."""
    who.require(permission, command.operation)
    state = request.state
    return handle(ctx.services, command, who.actor, idempotency_key(state), first_arrival(state))


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
) -> JSONResponse:
    """Plan a trip of a movement on a vehicle of the fleet, optionally in a convoy."""
    command = commands.PlanTrip(
        operation, body.trip, body.movement, body.vehicle, body.convoy or ""
    )
    return answered(who, run(ctx, who, request, Permission.MANAGE, command), 201)


@router.post("/operations/{operation}/trips/{trip}/boarding", status_code=201)
def board(
    operation: OperationId,
    trip: TripId,
    body: Boarding,
    who: Caller,
    ctx: Context,
    request: Request,
) -> JSONResponse:
    """The boarding count of a planned trip: counts by group, or a manifest of person ids.

    With a manifest each person's group comes from their vault record; the
    read is audited once for the whole manifest, and the ledger gets the ids
    and the counts by group, never a name.
    """
    if body.manifest is not None:
        who.require(Permission.BOARD_MANIFEST, operation)
        if ctx.personal is None:
            raise NotFound("this server was started without a vault key; board by counts instead")
        outcome = board_by_manifest(
            ctx.services, ctx.personal, who, operation, trip, body.site, body.manifest,
            given(body.at), idempotency_key(request.state),
        )  # fmt: skip
        return answered(who, outcome, 201)
    command = commands.BoardTrip(
        operation, trip, body.site, counts(body.counts or {}), given(body.at)
    )
    return answered(who, run(ctx, who, request, Permission.COUNT, command), 201)


@router.post("/operations/{operation}/trips/{trip}/depart")
def depart(
    operation: OperationId, trip: TripId, body: AtSite, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    """Dispatch a boarded trip: the deal decides, and the decision is recorded.

    A blocked dispatch is recorded with the clause that blocked it and
    answered 409 with the decision; the trip stays boarding. A halted trip
    departs again without a new dispatch, but not while the deal still halts
    its movement (409 naming the term).
    """
    command = commands.DepartTrip(operation, trip, body.site, given(body.at))
    return answered(who, run(ctx, who, request, Permission.MOVE, command))


@router.post("/operations/{operation}/trips/{trip}/headcounts", status_code=201)
def record_headcount(
    operation: OperationId,
    trip: TripId,
    body: Headcount,
    who: Caller,
    ctx: Context,
    request: Request,
) -> JSONResponse:
    """A monitor's count at a checkpoint; any drop raises a protection alert.

    Under an agreement the count is also the vehicle's request to cross: the
    decision is recorded with the count, and a blocked crossing is answered
    409 with the clause (the count itself stands: it was taken).
    """
    command = commands.CountTrip(operation, trip, body.site, counts(body.counts), given(body.at))
    return answered(who, run(ctx, who, request, Permission.COUNT, command), 201)


@router.post("/operations/{operation}/trips/{trip}/halt")
def halt(
    operation: OperationId, trip: TripId, body: Stop, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    command = commands.HaltTrip(operation, trip, body.site, body.reason, given(body.at))
    return answered(who, run(ctx, who, request, Permission.MOVE, command))


@router.post("/operations/{operation}/trips/{trip}/turn-back")
def turn_back(
    operation: OperationId, trip: TripId, body: Stop, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    command = commands.TurnBackTrip(operation, trip, body.site, body.reason, given(body.at))
    return answered(who, run(ctx, who, request, Permission.MOVE, command))


@router.post("/operations/{operation}/trips/{trip}/arrival", status_code=201)
def arrive(
    operation: OperationId,
    trip: TripId,
    body: Headcount,
    who: Caller,
    ctx: Context,
    request: Request,
) -> JSONResponse:
    """The arrival count; drops raise alerts as at a checkpoint."""
    command = commands.ArriveTrip(operation, trip, body.site, counts(body.counts), given(body.at))
    return answered(who, run(ctx, who, request, Permission.COUNT, command), 201)


@router.post("/operations/{operation}/trips/{trip}/close")
def close_trip(
    operation: OperationId, trip: TripId, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    """Close an arrived trip; refused while it has an unresolved protection alert."""
    command = commands.CloseTrip(operation, trip)
    return answered(who, run(ctx, who, request, Permission.MOVE, command))


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
) -> JSONResponse:
    """Only a monitor resolves an alert, with a recorded explanation."""
    command = commands.ResolveAlert(
        operation, alert, body.outcome, body.explanation, body.transfer_trip or ""
    )
    return answered(who, run(ctx, who, request, Permission.COUNT, command))
