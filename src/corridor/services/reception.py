"""Reception use cases: forecast arrivals, allocate shelters, compute Sphere needs.

One handler per use case, shared by the CLI and the API, plus the JSON views
they both render (so the two can never disagree). An allocation that leaves
anyone without a place is never returned as if it were a result: the handler
raises `Infeasible` with the shortfall by movement and group and the sites
that were full.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np

from corridor.domain.scenario import Scenario
from corridor.errors import Infeasible, InvalidInput, Shortfall
from corridor.planning.plan import Plan
from corridor.reception.allocation import TIME_LIMIT, Allocation, allocate
from corridor.reception.demand import demands
from corridor.reception.forecast import GROUPS, Forecast, from_plan, from_simulation
from corridor.reception.needs import Needs, needs
from corridor.reception.occupancy import from_allocation, from_forecast
from corridor.reception.places import places
from corridor.reception.standards import Standards, bundled_standards
from corridor.simulation.disruption import DisruptionModel
from corridor.simulation.gate import GateFactory, OpenDeal


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
    if result.unmet:
        shortfalls = [
            Shortfall(
                u.group.value + (" (elderly or disabled)" if u.near_services else ""),
                f"{u.movement} (sites: {', '.join(u.sites) or 'none'})",
                u.people,
                u.reason,
            )
            for u in result.unmet
        ]
        lines = "; ".join(str(s) for s in shortfalls)
        raise Infeasible(
            f"{result.unmet_people:,} people have no shelter place: {lines}", shortfalls
        )
    return result


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
    if band not in ("p10", "p50", "p90"):
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
