"""`corridor plan SCENARIO --out DIR`: plan a scenario's fleet and write the plan files.

Registers itself as the `scenario` command of the `plan` group, which routes
`corridor plan <scenario>` here. When the scenario has an agreement, its
windows, paced and staged links bind the plan (`--ignore-agreement` plans
without them).
Prints the start, clearance time (and when everyone and each movement has
arrived, in calendar time), lower bound, gap and person-hours waiting; the search
shows a Rich progress bar on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.scenario_file import (
    ScenarioDocument,
    load_scenario_document,
    resolve_scenario,
)
from corridor.domain.calendar import Calendar
from corridor.entrypoints.cli.output import console, emit_json, err_console
from corridor.entrypoints.cli.plan import SCENARIO_COMMAND, app
from corridor.entrypoints.cli.writable import require_writable_folder
from corridor.errors import InvalidInput, NotFound, Problem
from corridor.planning.model import Pacing, Staging, Window, build_model
from corridor.planning.plan import Plan
from corridor.planning.terms import pacings_of, stagings_of, windows_of

if TYPE_CHECKING:
    from corridor.planning.fleet.engine import Progress as SearchProgress


def _hours(minutes: float) -> str:
    return f"{minutes:,.0f} min ({minutes / 60:,.1f} h)"


@app.command(SCENARIO_COMMAND)
def plan_scenario_command(
    scenario: str = typer.Argument(
        ..., metavar="SCENARIO", help="Scenario file, or the name of a bundled scenario."
    ),
    out: Path = typer.Option(..., "--out", help="Directory for trips.csv, plan.json and charts."),
    time_limit: float = typer.Option(5.0, "--time-limit", help="Seconds the search may take."),
    seed: int = typer.Option(0, "--seed", help="Seed of the search's random choices."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object for machines."),
    ignore_agreement: bool = typer.Option(
        False, "--ignore-agreement", help="Plan without the deal's windows, pacing and stages."
    ),
) -> None:
    """Plan buses and ambulances to clear a scenario; write trips and charts to DIR."""
    if time_limit <= 0:
        where = Problem("<command line>", 1, 1, "--time-limit", f"{time_limit:g} is not > 0")
        raise InvalidInput("--time-limit must be positive", [where])
    require_writable_folder(out, "--out")
    # The solvers and matplotlib take seconds to import; only this command needs
    # them, so `corridor --help` and every other command stay quick.
    from corridor.adapters.plan_output import calendar_block, completions, write_plan
    from corridor.planning.fleet.engine import ITERATIONS, plan_scenario

    path = resolve_scenario(scenario)
    document = load_scenario_document(path)
    pacings, windows, stagings = _terms(document, path, ignore_agreement)
    model = build_model(document.scenario, pacings, windows, stagings)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(f"planning {model.scenario}", total=ITERATIONS, status="")

        def show(step: SearchProgress) -> None:
            status = (
                f"{step.phase}: clearance {step.makespan / 60:,.1f} h, "
                f"bound {step.lower_bound / 60:,.1f} h"
            )
            bar.update(task, completed=step.iteration, status=status)

        plan = plan_scenario(model, time_limit=time_limit, seed=seed, progress=show)
    start, zone = document.scenario.start, document.scenario.timezone
    files = write_plan(plan, out, start, zone)
    calendar = Calendar.of(start, zone)
    if as_json:
        emit_json({**_summary(plan, files), **calendar_block(plan, calendar)})
        return
    console.print(f"scenario            {plan.scenario} ({plan.people_moved():,} people)")
    console.print(f"trips               {len(plan.trips):,} by {len(plan.vehicles)} vehicles")
    console.print(f"start               {calendar.local_start()} ({zone})")
    console.print(f"clearance time      {_hours(plan.makespan)}")
    console.print(f"everyone arrived by {calendar.at(plan.makespan)}")
    for movement, minute in completions(plan).items():
        console.print(f"  {movement:<17} last arrives {calendar.at(minute)}")
    proved = " (proved optimal)" if plan.proved_optimal else ""
    console.print(f"lower bound         {_hours(plan.lower_bound)}{proved}")
    console.print(f"gap                 {plan.gap:.2%}")
    console.print(f"person-hours waiting {plan.person_hours_waiting:,.0f}")
    console.print(f"engine              {plan.engine}, seed {seed}, {plan.seconds:.1f} s")
    for path in files:
        console.print(f"wrote               {path}")


def _terms(
    document: ScenarioDocument, path: Path, ignore: bool
) -> tuple[tuple[Pacing, ...], dict[str, tuple[Window, ...]], tuple[Staging, ...]]:
    """The agreement's paced links, windows and stages, when the scenario has one."""
    if ignore:
        return (), {}, ()
    try:
        agreement = agreement_of(document, path).agreement
    except NotFound:
        return (), {}, ()
    windows = windows_of(agreement, document.scenario.start)
    people = {m.id: document.scenario.people(m.id) for m in document.scenario.movements}
    return pacings_of(agreement, people), windows, stagings_of(agreement, people)


def _summary(plan: Plan, files: list[Path]) -> dict[str, Any]:
    return {
        "scenario": plan.scenario,
        "makespan": plan.makespan,
        "lower_bound": plan.lower_bound,
        "gap": plan.gap,
        "person_hours_waiting": plan.person_hours_waiting,
        "proved_optimal": plan.proved_optimal,
        "engine": plan.engine,
        "seed": plan.seed,
        "seconds": plan.seconds,
        "trips": len(plan.trips),
        "people_moved": plan.people_moved(),
        "bounds": [{"name": b.name, "minutes": b.minutes} for b in plan.bounds],
        "files": [str(f) for f in files],
    }
