"""`corridor simulate SCENARIO`: Monte Carlo runs under disruption, with sweeps and a report.

Runs go to local worker processes by default, or to a Dask cluster with
`--scheduler`. The JSON summary (`--json`, and `summary.json` in the report)
holds no timings, so the same scenario and seed give the same bytes anywhere;
timings go to stderr with the progress bar. Moments are printed in calendar
time with the zone's offset, and every run names the disruption model it
played (`--disruption FILE|bundled|none`), or says that it played none.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from corridor.adapters.agreement_file import LoadedAgreement, agreement_of
from corridor.adapters.disruption_file import choose_disruption
from corridor.adapters.scenario_file import (
    ScenarioDocument,
    load_scenario_document,
    resolve_scenario,
)
from corridor.bootstrap import open_store, services_over, sqlite_path
from corridor.entrypoints.cli.app import app
from corridor.entrypoints.cli.output import console, err_console
from corridor.entrypoints.cli.writable import require_writable_file, require_writable_folder
from corridor.errors import InvalidInput, NotFound
from corridor.planning.plan import Plan
from corridor.reception.forecast import destination_sites
from corridor.services import reception
from corridor.services.simulated_runs import record_run_zero
from corridor.simulation.deal import AgreementDeal
from corridor.simulation.engine import check_plan
from corridor.simulation.gate import GateFactory, OpenDeal
from corridor.simulation.metrics import MINUTES_PER_HOUR, RunOptions
from corridor.simulation.montecarlo import DaskCluster, LocalProcesses, Runner, Study
from corridor.simulation.study import StudyResult, cells, run_study
from corridor.simulation.summary import summary_json
from corridor.simulation.sweep import parse_variation


def _positive(value: float, option: str) -> None:
    if not value > 0:
        raise InvalidInput(f"{option} must be more than 0, got {value:g}")


@app.command("simulate")
def simulate(
    scenario: str = typer.Argument(..., help="Scenario file, or a bundled scenario name."),
    runs: int = typer.Option(100, "--runs", "-n", help="Number of seeded runs."),
    seed: int = typer.Option(0, "--seed", "-s", help="Study seed; run i uses (seed, i)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://HOST:8786); local if absent."
    ),
    workers: int = typer.Option(0, "--workers", help="Local worker processes (0: one per CPU)."),
    vary: list[str] = typer.Option(
        [], "--vary", help="Sweep a parameter: PATH=V1,V2,... (repeatable)."
    ),
    plan: Path | None = typer.Option(
        None, "--plan", help="Replay this plan (plan.json, or the directory holding it) first."
    ),
    disruption: str | None = typer.Option(
        None,
        "--disruption",
        help=(
            "Disruption model: a FILE, 'bundled' (the one shipped beside the scenario) or "
            "'none'; default the scenario's own section, else none."
        ),
    ),
    report: Path | None = typer.Option(
        None, "--report", help="Write index.html (charts) and summary.json into this directory."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help=(
            "Write the arrivals per reception site and hour (p10/p50/p90 by group) into this "
            "directory: forecast.json, read by `reception ... --study DIR`."
        ),
    ),
    deadline: float = typer.Option(
        72.0, "--deadline", help="Hours after the start for 'moved by'."
    ),
    horizon: float = typer.Option(336.0, "--horizon", help="Hours a run may last at most."),
    ledger: str | None = typer.Option(
        None,
        "--ledger",
        help="Also record run 0 as an operation in this ledger (sqlite:///FILE, postgresql://...).",
    ),
    operation: str = typer.Option(
        "", "--operation", help="Operation id for --ledger (default: SCENARIO-sim-SEED)."
    ),
    open_deal: bool = typer.Option(
        False, "--open-deal", help="Ignore the scenario's agreement: no term blocks anything."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON summary."),
) -> None:
    """Run a scenario many times under its disruption model and summarise what it costs."""
    if runs < 1:
        raise InvalidInput(f"--runs must be at least 1, got {runs}")
    _positive(deadline, "--deadline")
    _positive(horizon, "--horizon")
    if workers < 0:
        raise InvalidInput(f"--workers must be at least 0, got {workers}")
    if report is not None:
        require_writable_folder(report, "--report")
    if out is not None:
        require_writable_folder(out, "--out")
    ledger_file = sqlite_path(ledger) if ledger is not None else None
    if ledger_file is not None:
        require_writable_file(ledger_file, "--ledger")
    variations = [parse_variation(text) for text in vary]
    if plan is not None and any(v.path.startswith("fleet.") for v in variations):
        raise InvalidInput("--vary fleet.* cannot change the vehicles of a replayed --plan")
    path = resolve_scenario(scenario)
    document = load_scenario_document(path)
    chosen = choose_disruption(document, path, disruption)
    model = chosen.model
    loaded = None if open_deal else _agreement(document, path)
    deal: GateFactory = OpenDeal if loaded is None else AgreementDeal(loaded.agreement)
    deal_name = "open" if loaded is None else loaded.agreement.id
    if ledger is not None and loaded is None:
        raise InvalidInput(
            "--ledger records the agreement's events: it needs the scenario's agreement"
        )
    options = RunOptions(
        horizon_minutes=horizon * MINUTES_PER_HOUR, deadline_minutes=deadline * MINUTES_PER_HOUR
    )
    replayed = _plan(plan) if plan else None
    if replayed is not None:
        check_plan(document.scenario, replayed)
    # Only a study written with --out counts arrivals per site (an observer per run).
    arrivals_at = destination_sites(document.scenario) if out is not None else ()
    study = Study(chosen.scenario(document.scenario), model, options, deal, replayed, arrivals_at)
    total = runs * (1 + len(cells(study, variations)))
    runner: Runner = (
        DaskCluster(scheduler) if scheduler else LocalProcesses(workers or min(_cpus(), runs))
    )
    started = time.perf_counter()
    # Workers start before the progress bar's thread does (see LocalProcesses).
    with (
        runner,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task(f"simulating {document.scenario.id}", total=total)
        result = run_study(
            study, seed, runs, runner, variations, lambda n: progress.advance(task, n)
        )
    result.summary["deal"] = deal_name
    result.summary["policy"] = "plan, then dispatch" if plan else "dispatch"
    result.summary["disruption"] = chosen.source
    seconds = time.perf_counter() - started
    err_console.print(f"{total} runs in {seconds:.1f} s ({total / max(seconds, 1e-9):.1f} runs/s)")
    if ledger is not None and loaded is not None:
        name = operation or f"{document.scenario.id}-sim-{seed}"
        _record(ledger, name, study, seed, loaded, path)
    if report is not None:
        # Imported here: matplotlib takes seconds to import and most runs need no report.
        from corridor.adapters.simulation_report import write_report

        page = write_report(report, result.summary, result.runs)
        err_console.print(f"report: {page}")
    if as_json:
        typer.echo(summary_json(result.summary), nl=False)
    else:
        _print(result, chosen.describe())
    if out is not None:
        # After the summary: runs that bring nobody still print what they cost.
        _write_study(out, document, study, seed, result)


def _write_study(
    out: Path, document: ScenarioDocument, study: Study, seed: int, result: StudyResult
) -> None:
    """The base runs' arrivals as the reception study's files (forecast.json, CSV, chart)."""
    from corridor.adapters.reception_output import write_forecast

    forecast = reception.forecast_of_runs(study, seed, result.runs)
    view, places = reception.study_file(document.scenario, forecast)
    for file in write_forecast(forecast, view, out, places):
        err_console.print(f"study: {file}")


def _cpus() -> int:
    """CPUs this process may use (its affinity, which containers narrow), not the host's."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _plan(path: Path) -> Plan:
    """A plan written by `corridor plan` (its plan.json, or the directory holding it)."""
    file = path / "plan.json" if path.is_dir() else path
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return Plan.from_dict(data)
    except FileNotFoundError:
        raise InvalidInput(f"{file}: no such plan file") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{file}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidInput(f"{file}: not a plan written by `corridor plan` ({error})") from None


def _agreement(document: ScenarioDocument, path: Path) -> LoadedAgreement | None:
    """The scenario's agreement, or None (the open deal) when it has none."""
    try:
        return agreement_of(document, path)
    except NotFound:
        err_console.print("no agreement with this scenario: the deal blocks nothing")
        return None


def _record(
    url: str, operation: str, study: Study, seed: int, loaded: LoadedAgreement, path: Path
) -> None:
    """Run 0 again with its events and trace kept, and record it as an operation."""
    with open_store(url) as store:
        result = record_run_zero(
            services_over(store), operation, str(path), study, loaded.agreement, seed
        )
    err_console.print(
        f"ledger: operation {operation!r} recorded with {len(result.events)} events of run 0 "
        f"(last sequence {result.last_sequence})"
    )


def _print(result: StudyResult, disruption: str) -> None:
    s = result.summary
    console.print(f"start {s['start']} ({s['timezone']}); {disruption}")
    table = Table(
        title=f"{s['scenario']} under deal {s['deal']}: {s['runs']} runs, seed {s['seed']}"
    )
    for column in ("figure", "p10", "p50", "p90", "mean"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    rows = (
        ("clearance (h)", "clearance_hours"),
        (f"moved by {s['deadline_at']}", "moved_by_deadline"),
        ("person-hours waiting aboard", "waiting_vehicle_person_hours"),
        ("person-hours waiting at pickup", "waiting_assembly_person_hours"),
        ("longest wait aboard (h)", "longest_wait_hours"),
        ("trips turned back", "trips_turned_back"),
        ("incidents", "incidents"),
        ("halts", "halts"),
    )
    for label, key in rows:
        d = s[key]
        table.add_row(label, *(f"{d[k]:,.1f}" for k in ("p10", "p50", "p90", "mean")))
    at = s["clearance_at"]
    table.add_row("everyone arrived by", at["p10"], at["p50"], at["p90"], at["mean"])
    console.print(table)
    movements = Table(title=f"last person arrived, per movement ({s['timezone']} time)")
    for column in ("movement", "people", "p10", "p50", "p90", "all arrived in"):
        movements.add_column(column, justify="left" if column == "movement" else "right")
    for movement, m in s["movements"].items():
        done = m["completion_at"]
        movements.add_row(
            movement,
            f"{m['people']:,}",
            done["p10"],
            done["p50"],
            done["p90"],
            f"{100 * m['cleared_share']:.0f}% of runs",
        )
    console.print(movements)
    convergence = s["convergence"]
    state = "converged" if convergence["converged"] else "not converged"
    console.print(
        f"cleared within the horizon in {100 * s['cleared_share']:.1f}% of runs; "
        f"clearance CI half-width {100 * convergence['ci_half_width_ratio']:.2f}% of the mean "
        f"({state})"
    )
    for cell in s.get("sweep", []):
        console.print(
            f"{cell['label']}: everyone arrived by {cell['clearance_at']['p50']} (p50, "
            f"{cell['clearance_hours']['p50']:.1f} h), {cell['clearance_at']['p90']} (p90); "
            "waiting aboard p50 "
            f"{cell['waiting_vehicle_person_hours']['p50']:,.0f} person-h"
        )
