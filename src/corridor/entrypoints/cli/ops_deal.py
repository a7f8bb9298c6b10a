"""`corridor ops report|verify|refute|confirm|resume|claim`: incidents and the deal's requests.

The same handlers as the API: an incident's kind must be one the deal
declares; verifying one that a suspension term matches halts the trips on
the road in the same command; a blocked confirmation or resume exits 1.
"""

from __future__ import annotations

import typer

from corridor.domain.figures import Claimant, Figure
from corridor.entrypoints.cli.ops_common import (
    ACTOR,
    AT,
    DB,
    JSON,
    KEY,
    OPERATION,
    app,
    at_option,
    run,
)
from corridor.entrypoints.cli.times import parse_at
from corridor.errors import InvalidInput
from corridor.services import commands


@app.command()
def report(
    operation: str = OPERATION,
    incident: str | None = typer.Argument(None, help="Incident id (default: the next number)."),
    kind: str = typer.Option(..., "--kind", help="A kind the deal declares, e.g. shooting."),
    severity: int = typer.Option(..., "--severity", help="1 (minor) to 5 (grave)."),
    corridor: str = typer.Option("", "--corridor", help="Corridor id where it happened."),
    site: str = typer.Option("", "--site", help="Site id where it happened."),
    reporter: str = typer.Option("", "--reporter", help="Who reported it (default: --actor)."),
    note: str = typer.Option("", "--note", help="Free text; shown to neutral roles only."),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Record a reported incident (it halts nothing until a monitor verifies it)."""
    command = commands.ReportIncident(
        operation, kind, severity, corridor, site, reporter, note, incident, at_option(at)
    )
    run(db, command, actor, key, as_json)


@app.command()
def verify(
    operation: str = OPERATION,
    incident: str = typer.Argument(..., help="Incident id."),
    monitor: str = typer.Option(..., "--monitor", help="The monitoring organisation."),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """A monitor verifies an incident; matching suspension terms halt their movements."""
    command = commands.VerifyIncident(operation, incident, monitor, True, at_option(at))
    run(db, command, actor, key, as_json)


@app.command()
def refute(
    operation: str = OPERATION,
    incident: str = typer.Argument(..., help="Incident id."),
    monitor: str = typer.Option(..., "--monitor", help="The monitoring organisation."),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """A monitor refutes an incident; any halt it caused is withdrawn."""
    command = commands.VerifyIncident(operation, incident, monitor, False, at_option(at))
    run(db, command, actor, key, as_json)


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
    if people < 1:
        raise InvalidInput(f"people: {people} is not allowed (allowed: 1 or more)")
    command = commands.ConfirmStageCommand(
        operation, movement, monitor, people, stage, at_option(at)
    )
    run(db, command, actor, key, as_json)


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
    command = commands.RecordResumeCommand(operation, term, guarantor, at_option(at))
    run(db, command, actor, key, as_json)


@app.command()
def claim(
    operation: str = OPERATION,
    movement: str = typer.Option(..., "--movement", help="Movement id."),
    figure: Figure = typer.Option(..., "--figure", help="Which figure is claimed."),
    value: int = typer.Option(..., "--value", min=0, help="The figure as stated."),
    claimant: Claimant = typer.Option(..., "--claimant", help="Who states it."),
    by: str = typer.Option(..., "--by", help="Organisation id of the claimant."),
    source: str = typer.Option(..., "--source", help="Where it was stated."),
    stated_at: str = typer.Option(..., "--stated-at", help="When, ISO 8601 with offset."),
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Record a figure a party, guarantor or agency stated, beside the ledger's count."""
    when = parse_at(stated_at, "--stated-at")
    command = commands.RecordClaim(operation, movement, figure, value, claimant, by, source, when)
    run(db, command, actor, key, as_json)
