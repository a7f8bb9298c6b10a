"""The `corridor ops` command group: run an operation under its deal, on the ledger.

Every command is a thin shell over the handler the API uses
(`corridor.services.handlers`): `open` starts an operation on a scenario and
adopts its agreement; trip, convoy and incident commands live in `ops_trips`,
`ops_convoys` and `ops_deal`; the reads here (`state`, `trips`, `custody`,
`figures`, `alerts`, `decisions`) show the same figures as the API's views of
the same ledger. A command the deal refused exits 1; errors exit 2. Every
command takes `--db` and `--json`; read-only ones never create a ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from corridor.entrypoints.cli import ops_convoys, ops_deal, ops_trips
from corridor.entrypoints.cli.ops_common import (
    ACTOR,
    DB,
    JSON,
    KEY,
    OPERATION,
    app,
    at_option,
    services,
    show,
)
from corridor.entrypoints.cli.output import emit_json
from corridor.services import commands
from corridor.services.bus import handle
from corridor.services.live import OperationRecord
from corridor.services.views import alert_view, figures_view, state_view, tally_view, trip_view

__all__ = ["app", "ops_convoys", "ops_deal", "ops_trips"]


@app.command("open")
def open_(
    operation: str = OPERATION,
    ref: str = typer.Argument(..., metavar="SCENARIO_OR_FILE", help="Scenario or agreement file."),
    name: str = typer.Option("", "--name", help="Operation name (default: the scenario's)."),
    exercise: str | None = typer.Option(
        None, "--exercise-from", help="Run as an exercise: operation time now, with offset."
    ),
    speed: float = typer.Option(1.0, "--speed", help="Exercise clock speed (x wall time)."),
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Open an operation on a scenario and adopt its agreement, in one command."""
    command = commands.OpenOperation(
        operation, ref, name, at_option(exercise, "--exercise-from"), speed
    )
    with services(db, existing=False) as found:
        outcome = handle(found, command, actor, key)
    show(outcome, as_json)


@app.command()
def clock(
    operation: str = OPERATION,
    exercise: str | None = typer.Option(
        None, "--exercise-from", help="Operation time now, with offset (omit with --live)."
    ),
    speed: float = typer.Option(1.0, "--speed", help="Exercise clock speed (x wall time)."),
    live: bool = typer.Option(False, "--live", help="Run on the wall clock from now on."),
    db: str | None = DB,
    actor: str = ACTOR,
    key: str | None = KEY,
    as_json: bool = JSON,
) -> None:
    """Show the operation's clock, or set it (live, or an exercise from an instant at a speed)."""
    with services(db) as found:
        if exercise is None and not live:
            view = found.live.read(operation, found.clock_view)
            emit_json(view) if as_json else typer.echo(_clock_line(view))
            return
        start = None if live else at_option(exercise, "--exercise-from")
        outcome = handle(found, commands.SetClock(operation, start, speed), actor, key)
    show(outcome, as_json)


def _clock_line(view: dict[str, Any]) -> str:
    if view["mode"] == "live":
        return f"clock: live (wall clock); now {view['now']}"
    return f"clock: exercise at x{view['speed']:g}; now {view['now']}"


def _read(db: str | None, operation: str, view: Callable[[OperationRecord], Any]) -> Any:
    with services(db) as found:
        return found.live.read(operation, view)


@app.command()
def state(operation: str = OPERATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """The operation as the API shows it: trips, people, custody, the deal's figures, the clock."""
    with services(db) as found:
        data, now = found.live.read(
            operation, lambda record: (state_view(record), found.clock_view(record)["now"])
        )
    if as_json:
        emit_json(data)
        return
    people = data["people"]
    clock_line = _clock_line({**data["clock"], "now": now})
    typer.echo(f"operation {data['operation']} ({data['name']}); {clock_line}")
    typer.echo(
        f"people: {people['registered']:,} registered, {people['waiting']:,} waiting, "
        f"{people['in_transit']:,} in transit, {people['arrived']:,} arrived, "
        f"{people['exits']:,} exits; custody {'balanced' if data['balanced'] else 'NOT balanced'}"
    )
    trips = ", ".join(f"{n} {stage}" for stage, n in data["trips"].items()) or "none"
    typer.echo(f"trips: {trips}; open alerts: {data['open_alerts']}")
    deal = data["deal"]
    if deal is not None:
        for movement, n in deal["dispatched"].items():
            typer.echo(f"{movement}: {n:,} dispatched")
        for pair, n in deal["confirmed"].items():
            typer.echo(f"confirmed {pair}: {n:,}")
        for halt in deal["halts"]:
            typer.echo(
                f"halted under {halt['term']} by {halt['incident']}; "
                f"resumed by {halt['resumed_by']}"
            )
        typer.echo(f"{deal['decisions']} decisions, {len(deal['incidents'])} incidents")


@app.command()
def decisions(operation: str = OPERATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Every decision recorded for the operation, with its request, oldest first."""
    stored = _read(db, operation, lambda r: list(r.decisions))
    if as_json:
        emit_json({"operation": operation, "decisions": stored})
        return
    for s in stored:
        word = "ALLOWED" if s["decision"]["allowed"] else "BLOCKED"
        typer.echo(
            f"#{s['sequence']} {s['request']['kind']} {word}: {s['decision']['explanation']}"
        )
    typer.echo(f"{len(stored)} decisions")


@app.command()
def trips(operation: str = OPERATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Every trip with its stage, last site and people on board."""
    rows = _read(
        db, operation, lambda r: [trip_view(r, r.book.trips[t]) for t in sorted(r.book.trips)]
    )
    if as_json:
        emit_json(rows)
        return
    for t in rows:
        aboard = sum(t["on_board"].values())
        typer.echo(f"{t['trip']} {t['vehicle']} {t['stage']} at {t['last_site']}: {aboard} aboard")


@app.command()
def custody(operation: str = OPERATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Per movement and group: registered = waiting + in transit + arrived + exits."""
    rows = _read(db, operation, lambda r: [tally_view(t) for t in r.book.tallies()])
    data = {"balanced": all(t["balanced"] for t in rows), "tallies": rows}
    if as_json:
        emit_json(data)
        return
    for t in rows:
        typer.echo(
            f"{t['movement']} {t['group']}: {t['registered']} = {t['waiting']} waiting + "
            f"{t['in_transit']} in transit + {t['arrived']} arrived + {t['exits']} exits"
        )


@app.command()
def figures(operation: str = OPERATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """The ledger's counts beside every claim by a party, guarantor or agency."""
    rows = _read(db, operation, figures_view)
    if as_json:
        emit_json(rows)
        return
    for f in rows:
        claims = "; ".join(f"{c['by']} says {c['value']:,}" for c in f["claims"]) or "no claims"
        typer.echo(f"{f['movement']} {f['figure']}: ledger {f['ledger']:,}; {claims}")


@app.command()
def alerts(operation: str = OPERATION, db: str | None = DB, as_json: bool = JSON) -> None:
    """Protection alerts: which trip, where, how many of which group, and whether resolved."""
    rows = _read(
        db, operation, lambda r: [alert_view(r.book.alerts[a]) for a in sorted(r.book.alerts)]
    )
    if as_json:
        emit_json(rows)
        return
    for a in rows:
        where = f"{a['segment']['from']} -> {a['segment']['to']}"
        state_ = "open" if a["open"] else a["resolution"]["outcome"]
        typer.echo(f"{a['alert']} {a['trip']} {where}: {a['missing']} {a['group']} ({state_})")
