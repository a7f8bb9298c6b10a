"""Lower bounds on the BEP makespan, computed without looking at any plan.

- single trip: every pickup point with people must be reached from some depot
  and its people driven to some shelter with room;
- fleet round trip: the trips needed, spread over the fleet, force some bus to
  make at least ceil(trips / buses) trips, each one at least the shortest leg
  loaded and the shortest leg back;
- time-budget LP (HiGHS): for a candidate makespan T, trips split by depot into
  first trips (charged depot-to-pickup plus loaded leg) and later trips
  (charged the shortest empty leg into the pickup plus the loaded leg); every
  trip that cannot finish by T is removed; the people must fit the trips and
  the shelters; a depot has at most as many first trips as buses, and its
  trips must fit in T times its first trips (each bus that drives makes
  exactly one first trip and has T of time). The LP is
  monotone in T, so bisection over the integers gives the smallest feasible T.
  Distances are integers, so every bound is rounded up.
A flow-over-time bound needs a capacity on flow (a checkpoint or corridor
rate); BEP files have none, so it does not apply here.
"""

from __future__ import annotations

import time

import highspy
import numpy as np

from corridor.planning.bep.instance import BepInstance
from corridor.planning.highs import new_highs, solved


def earliest_arrivals(instance: BepInstance) -> tuple[np.ndarray, np.ndarray]:
    """Earliest time a bus from each depot can stand at each pickup and each shelter.

    Distances need not obey the triangle inequality, so a detour through other
    pickup points and shelters can beat the direct road; this is a shortest
    path over depot, pickup and shelter nodes (D x P and D x S arrays).
    """
    a = np.array(instance.depot_to_pickup, dtype=np.int64).reshape(
        instance.depots, instance.pickups
    )
    t = np.array(instance.pickup_to_shelter, dtype=np.int64).reshape(
        instance.pickups, instance.shelters
    )
    at_pickup = a.copy()
    at_shelter = np.min(at_pickup[:, :, None] + t[None, :, :], axis=1)
    while True:
        via = np.min(at_shelter[:, None, :] + t[None, :, :], axis=2)
        new_pickup = np.minimum(at_pickup, via)
        new_shelter = np.min(new_pickup[:, :, None] + t[None, :, :], axis=1)
        if np.array_equal(new_pickup, at_pickup) and np.array_equal(new_shelter, at_shelter):
            return at_pickup, at_shelter
        at_pickup, at_shelter = new_pickup, new_shelter


def single_trip_bound(instance: BepInstance) -> int:
    """Largest over pickup points of the earliest arrival there plus the shortest drop."""
    depots = [d for d, n in enumerate(instance.buses_at_depot) if n > 0]
    shelters = [k for k, c in enumerate(instance.capacity) if c > 0]
    if not depots or not shelters or instance.pickups == 0:
        return 0
    at_pickup, _ = earliest_arrivals(instance)
    best = 0
    for j, people in enumerate(instance.demand):
        if people <= 0:
            continue
        reach = min(int(at_pickup[d, j]) for d in depots)
        drop = min(instance.pickup_to_shelter[j][k] for k in shelters)
        best = max(best, reach + drop)
    return best


def round_trip_bound(instance: BepInstance) -> int:
    """Some bus makes ceil(trips / buses) trips: first trip plus shortest round trips."""
    if instance.buses == 0 or instance.people == 0:
        return 0
    pickups = [j for j, people in enumerate(instance.demand) if people > 0]
    depots = [d for d, n in enumerate(instance.buses_at_depot) if n > 0]
    trips = sum(instance.trips_needed(j) for j in pickups)
    per_bus = -(-trips // instance.buses)
    distances = instance.pickup_to_shelter
    first = min(instance.depot_to_pickup[d][j] + min(distances[j]) for d in depots for j in pickups)
    shortest = min(min(distances[j]) for j in pickups)
    return first + (per_bus - 1) * 2 * shortest


def new_lp_highs() -> highspy.Highs:
    """HiGHS for the bound LPs: the interior point method is the fastest here."""
    highs = new_highs()
    highs.setOptionValue("solver", "ipm")
    return highs


class _BudgetLp:
    """The time-budget LP for one instance; `feasible(T)` builds and solves it."""

    def __init__(self, instance: BepInstance) -> None:
        self.instance = instance
        a = np.array(instance.depot_to_pickup, dtype=np.int64)  # D x P
        t = np.array(instance.pickup_to_shelter, dtype=np.int64)  # P x S
        self.first_cost = a[:, :, None] + t[None, :, :]  # D x P x S
        # Earliest a bus from depot d can start a later trip at pickup j: it
        # stands at some shelter (after at least one trip) and drives empty.
        _, ready = earliest_arrivals(instance)  # D x S
        arrive = np.min(ready[:, None, :] + t[None, :, :], axis=2)  # D x P
        self.later_finish = arrive[:, :, None] + t[None, :, :]  # D x P x S
        self.ready = ready
        self.legs = t

    def feasible(self, horizon: int) -> bool:
        inst = self.instance
        depots, pickups, shelters = inst.depots, inst.pickups, inst.shelters
        t = self.legs
        fleet = np.array(inst.buses_at_depot)[:, None, None]
        first_ok = (self.first_cost <= horizon) & (fleet > 0)
        later_ok = (self.later_finish <= horizon) & (fleet > 0)
        # Empty leg k -> j is useful only if a loaded trip from j can still end by T.
        empty_ok = (
            self.ready[:, :, None] + t.T[None, :, :] + t.min(axis=1)[None, None, :] <= horizon
        ) & (fleet > 0)
        columns: list[tuple[str, int, int, int]] = []
        for d in range(depots):
            for j in range(pickups):
                for k in range(shelters):
                    if first_ok[d, j, k]:
                        columns.append(("first", d, j, k))
                    if later_ok[d, j, k]:
                        columns.append(("later", d, j, k))
                    if empty_ok[d, k, j]:
                        columns.append(("empty", d, j, k))
        people_base = len(columns)
        total = people_base + pickups * shelters
        highs = new_lp_highs()
        inf = highspy.kHighsInf
        highs.addCols(
            total,
            np.zeros(total),
            np.zeros(total),
            np.full(total, inf),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        rows: list[tuple[float, float, list[int], list[float]]] = []

        def people(j: int, k: int) -> int:
            return people_base + j * shelters + k

        for j in range(pickups):
            idx = [people(j, k) for k in range(shelters)]
            rows.append((inst.demand[j], inst.demand[j], idx, [1.0] * shelters))
        for k in range(shelters):
            idx = [people(j, k) for j in range(pickups)]
            rows.append((-inf, inst.capacity[k], idx, [1.0] * pickups))
        carry: dict[tuple[int, int], list[int]] = {}
        by_pickup: dict[int, list[int]] = {}
        first_by_depot: dict[int, list[int]] = {}
        budget: dict[int, tuple[list[int], list[float]]] = {}
        # Per depot: later trips from j arrive by empty legs into j; empty legs
        # leave k no more often than trips of that depot's buses end at k.
        at_pickup: dict[tuple[int, int], tuple[list[int], list[float]]] = {}
        at_shelter: dict[tuple[int, int], tuple[list[int], list[float]]] = {}
        for c, (kind, d, j, k) in enumerate(columns):
            idx, val = budget.setdefault(d, ([], []))
            idx.append(c)
            pick_idx, pick_val = at_pickup.setdefault((d, j), ([], []))
            shel_idx, shel_val = at_shelter.setdefault((d, k), ([], []))
            if kind == "empty":
                val.append(float(t[j, k]))
                pick_idx.append(c)
                pick_val.append(1.0)
                shel_idx.append(c)
                shel_val.append(1.0)
                continue
            carry.setdefault((j, k), []).append(c)
            by_pickup.setdefault(j, []).append(c)
            shel_idx.append(c)
            shel_val.append(-1.0)
            if kind == "first":
                first_by_depot.setdefault(d, []).append(c)
                # Each bus that drives has one first trip and T of time, so a
                # depot's work is at most T times its first trips.
                val.append(float(self.first_cost[d, j, k] - horizon))
            else:
                val.append(float(t[j, k]))
                pick_idx.append(c)
                pick_val.append(-1.0)
        for j in range(pickups):
            for k in range(shelters):
                trips = carry.get((j, k), [])
                idx = [people(j, k), *trips]
                rows.append((-inf, 0.0, idx, [1.0] + [-float(inst.seats)] * len(trips)))
        for j in range(pickups):
            need = inst.trips_needed(j)
            if need:
                idx = by_pickup.get(j, [])
                rows.append((need, inf, idx, [1.0] * len(idx)))
        for d, (idx, val) in budget.items():
            rows.append((-inf, 0.0, idx, val))
            firsts = first_by_depot.get(d, [])
            rows.append((-inf, float(inst.buses_at_depot[d]), firsts, [1.0] * len(firsts)))
        for idx, val in at_pickup.values():
            rows.append((0.0, 0.0, idx, val))
        for idx, val in at_shelter.values():
            rows.append((-inf, 0.0, idx, val))
        self._add_rows(highs, rows)
        solved(highs)
        return bool(highs.getModelStatus() == highspy.HighsModelStatus.kOptimal)

    @staticmethod
    def _add_rows(
        highs: highspy.Highs, rows: list[tuple[float, float, list[int], list[float]]]
    ) -> None:
        starts: list[int] = []
        indices: list[int] = []
        values: list[float] = []
        for _, _, idx, val in rows:
            starts.append(len(indices))
            indices.extend(idx)
            values.extend(val)
        highs.addRows(
            len(rows),
            np.array([r[0] for r in rows], dtype=np.float64),
            np.array([r[1] for r in rows], dtype=np.float64),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values, dtype=np.float64),
        )


def budget_lp_bound(
    instance: BepInstance, low: int, high: int, deadline: float | None = None
) -> int:
    """Smallest integer T in [low, high] at which the time-budget LP is feasible.

    With a `deadline` (perf_counter seconds) the bisection may stop early; the
    answer is then the proven `low + 1`, still a valid bound.
    """
    if instance.people == 0 or instance.buses == 0 or instance.seats <= 0:
        return low
    lp = _BudgetLp(instance)
    if lp.feasible(low):
        return low
    # Invariant: infeasible at `low`, and `high` is a known makespan (feasible).
    # Long distances (metres) stop at a 0.2% bracket: the bound is then low + 1.
    while high - low > max(1, high // 500):
        if deadline is not None and time.perf_counter() > deadline:
            break
        middle = (low + high) // 2
        if lp.feasible(middle):
            high = middle
        else:
            low = middle
    return high if high - low <= 1 else low + 1


def lower_bounds(
    instance: BepInstance, upper: int, deadline: float | None = None
) -> dict[str, int]:
    """Every bound by name; `upper` is a known makespan capping the LP bisection."""
    simple = {
        "single_trip": single_trip_bound(instance),
        "round_trip": round_trip_bound(instance),
    }
    start = min(max(simple.values()), upper)
    simple["budget_lp"] = budget_lp_bound(instance, start, upper, deadline)
    return simple
