"""`corridor ops plan|board|depart|count|arrive|halt|turn-back|close|resolve`: one trip at a time.

The same handlers as the API's trip routes: a first departure asks the deal
(dispatch), a count at a checkpoint asks it to cross, and a refusal exits 1
with the clause that decided it.
"""

from __future__ import annotations

from pathlib import Path

import typer

from corridor.domain.custody import Outcome
from corridor.entrypoints.cli.ops_common import (
    ACTOR,
    AT,
    COUNT,
    DB,
    JSON,
    KEY,
    OPERATION,
    app,
    at_option,
    parse_counts,
    personal_data,
    run,
    services,
    show,
)
from corridor.errors import InvalidInput
from corridor.protection.access import AccessRole, Principal
from corridor.services import commands
from corridor.services.boarding import board_by_manifest

TRIP = typer.Argument(..., help="Trip id.")
SITE = typer.Option(..., "--site", help="Site id.")
REASON = typer.Option(..., "--reason", help="Why (neutral roles only see it).")


@app.command()
def plan(
    operation: str = OPERATION,
    trip: str = TRIP,
    movement: str = typer.Option(..., "--movement", help="Movement id."),
    vehicle: str = typer.Option(..., "--vehicle", help="Vehicle id from the fleet."),
    convoy: str = typer.Option("", "--convoy", help="Convoy id the trip moves in."),
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Plan a trip of a movement on a vehicle of the fleet."""
    run(db, commands.PlanTrip(operation, trip, movement, vehicle, convoy), actor, key, as_json)


@app.command()
def board(
    operation: str = OPERATION,
    trip: str = TRIP,
    site: str = SITE,
    count: list[str] = COUNT,
    manifest: list[str] = typer.Option(
        [], "--manifest", help="Person id from the vault, repeatable (instead of --count)."
    ),
    key_file: Path | None = typer.Option(
        None, "--key-file", help="Vault key file for --manifest (default: CORRIDOR_KEY_FILE)."
    ),
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """The boarding count of a planned trip: by group, or from a manifest of person ids."""
    if not manifest:
        command = commands.BoardTrip(operation, trip, site, parse_counts(count), at_option(at))
        run(db, command, actor, key, as_json)
        return
    if count:
        raise InvalidInput("give --count or --manifest, not both")
    with services(db) as found, personal_data(db, found.live.ledger, key_file) as personal:
        monitor = Principal(actor, operation, AccessRole.MONITOR, "command line")
        outcome = board_by_manifest(
            found, personal, monitor, operation, trip, site, manifest, at_option(at), key
        )
    show(outcome, as_json)


@app.command()
def depart(
    operation: str = OPERATION,
    trip: str = TRIP,
    site: str = SITE,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Dispatch a boarded trip (the deal decides; exit 1 when blocked), or depart a halted one."""
    run(db, commands.DepartTrip(operation, trip, site, at_option(at)), actor, key, as_json)


@app.command()
def count(
    operation: str = OPERATION,
    trip: str = TRIP,
    site: str = SITE,
    count: list[str] = COUNT,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """A monitor's headcount at a checkpoint: drops raise alerts; the deal decides the crossing."""
    command = commands.CountTrip(operation, trip, site, parse_counts(count), at_option(at))
    run(db, command, actor, key, as_json)


@app.command()
def arrive(
    operation: str = OPERATION,
    trip: str = TRIP,
    site: str = SITE,
    count: list[str] = COUNT,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """The arrival count at a destination; drops raise alerts."""
    command = commands.ArriveTrip(operation, trip, site, parse_counts(count), at_option(at))
    run(db, command, actor, key, as_json)


@app.command()
def halt(
    operation: str = OPERATION,
    trip: str = TRIP,
    site: str = SITE,
    reason: str = REASON,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Halt a trip on the road where it is."""
    command = commands.HaltTrip(operation, trip, site, reason, at_option(at))
    run(db, command, actor, key, as_json)


@app.command("turn-back")
def turn_back(
    operation: str = OPERATION,
    trip: str = TRIP,
    site: str = SITE,
    reason: str = REASON,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Turn a trip back; its people wait again once it returns."""
    command = commands.TurnBackTrip(operation, trip, site, reason, at_option(at))
    run(db, command, actor, key, as_json)


@app.command()
def close(
    operation: str = OPERATION,
    trip: str = TRIP,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Close an arrived trip; refused while it has an open protection alert."""
    run(db, commands.CloseTrip(operation, trip, at_option(at)), actor, key, as_json)


@app.command()
def resolve(
    operation: str = OPERATION,
    alert: str = typer.Argument(..., help="Alert id."),
    outcome: Outcome = typer.Option(..., "--outcome", help="transfer, exit or recount."),
    explanation: str = typer.Option(..., "--explanation", help="What the monitor found."),
    transfer_trip: str = typer.Option("", "--transfer-trip", help="The trip they moved to."),
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """A monitor resolves a protection alert with a recorded explanation."""
    command = commands.ResolveAlert(operation, alert, outcome, explanation, transfer_trip)
    run(db, command, actor, key, as_json)
