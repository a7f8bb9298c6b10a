"""Exact BEP engine: CP-SAT over trip counts, with a route-structure argument.

Instead of sequencing trips, each bus gets counts: `x[b,j,k]` loaded trips from
pickup j to shelter k, `y[b,k,j]` empty legs from shelter k to pickup j, one
first pickup `f[b,j]` and one last shelter `l[b,k]`. Why counts suffice: a
route is a walk depot -> p1 -> s1 -> p2 -> ... -> s_n, i.e. an Eulerian trail
from p1 to s_n in the directed multigraph of its legs. Such a trail exists
exactly when every node balances (in = out, except +1 out at p1 and +1 in at
s_n) and the legs used form one connected piece; the route time is the sum of
the legs, whatever their order. Balance is linear. Connectivity is a
single-commodity flow: the first pickup supplies it, every node the bus
touches keeps one unit, and flow may only run along legs the bus uses.
Without it the model lets a bus "teleport" between disconnected shuttle
cycles and undercuts the true optimum. Hierholzer's algorithm turns counts
back into an ordered route.

People are not split per bus: `w[j,k]` people travel from j to k and must fit
the `seats * sum_b x[b,j,k]` seats offered on that pair, which is exact
because trips on one pair are interchangeable.

Symmetry: buses at one depot are identical, so their route times are forced
to be non-increasing in bus order. At most two workers are used.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.plan import BepPlan, BepTrip, Route

Legs = tuple[int, dict[int, list[int]], dict[int, list[int]]]


@dataclass(frozen=True)
class ExactOutcome:
    """Best plan found (if any), the proven bound, and whether it is optimal."""

    plan: BepPlan | None
    bound: int
    optimal: bool


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[int, int, int], cp_model.IntVar]
    y: dict[tuple[int, int, int], cp_model.IntVar]
    first: dict[tuple[int, int], cp_model.IntVar]
    last: dict[tuple[int, int], cp_model.IntVar]
    people: dict[tuple[int, int], cp_model.IntVar]


def _connect(model: cp_model.CpModel, inst: BepInstance, b: int, m: _Model) -> None:
    """One piece: a flow leaves the first pickup and every touched node keeps one unit."""
    n_p, n_s = inst.pickups, inst.shelters
    x, y, first = m.x, m.y, m.first
    cap = n_p + n_s
    touched_p = [model.new_bool_var(f"ap{b}_{j}") for j in range(n_p)]
    touched_s = [model.new_bool_var(f"as{b}_{k}") for k in range(n_s)]
    for j in range(n_p):
        out = sum(x[b, j, k] for k in range(n_s))
        model.add(out >= 1).only_enforce_if(touched_p[j])
        model.add(out == 0).only_enforce_if(~touched_p[j])
    for k in range(n_s):
        inn = sum(x[b, j, k] for j in range(n_p))
        model.add(inn >= 1).only_enforce_if(touched_s[k])
        model.add(inn == 0).only_enforce_if(~touched_s[k])
    forward: dict[tuple[int, int], cp_model.IntVar] = {}
    backward: dict[tuple[int, int], cp_model.IntVar] = {}
    for j in range(n_p):
        for k in range(n_s):
            edge = model.new_bool_var(f"e{b}_{j}_{k}")
            model.add(x[b, j, k] + y[b, k, j] >= 1).only_enforce_if(edge)
            model.add(x[b, j, k] + y[b, k, j] == 0).only_enforce_if(~edge)
            forward[j, k] = model.new_int_var(0, cap, f"g{b}_{j}_{k}")
            backward[k, j] = model.new_int_var(0, cap, f"h{b}_{k}_{j}")
            model.add(forward[j, k] <= cap * edge)
            model.add(backward[k, j] <= cap * edge)
    for j in range(n_p):
        supply = model.new_int_var(0, cap, f"s{b}_{j}")
        model.add(supply <= cap * first[b, j])
        model.add(
            supply
            + sum(backward[k, j] for k in range(n_s))
            - sum(forward[j, k] for k in range(n_s))
            == touched_p[j]
        )
    for k in range(n_s):
        model.add(
            sum(forward[j, k] for j in range(n_p)) - sum(backward[k, j] for j in range(n_p))
            == touched_s[k]
        )


def _build(inst: BepInstance, lower_bound: int, upper_bound: int) -> _Model:
    n_p, n_s = inst.pickups, inst.shelters
    a, t = inst.depot_to_pickup, inst.pickup_to_shelter
    depots = inst.bus_depot
    model = cp_model.CpModel()
    # Cap on legs per bus and pair: a trip that carries anyone moves at least
    # one person, so no pair needs more loaded trips than there are people.
    total_trips = inst.people
    makespan = model.new_int_var(lower_bound, max(upper_bound, lower_bound), "makespan")
    m = _Model(model, {}, {}, {}, {}, {})
    times: list[cp_model.LinearExprT] = []
    for b, d in enumerate(depots):
        for j in range(n_p):
            m.first[b, j] = model.new_bool_var(f"f{b}_{j}")
            for k in range(n_s):
                m.x[b, j, k] = model.new_int_var(0, total_trips, f"x{b}_{j}_{k}")
                m.y[b, k, j] = model.new_int_var(0, total_trips, f"y{b}_{k}_{j}")
        for k in range(n_s):
            m.last[b, k] = model.new_bool_var(f"l{b}_{k}")
        x, y, first, last = m.x, m.y, m.first, m.last
        used = model.new_bool_var(f"used{b}")
        model.add(sum(first[b, j] for j in range(n_p)) == used)
        model.add(sum(last[b, k] for k in range(n_s)) == used)
        trips_b = sum(x[b, j, k] for j in range(n_p) for k in range(n_s))
        model.add(trips_b >= 1).only_enforce_if(used)
        model.add(trips_b == 0).only_enforce_if(~used)
        for j in range(n_p):
            model.add(
                sum(y[b, k, j] for k in range(n_s)) + first[b, j]
                == sum(x[b, j, k] for k in range(n_s))
            )
        for k in range(n_s):
            model.add(
                sum(x[b, j, k] for j in range(n_p))
                == sum(y[b, k, j] for j in range(n_p)) + last[b, k]
            )
        _connect(model, inst, b, m)
        route = sum(a[d][j] * first[b, j] for j in range(n_p)) + sum(
            t[j][k] * (x[b, j, k] + y[b, k, j]) for j in range(n_p) for k in range(n_s)
        )
        times.append(route)
        model.add(route <= makespan)
    for b in range(1, len(depots)):
        if depots[b] == depots[b - 1]:
            model.add(times[b - 1] >= times[b])
    for j in range(n_p):
        for k in range(n_s):
            w = model.new_int_var(0, min(inst.demand[j], inst.capacity[k]), f"w{j}_{k}")
            m.people[j, k] = w
            model.add(w <= inst.seats * sum(m.x[b, j, k] for b in range(len(depots))))
    for j in range(n_p):
        model.add(sum(m.people[j, k] for k in range(n_s)) == inst.demand[j])
    for k in range(n_s):
        model.add(sum(m.people[j, k] for j in range(n_p)) <= inst.capacity[k])
    model.minimize(makespan)
    return m


def solve_exact(
    instance: BepInstance,
    time_limit: float,
    seed: int = 0,
    hint: BepPlan | None = None,
    lower_bound: int = 0,
    workers: int = 2,
    params: dict[str, object] | None = None,
) -> ExactOutcome:
    """Minimise the makespan with CP-SAT within `time_limit` seconds."""
    inst = instance
    deadline = time.perf_counter() + time_limit
    upper = hint.makespan(inst) if hint is not None else _horizon(inst)
    remaining = deadline - time.perf_counter()
    if remaining <= 0.01:
        return ExactOutcome(plan=None, bound=lower_bound, optimal=False)
    m = _build(inst, lower_bound, upper)
    if hint is not None:
        _add_hint(m, inst, hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = remaining
    solver.parameters.num_workers = max(1, min(workers, 2))
    solver.parameters.random_seed = seed
    for name, value in (params or {}).items():
        setattr(solver.parameters, name, value)
    status = solver.solve(m.model)
    if status == cp_model.INFEASIBLE:
        # The hint's plan fits the model, so this cannot happen with a hint;
        # claim nothing beyond the bound we were given.
        return ExactOutcome(plan=None, bound=lower_bound, optimal=False)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactOutcome(plan=None, bound=lower_bound, optimal=False)
    bound = max(lower_bound, round(solver.best_objective_bound))
    plan = _extract(inst, solver, m, _legs(inst, solver, m))
    return ExactOutcome(plan=plan, bound=bound, optimal=status == cp_model.OPTIMAL)


def _horizon(inst: BepInstance) -> int:
    """A makespan no plan needs to exceed: one bus doing every trip on the longest legs."""
    trips = sum(inst.trips_needed(j) for j in range(inst.pickups))
    longest_leg = max((max(row) for row in inst.pickup_to_shelter), default=0)
    longest_start = max((max(row) for row in inst.depot_to_pickup), default=0)
    return longest_start + 2 * trips * longest_leg


def _add_hint(m: _Model, inst: BepInstance, hint: BepPlan) -> None:
    """Hint CP-SAT with a known plan's counts."""
    moved: dict[tuple[int, int], int] = defaultdict(int)
    for b, route in enumerate(hint.routes):
        xs: dict[tuple[int, int], int] = defaultdict(int)
        ys: dict[tuple[int, int], int] = defaultdict(int)
        for i, trip in enumerate(route):
            xs[trip.pickup, trip.shelter] += 1
            moved[trip.pickup, trip.shelter] += trip.load
            if i > 0:
                ys[route[i - 1].shelter, trip.pickup] += 1
        for j in range(inst.pickups):
            m.model.add_hint(m.first[b, j], bool(route) and route[0].pickup == j)
            for k in range(inst.shelters):
                m.model.add_hint(m.x[b, j, k], xs[j, k])
                m.model.add_hint(m.y[b, k, j], ys[k, j])
        for k in range(inst.shelters):
            m.model.add_hint(m.last[b, k], bool(route) and route[-1].shelter == k)
    for (j, k), var in m.people.items():
        m.model.add_hint(var, moved[j, k])


def _legs(inst: BepInstance, solver: cp_model.CpSolver, m: _Model) -> list[Legs | None]:
    """Per bus: first pickup, loaded legs by pickup, empty legs by shelter."""
    out: list[Legs | None] = []
    for b in range(inst.buses):
        start = next((j for j in range(inst.pickups) if solver.value(m.first[b, j])), None)
        if start is None:
            out.append(None)
            continue
        loaded = {
            j: [k for k in range(inst.shelters) for _ in range(int(solver.value(m.x[b, j, k])))]
            for j in range(inst.pickups)
        }
        empty = {
            k: [j for j in range(inst.pickups) for _ in range(int(solver.value(m.y[b, k, j])))]
            for k in range(inst.shelters)
        }
        out.append((start, loaded, empty))
    return out


def _extract(
    inst: BepInstance, solver: cp_model.CpSolver, m: _Model, legs: list[Legs | None]
) -> BepPlan:
    """Order each bus's legs into a route (Hierholzer) and share people over trips."""
    to_move = {key: int(solver.value(var)) for key, var in m.people.items()}
    routes: list[Route] = []
    for bus_legs in legs:
        trips: list[BepTrip] = []
        if bus_legs is not None:
            for j, k in _euler(*bus_legs):
                load = min(inst.seats, to_move[j, k])
                to_move[j, k] -= load
                trips.append(BepTrip(j, k, load))
        while trips and trips[-1].load == 0:
            trips.pop()
        routes.append(tuple(trips))
    return BepPlan(tuple(routes))


def _euler(
    start: int, loaded: dict[int, list[int]], empty: dict[int, list[int]]
) -> list[tuple[int, int]]:
    """Eulerian trail over alternating pickup/shelter legs, as (pickup, shelter) trips."""
    out: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for j, shelters in loaded.items():
        out["p", j] = [("s", k) for k in shelters]
    for k, pickups in empty.items():
        out["s", k] = [("p", j) for j in pickups]
    stack = [("p", start)]
    trail: list[tuple[str, int]] = []
    while stack:
        node = stack[-1]
        edges = out.get(node)
        if edges:
            stack.append(edges.pop())
        else:
            trail.append(stack.pop())
    trail.reverse()
    return [(trail[i][1], trail[i + 1][1]) for i in range(0, len(trail) - 1, 2)]
