"""`simulate --out DIR` writes a reception study; forecast, allocate and needs read it back."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.disruption_file import choose_disruption
from corridor.adapters.scenario_file import load_scenario_document, resolve_scenario
from corridor.domain.scenario import Group
from corridor.domain.shelters import Supply
from corridor.entrypoints.cli.main import app
from corridor.reception.standards import bundled_standards
from corridor.simulation.deal import AgreementDeal
from corridor.simulation.engine import simulate
from corridor.simulation.metrics import RunOptions
from corridor.simulation.montecarlo import run_seeds
from corridor.simulation.trace import TraceEvent

runner = CliRunner()
SCENARIO = "east-aleppo-2016"
RUNS, SEED, HORIZON_HOURS = 4, 5, 60
"""A horizon short of clearance, so the bands bring different numbers of people."""


def cli(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


class Unloads:
    """The test's own book of a run: minute, site and people by group of each unloading."""

    def __init__(self) -> None:
        self.loads: dict[str, dict[str, int]] = {}
        self.rows: list[tuple[float, str, str, int]] = []

    def __call__(self, event: TraceEvent) -> None:
        if event.kind == "trip-dispatched":
            self.loads[event.data["vehicle"]] = event.data["load"]
        elif event.kind == "trip-turned-back":
            self.loads.pop(event.data["vehicle"], None)
        elif event.kind == "trip-arrived":
            for group, count in self.loads.pop(event.data["vehicle"], {}).items():
                self.rows.append((event.minute, event.data["destination"], group, count))


@pytest.fixture(scope="module")
def recomputed() -> dict[str, Any]:
    """The same four runs, run here: people arrived by each hour per site and group, per run."""
    path = resolve_scenario(SCENARIO)
    document = load_scenario_document(path)
    chosen = choose_disruption(document, path, "bundled")
    scenario = chosen.scenario(document.scenario)
    deal = AgreementDeal(agreement_of(document, path).agreement)
    options = RunOptions(horizon_minutes=HORIZON_HOURS * 60.0)
    sites = [s.id for s in scenario.sites if s.reception is not None]
    groups = [g.value for g in Group]
    hours = HORIZON_HOURS + 1
    arrived = np.zeros((RUNS, len(sites), hours, len(groups)), dtype=np.int64)
    for index in range(RUNS):
        book = Unloads()
        simulate(
            scenario,
            chosen.model,
            options,
            seeds=run_seeds(SEED, index),
            gate=deal(scenario),
            index=index,
            observer=book,
        )
        for minute, site, group, count in book.rows:
            if site in sites:
                hour = min(int(minute // 60), hours - 1)
                arrived[index, sites.index(site), hour, groups.index(group)] += count
    by_hour = np.cumsum(arrived, axis=2)
    bands = {f"p{q}": np.rint(np.percentile(by_hour, q, axis=0)).astype(int) for q in (10, 50, 90)}
    return {"scenario": scenario, "sites": sites, "groups": groups, "by_hour": bands}


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`corridor simulate --runs 4 --out DIR` under the bundled disruption, short horizon."""
    folder = tmp_path_factory.mktemp("simulation") / "study"
    cli(
        "simulate", SCENARIO, "--runs", str(RUNS), "--seed", str(SEED), "--workers", "1",
        "--disruption", "bundled", "--horizon", str(HORIZON_HOURS), "--out", str(folder),
    )  # fmt: skip
    return folder


def test_simulate_out_writes_the_study_files(study: Path) -> None:
    """forecast.json names the scenario and its runs; the CSV and the chart are there too."""
    data = json.loads((study / "forecast.json").read_text(encoding="utf-8"))
    assert data["scenario"] == SCENARIO
    assert data["runs"] == RUNS
    assert data["source"] == f"simulation ({RUNS} runs, seed {SEED})"
    for name in ("arrivals.csv", "arrivals.png"):
        assert (study / name).stat().st_size > 0


def test_forecast_from_a_simulation_is_the_bands_of_its_runs(
    study: Path, recomputed: dict[str, Any]
) -> None:
    """Each site's people arrived by each hour, per band and group, as the runs give them."""
    view = json.loads(
        cli("reception", "forecast", SCENARIO, "--study", str(study), "--json").stdout
    )
    start = datetime.fromisoformat(view["start"])
    sites, groups = recomputed["sites"], recomputed["groups"]
    got = {b: np.zeros_like(recomputed["by_hour"][b]) for b in ("p10", "p50", "p90")}
    for row in view["hours"]:
        hour = int((datetime.fromisoformat(row["hour"]) - start) / timedelta(hours=1))
        for band in got:
            for group, people in row[band].items():
                got[band][sites.index(row["site"]), hour, groups.index(group)] += people
    for band, expected in recomputed["by_hour"].items():
        assert np.array_equal(np.cumsum(got[band], axis=1), expected), band
    totals = [int(recomputed["by_hour"][b][:, -1].sum()) for b in ("p10", "p50", "p90")]
    assert view["arrivals_p50"] == totals[1]
    assert totals[0] < totals[2], "the short horizon should spread the bands"


def test_allocate_from_a_simulation_places_the_p50_arrivals_and_reports_p90(
    study: Path, recomputed: dict[str, Any]
) -> None:
    """Everyone the p50 band brings is placed, by group, households whole, no site over."""
    view = json.loads(
        cli("reception", "allocate", SCENARIO, "--study", str(study), "--json").stdout
    )
    p50 = recomputed["by_hour"]["p50"][:, -1, :]  # [site, group] arrived by the horizon
    groups = recomputed["groups"]
    assert view["band"] == "p50"
    assert view["arrivals"] == view["placed"] == int(p50.sum())
    placed = dict.fromkeys(groups, 0)
    for p in view["placements"]:
        assert p["people"] == p["household_size"] * p["households"]
        placed[p["group"]] += p["people"]
    assert placed == {g: int(p50[:, j].sum()) for j, g in enumerate(groups)}
    assert all(s["people"] <= s["places"] for s in view["sites"])
    assert view["risk"]["band"] == "p90"
    assert view["risk"]["arrivals"] == int(recomputed["by_hour"]["p90"][:, -1, :].sum())
    assert view["gap"] <= 0.01


def test_needs_from_a_simulation_are_occupancy_by_day_times_the_standard(
    study: Path, recomputed: dict[str, Any]
) -> None:
    """Water per site and day is 15 L (the standards file) x people arrived by the day's end."""
    view = json.loads(
        cli("reception", "needs", SCENARIO, "--days", "4", "--study", str(study), "--json").stdout
    )
    scenario = recomputed["scenario"]
    start = datetime.fromisoformat(scenario.start)
    by_hour = recomputed["by_hour"]["p50"].sum(axis=2)  # [site, hour]
    water = bundled_standards().of(Supply.WATER_LITRES)
    rows = {(d["site"], d["day"]): d for d in view["days"]}
    assert len(rows) == 4 * len(recomputed["sites"])
    for i, site in enumerate(recomputed["sites"]):
        climate = scenario.site(site).reception.climate
        for day in range(4):
            midnight = datetime.combine(start.date() + timedelta(days=day + 1), datetime.min.time())
            last = min(math.ceil((midnight - start) / timedelta(hours=1)) - 1, by_hour.shape[1] - 1)
            people = int(by_hour[i, last])
            row = rows[(site, (start.date() + timedelta(days=day)).isoformat())]
            assert row["people"] == people
            assert row["need"]["water-litres"] == pytest.approx(people * water.rate(climate))
    assert any(d["people"] > 0 for d in view["days"])


def test_a_simulation_study_is_refused_for_another_scenario(study: Path, tmp_path: Path) -> None:
    """The same checks as every --study: a study of another scenario is one error, exit 2."""
    data = json.loads((study / "forecast.json").read_text(encoding="utf-8"))
    data["scenario"] = "four-towns-2017"
    (tmp_path / "forecast.json").write_text(json.dumps(data), encoding="utf-8")
    result = cli("reception", "allocate", SCENARIO, "--study", str(tmp_path), code=2)
    assert f"error: --study: {tmp_path / 'forecast.json'}: field 'scenario'" in result.output


def test_runs_that_bring_nobody_write_no_study(tmp_path: Path) -> None:
    """Half an hour is too short to reach a shelter: exit 2 naming the runs, and no folder."""
    folder = tmp_path / "empty"
    result = cli(
        "simulate", SCENARIO, "--runs", "2", "--workers", "1", "--horizon", "0.5",
        "--out", str(folder), code=2,
    )  # fmt: skip
    assert "error: the p50 band of the simulation (2 runs, seed 0) brings nobody" in result.output
    assert not folder.exists()


def test_allocate_prints_who_the_p90_band_would_leave_without_a_place(
    study: Path, tmp_path: Path
) -> None:
    """5,000 more civilians at Jibreen in p90 only: p50 is placed, the risk names Jibreen."""
    data = json.loads((study / "forecast.json").read_text(encoding="utf-8"))
    row = next(r for r in data["hours"] if r["site"] == "jibreen")
    row["p90"]["civilians"] = row["p90"].get("civilians", 0) + 5000
    (tmp_path / "forecast.json").write_text(json.dumps(data), encoding="utf-8")
    result = cli("reception", "allocate", SCENARIO, "--study", str(tmp_path))
    assert "none without a place" in result.output
    assert "people would have no place:" in result.output
    assert "jibreen          civilians" in result.output
    assert "jibreen collective-centre 4,000/4,000" in result.output
