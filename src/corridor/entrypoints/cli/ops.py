"""The `corridor ops` command group: run an operation under its agreement, on the ledger.

`open` starts an operation on a scenario and adopts its agreement in one
command. Incidents are recorded (`report`, `verify`, `refute`); `dispatch`,
`cross`, `confirm` and `resume` ask the engine, which answers allowed or
blocked with the deciding terms, and the decision is appended to the ledger
with its request. A blocked request exits 1 so scripts can stop on it;
errors exit 2. Every command takes `--db` and `--json`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import typer

from corridor.adapters.agreement_file import load_agreement_ref, parse_agreement
from corridor.adapters.scenario_file import load_scenario_ref, scenario_digest
from corridor.adapters.yaml_marks import MarkedDocument
from corridor.bootstrap import open_store
from corridor.domain.agreement import (
    Agreement,
    ConfirmStage,
    CrossCheckpoint,
    Decision,
    DispatchTrip,
    HouseholdAboard,
    IncidentRefuted,
    IncidentReported,
    IncidentVerified,
    RecordResume,
    Request,
)
from corridor.domain.scenario import Group, Scenario
from corridor.entrypoints.cli.ledger import DB_HELP, ledger_url, open_existing
from corridor.entrypoints.cli.output import emit_json
from corridor.entrypoints.cli.times import parse_at
from corridor.errors import IntegrityError, InvalidInput
from corridor.services.agreement import (
    AgreementAdopted,
    adopted,
    agreement_state,
    decide_request,
    open_with_agreement,
    record_incident,
    stored_decisions,
)
from corridor.services.ports import LedgerStore

app = typer.Typer(
    help="Operations under an agreement: record incidents, ask for decisions, list them.",
    no_args_is_help=True,
)

BLOCKED_EXIT = 1
DB = typer.Option(None, "--db", help=DB_HELP)
JSON = typer.Option(False, "--json", help="Print JSON for machines.")
ACTOR = typer.Option("coordinator", "--actor", help="Who records this (kept in the ledger).")
AT = typer.Option(None, "--at", help="ISO 8601 time with UTC offset (default: now).")
KEY = typer.Option(None, "--idempotency-key", help="Retry-safe key: a repeat appends nothing.")
OPERATION = typer.Argument(..., help="Operation id.")


def _at(text: str | None) -> datetime:
    return datetime.now(UTC) if text is None else parse_at(text)


def _context(store: LedgerStore, operation: str) -> tuple[Agreement, Scenario]:
    """The adopted agreement over its scenario, refusing a scenario that has changed."""
    adoption = adopted(store, operation)
    scenario = load_scenario_ref(adoption.scenario_ref).scenario
    if scenario_digest(scenario) != adoption.scenario_digest:
        raise IntegrityError(
            f"scenario {adoption.scenario_ref!r} has changed since operation {operation!r} "
            "adopted its agreement; restore it or open a new operation"
        )
    document = MarkedDocument(adoption.document, f"ledger:{operation}:agreement")
    return parse_agreement(document, scenario).agreement, scenario


def decision_data(decision: Decision, sequence: int | None = None) -> dict[str, Any]:
    data = decision.payload()
    if sequence is not None:
        data["sequence"] = sequence
    return data


def _answer(
    db: str | None, operation: str, request: Request, actor: str, key: str | None, as_json: bool
) -> None:
    with open_store(ledger_url(db)) as store:
        agreement, scenario = _context(store, operation)
        decision, result = decide_request(
            store, operation, agreement, scenario, request, actor=actor, idempotency_key=key
        )
    if as_json:
        emit_json(decision_data(decision, result.first_sequence))
    else:
        word = "ALLOWED" if decision.allowed else "BLOCKED"
        typer.echo(f"{word} (#{result.first_sequence}): {decision.explanation}")
    if not decision.allowed:
        raise typer.Exit(BLOCKED_EXIT)


@app.command("open")
def open_(
    operation: str = OPERATION,
    ref: str = typer.Argument(..., metavar="SCENARIO_OR_FILE", help="Scenario or agreement file."),
    name: str = typer.Option("", "--name", help="Operation name (default: the scenario's)."),
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Open an operation on a scenario and adopt its agreement, in one command."""
    loaded = load_agreement_ref(ref)
    adoption = AgreementAdopted(
        operation=operation,
        agreement=loaded.agreement.id,
        scenario=loaded.scenario.id,
        scenario_ref=loaded.scenario_ref,
        scenario_digest=scenario_digest(loaded.scenario),
        document=loaded.data,
    )
    with open_store(ledger_url(db)) as store:
        result = open_with_agreement(
            store, operation, loaded.scenario, adoption, name=name, actor=actor, idempotency_key=key
        )
    data = {
        "operation": operation,
        "agreement": loaded.agreement.id,
        "scenario": loaded.scenario.id,
        "terms": len(loaded.agreement.terms),
        "events": len(result.events),
        "last_sequence": result.last_sequence,
    }
    if as_json:
        emit_json(data)
        return
    typer.echo(
        f"operation {operation!r} open on scenario {loaded.scenario.id!r} under agreement "
        f"{loaded.agreement.id!r} ({len(loaded.agreement.terms)} terms); "
        f"{len(result.events)} events recorded"
    )


def _record(
    db: str | None, operation: str, fact: Any, actor: str, key: str | None, as_json: bool
) -> None:
    with open_store(ledger_url(db)) as store:
        agreement, scenario = _context(store, operation)
        result = record_incident(
            store, operation, agreement, scenario, fact, actor=actor, idempotency_key=key
        )
    data = {"recorded": fact.type, "incident": fact.incident, "sequence": result.first_sequence}
    if as_json:
        emit_json(data)
    else:
        typer.echo(f"{fact.type} {fact.incident} (#{result.first_sequence})")


@app.command()
def report(
    operation: str = OPERATION,
    incident: str = typer.Argument(..., help="Incident id."),
    kind: str = typer.Option(..., "--kind", help="e.g. shooting, shelling, detention."),
    severity: int = typer.Option(..., "--severity", help="1 (minor) to 5 (grave)."),
    corridor: str = typer.Option("", "--corridor", help="Corridor id where it happened."),
    site: str = typer.Option("", "--site", help="Site id where it happened."),
    reporter: str = typer.Option(..., "--reporter", help="Who reported it."),
    note: str = typer.Option("", "--note"),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Record a reported incident (it halts nothing until a monitor verifies it)."""
    fact = IncidentReported(incident, kind, severity, corridor, site, reporter, _at(at), note)
    _record(db, operation, fact, actor, key, as_json)


@app.command()
def verify(
    operation: str = OPERATION,
    incident: str = typer.Argument(..., help="Incident id."),
    monitor: str = typer.Option(..., "--monitor", help="The monitor who verified it."),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """A monitor verifies an incident; matching suspension terms halt their movements."""
    _record(db, operation, IncidentVerified(incident, monitor, _at(at)), actor, key, as_json)


@app.command()
def refute(
    operation: str = OPERATION,
    incident: str = typer.Argument(..., help="Incident id."),
    monitor: str = typer.Option(..., "--monitor", help="The monitor who refuted it."),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """A monitor refutes an incident; any halt it caused is withdrawn."""
    _record(db, operation, IncidentRefuted(incident, monitor, _at(at)), actor, key, as_json)


def _load(items: list[str]) -> tuple[tuple[Group, int], ...]:
    load: dict[Group, int] = {}
    for item in items:
        group, _, count = item.partition("=")
        try:
            load[Group(group)] = load.get(Group(group), 0) + int(count)
        except ValueError:
            choices = ", ".join(g.value for g in Group)
            raise InvalidInput(
                f"--load: expected GROUP=COUNT with GROUP one of {choices}, found {item!r}"
            ) from None
    if not load:
        raise InvalidInput("--load: give at least one GROUP=COUNT")
    return tuple(sorted(load.items()))


def _households(items: list[str]) -> tuple[HouseholdAboard, ...]:
    out: list[HouseholdAboard] = []
    for item in items:
        household, _, counts = item.partition(":")
        aboard, _, size = counts.partition("/")
        if not (household and aboard.isdigit() and size.isdigit()):
            raise InvalidInput(f"--household: expected ID:ABOARD/SIZE, found {item!r}")
        out.append(HouseholdAboard(household, int(aboard), int(size)))
    return tuple(out)


@app.command()
def dispatch(
    operation: str = OPERATION,
    movement: str = typer.Argument(..., help="Movement id."),
    vehicle: str = typer.Option(..., "--vehicle", help="Vehicle id."),
    load: list[str] = typer.Option([], "--load", help="GROUP=COUNT, repeatable."),
    household: list[str] = typer.Option([], "--household", help="ID:ABOARD/SIZE, repeatable."),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Ask to dispatch a loaded trip; the decision and its terms go into the ledger."""
    request = DispatchTrip(movement, vehicle, _at(at), _load(load), _households(household))
    _answer(db, operation, request, actor, key, as_json)


@app.command()
def cross(
    operation: str = OPERATION,
    movement: str = typer.Argument(..., help="Movement id."),
    site: str = typer.Argument(..., help="Checkpoint site id."),
    vehicle: str = typer.Option(..., "--vehicle", help="Vehicle id."),
    people: int = typer.Option(0, "--people", help="People aboard."),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Ask for a vehicle to cross a checkpoint on its corridor."""
    request = CrossCheckpoint(movement, vehicle, site, _at(at), people)
    _answer(db, operation, request, actor, key, as_json)


@app.command()
def confirm(
    operation: str = OPERATION,
    movement: str = typer.Argument(..., help="Movement id."),
    people: int = typer.Argument(..., help="People confirmed arrived."),
    monitor: str = typer.Option(..., "--monitor", help="The confirming monitor."),
    stage: int = typer.Option(0, "--stage", help="The stage the monitor names (informative)."),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """A monitor confirms arrivals of a movement, releasing linked stages."""
    request = ConfirmStage(movement, monitor, people, _at(at), stage)
    _answer(db, operation, request, actor, key, as_json)


@app.command()
def resume(
    operation: str = OPERATION,
    term: str = typer.Argument(..., help="Suspension term id, e.g. T6."),
    guarantor: str = typer.Option(..., "--guarantor", help="The guarantor resuming."),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """A guarantor records a resume of what a suspension term halted."""
    _answer(db, operation, RecordResume(term, guarantor, _at(at)), actor, key, as_json)


@app.command()
def decisions(operation: str = OPERATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Every decision recorded for the operation, with its request, oldest first."""
    with open_existing(db) as store:
        adopted(store, operation)
        stored = stored_decisions(store, operation)
    rows = [
        {
            "sequence": s.sequence,
            "actor": s.actor,
            "recorded_at": s.recorded_at,
            **s.event.decision.payload(),
            "request": s.event.request.payload(),
        }
        for s in stored
    ]
    if as_json:
        emit_json({"operation": operation, "decisions": rows})
        return
    for s in stored:
        word = "ALLOWED" if s.event.decision.allowed else "BLOCKED"
        typer.echo(f"#{s.sequence} {s.event.request.kind} {word}: {s.event.decision.explanation}")
    typer.echo(f"{len(stored)} decisions")


@app.command()
def state(operation: str = OPERATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """The agreement state: people moved and confirmed, incidents, standing halts."""
    with open_existing(db) as store:
        agreement, scenario = _context(store, operation)
        current = agreement_state(store, operation, agreement, scenario)
    dispatched = {m: current.people(m) for m in sorted(current.rules.groups)}
    confirmed = {f"{m}/{o}": n for (m, o), n in sorted(current.confirmed.items())}
    halts = [
        {"term": t, "incident": i, "resumed_by": sorted(g)}
        for (t, i), g in sorted(current.halts.items())
    ]
    data = {
        "operation": operation,
        "agreement": agreement.id,
        "dispatched": dispatched,
        "trips": dict(sorted(current.trips.items())),
        "confirmed": confirmed,
        "incidents": {
            i.id: {"kind": i.kind, "severity": i.severity, "status": i.status}
            for i in sorted(current.incidents.values(), key=lambda i: i.id)
        },
        "halts": halts,
        "decisions": current.decisions,
    }
    if as_json:
        emit_json(data)
        return
    for movement, people in dispatched.items():
        typer.echo(f"{movement}: {people:,} dispatched")
    for key_, n in confirmed.items():
        typer.echo(f"confirmed {key_}: {n:,}")
    for halt in halts:
        typer.echo(
            f"halted under {halt['term']} by {halt['incident']}; resumed by {halt['resumed_by']}"
        )
    typer.echo(f"{current.decisions} decisions, {len(current.incidents)} incidents")
