"""Exact engine for small integer distances: bus flow over a time-expanded network.

For a candidate makespan T, every place (pickup point, shelter) is copied once
per time unit 0..T. A bus is one unit of flow from its depot to the copy of
its first pickup at its arrival time, then along loaded legs (pickup at t to
shelter at t + d) and empty legs (shelter at t to pickup at t + d); it may stop
at any shelter. Buses never need to wait (there are no windows), so every
path in this acyclic network is a route ending by T, and every route is a
path: the model is exact and, unlike trip counts, needs no connectivity
constraints. People ride loaded legs only (`people <= seats * buses` on each),
so no people flow across nodes is needed. Feasibility grows with T, so T is
scanned upward from the lower bound: the first feasible T is the optimum, and
every T proven infeasible raises the bound. The network grows with T, so this
engine is used only when distances are small integers (the random sets).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from corridor.planning.bep.bounds import earliest_arrivals
from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.plan import BepPlan, BepTrip, Route

ARC_LIMIT = 60_000
"""Largest time-expanded network (loaded legs) this engine will build."""


@dataclass(frozen=True)
class TimedOutcome:
    """Optimal plan if found, and the largest makespan proven impossible plus one."""

    plan: BepPlan | None
    bound: int


def network_size(instance: BepInstance, horizon: int) -> int:
    """Number of loaded-leg arcs the network for `horizon` would have (an upper estimate)."""
    return instance.pickups * instance.shelters * (horizon + 1)


Loaded = tuple[int, int, int]  # pickup, departure time, shelter
Empty = tuple[int, int, int]  # shelter, departure time, pickup


def _feasible(
    inst: BepInstance, horizon: int, time_limit: float, seed: int, workers: int
) -> tuple[int, BepPlan | None]:
    """CP-SAT status and, when feasible, a plan ending by `horizon`."""
    n_p, n_s = inst.pickups, inst.shelters
    t = inst.pickup_to_shelter
    at_pickup, at_shelter = earliest_arrivals(inst)
    reach_p = [int(at_pickup[:, j].min()) for j in range(n_p)]
    reach_s = [int(at_shelter[:, k].min()) for k in range(n_s)]
    finish_from = [min(t[j]) for j in range(n_p)]
    model = cp_model.CpModel()
    fleet = inst.buses
    start: dict[tuple[int, int], cp_model.IntVar] = {}
    loaded: dict[Loaded, cp_model.IntVar] = {}
    people: dict[Loaded, cp_model.IntVar] = {}
    empty: dict[Empty, cp_model.IntVar] = {}
    into_p: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    into_s: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    out_p: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    out_s: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for d, count in enumerate(inst.buses_at_depot):
        if count == 0:
            continue
        for j in range(n_p):
            arrive = inst.depot_to_pickup[d][j]
            if arrive + finish_from[j] <= horizon and inst.demand[j] > 0:
                var = model.new_int_var(0, count, f"start{d}_{j}")
                start[d, j] = var
                into_p[j, arrive].append(var)
        model.add(sum(v for (dd, _), v in start.items() if dd == d) <= count)
    for j in range(n_p):
        for when in range(reach_p[j], horizon + 1):
            for k in range(n_s):
                end = when + t[j][k]
                if end > horizon:
                    continue
                var = model.new_int_var(0, fleet, f"x{j}_{when}_{k}")
                loaded[j, when, k] = var
                out_p[j, when].append(var)
                into_s[k, end].append(var)
                w = model.new_int_var(0, min(inst.demand[j], inst.capacity[k]), f"w{j}_{when}_{k}")
                model.add(w <= inst.seats * var)
                people[j, when, k] = w
    for k in range(n_s):
        for when in range(reach_s[k], horizon + 1):
            for j in range(n_p):
                end = when + t[j][k]
                if end + finish_from[j] > horizon:
                    continue
                var = model.new_int_var(0, fleet, f"y{k}_{when}_{j}")
                empty[k, when, j] = var
                out_s[k, when].append(var)
                into_p[j, end].append(var)
    for node in set(into_p) | set(out_p):
        model.add(sum(into_p.get(node, [])) == sum(out_p.get(node, [])))
    for node in set(into_s) | set(out_s):
        model.add(sum(into_s.get(node, [])) >= sum(out_s.get(node, [])))
    for j in range(n_p):
        model.add(sum(w for (jj, _, _), w in people.items() if jj == j) == inst.demand[j])
    for k in range(n_s):
        model.add(sum(w for (_, _, kk), w in people.items() if kk == k) <= inst.capacity[k])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = max(1, min(workers, 2))
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return int(status), None
    return int(status), _paths(
        inst,
        starts={key: int(solver.value(v)) for key, v in start.items()},
        loaded={key: int(solver.value(v)) for key, v in loaded.items()},
        people={key: int(solver.value(v)) for key, v in people.items()},
        empty={key: int(solver.value(v)) for key, v in empty.items()},
    )


def _paths(
    inst: BepInstance,
    starts: dict[tuple[int, int], int],
    loaded: dict[Loaded, int],
    people: dict[Loaded, int],
    empty: dict[Empty, int],
) -> BepPlan:
    """Split the bus flow into one path per bus and share people over the trips."""
    t = inst.pickup_to_shelter
    by_pickup: dict[tuple[int, int], list[Loaded]] = defaultdict(list)
    for key in sorted(loaded):
        by_pickup[key[0], key[1]].append(key)
    by_shelter: dict[tuple[int, int], list[Empty]] = defaultdict(list)
    for key in sorted(empty):
        by_shelter[key[0], key[1]].append(key)
    routes: list[Route] = []
    for depot in inst.bus_depot:
        first = next((j for (d, j), n in sorted(starts.items()) if d == depot and n > 0), None)
        if first is None:
            routes.append(())
            continue
        starts[depot, first] -= 1
        trips: list[BepTrip] = []
        pickup, when = first, inst.depot_to_pickup[depot][first]
        while True:
            leg = next(key for key in by_pickup[pickup, when] if loaded[key] > 0)
            loaded[leg] -= 1
            _, _, shelter = leg
            load = min(inst.seats, people[leg])
            people[leg] -= load
            trips.append(BepTrip(pickup, shelter, load))
            when += t[pickup][shelter]
            onward = next((key for key in by_shelter[shelter, when] if empty[key] > 0), None)
            if onward is None:
                break
            empty[onward] -= 1
            pickup = onward[2]
            when += t[pickup][shelter]
        while trips and trips[-1].load == 0:
            trips.pop()
        routes.append(tuple(trips))
    return BepPlan(tuple(routes))


def solve_timed(
    instance: BepInstance,
    low: int,
    high: int,
    time_limit: float,
    seed: int = 0,
    workers: int = 2,
) -> TimedOutcome:
    """Scan makespans low..high-1; return the first feasible plan and the proven bound."""
    deadline = time.perf_counter() + time_limit
    bound = low
    for horizon in range(low, high):
        remaining = deadline - time.perf_counter()
        if remaining <= 0.01 or network_size(instance, horizon) > ARC_LIMIT:
            break
        status, plan = _feasible(instance, horizon, remaining, seed, workers)
        if plan is not None:
            return TimedOutcome(plan=plan, bound=horizon)
        if status != cp_model.INFEASIBLE:
            break
        bound = horizon + 1
    return TimedOutcome(plan=None, bound=bound)
