"""Plan a scenario: construct, improve within a time limit, bound, report the gap.

The construction runs twice: soonest arrival first, and longest run first
within a nearest-destination quota. The improvement is an iterated greedy:
both are re-run with seeded random perturbations of their vehicle and load
choices, and, twice as often, a large neighbourhood search keeps the best
schedule up to a random late minute and rebuilds the rest with perturbed
choices. The best schedule (clearance time first, then person-hours waiting)
is kept. Small instances are then handed to the exact CP-SAT model, whose
proven bound joins the independent bounds. The search stops at its iteration budget, when the
clearance time meets the lower bound, or at the time limit, whichever comes
first; for a given seed the plan is the same whenever the time limit is not
what stopped it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from corridor.errors import Infeasible
from corridor.planning.fleet.bounds import lower_bounds
from corridor.planning.fleet.exact import small_enough, solve_exact
from corridor.planning.fleet.greedy import construct, nearest_quota
from corridor.planning.model import PlanningModel
from corridor.planning.plan import (
    Bound,
    Plan,
    PlannedTrip,
    PlannedVehicle,
    makespan_of,
    person_hours_waiting,
)

NOISE_LEVELS = (0.02, 0.05, 0.1, 0.2, 0.35)
ITERATIONS = 300
"""Default budget of perturbed constructions (the time limit usually ends it first)."""


@dataclass(frozen=True)
class Progress:
    """What the search reports after each schedule it tries."""

    iteration: int
    iterations: int
    makespan: float
    lower_bound: float
    person_hours_waiting: float
    seconds: float
    phase: str


ProgressCallback = Callable[[Progress], None]


def _key(trips: list[PlannedTrip]) -> tuple[float, float]:
    return (round(makespan_of(trips), 6), round(person_hours_waiting(trips), 6))


def plan_scenario(
    model: PlanningModel,
    time_limit: float = 10.0,
    seed: int = 0,
    iterations: int = ITERATIONS,
    progress: ProgressCallback | None = None,
    clock: Callable[[], float] = time.monotonic,
    exact: bool = True,
    exact_seconds: float = 5.0,
) -> Plan:
    """The best plan found for `model`, with its lower bounds and gap."""
    started = clock()
    deadline = started + time_limit
    quota = nearest_quota(model)
    starts: list[list[PlannedTrip]] = []
    failure: Infeasible | None = None
    for rule in [None] if quota is None else [None, quota]:
        try:
            starts.append(construct(model, quota=rule))
        except Infeasible as error:
            # A greedy rule can paint itself into a corner (a window closing on
            # people it left for later); another rule may still find a plan.
            failure = failure or error
    if not starts:
        assert failure is not None
        raise failure
    best = min(starts, key=_key)
    engine = "greedy"
    bounds = list(lower_bounds(model, upper=makespan_of(best)))
    floor = max(b.minutes for b in bounds)

    def report(i: int, phase: str) -> None:
        if progress is not None:
            progress(
                Progress(
                    iteration=i,
                    iterations=iterations,
                    makespan=makespan_of(best),
                    lower_bound=floor,
                    person_hours_waiting=person_hours_waiting(best),
                    seconds=clock() - started,
                    phase=phase,
                )
            )

    report(0, "construct")
    rng = random.Random(seed)
    # An iteration is not started unless the slowest one so far would still
    # fit: the time limit is a promise to the caller, not a point to stop late.
    slowest = (clock() - started) / len(starts)
    for i in range(1, iterations + 1):
        began = clock()
        if began + slowest > deadline or (
            makespan_of(best) <= floor + 1e-6 and i > iterations // 3
        ):
            break
        noise = NOISE_LEVELS[i % len(NOISE_LEVELS)]
        try:
            if i % 3 == 0:
                rule = quota if quota is not None and i % 2 == 0 else None
                candidate = construct(model, rng, noise, rule)
            else:
                # Large neighbourhood: keep the schedule up to a random minute late
                # in the operation, where clearance is decided, and rebuild the rest.
                cut = makespan_of(best) * rng.uniform(0.5, 0.97)
                kept = [t for t in best if t.depart < cut]
                candidate = construct(model, rng, noise, prefix=kept)
        except Infeasible:
            candidate = best
        if _key(candidate) < _key(best):
            best = candidate
            engine = "greedy + large neighbourhood search"
        slowest = max(slowest, clock() - began)
        report(i, "improve")

    proved = False
    if exact and small_enough(model) and clock() < deadline:
        report(iterations, "exact")
        solved = solve_exact(model, min(exact_seconds, deadline - clock()), seed, hint=best)
        if solved is not None:
            trips, bound, optimal = solved
            if _key(trips) < _key(best):
                best = trips
                engine = "CP-SAT"
            bounds.append(Bound("CP-SAT", bound, "proved by the exact model"))
            proved = optimal and makespan_of(best) <= bound + 1e-6
            floor = max(floor, bound)

    makespan = makespan_of(best)
    plan = Plan(
        scenario=model.scenario,
        vehicles=tuple(PlannedVehicle(v.id, v.kind, v.depot, v.ready) for v in model.vehicles),
        trips=tuple(sorted(best, key=lambda t: (t.depart, t.vehicle, t.sequence))),
        makespan=makespan,
        lower_bound=min(floor, makespan) if proved else floor,
        person_hours_waiting=person_hours_waiting(best),
        engine=engine,
        proved_optimal=proved or makespan <= floor + 1e-6,
        bounds=tuple(bounds),
        seed=seed,
        seconds=clock() - started,
        notes=model.notes,
    )
    report(iterations, "done")
    return plan
