"""Operations: open one on a bundled scenario, its summary, custody balance, figures,
claims and incidents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from corridor.adapters.agreement_file.loader import load_agreement_ref
from corridor.adapters.scenario_file import scenario_digest
from corridor.adapters.scenario_file.loader import load_bundled
from corridor.domain.agreement import IncidentRefuted, IncidentReported, IncidentVerified
from corridor.domain.custody_codec import event_type, to_payload
from corridor.domain.door import check_incident
from corridor.domain.events import NewEvent
from corridor.domain.figures import ClaimRecorded
from corridor.domain.operation import opening_events, operation_stream
from corridor.domain.suspension_halts import halt_suspended, suspended_by
from corridor.entrypoints.api.auth import Caller, Context, kept_json, shown
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.guard import idempotency_key
from corridor.entrypoints.api.models import (
    ID_PATTERN,
    CheckIncident,
    Claim,
    OpenOperation,
    ReportIncident,
    moment,
)
from corridor.entrypoints.api.views import command_view, figures_view, summary_view, tally_view
from corridor.errors import IntegrityError, InvalidInput, NotFound
from corridor.protection.access import Permission
from corridor.services.agreement import AgreementAdopted
from corridor.services.live import OperationRecord

router = APIRouter(responses=ERROR_RESPONSES)

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
IncidentId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]


def opening_for(body: OpenOperation) -> list[NewEvent]:
    """Opening events, with the scenario's agreement adopted when it has one."""
    scenario = load_bundled(body.scenario)
    try:
        loaded = load_agreement_ref(body.scenario)
    except NotFound:
        return opening_events(body.id, body.name or scenario.name, scenario)
    digest = scenario_digest(loaded.scenario)
    adoption = AgreementAdopted(
        operation=body.id,
        agreement=loaded.agreement.id,
        scenario=loaded.scenario.id,
        scenario_ref=loaded.scenario_ref,
        scenario_digest=digest,
        document=loaded.data,
    )
    events = opening_events(body.id, body.name or loaded.scenario.name, loaded.scenario, digest)
    return [*events, NewEvent.of(operation_stream(body.id), adoption)]


@router.post("/operations", status_code=201, tags=["operations"])
def open_operation(body: OpenOperation, who: Caller, ctx: Context, request: Request) -> Any:
    """Open an operation on a bundled scenario (coordinator)."""
    who.require(Permission.MANAGE, body.id)
    events = opening_for(body)
    result = ctx.live.command(
        body.id, lambda _: events, who.actor, idempotency_key(request.state), opening=True
    )
    return shown(who, command_view(result, who.role))


@router.get("/operations/{operation}", tags=["operations"])
async def operation_summary(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """Trips by stage, people by where they are, open alerts, incidents."""
    who.require(Permission.READ, operation)
    return await kept_json(ctx, who, operation, "summary", summary_view)


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
) -> Any:
    """Record a figure someone else stated, with its source and time."""
    who.require(Permission.RECORD_CLAIM, operation)

    def decide(record: OperationRecord) -> list[NewEvent]:
        if body.movement not in record.movements:
            raise NotFound(f"no movement {body.movement!r} in operation {operation!r}")
        claim = ClaimRecorded(
            movement=body.movement,
            figure=body.figure,
            value=body.value,
            claimant=body.claimant,
            by=body.by,
            source=body.source,
            stated_at=body.stated_at.isoformat(),
        )
        payload = {
            "movement": claim.movement,
            "figure": str(claim.figure),
            "value": claim.value,
            "claimant": str(claim.claimant),
            "by": claim.by,
            "source": claim.source,
            "stated_at": claim.stated_at,
        }
        return [NewEvent(operation_stream(operation), ClaimRecorded.TYPE, payload)]

    result = ctx.live.command(operation, decide, who.actor, idempotency_key(request.state))
    return shown(who, command_view(result, who.role))


@router.get("/operations/{operation}/incidents", tags=["incidents"])
def incidents(operation: OperationId, who: Caller, ctx: Context) -> Any:
    who.require(Permission.READ, operation)
    return shown(
        who, ctx.live.read(operation, lambda r: [r.incidents[k] for k in sorted(r.incidents)])
    )


@router.post("/operations/{operation}/incidents", status_code=201, tags=["incidents"])
def report_incident(
    operation: OperationId, body: ReportIncident, who: Caller, ctx: Context, request: Request
) -> Any:
    """Report a violation or event on a corridor; it halts nothing until verified."""
    who.require(Permission.REPORT_INCIDENT, operation)
    at = moment(body.at)

    def decide(record: OperationRecord) -> list[NewEvent]:
        if record.book.world is not None:
            check_incident(record.book.world, body.kind, body.severity, body.corridor, body.site)
        number = len(record.incidents) + 1
        fact = IncidentReported(
            f"incident-{number}",
            body.kind,
            body.severity,
            body.corridor,
            body.site,
            who.actor,
            at,
            body.note,
        )
        return [NewEvent(operation_stream(operation), fact.type, fact.payload())]

    result = ctx.live.command(operation, decide, who.actor, idempotency_key(request.state))
    return shown(who, command_view(result, who.role))


def _check_incident(
    operation: str,
    incident: str,
    verified: bool,
    body: CheckIncident | None,
    who: Caller,
    ctx: Context,
    request: Request,
) -> Any:
    who.require(Permission.VERIFY_INCIDENT, operation)
    monitor = body.organisation if body is not None and body.organisation else who.actor

    def decide(record: OperationRecord) -> list[NewEvent]:
        found = record.incidents.get(incident)
        if found is None:
            raise NotFound(f"no incident {incident!r} in operation {operation!r}")
        if found["status"] != "reported":
            raise IntegrityError(f"incident {incident} is already {found['status']}")
        if record.agreement is not None and not record.agreement.rules.is_monitor(monitor):
            raise InvalidInput(
                f"{monitor!r} is not a monitor of the agreement; name the monitoring "
                "organisation in `organisation`"
            )
        now = datetime.now(UTC)
        fact = (
            IncidentVerified(incident, monitor, now)
            if verified
            else IncidentRefuted(incident, monitor, now)
        )
        stream = operation_stream(operation)
        events = [NewEvent(stream, fact.type, fact.payload())]
        if verified and record.agreement is not None:
            # Trips on the road of every movement the deal now suspends halt
            # in this same command, each naming the clause and the incident.
            suspended = suspended_by(record.agreement.apply(fact), incident)
            halted = halt_suspended(record.book, suspended, incident, who.actor)
            events += [NewEvent(stream, event_type(e), to_payload(e)) for e in halted]
        return events

    result = ctx.live.command(operation, decide, who.actor, idempotency_key(request.state))
    answer = command_view(result, who.role)
    answer["halted"] = [e.data()["trip"] for e in result.events if e.type == "trip-halted"]
    return shown(who, answer)


@router.post("/operations/{operation}/incidents/{incident}/verify", tags=["incidents"])
def verify_incident(
    operation: OperationId,
    incident: IncidentId,
    who: Caller,
    ctx: Context,
    request: Request,
    body: CheckIncident | None = None,
) -> Any:
    """A monitor verifies a reported incident; suspension terms it matches now halt.

    Every trip on the road (departed or at a checkpoint) of a movement the
    deal now suspends is halted in the same ledger command; `halted` lists them.
    """
    return _check_incident(operation, incident, True, body, who, ctx, request)


@router.post("/operations/{operation}/incidents/{incident}/refute", tags=["incidents"])
def refute_incident(
    operation: OperationId,
    incident: IncidentId,
    who: Caller,
    ctx: Context,
    request: Request,
    body: CheckIncident | None = None,
) -> Any:
    """A monitor refutes a reported incident; any halt it caused is withdrawn."""
    return _check_incident(operation, incident, False, body, who, ctx, request)
