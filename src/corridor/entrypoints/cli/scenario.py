"""The `corridor scenario` command group: validate, show, list, and print the schema.

`validate` prints every problem as `file:line:column: path: message`, the form
editors and terminals already know how to jump to, and exits 2 on any problem.
A `SCENARIO` argument is a file path or the name of a bundled scenario.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from corridor.adapters.scenario_file import (
    bundled_names,
    load_bundled,
    load_scenario_ref,
    scenario_digest,
    scenario_json_schema,
    scenario_to_data,
)
from corridor.domain.scenario import Group, Scenario
from corridor.entrypoints.cli.app import USER_ERROR_EXIT
from corridor.entrypoints.cli.output import console, emit_json
from corridor.errors import InvalidInput, Problem

app = typer.Typer(
    help="Scenario files: validate, show, list the bundled ones, print the schema.",
    no_args_is_help=True,
)

JSON_OPTION = typer.Option(False, "--json", help="Print JSON for machines.")


@app.command()
def validate(
    file: str = typer.Argument(..., metavar="FILE", help="Scenario file (or bundled name)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check a scenario file; list every problem with file:line:column. Exit 2 on any."""
    try:
        document = load_scenario_ref(file)
    except InvalidInput as error:
        if as_json:
            emit_json({"ok": False, "problems": [_problem_data(p) for p in error.problems]})
        else:
            for problem in error.problems:
                typer.echo(str(problem))
            count = len(error.problems)
            typer.echo(f"{file}: {count} problem{'s' if count != 1 else ''}", err=True)
        raise typer.Exit(USER_ERROR_EXIT) from None
    scenario = document.scenario
    if as_json:
        emit_json({"ok": True, "problems": [], "scenario": scenario.id})
        return
    typer.echo(
        f"{file}: OK: scenario {scenario.id!r}, {len(scenario.sites)} sites, "
        f"{len(scenario.movements)} movements, {scenario.people()} people"
    )


def _problem_data(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "path": problem.path,
        "message": problem.message,
    }


@app.command()
def show(
    scenario_ref: str = typer.Argument(..., metavar="SCENARIO", help="File path or bundled name."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Print a readable summary: sites, links, corridors, movements, fleet, capacities."""
    scenario = load_scenario_ref(scenario_ref).scenario
    if as_json:
        emit_json({"digest": scenario_digest(scenario), "scenario": scenario_to_data(scenario)})
        return
    _print_summary(scenario)


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (generated from the models)."""
    emit_json(scenario_json_schema())


@app.command("list")
def list_bundled(as_json: bool = JSON_OPTION) -> None:
    """List the scenarios shipped with corridor."""
    scenarios = [load_bundled(name) for name in bundled_names()]
    rows = [{"name": s.id, "title": s.name, "people": s.people()} for s in scenarios]
    if as_json:
        emit_json(rows)
        return
    table = Table(title="Bundled scenarios")
    for column in ("name", "title", "people"):
        table.add_column(column, justify="right" if column == "people" else "left")
    for s in scenarios:
        table.add_row(s.id, s.name, f"{s.people():,}")
    console.print(table)


_NUMERIC_COLUMNS = {
    *("minutes", "km", "seats", "stretchers", "count", "lead min", "people", "screening/h"),
    *(str(g) for g in Group),
}


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        numeric = column in _NUMERIC_COLUMNS
        table.add_column(column, justify="right" if numeric else "left")
    return table


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _print_summary(s: Scenario) -> None:
    console.print(f"[bold]{s.name}[/bold] ({s.id})")
    console.print(f"start {s.start} {s.timezone}; {s.people():,} people; {s.vehicles()} vehicles")
    if s.description:
        console.print(s.description)

    sites = _table("Sites", "id", "name", "kinds", "position", "screening/h")
    for site in s.sites:
        where = "-"
        if site.coordinates is not None:
            c = site.coordinates
            where = f"{c.lat:.4f}, {c.lon:.4f}" + (" (approx.)" if c.approximate else "")
        rate = _number(site.service_rate_per_hour) if site.service_rate_per_hour else "-"
        sites.add_row(site.id, site.name, ", ".join(site.kinds), where, rate)
    console.print(sites)

    links = _table("Links", "id", "from", "to", "km", "minutes")
    for link in s.links:
        arrow = "->" if link.one_way else "<->"
        links.add_row(link.id, link.a, f"{arrow} {link.b}", _number(link.km), _number(link.minutes))
    console.print(links)

    corridors = _table("Corridors", "id", "name", "route")
    for corridor in s.corridors:
        corridors.add_row(corridor.id, corridor.name, " -> ".join(corridor.sites))
    console.print(corridors)

    movements = _table("Movements", "id", "origin", "corridor", "destinations", "group", "people")
    for m in s.movements:
        first = True
        for group in m.groups:
            movements.add_row(
                m.id if first else "",
                m.origin if first else "",
                m.corridor if first else "",
                ", ".join(m.destinations) if first else "",
                str(group),
                f"{s.people(m.id, group):,}",
            )
            first = False
        movements.add_row("", "", "", "", "[bold]total[/bold]", f"[bold]{s.people(m.id):,}[/bold]")
    console.print(movements)

    fleet = _table(
        "Fleet", "kind", "depot", "count", "seats", "standing", "stretchers", "lead min", "vehicles"
    )
    ids = iter(s.vehicle_ids())
    for unit in s.fleet:
        kind = s.vehicle_kind(unit.kind)
        named = [next(ids) for _ in range(unit.count)]
        fleet.add_row(
            unit.kind,
            unit.depot,
            str(unit.count),
            str(kind.seats),
            str(kind.standing),
            str(kind.stretchers),
            _number(unit.lead_minutes),
            " .. ".join(dict.fromkeys([named[0], named[-1]])) if named else "-",
        )
    console.print(fleet)

    capacities = _table("Reception capacity", "site", *(str(g) for g in Group))
    for site in s.sites:
        if site.capacities:
            cells = [_number(site.capacity_for(g)) if site.capacity_for(g) else "-" for g in Group]
            capacities.add_row(site.id, *cells)
    console.print(capacities)

    if s.organisations:
        organisations = _table("Organisations", "id", "name", "role")
        for o in s.organisations:
            organisations.add_row(o.id, o.name, str(o.role))
        console.print(organisations)
