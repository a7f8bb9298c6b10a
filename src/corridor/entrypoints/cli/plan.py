"""The `corridor plan` command group: fleet plans for scenarios and BEP files.

`corridor plan bep FILE` solves a Bus Evacuation Problem file. Anything after
`plan` that is not a sub-command name is taken as a scenario path and routed
to the `scenario` sub-command, so `corridor plan SCENARIO --out DIR` reads
naturally. The scenario command lives in its own module and registers itself
here with `@app.command(SCENARIO_COMMAND)`; a scenario file whose name clashes
with a sub-command can always be reached as `corridor plan scenario NAME`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from corridor.entrypoints.cli.output import console, emit_json
from corridor.planning.bep.plan import BepResult, Engine
from corridor.planning.bep.reader import read_bep

SCENARIO_COMMAND = "scenario"
"""Name under which the scenario planning command registers on `app`."""


class PlanGroup(TyperGroup):
    """Sub-command group that sends unknown first arguments to `scenario`."""

    # Typer bundles its own copy of Click, so the context and command types are
    # left as Any rather than tied to a private module path.
    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        first = args[0] if args else ""
        if first and not first.startswith("-") and self.get_command(ctx, first) is None:
            scenario = self.get_command(ctx, SCENARIO_COMMAND)
            if scenario is not None:
                return SCENARIO_COMMAND, scenario, list(args)
        return super().resolve_command(ctx, args)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, "[SCENARIO | COMMAND] [ARGS]...")


app = typer.Typer(
    cls=PlanGroup,
    help="Plan the fleet: `plan bep FILE` for BEP files, `plan SCENARIO` for scenarios.",
    no_args_is_help=True,
)


@app.command("bep")
def bep(
    file: Annotated[Path, typer.Argument(help="A Bus Evacuation Problem file.")],
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="Seconds to search.")
    ] = 10.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the randomised search.")] = 0,
    engine: Annotated[
        Engine, typer.Option("--engine", help="auto picks by size; exact or heuristic forces one.")
    ] = Engine.AUTO,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Plan a Bus Evacuation Problem file: makespan, lower bound and every bus route."""
    # Imported here: OR-Tools takes seconds to load, which no other command should pay.
    from corridor.planning.bep.solver import solve_bep

    instance = read_bep(file)
    if as_json:
        result = solve_bep(instance, time_limit=time_limit, seed=seed, engine=engine)
        emit_json(result.to_json())
        return
    with console.status(f"planning {instance.name} ({time_limit:g} s limit)"):
        result = solve_bep(instance, time_limit=time_limit, seed=seed, engine=engine)
    _summary(result)


def _summary(result: BepResult) -> None:
    inst = result.instance
    console.print(
        f"[bold]{inst.name}[/bold]: {inst.people} people, {inst.buses} buses of {inst.seats} "
        f"seats, {inst.pickups} pickup points, {inst.shelters} shelters"
    )
    verdict = "proved optimal" if result.proved_optimal else f"gap {result.gap:.1%}"
    console.print(
        f"makespan {result.makespan}, lower bound {result.lower_bound} ({verdict}), "
        f"{result.seconds:.1f} s, engine {result.engine}"
    )
    bounds = ", ".join(f"{name} {value}" for name, value in result.bounds)
    if bounds:
        console.print(f"bounds: {bounds}")
    table = Table("bus", "depot", "trips", "people", "ends at")
    times = result.plan.route_times(inst)
    for bus, (depot, route) in enumerate(zip(inst.bus_depot, result.plan.routes, strict=True)):
        table.add_row(
            str(bus + 1),
            str(depot + 1),
            str(len(route)),
            str(sum(t.load for t in route)),
            str(times[bus]),
        )
    console.print(table)
