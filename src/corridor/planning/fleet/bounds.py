"""Lower bounds on clearance time, computed without looking at any plan.

Three arguments, each a relaxation of the full problem (windows and pacing
are dropped, which can only lower a bound, so every figure stays valid):

- fleet round trips: a vehicle's k-th load cannot arrive before its ready
  minute, its shortest empty run to a pickup, its shortest loaded run, and
  k-1 shortest cycles; the earliest minute by which the fleet's places can
  have carried everyone (all people; stretcher cases; each pickup alone);
- checkpoint flow over time: every loaded vehicle through a checkpoint takes
  one screening slot, so n vehicles need (n-1) headways after the first can
  arrive, plus the shortest run on to a destination;
- LP relaxation (HiGHS): trips and loads as continuous variables per vehicle
  class and loaded run, with seats, stretcher places, beds and places by group,
  each class's driving time and each checkpoint's slots; the least makespan
  for which the LP is feasible, found by bisection.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import highspy
import numpy as np

from corridor.domain.scenario import Group
from corridor.planning.highs import new_highs, solved
from corridor.planning.model import Demand, Leg, PlanningModel, Vehicle, can_carry
from corridor.planning.plan import Bound


def lower_bounds(model: PlanningModel, upper: float | None = None) -> tuple[Bound, ...]:
    """Every bound, the LP last (it is bisected up from the others, down from `upper`)."""
    fleet = fleet_bound(model)
    checkpoint = checkpoint_bound(model)
    floor = max(fleet.minutes, checkpoint.minutes)
    return (fleet, checkpoint, lp_bound(model, floor, upper))


def _first(model: PlanningModel, vehicle: Vehicle, legs: Iterable[Leg]) -> float | None:
    times = [
        vehicle.ready + model.empty_minutes[(vehicle.depot, leg.origin)] + leg.minutes
        for leg in legs
        if (vehicle.depot, leg.origin) in model.empty_minutes
    ]
    return min(times, default=None)


def _cycle(model: PlanningModel, legs: list[Leg]) -> float:
    return min(
        (
            model.empty(a.destination, b.origin) + b.minutes
            for a in legs
            for b in legs
            if a.destination == b.origin or (a.destination, b.origin) in model.empty_minutes
        ),
        default=math.inf,
    )


def _round_trips(
    model: PlanningModel, demands: list[Demand], per_trip: Callable[[Vehicle], int]
) -> float:
    """Earliest minute by which round trips can have carried `demands`."""
    people = sum(d.count for d in demands)
    if people == 0:
        return 0.0
    pickups = {(d.movement, d.site) for d in demands}
    legs = [g for g in model.legs if (g.movement, g.origin) in pickups]
    cycle = _cycle(model, legs)
    heap: list[tuple[float, str, int]] = []
    for vehicle in model.vehicles:
        places = per_trip(vehicle)
        first = _first(model, vehicle, legs)
        if places > 0 and first is not None:
            heap.append((first, vehicle.id, places))
    heapq.heapify(heap)
    carried = 0
    while heap:
        at, vid, places = heapq.heappop(heap)
        carried += places
        if carried >= people:
            return at
        if math.isfinite(cycle) and cycle > 0:
            heapq.heappush(heap, (at + cycle, vid, places))
    return math.inf if not math.isfinite(cycle) else 0.0


def fleet_bound(model: PlanningModel) -> Bound:
    """The fleet round-trip bound over all people, stretcher cases, and each pickup."""

    def places(v: Vehicle) -> int:
        return v.places

    def stretchers(v: Vehicle) -> int:
        return v.stretchers

    demands = list(model.demands)
    best = _round_trips(model, demands, places)
    best = max(
        best, _round_trips(model, [d for d in demands if d.group.needs_stretcher], stretchers)
    )
    for pickup in sorted({(d.movement, d.site) for d in demands}):
        here = [d for d in demands if (d.movement, d.site) == pickup]
        best = max(best, _round_trips(model, here, places))
    return Bound("fleet round trips", best, "each vehicle's earliest loads and shortest cycles")


def checkpoint_bound(model: PlanningModel) -> Bound:
    """Screening slots at a shared checkpoint, as a flow over time."""
    best = 0.0
    note = "no checkpoint on any loaded run"
    seats = max((v.seats for v in model.vehicles), default=0)
    stretchers = max((v.stretchers for v in model.vehicles), default=0)
    for site, headway in sorted(model.headway.items()):
        pickups = {
            (d.movement, d.site)
            for d in model.demands
            if (legs := model.legs_from(d.movement, d.site))
            and all(site in dict(g.checkpoints) for g in legs)
        }
        if not pickups:
            continue
        through = [d for d in model.demands if (d.movement, d.site) in pickups]
        seated = sum(d.count for d in through if not d.group.needs_stretcher)
        stretched = sum(d.count for d in through if d.group.needs_stretcher)
        vehicles = max(
            math.ceil(seated / seats) if seated else 0,
            math.ceil(stretched / stretchers) if stretched else 0,
        )
        crossing = [g for g in model.legs if (g.movement, g.origin) in pickups]
        first = min(
            (
                v.ready + model.empty_minutes[(v.depot, g.origin)] + dict(g.checkpoints)[site]
                for v in model.vehicles
                for g in crossing
                if (v.depot, g.origin) in model.empty_minutes
            ),
            default=0.0,
        )
        tail = min(g.minutes - dict(g.checkpoints)[site] for g in crossing)
        value = first + (vehicles - 1) * headway + tail
        if value > best:
            best = value
            note = f"{vehicles} loaded vehicles through {site}, one every {headway:g} min"
    return Bound("checkpoint flow", best, note)


@dataclass(frozen=True)
class _Class:
    vehicle: Vehicle
    count: int


def lp_bound(model: PlanningModel, floor: float, upper: float | None) -> Bound:
    """Least makespan at which the LP relaxation is feasible (bisection, 0.1 min)."""
    if not model.demands:
        return Bound("LP relaxation", 0.0, "nobody to move")
    lp = _TripLp(model)
    hi = max(1.0, upper if upper is not None else floor * 4 + 1000.0)
    while not lp.feasible(hi):
        hi *= 2
        if hi > 1e9:
            return Bound("LP relaxation", floor, "LP not solved")
    lo = floor
    if lp.feasible(lo):
        return Bound("LP relaxation", lo, "feasible at the other bounds")
    while hi - lo > max(0.1, 1e-5 * hi):
        mid = (lo + hi) / 2
        if lp.feasible(mid):
            hi = mid
        else:
            lo = mid
    return Bound("LP relaxation", lo, "trips and loads relaxed to fractions (HiGHS)")


class _TripLp:
    """The LP, built once; only bounds that depend on the makespan change per solve."""

    def __init__(self, model: PlanningModel) -> None:
        self.model = model
        groups: dict[tuple[str, str, int, int, float], list[Vehicle]] = {}
        for v in model.vehicles:
            groups.setdefault((v.kind, v.depot, v.seats, v.stretchers, v.ready), []).append(v)
        self.classes = [_Class(vs[0], len(vs)) for _, vs in sorted(groups.items())]
        h = new_highs()
        h.setOptionValue("output_flag", False)
        self._row_count = 0
        inf = highspy.kHighsInf
        self.h = h
        self.trips: list[tuple[int, float]] = []  # (column, earliest arrival)
        self.starts: list[tuple[int, int, float]] = []  # (time row, column, ready + approach)
        self.checkpoint_rows: list[tuple[int, float, float]] = []
        demand_cols: dict[tuple[str, str, Group], list[int]] = {}
        place_cols: dict[tuple[str, Group], list[int]] = {}
        cross_cols: dict[str, list[int]] = {}
        col = 0
        for cls in self.classes:
            v = cls.vehicle
            time_cols: list[int] = []
            time_vals: list[float] = []
            into: dict[str, list[int]] = {}
            out_of: dict[str, list[int]] = {}
            for leg in model.legs:
                if (v.depot, leg.origin) not in model.empty_minutes:
                    continue
                carried = [
                    d.group
                    for d in model.demands
                    if d.movement == leg.movement
                    and d.site == leg.origin
                    and can_carry(v, d.group)
                    and model.places(leg.destination, d.group) > 0
                ]
                if not carried:
                    continue
                h.addVar(0.0, inf)
                n_col = col
                col += 1
                self.trips.append(
                    (n_col, v.ready + model.empty_minutes[(v.depot, leg.origin)] + leg.minutes)
                )
                time_cols.append(n_col)
                time_vals.append(leg.minutes)
                into.setdefault(leg.destination, []).append(n_col)
                out_of.setdefault(leg.origin, []).append(n_col)
                for site, _ in leg.checkpoints:
                    cross_cols.setdefault(site, []).append(n_col)
                seat_cols: list[int] = []
                for group in carried:
                    h.addVar(0.0, inf)
                    y = col
                    col += 1
                    demand_cols.setdefault((leg.movement, leg.origin, group), []).append(y)
                    place_cols.setdefault((leg.destination, group), []).append(y)
                    if group.needs_stretcher:
                        self._row(-inf, 0.0, [y, n_col], [1.0, -float(v.stretchers)])
                    else:
                        seat_cols.append(y)
                if seat_cols:
                    self._row(
                        -inf, 0.0, [*seat_cols, n_col], [1.0] * len(seat_cols) + [-float(v.seats)]
                    )
            if time_cols:
                col = self._fleet_flow(cls, col, time_cols, time_vals, into, out_of)
        for d in model.demands:
            cols = demand_cols.get((d.movement, d.site, d.group), [])
            self._row(float(d.count), float(d.count), cols, [1.0] * len(cols))
        for (site, group), cols in sorted(place_cols.items()):
            self._row(-inf, float(model.places(site, group)), cols, [1.0] * len(cols))
        for site, cols in sorted(cross_cols.items()):
            legs = [g for g in model.legs if site in dict(g.checkpoints)]
            first = min(
                (
                    v.ready + model.empty_minutes[(v.depot, g.origin)] + dict(g.checkpoints)[site]
                    for v in model.vehicles
                    for g in legs
                    if (v.depot, g.origin) in model.empty_minutes
                ),
                default=0.0,
            )
            tail = min(g.minutes - dict(g.checkpoints)[site] for g in legs)
            row = self._row(-inf, inf, cols, [1.0] * len(cols))
            self.checkpoint_rows.append((row, first + tail, model.headway[site]))

    def _fleet_flow(
        self,
        cls: _Class,
        col: int,
        time_cols: list[int],
        time_vals: list[float],
        into: dict[str, list[int]],
        out_of: dict[str, list[int]],
    ) -> int:
        # Vehicles of a class as a flow: each starts at its depot, runs empty to
        # a pickup, and after each loaded run either stops or runs empty from
        # that destination to a pickup. Their driving time adds up to at most
        # the makespan for every vehicle that moves at all.
        model, h, inf = self.model, self.h, highspy.kHighsInf
        v = cls.vehicle
        starts: list[tuple[int, float]] = []
        empty_in: dict[str, list[int]] = {p: [] for p in out_of}
        empty_out: dict[str, list[int]] = {d: [] for d in into}
        for pickup in sorted(out_of):
            h.addVar(0.0, inf)
            starts.append((col, v.ready + model.empty(v.depot, pickup)))
            empty_in[pickup].append(col)
            col += 1
        for destination in sorted(into):
            h.addVar(0.0, inf)  # vehicles that stop here
            empty_out[destination].append(col)
            col += 1
            for pickup in sorted(out_of):
                if destination != pickup and (destination, pickup) not in model.empty_minutes:
                    continue
                h.addVar(0.0, inf)
                empty_out[destination].append(col)
                empty_in[pickup].append(col)
                time_cols.append(col)
                time_vals.append(model.empty(destination, pickup))
                col += 1
        for pickup, cols in empty_in.items():
            self._row(
                0.0, 0.0, [*out_of[pickup], *cols], [1.0] * len(out_of[pickup]) + [-1.0] * len(cols)
            )
        for destination, cols in empty_out.items():
            trips = into[destination]
            self._row(0.0, 0.0, [*trips, *cols], [1.0] * len(trips) + [-1.0] * len(cols))
        start_cols = [c for c, _ in starts]
        self._row(-inf, float(cls.count), start_cols, [1.0] * len(start_cols))
        row = self._row(-inf, 0.0, [*time_cols, *start_cols], [*time_vals, *(a for _, a in starts)])
        self.starts.extend((row, c, a) for c, a in starts)
        return col

    def _row(self, lower: float, upper: float, cols: list[int], vals: list[float]) -> int:
        self.h.addRow(lower, upper, len(cols), np.array(cols, dtype=np.int32), np.array(vals))
        row = self._row_count
        self._row_count += 1
        return row

    def feasible(self, makespan: float) -> bool:
        h = self.h
        inf = highspy.kHighsInf
        for col, earliest in self.trips:
            h.changeColBounds(col, 0.0, inf if earliest <= makespan + 1e-9 else 0.0)
        for row, col, approach in self.starts:
            h.changeCoeff(row, col, approach - makespan)
        for row, offset, headway in self.checkpoint_rows:
            room = makespan - offset
            h.changeRowBounds(
                row, -inf, math.floor(room / headway + 1e-9) + 1 if room >= 0 else 0.0
            )
        solved(h)
        status = h.getModelStatus()
        return bool(
            status == highspy.HighsModelStatus.kOptimal
            or status == highspy.HighsModelStatus.kModelEmpty
        )
