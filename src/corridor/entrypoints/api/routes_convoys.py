"""Convoys: trips that move together, each action one ledger command for all of them.

Every convoy action runs on all of the convoy's trips at once
(`corridor.services.handlers.convoys`): if any trip refuses, nothing is
appended and the 409 names the trip and why; if the deal blocks the
departure of any trip, the blocking decisions are recorded and answered 409.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from corridor.domain.convoys import convoy_stage, convoy_trips
from corridor.domain.custody import Counts, counts
from corridor.entrypoints.api.answers import answered
from corridor.entrypoints.api.auth import Caller, Context, shown
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.models import ID_PATTERN, AtSite, ConvoyCount, Stop, given
from corridor.entrypoints.api.routes_trips import run
from corridor.protection.access import Permission
from corridor.services import commands
from corridor.services.handlers.convoys import known
from corridor.services.live import OperationRecord
from corridor.services.views import alert_view, trip_view

router = APIRouter(responses=ERROR_RESPONSES, tags=["convoys"])

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
ConvoyId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]


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
        known(record.book, operation, convoy)
        trips = convoy_trips(record.book, convoy)
        alerts = [a for t in trips for a in record.book.open_alerts_of(t)]
        return {
            "convoy": convoy,
            "stage": str(convoy_stage([t.stage for t in trips])),
            "trips": [trip_view(record, t) for t in trips],
            "open_alerts": [alert_view(record.book.alerts[a]) for a in sorted(alerts)],
        }

    return shown(who, ctx.live.read(operation, view))


def _per_trip(body: ConvoyCount) -> tuple[tuple[str, Counts], ...]:
    return tuple(sorted((trip, counts(c)) for trip, c in body.counts.items()))


@router.post("/operations/{operation}/convoys/{convoy}/depart")
def depart(
    operation: OperationId,
    convoy: ConvoyId,
    body: AtSite,
    who: Caller,
    ctx: Context,
    request: Request,
) -> JSONResponse:
    """Dispatch every trip of the convoy, or none (409 with the blocking decisions)."""
    command = commands.DepartConvoy(operation, convoy, body.site, given(body.at))
    return answered(who, run(ctx, who, request, Permission.MOVE, command))


@router.post("/operations/{operation}/convoys/{convoy}/headcounts", status_code=201)
def record_headcounts(
    operation: OperationId,
    convoy: ConvoyId,
    body: ConvoyCount,
    who: Caller,
    ctx: Context,
    request: Request,
) -> JSONResponse:
    """A monitor's count of every trip of the convoy at one checkpoint, in one command.

    Every trip on the road must be counted; each drop raises its own alert.
    Under an agreement each count is also that vehicle's request to cross.
    """
    command = commands.CountConvoy(operation, convoy, body.site, _per_trip(body), given(body.at))
    return answered(who, run(ctx, who, request, Permission.COUNT, command), 201)


@router.post("/operations/{operation}/convoys/{convoy}/arrival", status_code=201)
def arrive(
    operation: OperationId,
    convoy: ConvoyId,
    body: ConvoyCount,
    who: Caller,
    ctx: Context,
    request: Request,
) -> JSONResponse:
    """The arrival count of every trip of the convoy; drops raise alerts as at a checkpoint."""
    command = commands.ArriveConvoy(operation, convoy, body.site, _per_trip(body), given(body.at))
    return answered(who, run(ctx, who, request, Permission.COUNT, command), 201)


@router.post("/operations/{operation}/convoys/{convoy}/halt")
def halt(
    operation: OperationId,
    convoy: ConvoyId,
    body: Stop,
    who: Caller,
    ctx: Context,
    request: Request,
) -> JSONResponse:
    """Halt every trip of the convoy on the road."""
    command = commands.HaltConvoy(operation, convoy, body.site, body.reason, given(body.at))
    return answered(who, run(ctx, who, request, Permission.MOVE, command))


@router.post("/operations/{operation}/convoys/{convoy}/turn-back")
def turn_back(
    operation: OperationId,
    convoy: ConvoyId,
    body: Stop,
    who: Caller,
    ctx: Context,
    request: Request,
) -> JSONResponse:
    """Turn every trip of the convoy back; their people wait again once they return."""
    command = commands.TurnBackConvoy(operation, convoy, body.site, body.reason, given(body.at))
    return answered(who, run(ctx, who, request, Permission.MOVE, command))


@router.post("/operations/{operation}/convoys/{convoy}/close")
def close(
    operation: OperationId, convoy: ConvoyId, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    """Close every trip of the convoy; refused while any has not arrived or has an open alert."""
    command = commands.CloseConvoy(operation, convoy)
    return answered(who, run(ctx, who, request, Permission.MOVE, command))
