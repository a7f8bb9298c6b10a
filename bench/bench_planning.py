"""Scenario planning: the bundled East Aleppo scenario must plan within 5 seconds.

Reports, per bundled scenario, clearance time, lower bound (and each bound),
gap, person-hours waiting and wall time from scenario file to plan (reading the
file and its agreement, model, search, bounds), as `corridor plan` does. The
search's time limit is set so the whole plan fits the budget.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.scenario_file import bundled_path, load_scenario_document
from corridor.errors import NotFound
from corridor.planning.fleet.engine import plan_scenario
from corridor.planning.model import build_model
from corridor.planning.terms import pacings_of, stagings_of, windows_of

BUDGET_SECONDS = 5.0
SEARCH_SECONDS = 3.5
"""Time limit of the search; model building and bounds take the rest of the budget."""


def _one(name: str, seed: int) -> dict[str, Any]:
    path = bundled_path(name)
    started = time.perf_counter()
    document = load_scenario_document(path)
    try:
        agreement = agreement_of(document, path).agreement
        pacings, stagings = pacings_of(agreement), stagings_of(agreement)
        windows = windows_of(agreement, document.scenario.start)
    except NotFound:
        pacings, windows, stagings = (), {}, ()
    model = build_model(document.scenario, pacings, windows, stagings)
    plan = plan_scenario(model, time_limit=SEARCH_SECONDS, seed=seed)
    seconds = time.perf_counter() - started
    return {
        "scenario": name,
        "people": plan.people_moved(),
        "vehicles": len(plan.vehicles),
        "trips": len(plan.trips),
        "makespan_minutes": plan.makespan,
        "makespan_hours": round(plan.makespan / 60, 2),
        "lower_bound_minutes": round(plan.lower_bound, 2),
        "gap": round(plan.gap, 5),
        "proved_optimal": plan.proved_optimal,
        "person_hours_waiting": round(plan.person_hours_waiting, 1),
        "engine": plan.engine,
        "bounds": {b.name: round(b.minutes, 2) for b in plan.bounds},
        "seconds": round(seconds, 3),
    }


def run(quick: bool) -> dict[str, Any]:
    repeats = 1 if quick else 3
    results: dict[str, Any] = {"budget_seconds": BUDGET_SECONDS, "scenarios": {}}
    for name in ("east-aleppo-2016", "tiny"):
        runs = [_one(name, seed) for seed in range(repeats)]
        best = min(runs, key=lambda r: (r["makespan_minutes"], r["person_hours_waiting"]))
        best["seconds_median"] = statistics.median(r["seconds"] for r in runs)
        best["seconds_max"] = max(r["seconds"] for r in runs)
        best["within_budget"] = best["seconds_max"] <= BUDGET_SECONDS
        best["seeds"] = repeats
        results["scenarios"][name] = best
    return results
