"""Operations: open one, list those a token may see, its summary, clock, custody balance,
figures, claims and incidents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from corridor.entrypoints.api.answers import answered
from corridor.entrypoints.api.auth import Caller, Context, kept_json, shown
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.models import (
    ID_PATTERN,
    CheckIncident,
    Claim,
    ClockChange,
    OpenOperation,
    ReportIncident,
    given,
)
from corridor.entrypoints.api.routes_trips import run
from corridor.protection.access import Permission
from corridor.services import commands
from corridor.services.views import figures_view, summary_view, tally_view

router = APIRouter(responses=ERROR_RESPONSES)

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
IncidentId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]


@router.post("/operations", status_code=201, tags=["operations"])
def open_operation(
    body: OpenOperation, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    """Open an operation on a bundled scenario (coordinator), live or as an exercise."""
    clock = body.clock
    command = commands.OpenOperation(
        body.id,
        body.scenario,
        body.name,
        given(clock.start) if clock is not None else None,
        clock.speed if clock is not None else 1.0,
    )
    return answered(who, run(ctx, who, request, Permission.MANAGE, command), 201)


@router.get("/operations", tags=["operations"])
def list_operations(who: Caller, ctx: Context) -> Any:
    """The operations this token may see (a token is scoped to one operation)."""
    visible = [who.operation] if who.operation and ctx.live.known(who.operation) else []
    return shown(who, [ctx.live.read(op, summary_view) for op in visible])


@router.get("/operations/{operation}", tags=["operations"])
async def operation_summary(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """Trips by stage, people by where they are, open alerts, incidents, the clock."""
    who.require(Permission.READ, operation)
    return await kept_json(ctx, who, operation, "summary", summary_view)


@router.get("/operations/{operation}/clock", tags=["operations"])
def operation_clock(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """The clock in force and what time it is now in the operation."""
    who.require(Permission.READ, operation)
    return shown(who, ctx.live.read(operation, ctx.services.clock_view))


@router.put("/operations/{operation}/clock", tags=["operations"])
def set_clock(
    operation: OperationId, body: ClockChange, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    """Run the operation live, or as an exercise from a start instant at a speed (coordinator)."""
    command = commands.SetClock(operation, given(body.start), body.speed)
    return answered(who, run(ctx, who, request, Permission.MANAGE, command))


@router.get("/operations/{operation}/custody", tags=["custody"])
def custody_balance(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """Per movement and group: registered = waiting + in transit + arrived + exits."""
    who.require(Permission.READ, operation)
    tallies = ctx.live.read(operation, lambda r: [tally_view(t) for t in r.book.tallies()])
    return shown(who, {"balanced": all(t["balanced"] for t in tallies), "tallies": tallies})


@router.get("/operations/{operation}/figures", tags=["figures"])
def figures(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """The ledger's counts beside every claim by a party, guarantor or agency."""
    who.require(Permission.READ, operation)
    return shown(who, ctx.live.read(operation, figures_view))


@router.post("/operations/{operation}/claims", status_code=201, tags=["figures"])
def record_claim(
    operation: OperationId, body: Claim, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    """Record a figure someone else stated, with its source and time."""
    command = commands.RecordClaim(
        operation, body.movement, body.figure, body.value, body.claimant, body.by, body.source,
        body.stated_at,
    )  # fmt: skip
    return answered(who, run(ctx, who, request, Permission.RECORD_CLAIM, command), 201)


@router.get("/operations/{operation}/incidents", tags=["incidents"])
def incidents(operation: OperationId, who: Caller, ctx: Context) -> Any:
    who.require(Permission.READ, operation)
    return shown(
        who, ctx.live.read(operation, lambda r: [r.incidents[k] for k in sorted(r.incidents)])
    )


@router.post("/operations/{operation}/incidents", status_code=201, tags=["incidents"])
def report_incident(
    operation: OperationId, body: ReportIncident, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    """Report a violation or event on a corridor; it halts nothing until verified."""
    command = commands.ReportIncident(
        operation, body.kind, body.severity, body.corridor, body.site, who.actor, body.note,
        at=given(body.at),
    )  # fmt: skip
    return answered(who, run(ctx, who, request, Permission.REPORT_INCIDENT, command), 201)


def _check(
    operation: str,
    incident: str,
    verified: bool,
    body: CheckIncident | None,
    who: Caller,
    ctx: Context,
    request: Request,
) -> JSONResponse:
    monitor = body.organisation if body is not None and body.organisation else who.actor
    at = given(body.at) if body is not None else None
    command = commands.VerifyIncident(operation, incident, monitor, verified, at)
    return answered(who, run(ctx, who, request, Permission.VERIFY_INCIDENT, command))


@router.post("/operations/{operation}/incidents/{incident}/verify", tags=["incidents"])
def verify_incident(
    operation: OperationId,
    incident: IncidentId,
    who: Caller,
    ctx: Context,
    request: Request,
    body: CheckIncident | None = None,
) -> JSONResponse:
    """A monitor verifies a reported incident; suspension terms it matches now halt.

    Every trip on the road (departed or at a checkpoint) of a movement the
    deal now suspends is halted in the same ledger command; `halted` lists them.
    """
    return _check(operation, incident, True, body, who, ctx, request)


@router.post("/operations/{operation}/incidents/{incident}/refute", tags=["incidents"])
def refute_incident(
    operation: OperationId,
    incident: IncidentId,
    who: Caller,
    ctx: Context,
    request: Request,
    body: CheckIncident | None = None,
) -> JSONResponse:
    """A monitor refutes a reported incident; any halt it caused is withdrawn."""
    return _check(operation, incident, False, body, who, ctx, request)
