"""`corridor reception forecast|allocate|needs SCENARIO`: shelters, arrivals and Sphere needs.

Each command parses, calls one handler of `services.reception` and renders
its view: a short table for people, `--json` for programs, `--out DIR` for
CSV, JSON and a chart. Forecasts come from a plan (`--plan DIR`, written by
`corridor plan`), from simulated runs (`--runs N --seed S`, under the
scenario's deal unless `--open-deal`), from a study those runs wrote
(`--study DIR`, the `forecast.json` of `forecast --runs N --out DIR`), or
from a ledger (`--db URL`: people checked in so far and trips on the road at
their expected hour).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.disruption_file import disruption_of
from corridor.adapters.scenario_file import (
    ScenarioDocument,
    load_scenario_document,
    resolve_scenario,
)
from corridor.entrypoints.cli.output import console, emit_json
from corridor.errors import InvalidInput, NotFound
from corridor.planning.plan import Plan
from corridor.reception.forecast import Forecast
from corridor.services import reception as handlers
from corridor.simulation.deal import AgreementDeal
from corridor.simulation.gate import GateFactory, OpenDeal

app = typer.Typer(help="Reception: arrivals forecast, shelter allocation, Sphere needs.")

SCENARIO = typer.Argument(..., metavar="SCENARIO", help="Scenario file or bundled name.")
JSON = typer.Option(False, "--json", help="Print one JSON object for programs.")
OUT = typer.Option(None, "--out", help="Directory for CSV, JSON and a chart.")
PLAN = typer.Option(None, "--plan", help="Arrivals from this plan (plan.json or its directory).")
RUNS = typer.Option(0, "--runs", help="Arrivals from N simulated runs (p10/p50/p90).")
SEED = typer.Option(0, "--seed", help="Seed of the simulated runs.")
OPEN_DEAL = typer.Option(False, "--open-deal", help="Simulate without the scenario's deal.")
DB = typer.Option(None, "--db", help="Arrived and on the road, from this ledger (URL).")
OPERATION = typer.Option(None, "--operation", help="Operation in --db (default: scenario id).")
STUDY = typer.Option(
    None,
    "--study",
    help=(
        "Arrivals from a study: the forecast.json of `simulate --runs N --out DIR` or of "
        "`reception forecast --runs N --out DIR`."
    ),
)


def _document(scenario: str) -> tuple[ScenarioDocument, Path]:
    path = resolve_scenario(scenario)
    return load_scenario_document(path), path


def _plan(path: Path) -> Plan:
    file = path / "plan.json" if path.is_dir() else path
    try:
        return Plan.from_dict(json.loads(file.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise InvalidInput(f"--plan: {file}: no such plan file") from None
    except (json.JSONDecodeError, KeyError, ValueError, TypeError) as error:
        raise InvalidInput(
            f"--plan: {file}: not a plan written by `corridor plan` ({error})"
        ) from None


def _forecast(
    document: ScenarioDocument,
    path: Path,
    plan: Path | None,
    runs: int,
    seed: int,
    open_deal: bool,
    db: str | None = None,
    operation: str | None = None,
    study: Path | None = None,
) -> Forecast:
    if runs < 0:
        raise InvalidInput(f"--runs must be >= 0, found {runs}")
    if study is not None:
        if plan is not None or runs or db is not None:
            raise InvalidInput("give one source of arrivals: --plan, --runs, --study or --db")
        from corridor.adapters.reception_study import read_study

        return read_study(study, document.scenario)
    if db is not None:
        if plan is not None or runs:
            raise InvalidInput("give one source of arrivals: --plan, --runs, --study or --db")
        from corridor.bootstrap import open_store
        from corridor.domain.clock import SystemClock
        from corridor.services.reception_live import forecast_from_ledger

        with open_store(db) as store:
            live = forecast_from_ledger(
                store, operation or document.scenario.id, document.scenario, SystemClock()
            )
        if live.total("p50") == 0:
            typer.echo(
                f"warning: --db: {live.source}: nobody has checked in at a reception site "
                "and no loaded trip is on the road to one",
                err=True,
            )
        return live
    deal: GateFactory = OpenDeal
    model = None
    if runs > 0:
        if not open_deal:
            try:
                deal = AgreementDeal(agreement_of(document, path).agreement)
            except NotFound:
                deal = OpenDeal
        model = disruption_of(document)
    return handlers.forecast_arrivals(
        document.scenario,
        plan=_plan(plan) if plan is not None else None,
        runs=runs,
        seed=seed,
        deal=deal,
        model=model,
    )


@app.command("allocate")
def allocate_command(
    scenario: str = SCENARIO,
    plan: Path | None = PLAN,
    runs: int = RUNS,
    seed: int = SEED,
    open_deal: bool = OPEN_DEAL,
    db: str | None = DB,
    operation: str | None = OPERATION,
    study: Path | None = STUDY,
    band: str = typer.Option(
        "p50",
        "--band",
        help="With a forecast: the band to place (p10, p50, p90); p90 is reported as the risk.",
    ),
    as_json: bool = JSON,
    out: Path | None = OUT,
    expand_within: float = typer.Option(
        0.0, "--expand-within", help="Count expansions ready within this many hours."
    ),
    time_limit: float = typer.Option(20.0, "--time-limit", help="Seconds per solve."),
) -> None:
    """Place everyone in shelters (households whole), or name exactly who has no place.

    Without a source of arrivals, the scenario's whole population is placed;
    with one (--plan, --runs, --study, --db), the people its band brings.
    """
    document, path = _document(scenario)
    arrivals = None
    if plan is not None or runs > 0 or db is not None or study is not None:
        forecast = _forecast(document, path, plan, runs, seed, open_deal, db, operation, study)
        arrivals = handlers.allocate_arrivals(
            document.scenario,
            forecast,
            band=band,
            expand_within_hours=expand_within,
            time_limit=time_limit,
        )
        view = handlers.arrivals_allocation_view(document.scenario, arrivals)
    else:
        if band != "p50":
            raise InvalidInput(
                "--band needs a forecast to choose from: give --plan, --runs, --study or --db"
            )
        allocation = handlers.allocate_shelters(
            document.scenario, expand_within_hours=expand_within, time_limit=time_limit
        )
        view = handlers.allocation_view(document.scenario, allocation)
    files: list[Path] = []
    if out is not None:
        from corridor.adapters.reception_output import write_allocation

        files = write_allocation(view, out)
    if as_json:
        emit_json(view)
        return
    if arrivals is not None:
        console.print(f"source              {view['source']}")
        console.print(f"arrivals ({view['band']})      {view['arrivals']:,} people")
    for site in view["sites"]:
        console.print(
            f"{site['site']:<16} {site['people']:>8,} people in {site['places']:>8,} places"
        )
    console.print(f"placed              {view['placed']:,} (none without a place)")
    console.print(f"overcrowded         {view['overcrowded']:,} beyond the space standard")
    console.print(f"onward travel       {view['onward_person_minutes'] / 60:,.0f} person-hours")
    console.print(f"lower bound         {view['lower_bound'] / 60:,.0f} person-hours")
    console.print(f"gap                 {view['gap']:.2%}")
    risk = view.get("risk")
    if risk is not None and risk["same_as_band"]:
        console.print(f"risk (p90)          {view['source']} gives one answer: p90 is {band}")
    elif risk is not None and risk["unmet"]:
        console.print(
            f"risk (p90)          {risk['unmet']:,} of {risk['arrivals']:,} people would "
            "have no place:"
        )
        for r in risk["shortfalls"]:
            group = r["group"] + (" (elderly or disabled)" if r["near_services"] else "")
            console.print(f"  {r['site']:<16} {group:<33} {r['people']:>8,}  {r['reason']}")
    elif risk is not None:
        console.print(f"risk (p90)          none: all {risk['arrivals']:,} people placed")
    for file in files:
        console.print(f"wrote               {file}")


@app.command("forecast")
def forecast_command(
    scenario: str = SCENARIO,
    plan: Path | None = PLAN,
    runs: int = RUNS,
    seed: int = SEED,
    open_deal: bool = OPEN_DEAL,
    db: str | None = DB,
    operation: str | None = OPERATION,
    study: Path | None = STUDY,
    as_json: bool = JSON,
    out: Path | None = OUT,
) -> None:
    """Arrivals per reception site per hour, by group (p10/p50/p90 from simulated runs)."""
    document, path = _document(scenario)
    forecast = _forecast(document, path, plan, runs, seed, open_deal, db, operation, study)
    view = handlers.forecast_view(forecast)
    files: list[Path] = []
    if out is not None:
        from corridor.adapters.reception_output import write_forecast

        study_view, places = handlers.study_file(document.scenario, forecast)
        files = write_forecast(forecast, study_view, out, places)
    if as_json:
        emit_json(view)
        return
    console.print(f"source              {forecast.source}")
    for i, site in enumerate(forecast.sites):
        total = int(forecast.p50[i].sum())
        if total:
            console.print(f"{site:<16} {total:>8,} people (p50)")
    for file in files:
        console.print(f"wrote               {file}")


@app.command("needs")
def needs_command(
    scenario: str = SCENARIO,
    days: int = typer.Option(30, "--days", help="Days from the start's date."),
    plan: Path | None = PLAN,
    runs: int = RUNS,
    seed: int = SEED,
    open_deal: bool = OPEN_DEAL,
    db: str | None = DB,
    operation: str | None = OPERATION,
    study: Path | None = STUDY,
    band: str = typer.Option("p50", "--band", help="Forecast band for occupancy: p10, p50, p90."),
    as_json: bool = JSON,
    out: Path | None = OUT,
) -> None:
    """Sphere needs per site per day, and the day each declared stock runs short."""
    document, path = _document(scenario)
    forecast = None
    if plan is not None or runs > 0 or db is not None or study is not None:
        forecast = _forecast(document, path, plan, runs, seed, open_deal, db, operation, study)
    result = handlers.shelter_needs(document.scenario, days=days, forecast=forecast, band=band)
    view = handlers.needs_view(result)
    files: list[Path] = []
    if out is not None:
        from corridor.adapters.reception_output import write_needs

        files = write_needs(result, view, out)
    if as_json:
        emit_json(view)
        return
    console.print(f"occupancy           {view['occupancy_source']}")
    for s in view["shortfalls"]:
        console.print(
            f"short from {s['from']}  {s['site']:<14} {s['supply']:<13} "
            f"need {s['need']:,.0f}, available {s['available']:,.0f}"
        )
    if not view["shortfalls"]:
        console.print("no declared stock runs short")
    undeclared = sorted({u["site"] for u in view["undeclared"]})
    if undeclared:
        console.print(f"no stock declared at: {', '.join(undeclared)}")
    for file in files:
        console.print(f"wrote               {file}")
