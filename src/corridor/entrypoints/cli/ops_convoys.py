"""`corridor ops convoy depart|count|arrive|halt|turn-back|close`: every trip of a convoy at once.

The same handlers as the API's convoy routes: all of the convoy's trips move,
or none; counts are given per trip as `TRIP:GROUP=COUNT`.
"""

from __future__ import annotations

import typer

from corridor.domain.custody import Counts
from corridor.entrypoints.cli.ops_common import (
    ACTOR,
    AT,
    DB,
    JSON,
    KEY,
    OPERATION,
    app,
    at_option,
    parse_counts,
    run,
)
from corridor.errors import InvalidInput
from corridor.services import commands

convoy_app = typer.Typer(help="Act on every trip of a convoy at once.", no_args_is_help=True)
app.add_typer(convoy_app, name="convoy")

CONVOY = typer.Argument(..., help="Convoy id.")
SITE = typer.Option(..., "--site", help="Site id.")
REASON = typer.Option(..., "--reason", help="Why (neutral roles only see it).")
PER_TRIP = typer.Option([], "--count", help="TRIP:GROUP=COUNT, repeatable.")


def per_trip(items: list[str]) -> tuple[tuple[str, Counts], ...]:
    """`TRIP:GROUP=COUNT` items into counts per trip."""
    found: dict[str, list[str]] = {}
    for item in items:
        trip, sep, rest = item.partition(":")
        if not sep or not trip:
            raise InvalidInput(f"--count: expected TRIP:GROUP=COUNT, found {item!r}")
        found.setdefault(trip, []).append(rest)
    if not found:
        raise InvalidInput("--count: give at least one TRIP:GROUP=COUNT")
    return tuple(sorted((trip, parse_counts(groups)) for trip, groups in found.items()))


@convoy_app.command()
def depart(
    operation: str = OPERATION,
    convoy: str = CONVOY,
    site: str = SITE,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Dispatch every trip of the convoy, or none (exit 1 with the blocking decisions)."""
    run(db, commands.DepartConvoy(operation, convoy, site, at_option(at)), actor, key, as_json)


@convoy_app.command()
def count(
    operation: str = OPERATION,
    convoy: str = CONVOY,
    site: str = SITE,
    count: list[str] = PER_TRIP,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Count every trip of the convoy at a checkpoint; each count asks to cross."""
    command = commands.CountConvoy(operation, convoy, site, per_trip(count), at_option(at))
    run(db, command, actor, key, as_json)


@convoy_app.command()
def arrive(
    operation: str = OPERATION,
    convoy: str = CONVOY,
    site: str = SITE,
    count: list[str] = PER_TRIP,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """The arrival count of every trip of the convoy."""
    command = commands.ArriveConvoy(operation, convoy, site, per_trip(count), at_option(at))
    run(db, command, actor, key, as_json)


@convoy_app.command()
def halt(
    operation: str = OPERATION,
    convoy: str = CONVOY,
    site: str = SITE,
    reason: str = REASON,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Halt every trip of the convoy on the road."""
    command = commands.HaltConvoy(operation, convoy, site, reason, at_option(at))
    run(db, command, actor, key, as_json)


@convoy_app.command("turn-back")
def turn_back(
    operation: str = OPERATION,
    convoy: str = CONVOY,
    site: str = SITE,
    reason: str = REASON,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Turn every trip of the convoy back."""
    command = commands.TurnBackConvoy(operation, convoy, site, reason, at_option(at))
    run(db, command, actor, key, as_json)


@convoy_app.command()
def close(
    operation: str = OPERATION,
    convoy: str = CONVOY,
    at: str | None = AT,
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Close every trip of the convoy; refused while any has not arrived or has an open alert."""
    run(db, commands.CloseConvoy(operation, convoy, at_option(at)), actor, key, as_json)
