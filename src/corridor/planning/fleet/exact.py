"""Exact engine for small instances: OR-Tools CP-SAT with a time limit.

Each vehicle gets a fixed number of trip slots; a used slot picks one loaded
run and its loads by group, and its departure respects the empty run from
where the vehicle was, the movement's windows and every checkpoint's headway
(one screening interval per crossing, no overlap). CP-SAT minimises the
clearance time and reports a proven lower bound; a second solve, with the
clearance time fixed, minimises person-hours waiting.

The model is exact only when every time is a whole number of minutes (true
of hand-written scenarios); otherwise, or when pacing terms apply (the
counting constraints would dwarf the rest), `small_enough` says no and the
heuristic's plan stands.
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from corridor.domain.scenario import Group
from corridor.planning.model import Leg, PlanningModel, Vehicle, can_carry
from corridor.planning.plan import Crossing, Load, PlannedTrip, makespan_of

MAX_SLOTS = 60
"""Trip slots over the whole fleet above which the exact model is not tried."""


def _whole(value: float) -> bool:
    return math.isfinite(value) and abs(value - round(value)) < 1e-9


def small_enough(model: PlanningModel) -> bool:
    """Whether the exact model applies: few trips, no pacing or stages, whole minutes."""
    if model.pacings or model.stagings or not model.vehicles:
        return False
    places = max(v.places for v in model.vehicles)
    if math.ceil(model.people() / places) + len(model.vehicles) > MAX_SLOTS:
        return False
    times = [v.ready for v in model.vehicles] + list(model.empty_minutes.values())
    times += [g.minutes for g in model.legs] + [o for g in model.legs for _, o in g.checkpoints]
    times += list(model.headway.values())
    for windows in model.windows.values():
        times += [x for w in windows for x in (w.open, w.close) if math.isfinite(x)]
    return all(_whole(t) for t in times)


def solve_exact(
    model: PlanningModel, seconds: float, seed: int, hint: list[PlannedTrip]
) -> tuple[list[PlannedTrip], float, bool] | None:
    """(trips, proven bound, optimal) within `seconds`, or None when no plan was found."""
    if seconds <= 0.05:
        return None
    horizon = math.ceil(makespan_of(hint))
    per_vehicle: dict[str, int] = {}
    for t in hint:
        per_vehicle[t.vehicle] = per_vehicle.get(t.vehicle, 0) + 1
    slots = max(per_vehicle.values(), default=0) + 1
    built = _Built(model, horizon, slots)
    built.hint(hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds * 0.7)
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = seed
    built.cp.minimize(built.makespan)
    status = solver.solve(built.cp)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    bound = float(solver.best_objective_bound)
    optimal = status == cp_model.OPTIMAL
    best = int(solver.value(built.makespan))
    trips = built.trips(solver)
    # Second phase: clearance time fixed, least person-hours waiting.
    built.cp.add(built.makespan <= best)
    built.cp.clear_hints()  # type: ignore[no-untyped-call]
    for var in built.all_vars:
        built.cp.add_hint(var, solver.value(var))
    built.cp.minimize(sum(built.waiting))
    solver.parameters.max_time_in_seconds = max(0.1, seconds * 0.3)
    status = solver.solve(built.cp)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        trips = built.trips(solver)
    return trips, bound, optimal


class _Built:
    """The CP-SAT model and the variables needed to read a plan back."""

    def __init__(self, model: PlanningModel, horizon: int, slots: int) -> None:
        self.model = model
        cp = cp_model.CpModel()
        self.cp = cp
        self.makespan = cp.new_int_var(0, horizon, "makespan")
        self.slots: dict[tuple[str, int], _Slot] = {}
        self.waiting: list[cp_model.IntVar] = []
        self.all_vars: list[cp_model.IntVar] = [self.makespan]
        demand: dict[tuple[str, str, Group], list[cp_model.IntVar]] = {}
        places: dict[tuple[str, Group], list[cp_model.IntVar]] = {}
        screens: dict[str, list[cp_model.IntervalVar]] = {}
        for v in model.vehicles:
            previous: _Slot | None = None
            for k in range(slots):
                slot = _Slot(self, v, k, horizon)
                self.slots[(v.id, k)] = slot
                for (leg, g), var in slot.by_leg.items():
                    demand.setdefault((leg.movement, leg.origin, g), []).append(var)
                    places.setdefault((leg.destination, g), []).append(var)
                for site, interval in slot.screens:
                    screens.setdefault(site, []).append(interval)
                self._link(v, previous, slot)
                previous = slot
        for d in model.demands:
            cp.add(sum(demand.get((d.movement, d.site, d.group), [])) == d.count)
        for (site, group), vars_ in places.items():
            cp.add(sum(vars_) <= model.places(site, group))
        for intervals in screens.values():
            cp.add_no_overlap(intervals)

    def _link(self, v: Vehicle, previous: _Slot | None, slot: _Slot) -> None:
        cp = self.cp
        for leg, chosen in slot.choice.items():
            if previous is None:
                start = v.ready + self.model.empty(v.depot, leg.origin)
                cp.add(slot.depart >= round(start)).only_enforce_if(chosen)
                continue
            cp.add_implication(chosen, previous.used)
            for before, was in previous.choice.items():
                gap = round(self.model.empty(before.destination, leg.origin))
                cp.add(slot.depart >= previous.arrive + gap).only_enforce_if([chosen, was])
        if previous is not None:
            cp.add_implication(slot.used, previous.used)

    def hint(self, trips: list[PlannedTrip]) -> None:
        """Hint a whole schedule, so the solver starts from a complete plan."""
        by_slot = {(t.vehicle, t.sequence): t for t in trips}
        cp = self.cp
        cp.add_hint(self.makespan, math.ceil(makespan_of(trips)))
        for (vid, k), slot in self.slots.items():
            t = by_slot.get((vid, k))
            cp.add_hint(slot.used, int(t is not None))
            cp.add_hint(slot.depart, 0 if t is None else round(t.depart))
            cp.add_hint(slot.arrive, 0 if t is None else round(t.arrive))
            for leg, chosen in slot.choice.items():
                same = t is not None and (leg.movement, leg.origin, leg.destination) == (
                    t.movement,
                    t.origin,
                    t.destination,
                )
                cp.add_hint(chosen, int(same))
                for group in Group:
                    var = slot.by_leg.get((leg, group))
                    if var is not None:
                        cp.add_hint(var, t.count(group) if same and t is not None else 0)

    def trips(self, solver: cp_model.CpSolver) -> list[PlannedTrip]:
        found: list[PlannedTrip] = []
        for v in self.model.vehicles:
            where, free, sequence = v.depot, v.ready, 0
            k = 0
            while (slot := self.slots.get((v.id, k))) is not None and solver.value(slot.used):
                leg = next(g for g, b in slot.choice.items() if solver.value(b))
                loads = tuple(
                    Load(g, int(solver.value(var)))
                    for (g2, g), var in slot.by_leg.items()
                    if g2 == leg and solver.value(var) > 0
                )
                depart = float(solver.value(slot.depart))
                found.append(
                    PlannedTrip(
                        vehicle=v.id,
                        sequence=sequence,
                        movement=leg.movement,
                        origin=leg.origin,
                        destination=leg.destination,
                        loads=tuple(sorted(loads, key=lambda x: list(Group).index(x.group))),
                        leave=free,
                        pickup=free + self.model.empty(where, leg.origin),
                        depart=depart,
                        arrive=depart + leg.minutes,
                        route=leg.sites,
                        crossings=tuple(Crossing(s, depart + o) for s, o in leg.checkpoints),
                    )
                )
                where, free, sequence = leg.destination, depart + leg.minutes, sequence + 1
                k += 1
        return found


class _Slot:
    """The k-th trip of one vehicle: used or not, which run, loads, departure."""

    def __init__(self, built: _Built, v: Vehicle, k: int, horizon: int) -> None:
        cp, model = built.cp, built.model
        name = f"{v.id}/{k}"
        self.used = cp.new_bool_var(f"used {name}")
        self.depart = cp.new_int_var(0, horizon, f"depart {name}")
        self.arrive = cp.new_int_var(0, horizon, f"arrive {name}")
        self.choice: dict[Leg, cp_model.IntVar] = {}
        self.by_leg: dict[tuple[Leg, Group], cp_model.IntVar] = {}
        self.screens: list[tuple[str, cp_model.IntervalVar]] = []
        groups: dict[tuple[str, str], list[Group]] = {
            (d.movement, d.site): [] for d in model.demands
        }
        for d in model.demands:
            if can_carry(v, d.group):
                groups[(d.movement, d.site)].append(d.group)
        people: list[cp_model.IntVar] = []
        for leg in model.legs:
            carried = [
                g
                for g in groups.get((leg.movement, leg.origin), [])
                if model.places(leg.destination, g)
            ]
            if not carried:
                continue
            chosen = cp.new_bool_var(f"{name} {leg.origin}->{leg.destination}")
            self.choice[leg] = chosen
            built.all_vars.append(chosen)
            seated: list[cp_model.IntVar] = []
            for g in carried:
                top = v.stretchers if g.needs_stretcher else v.seats
                var = cp.new_int_var(0, top, f"{name} {g.value}")
                cp.add(var == 0).only_enforce_if(chosen.negated())
                self.by_leg[(leg, g)] = var
                people.append(var)
                built.all_vars.append(var)
                if not g.needs_stretcher:
                    seated.append(var)
            if seated:
                cp.add(sum(seated) <= v.seats)
            cp.add(self.arrive == self.depart + round(leg.minutes)).only_enforce_if(chosen)
            windows = model.windows_of(leg.movement)
            if any(math.isfinite(w.close) or w.open > 0 for w in windows):
                picks = []
                for w in windows:
                    pick = cp.new_bool_var(f"{name} window")
                    cp.add(self.depart >= round(w.open)).only_enforce_if(pick)
                    if math.isfinite(w.close):
                        cp.add(self.depart + round(leg.minutes) <= round(w.close)).only_enforce_if(
                            pick
                        )
                    picks.append(pick)
                cp.add(sum(picks) >= 1).only_enforce_if(chosen)
            for site, offset in leg.checkpoints:
                start = cp.new_int_var(0, horizon, f"{name} at {site}")
                cp.add(start == self.depart + round(offset)).only_enforce_if(chosen)
                size = round(model.headway[site])
                interval = cp.new_optional_fixed_size_interval_var(
                    start, size, chosen, f"{name} {site}"
                )
                self.screens.append((site, interval))
        cp.add(sum(self.choice.values()) == self.used)
        cp.add(built.makespan >= self.arrive).only_enforce_if(self.used)
        cp.add(sum(people) >= 1).only_enforce_if(self.used)
        built.all_vars += [self.used, self.depart, self.arrive]
        load = cp.new_int_var(0, v.places, f"{name} people")
        cp.add(load == sum(people))
        wait = cp.new_int_var(0, v.places * horizon, f"{name} waiting")
        cp.add_multiplication_equality(wait, [load, self.depart])
        built.waiting.append(wait)
