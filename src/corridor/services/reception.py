"""Reception use cases: forecast arrivals, allocate shelters, compute Sphere needs.

One handler per use case, shared by the CLI and the API, plus the JSON views
they both render (so the two can never disagree). An allocation that leaves
anyone without a place is never returned as if it were a result: the handler
raises `Infeasible` with the shortfall by movement and group and the sites
that were full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from corridor.domain.scenario import Group, Scenario
from corridor.errors import Infeasible, InvalidInput, Shortfall
from corridor.planning.plan import Plan
from corridor.reception.allocation import TIME_LIMIT, Allocation, allocate
from corridor.reception.demand import arrival_demands, demands
from corridor.reception.forecast import GROUPS, Forecast, from_plan, from_runs, from_simulation
from corridor.reception.needs import Needs, needs
from corridor.reception.occupancy import from_allocation, from_forecast
from corridor.reception.places import places
from corridor.reception.standards import Standards, bundled_standards
from corridor.simulation.disruption import DisruptionModel
from corridor.simulation.gate import GateFactory, OpenDeal
from corridor.simulation.metrics import RunMetrics
from corridor.simulation.montecarlo import Study

BAND_NAMES = ("p10", "p50", "p90")


def _has_reception(scenario: Scenario) -> None:
    if not any(s.reception for s in scenario.sites):
        raise InvalidInput(
            f"scenario {scenario.id!r} has no reception sites: give sites a `reception` "
            "section with their shelters (docs/scenario-format.md)"
        )


def allocate_shelters(
    scenario: Scenario,
    *,
    standards: Standards | None = None,
    expand_within_hours: float = 0.0,
    time_limit: float = TIME_LIMIT,
) -> Allocation:
    """Everyone of the scenario in a shelter, or `Infeasible` naming who has no place."""
    _has_reception(scenario)
    if expand_within_hours < 0:
        raise InvalidInput(f"expand-within must be >= 0 hours, found {expand_within_hours:g}")
    if time_limit <= 0:
        raise InvalidInput(f"time-limit must be > 0 seconds, found {time_limit:g}")
    chosen = standards or bundled_standards()
    result = allocate(
        scenario,
        demands(scenario),
        places(scenario, chosen, expand_within_hours),
        time_limit=time_limit,
    )
    _refuse_unmet(result)
    return result


def _shortfalls(allocation: Allocation) -> list[Shortfall]:
    """Who has no place: by movement and group, or by arrival site and group for arrivals."""
    out = []
    for u in allocation.unmet:
        group = u.group.value + (" (elderly or disabled)" if u.near_services else "")
        sites = ", ".join(u.sites) or "none open to them"
        if u.arrived_at:
            where = f"{u.arrived_at} (arrivals of {u.movement}; sites open to them: {sites})"
        else:
            where = f"movement {u.movement}'s destinations ({sites})"
        out.append(Shortfall(group, where, u.people, u.reason))
    return out


def _refuse_unmet(allocation: Allocation, band: str = "") -> None:
    if not allocation.unmet:
        return
    shortfalls = _shortfalls(allocation)
    lines = "; ".join(str(s) for s in shortfalls)
    arriving = f" of the {band} arrivals" if band else ""
    raise Infeasible(
        f"{allocation.unmet_people:,} people{arriving} have no shelter place: {lines}", shortfalls
    )


@dataclass(frozen=True)
class ArrivalsAllocation:
    """Shelters for the people a forecast's band brings, and the p90 band's shortfall risk."""

    allocation: Allocation
    band: str
    arrivals: int
    source: str
    risk: Allocation | None = None
    """The p90 band allocated the same way (None when `band` is p90): who would lack a place."""
    risk_arrivals: int = 0


def _arrivals(scenario: Scenario, forecast: Forecast, band: str) -> dict[tuple[str, Group], int]:
    grid = np.asarray(getattr(forecast, band)).sum(axis=1)  # [site, group]
    return {
        (site, group): int(grid[i, j])
        for i, site in enumerate(forecast.sites)
        for j, group in enumerate(GROUPS)
        if grid[i, j] > 0
    }


def allocate_arrivals(
    scenario: Scenario,
    forecast: Forecast,
    *,
    band: str = "p50",
    standards: Standards | None = None,
    expand_within_hours: float = 0.0,
    time_limit: float = TIME_LIMIT,
) -> ArrivalsAllocation:
    """Everyone a forecast's `band` brings in a shelter, or `Infeasible` by site and group.

    People arriving at a site may stay there or go on to another destination
    of the movements that bring them; onward travel starts where they arrive.
    Below p90, the p90 band is allocated too and its shortfall (if any) is
    reported as the risk, never raised: the plan is for `band`.
    """
    _has_reception(scenario)
    if band not in BAND_NAMES:
        raise InvalidInput(f"band must be one of {', '.join(BAND_NAMES)}, found {band!r}")
    if expand_within_hours < 0:
        raise InvalidInput(f"expand-within must be >= 0 hours, found {expand_within_hours:g}")
    if time_limit <= 0:
        raise InvalidInput(f"time-limit must be > 0 seconds, found {time_limit:g}")
    chosen = standards or bundled_standards()
    shelters = places(scenario, chosen, expand_within_hours)

    def solve(name: str) -> tuple[Allocation, int]:
        arrivals = _arrivals(scenario, forecast, name)
        if not arrivals:
            raise InvalidInput(
                f"{forecast.source}: nobody arrives at a reception site in the {name} band: "
                "nobody to allocate"
            )
        wanted = arrival_demands(scenario, arrivals)
        return allocate(scenario, wanted, shelters, time_limit=time_limit), sum(arrivals.values())

    result, people = solve(band)
    _refuse_unmet(result, band)
    if band == "p90":
        return ArrivalsAllocation(result, band, people, forecast.source)
    if np.array_equal(forecast.p90, getattr(forecast, band)):
        # One answer (a plan, a ledger): the p90 band is the band just placed.
        return ArrivalsAllocation(result, band, people, forecast.source, result, people)
    risk, risk_people = solve("p90")
    return ArrivalsAllocation(result, band, people, forecast.source, risk, risk_people)


def forecast_arrivals(
    scenario: Scenario,
    *,
    plan: Plan | None = None,
    runs: int = 0,
    seed: int = 0,
    deal: GateFactory = OpenDeal,
    model: DisruptionModel | None = None,
) -> Forecast:
    """Arrivals per site and hour by group: from `plan`, or from `runs` simulated runs."""
    if plan is not None and plan.scenario != scenario.id:
        raise InvalidInput(f"the plan is for scenario {plan.scenario!r}, not {scenario.id!r}")
    if runs > 0:
        return from_simulation(scenario, runs, seed, model=model, deal=deal, plan=plan)
    if plan is None:
        raise InvalidInput(
            "a forecast needs a plan (--plan DIR), simulated runs (--runs N) or a ledger (--db URL)"
        )
    return from_plan(scenario, plan)


def forecast_of_runs(study: Study, seed: int, runs: Sequence[RunMetrics]) -> Forecast:
    """The forecast of a simulation's runs that counted their arrivals (`simulate --out`)."""
    return from_runs(study, seed, runs)


def study_file(scenario: Scenario, forecast: Forecast) -> tuple[dict[str, Any], dict[str, int]]:
    """A study's `forecast.json` (the forecast view with the scenario's id) and places per site.

    The scenario's id goes into the file so that `--study` can refuse another's.
    """
    view = {**forecast_view(forecast), "scenario": scenario.id}
    places = {s: sum(c.places for c in scenario.site(s).capacities) for s in forecast.sites}
    return view, places


def shelter_needs(
    scenario: Scenario,
    *,
    days: int,
    forecast: Forecast | None = None,
    band: str = "p50",
    standards: Standards | None = None,
) -> Needs:
    """Needs per site and day: occupancy from `forecast`, else everyone allocated on day one."""
    _has_reception(scenario)
    if band not in BAND_NAMES:
        raise InvalidInput(f"band must be one of p10, p50, p90, found {band!r}")
    chosen = standards or bundled_standards()
    if forecast is None:
        occupancy = from_allocation(
            allocate_shelters(scenario, standards=chosen), scenario.start, days
        )
    else:
        occupancy = from_forecast(forecast, days, band)
    return needs(scenario, occupancy, chosen)


# -- views (JSON-ready, shared by the CLI and the API) -------------------------


def arrivals_allocation_view(scenario: Scenario, result: ArrivalsAllocation) -> dict[str, Any]:
    """An allocation of a forecast's arrivals: the allocation view, its band and the p90 risk."""
    view = allocation_view(scenario, result.allocation)
    view["source"] = result.source
    view["band"] = result.band
    view["arrivals"] = result.arrivals
    if result.risk is not None:
        view["risk"] = {
            "band": "p90",
            "same_as_band": result.risk is result.allocation,
            "arrivals": result.risk_arrivals,
            "unmet": result.risk.unmet_people,
            "shortfalls": [
                {
                    "site": u.arrived_at,
                    "group": u.group.value,
                    "near_services": u.near_services,
                    "people": u.people,
                    "households": u.households,
                    "reason": u.reason,
                }
                for u in result.risk.unmet
            ],
        }
    return view


def allocation_view(scenario: Scenario, allocation: Allocation) -> dict[str, Any]:
    """The allocation as plain data: sites against capacity, placements, objectives."""
    sites: dict[str, dict[str, Any]] = {}
    for use in allocation.uses:
        entry = sites.setdefault(
            use.place.site, {"site": use.place.site, "people": 0, "places": 0, "shelters": []}
        )
        entry["people"] += use.people
        entry["places"] += use.place.places
        entry["shelters"].append(
            {
                "kind": use.place.kind,
                "people": use.people,
                "places": use.place.places,
                "standard_places": use.place.standard_places,
                "overcrowded": use.overcrowded,
            }
        )
    return {
        "scenario": scenario.id,
        "placed": allocation.placed_people,
        "unmet": allocation.unmet_people,
        "overcrowded": allocation.overcrowded_people,
        "onward_person_minutes": allocation.travel_person_minutes,
        "lower_bound": allocation.lower_bound,
        "gap": allocation.gap,
        "proved_optimal": allocation.proved_optimal,
        "seconds": round(allocation.seconds, 3),
        "sites": list(sites.values()),
        "placements": [
            {
                "movement": p.movement,
                "group": p.group.value,
                "site": p.site,
                "kind": p.kind,
                "household_size": p.size,
                "households": p.households,
                "people": p.people,
                "onward_minutes": p.minutes,
                "near_services": p.near_services,
            }
            for p in allocation.placements
        ],
        "notes": list(allocation.notes),
    }


def forecast_view(forecast: Forecast) -> dict[str, Any]:
    """Per site, the hours with arrivals, in calendar time, by group and band."""
    start = datetime.fromisoformat(forecast.start)
    rows: list[dict[str, Any]] = []
    totals = forecast.p10.sum(axis=2) + forecast.p50.sum(axis=2) + forecast.p90.sum(axis=2)
    for i, site in enumerate(forecast.sites):
        for hour in np.flatnonzero(totals[i] > 0):
            h = int(hour)
            rows.append(
                {
                    "site": site,
                    "hour": (start + timedelta(hours=h)).isoformat(timespec="minutes"),
                    **{
                        band: {
                            g.value: int(getattr(forecast, band)[i, h, j])
                            for j, g in enumerate(GROUPS)
                        }
                        for band in ("p10", "p50", "p90")
                    },
                }
            )
    return {
        "source": forecast.source,
        "runs": forecast.runs,
        "start": forecast.start,
        "sites": list(forecast.sites),
        "arrivals_p50": forecast.total("p50"),
        "hours": rows,
    }


def needs_view(result: Needs) -> dict[str, Any]:
    """Needs per site and day, each supply's available figure, and every shortfall's first day."""
    occupancy = result.occupancy
    days: list[dict[str, Any]] = []
    for i, site in enumerate(occupancy.sites):
        for d, day in enumerate(occupancy.days):
            days.append(
                {
                    "site": site,
                    "day": day,
                    "people": int(occupancy.people[i, d]),
                    "need": {
                        s.value: float(result.need[i, d, j]) for j, s in enumerate(result.supplies)
                    },
                    "available": {
                        s.value: None
                        if np.isnan(result.available[i, d, j])
                        else float(result.available[i, d, j])
                        for j, s in enumerate(result.supplies)
                    },
                }
            )
    return {
        "occupancy_source": occupancy.source,
        "days": days,
        "shortfalls": [
            {
                "site": s.site,
                "supply": s.supply.value,
                "from": s.day,
                "need": s.need,
                "available": s.available,
                "missing": s.missing,
            }
            for s in result.shortfalls()
        ],
        "undeclared": [{"site": site, "supply": s.value} for site, s in result.undeclared()],
    }
