"""Arrivals per reception site per hour, by group: from a plan or from simulated runs.

One shape whatever the source: `p10`, `p50` and `p90` arrays indexed
[site, hour, group] of people arriving in that hour. A plan is one
deterministic answer, so its three bands are equal; simulated runs give the
spread of arrivals under disruption: each band is a percentile, across the
runs, of the people arrived by each hour, and its hourly figures are what it
adds each hour. Hours count from the scenario's start; readers turn them into calendar
time with the scenario's clock (`calendar`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from corridor.domain.scenario import Group, Scenario
from corridor.errors import InvalidInput
from corridor.planning.plan import Plan
from corridor.simulation.disruption import DisruptionModel
from corridor.simulation.gate import GateFactory, OpenDeal
from corridor.simulation.metrics import RunMetrics, RunOptions
from corridor.simulation.montecarlo import Study, run_one
from corridor.simulation.site_arrivals import hours_of

GROUPS: tuple[Group, ...] = tuple(Group)
BANDS = (10, 50, 90)


@dataclass(frozen=True)
class Forecast:
    """People arriving per site, hour and group, as p10/p50/p90 bands."""

    source: str
    """'plan' or 'simulation (N runs, seed S)'."""
    start: str
    """The scenario's local start time (hour 0)."""
    sites: tuple[str, ...]
    hours: int
    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    runs: int = 1

    def total(self, band: str = "p50") -> int:
        return int(np.asarray(getattr(self, band)).sum())

    def hour_time(self, hour: int) -> datetime:
        """Local calendar time at the start of `hour`."""
        return datetime.fromisoformat(self.start) + timedelta(hours=hour)


def destination_sites(scenario: Scenario) -> tuple[str, ...]:
    """Every site a movement may deliver people to, in the scenario's order."""
    wanted = {d for m in scenario.movements for d in m.destinations}
    return tuple(s.id for s in scenario.sites if s.id in wanted)


def from_plan(scenario: Scenario, plan: Plan) -> Forecast:
    """The plan's arrivals: each trip's loads in the hour it unloads."""
    sites = destination_sites(scenario)
    index = {s: i for i, s in enumerate(sites)}
    hours = max(1, math.ceil(max((t.arrive for t in plan.trips), default=0.0) / 60.0) + 1)
    grid = np.zeros((len(sites), hours, len(GROUPS)), dtype=np.int64)
    group_index = {g: i for i, g in enumerate(GROUPS)}
    for trip in plan.trips:
        if trip.destination not in index:
            raise InvalidInput(
                f"plan trip {trip.vehicle}#{trip.sequence} ends at {trip.destination!r}, "
                "which no movement of the scenario delivers to"
            )
        for load in trip.loads:
            hour = int(trip.arrive // 60)
            grid[index[trip.destination], hour, group_index[load.group]] += load.count
    _check_arrivals(grid, "the plan's trips bring")
    return Forecast("plan", scenario.start, sites, hours, grid, grid, grid)


def from_simulation(
    scenario: Scenario,
    runs: int,
    seed: int,
    *,
    model: DisruptionModel | None = None,
    options: RunOptions | None = None,
    deal: GateFactory = OpenDeal,
    plan: Plan | None = None,
) -> Forecast:
    """Arrivals over `runs` seeded runs (the same seeds as `corridor simulate`), as bands."""
    if runs < 1:
        raise InvalidInput(f"runs must be at least 1, found {runs}")
    study = Study(
        scenario,
        model or DisruptionModel(),
        options or RunOptions(),
        deal,
        plan,
        arrivals_at=destination_sites(scenario),
    )
    return from_runs(study, seed, [run_one(study, seed, index) for index in range(runs)])


def from_runs(study: Study, seed: int, runs: Sequence[RunMetrics]) -> Forecast:
    """The bands of runs that counted their arrivals (`Study.arrivals_at`): one forecast shape.

    `corridor simulate --out` and `reception forecast --runs` both end here,
    so a simulation's folder and a reception study are the same file.
    """
    scenario = study.scenario
    sites = destination_sites(scenario)
    index = {s: i for i, s in enumerate(sites)}
    group_index = {g.value: i for i, g in enumerate(GROUPS)}
    hours = hours_of(study.options)
    grids = np.zeros((len(runs), len(sites), hours, len(GROUPS)), dtype=np.int64)
    for r, run in enumerate(runs):
        for site, hour, group, people in run.site_arrivals:
            if site in index:
                grids[r, index[site], hour, group_index[group]] += people
    # Bands of people arrived so far, hour by hour across the runs: each run's
    # cumulative curve rises, so each band's does too, and its hourly figures
    # (the differences) add up to it. Bands of each hour's arrivals taken
    # alone would not: most hours' median is 0 when arrivals come in bursts.
    cumulated = np.cumsum(grids, axis=2)
    bands = []
    for q in BANDS:
        band = np.rint(np.percentile(cumulated, q, axis=0)).astype(np.int64)
        bands.append(np.diff(band, axis=1, prepend=0))
    label = f"simulation ({len(runs)} runs, seed {seed})"
    _check_arrivals(bands[1], f"the p50 band of the {label} brings")
    return Forecast(label, scenario.start, sites, hours, bands[0], bands[1], bands[2], len(runs))


def _check_arrivals(grid: np.ndarray, where: str) -> None:
    if int(grid.sum()) == 0:
        raise InvalidInput(f"{where} nobody to any reception site: no arrivals to forecast")


def cumulative(forecast: Forecast, band: str = "p50") -> np.ndarray:
    """People arrived by the end of each hour, per site (all groups): [site, hour]."""
    values: np.ndarray = getattr(forecast, band)
    return np.cumsum(values.sum(axis=2), axis=1)


def by_day(forecast: Forecast, days: int, band: str = "p50") -> tuple[tuple[str, ...], np.ndarray]:
    """Calendar dates and people arrived by the end of each date, per site: [site, day]."""
    start = datetime.fromisoformat(forecast.start)
    dates = tuple((start.date() + timedelta(days=d)).isoformat() for d in range(days))
    cum = cumulative(forecast, band)
    out = np.zeros((len(forecast.sites), days), dtype=np.int64)
    for d in range(days):
        end = datetime.combine(start.date() + timedelta(days=d + 1), datetime.min.time())
        hour = math.ceil((end - start).total_seconds() / 3600.0) - 1
        out[:, d] = cum[:, min(max(hour, 0), cum.shape[1] - 1)] if hour >= 0 else 0
    return dates, out
