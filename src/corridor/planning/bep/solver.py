"""Solve a BEP instance: pick the engines by size, combine plans and bounds.

Order of work: two constructions (earliest finish; transportation LP then
hardest trip first) give a first plan; the independent lower bounds are
computed against it; the packed hardest-first rule tries to beat it at a
target makespan between bound and plan; local search improves the plan until
it meets the bound or its share of the time runs out; on small instances the
exact engines then get the rest of the time, hinted with the heuristic plan:
CP-SAT over trip counts, then CP-SAT over the time-expanded network when
distances are small integers. The reported bound is the largest of all
bounds, so a plan is proved optimal as soon as any bound reaches it. The
result is never worse than any incumbent handed in (a plan for the same
pickup points and shelters with no more buses at any depot), which is how a
larger fleet is kept from doing worse than a smaller one.
"""

from __future__ import annotations

import time

from corridor.planning.bep.bounds import lower_bounds
from corridor.planning.bep.exact import solve_exact
from corridor.planning.bep.heuristic import construct, improve
from corridor.planning.bep.instance import BepInstance, require_feasible
from corridor.planning.bep.plan import BepPlan, BepResult, Engine, Route
from corridor.planning.bep.timed import ARC_LIMIT, network_size, solve_timed
from corridor.planning.bep.transport import construct_hardest_first, construct_packed

EXACT_SIZE_LIMIT = 1_500
"""Largest buses x pickup points x shelters handed to CP-SAT in `auto` mode."""

BOUND_SHARE = 0.4
"""Share of the time limit the LP bound's bisection may use at most."""

PACKED_SHARE = 0.6
"""Point of the time limit by which the packed construction's bisection stops."""

HEURISTIC_BEFORE_EXACT = 1.0
"""Seconds of local search at most before the exact engines take over."""

COUNT_SHARE = 0.5
"""Share of the exact engines' time given to the trip-count model before the timed one."""


def lift(plan: BepPlan, small: BepInstance, large: BepInstance) -> BepPlan:
    """A plan for `small` as a plan for `large` (same sites, more buses): extra buses idle."""
    if small.pickups != large.pickups or small.shelters != large.shelters:
        raise ValueError("plans can only be lifted between instances with the same sites")
    if any(s > g for s, g in zip(small.buses_at_depot, large.buses_at_depot, strict=True)):
        raise ValueError("the larger instance must have at least as many buses at every depot")
    by_depot: dict[int, list[Route]] = {d: [] for d in range(small.depots)}
    for depot, route in zip(small.bus_depot, plan.routes, strict=True):
        by_depot[depot].append(route)
    routes: list[Route] = []
    for depot in large.bus_depot:
        queue = by_depot[depot]
        routes.append(queue.pop(0) if queue else ())
    return BepPlan(tuple(routes))


def solve_bep(
    instance: BepInstance,
    time_limit: float = 10.0,
    seed: int = 0,
    engine: Engine = Engine.AUTO,
    incumbents: tuple[BepPlan, ...] = (),
) -> BepResult:
    """Best plan found within `time_limit` seconds, with its lower bound."""
    started = time.perf_counter()
    deadline = started + time_limit
    require_feasible(instance)
    if instance.people == 0:
        empty = BepPlan(tuple(() for _ in range(instance.buses)))
        return BepResult(instance, empty, 0, 0, time.perf_counter() - started, "none")
    size = instance.buses * instance.pickups * instance.shelters
    use_exact = engine is Engine.EXACT or (engine is Engine.AUTO and size <= EXACT_SIZE_LIMIT)

    plan = min(
        (construct(instance), construct_hardest_first(instance), *incumbents),
        key=lambda candidate: candidate.makespan(instance),
    )
    bounds = lower_bounds(
        instance, plan.makespan(instance), deadline=started + time_limit * BOUND_SHARE
    )
    bound = max(bounds.values())
    if plan.makespan(instance) > bound:
        packed = construct_packed(
            instance, bound, plan.makespan(instance), deadline=started + time_limit * PACKED_SHARE
        )
        if packed is not None and packed.makespan(instance) < plan.makespan(instance):
            plan = packed
    used = "heuristic"
    if plan.makespan(instance) > bound:
        left = deadline - time.perf_counter()
        budget = max(0.0, min(HEURISTIC_BEFORE_EXACT, 0.1 * left) if use_exact else left)
        plan = improve(instance, plan, budget, seed=seed, target=bound)
    if use_exact and plan.makespan(instance) > bound:
        used = "exact"
        share = COUNT_SHARE if network_size(instance, bound) <= ARC_LIMIT else 1.0
        outcome = solve_exact(
            instance,
            max(0.05, (deadline - time.perf_counter()) * share),
            seed=seed,
            hint=plan,
            lower_bound=bound,
        )
        if outcome.plan is not None and outcome.plan.makespan(instance) <= plan.makespan(instance):
            plan = outcome.plan
        if outcome.optimal and outcome.plan is not None:
            bound = max(bound, outcome.plan.makespan(instance))
        bound = max(bound, outcome.bound)
        bounds["cp_sat_counts"] = outcome.bound
    if use_exact and plan.makespan(instance) > bound:
        timed = solve_timed(
            instance,
            bound,
            plan.makespan(instance),
            max(0.05, deadline - time.perf_counter()),
            seed=seed,
        )
        if timed.plan is not None and timed.plan.makespan(instance) <= plan.makespan(instance):
            plan = timed.plan
            bound = max(bound, plan.makespan(instance))
        bound = max(bound, timed.bound)
        bounds["cp_sat_timed"] = timed.bound
    makespan = plan.makespan(instance)
    return BepResult(
        instance=instance,
        plan=plan,
        makespan=makespan,
        lower_bound=min(bound, makespan),
        seconds=time.perf_counter() - started,
        engine=used,
        bounds=tuple(sorted(bounds.items())),
    )
