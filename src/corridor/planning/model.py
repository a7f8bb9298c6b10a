"""The planning model: a scenario reduced to what a fleet schedule depends on.

A `Scenario` speaks of sites, links and corridors; the engines need numbers:
who waits where, which vehicles are ready when, how long each loaded run takes
and which checkpoints it crosses at which minute, how many places each
destination has for each group, and which movements are paced against which.
`build_model` derives those once, checks that the instance can be solved at
all, and raises `Infeasible` naming every shortfall when it cannot, so no
engine ever searches for a plan that does not exist.

Choices made here (see docs/decisions/0005-scenario-planning.md):
- a loaded run follows the movement's corridor: pickup, then the corridor's
  sites after it in order, then the destination, by shortest roads between
  those waypoints; empty runs take the shortest road anywhere;
- only loaded vehicles are screened at checkpoints (empty ones pass freely);
- a destination that lists no capacities receives every seated group without
  limit; stretcher cases always need a listed bed;
- stretcher cases ride only in stretcher places and seated people only in seats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations, pairwise

from corridor.domain.scenario import Group, Scenario
from corridor.errors import Infeasible, Shortfall
from corridor.planning.paths import Roads

UNLIMITED = 10**9
"""Places at a destination that lists no capacity for a seated group."""


@dataclass(frozen=True)
class Window:
    """Minutes (after the start) between which loaded vehicles of a movement may run."""

    open: float
    close: float


@dataclass(frozen=True)
class Pacing:
    """Paced reciprocity: people departed of `movement` <= ratio x of `partner` + allowance."""

    movement: str
    partner: str
    ratio: float
    allowance: int = 0


@dataclass(frozen=True)
class Staging:
    """Staged reciprocity: stage k of `movement` leaves once `needs[k]` of `partner` arrived.

    `ends[k]` is the movement's cumulative count at the end of stage k. A
    vehicle belongs to the stage of the first person it carries, and nobody
    leaves beyond the last stage (as the agreement engine decides).
    """

    movement: str
    partner: str
    ends: tuple[int, ...]
    needs: tuple[int, ...]

    def needed(self, departed: int) -> int | None:
        """Arrivals of the partner needed before the next vehicle; None past the stages."""
        for end, need in zip(self.ends, self.needs, strict=True):
            if departed + 1 <= end:
                return need
        return None


@dataclass(frozen=True)
class Vehicle:
    """One vehicle with its places, depot and the minute it is ready there."""

    id: str
    kind: str
    depot: str
    ready: float
    seats: int
    stretchers: int

    @property
    def places(self) -> int:
        return self.seats + self.stretchers


@dataclass(frozen=True)
class Demand:
    """People of one group of one movement waiting at one pickup site."""

    movement: str
    site: str
    group: Group
    count: int


@dataclass(frozen=True)
class Leg:
    """A loaded run of a movement from a pickup site to a destination."""

    movement: str
    origin: str
    destination: str
    sites: tuple[str, ...]
    minutes: float
    checkpoints: tuple[tuple[str, float], ...] = ()
    """(checkpoint site, minutes after departure when the vehicle reaches it)."""


@dataclass(frozen=True, eq=False)
class PlanningModel:
    """Everything an engine needs; built only by `build_model`."""

    scenario: str
    vehicles: tuple[Vehicle, ...]
    demands: tuple[Demand, ...]
    legs: tuple[Leg, ...]
    headway: Mapping[str, float]
    """Minutes between two vehicles at a checkpoint (60 / vehicles per hour)."""
    capacity: Mapping[tuple[str, Group], int]
    empty_minutes: Mapping[tuple[str, str], float]
    """Unloaded travel between depots, destinations and pickups."""
    windows: Mapping[str, tuple[Window, ...]] = field(default_factory=dict)
    pacings: tuple[Pacing, ...] = ()
    stagings: tuple[Staging, ...] = ()
    notes: tuple[str, ...] = ()

    def empty(self, source: str, target: str) -> float:
        return 0.0 if source == target else self.empty_minutes[(source, target)]

    def legs_from(self, movement: str, origin: str) -> tuple[Leg, ...]:
        return tuple(g for g in self.legs if g.movement == movement and g.origin == origin)

    def places(self, site: str, group: Group) -> int:
        return self.capacity.get((site, group), 0)

    def people(self, group: Group | None = None) -> int:
        return sum(d.count for d in self.demands if group is None or d.group is group)

    def windows_of(self, movement: str) -> tuple[Window, ...]:
        return self.windows.get(movement, (Window(0.0, float("inf")),))


def build_model(
    scenario: Scenario,
    pacings: Iterable[Pacing] = (),
    windows: Mapping[str, Iterable[Window]] | None = None,
    stagings: Iterable[Staging] = (),
) -> PlanningModel:
    """Reduce `scenario` to a planning model; raise `Infeasible` with every shortfall."""
    roads = Roads(scenario.links)
    notes: list[str] = []
    demands = _demands(scenario, notes)
    vehicles = _vehicles(scenario)
    capacity = _capacity(scenario)
    legs = _legs(scenario, roads, demands)
    headway = {
        s.id: 60.0 / s.service_rate_per_hour
        for s in scenario.sites
        if s.service_rate_per_hour is not None and s.service_rate_per_hour > 0
    }
    places = {d.site for d in demands}
    ends = {v.depot for v in vehicles} | {g.destination for g in legs}
    empty: dict[tuple[str, str], float] = {}
    for source in sorted(ends):
        for target in sorted(places):
            minutes = roads.minutes(source, target)
            if minutes is not None:
                empty[(source, target)] = minutes
    model = PlanningModel(
        scenario=scenario.id,
        vehicles=vehicles,
        demands=demands,
        legs=legs,
        headway=headway,
        capacity=capacity,
        empty_minutes=empty,
        windows={m: tuple(ws) for m, ws in sorted((windows or {}).items())},
        pacings=tuple(pacings),
        stagings=tuple(stagings),
        notes=tuple(notes),
    )
    shortfalls = check_feasible(model)
    if shortfalls:
        raise Infeasible(
            "the scenario cannot be planned: " + "; ".join(str(s) for s in shortfalls),
            shortfalls,
        )
    return model


def _demands(scenario: Scenario, notes: list[str]) -> tuple[Demand, ...]:
    merged: dict[tuple[str, str, Group], int] = {}
    for p in scenario.populations:
        movement = scenario.movement(p.movement)
        if p.group not in movement.groups:
            notes.append(f"{p.count} {p.group.value} at {p.site} not eligible for {movement.id}")
            continue
        if p.count > 0:
            key = (p.movement, p.site, p.group)
            merged[key] = merged.get(key, 0) + p.count
    return tuple(Demand(m, s, g, n) for (m, s, g), n in sorted(merged.items()))


def _vehicles(scenario: Scenario) -> tuple[Vehicle, ...]:
    # The fleet's own ids (`Scenario.fleet_vehicles`), so a plan names the
    # vehicles an operation's trips and the simulator do. Ordered by kind and
    # depot, then fleet order: the order the planners break ties in.
    vehicles = [
        (
            f"{v.kind.id}@{v.depot}",
            position,
            Vehicle(
                id=v.id,
                kind=v.kind.id,
                depot=v.depot,
                ready=v.lead_minutes,
                seats=v.kind.seats,
                stretchers=v.kind.stretchers,
            ),
        )
        for position, v in enumerate(scenario.fleet_vehicles())
    ]
    return tuple(vehicle for _, _, vehicle in sorted(vehicles, key=lambda t: (t[0], t[1])))


def _capacity(scenario: Scenario) -> dict[tuple[str, Group], int]:
    capacity: dict[tuple[str, Group], int] = {}
    for movement in scenario.movements:
        for site_id in movement.destinations:
            site = scenario.site(site_id)
            for group in Group:
                if not site.capacities and not group.needs_stretcher:
                    capacity[(site.id, group)] = UNLIMITED
                else:
                    capacity[(site.id, group)] = site.capacity_for(group)
    return capacity


def _legs(scenario: Scenario, roads: Roads, demands: tuple[Demand, ...]) -> tuple[Leg, ...]:
    rates = {s.id for s in scenario.sites if s.service_rate_per_hour}
    legs: list[Leg] = []
    for movement_id, origin in sorted({(d.movement, d.site) for d in demands}):
        movement = scenario.movement(movement_id)
        corridor = scenario.corridor(movement.corridor).sites
        ahead = corridor[corridor.index(origin) + 1 :] if origin in corridor else corridor
        for destination in movement.destinations:
            stops = list(ahead[: ahead.index(destination)] if destination in ahead else ahead)
            path = roads.through([origin, *stops, destination])
            if path is None:
                continue
            crossings: list[tuple[str, float]] = []
            elapsed = 0.0
            for a, b in pairwise(path.sites):
                elapsed += roads.minutes(a, b) or 0.0
                if b in rates and b != destination:
                    crossings.append((b, elapsed))
            legs.append(
                Leg(movement_id, origin, destination, path.sites, path.minutes, tuple(crossings))
            )
    return tuple(legs)


def can_carry(vehicle: Vehicle, group: Group) -> bool:
    return vehicle.stretchers > 0 if group.needs_stretcher else vehicle.seats > 0


def check_feasible(model: PlanningModel) -> list[Shortfall]:
    """Every reason the model has no plan, each naming group, place and how many."""
    shortfalls: list[Shortfall] = []
    for d in model.demands:
        legs = [
            g for g in model.legs_from(d.movement, d.site) if model.places(g.destination, d.group)
        ]
        if not legs:
            reason = (
                "no bed at any reachable destination"
                if d.group.needs_stretcher
                else ("no reachable destination receives this group")
            )
            shortfalls.append(Shortfall(d.group.value, d.site, d.count, reason))
            continue
        carriers = [
            v
            for v in model.vehicles
            if can_carry(v, d.group) and (v.depot, d.site) in model.empty_minutes
        ]
        if not carriers:
            reason = (
                "no ambulance (stretcher places) can reach it"
                if d.group.needs_stretcher
                else "no vehicle with seats can reach it"
            )
            shortfalls.append(Shortfall(d.group.value, d.site, d.count, reason))
            continue
        windows = model.windows_of(d.movement)
        if not any(w.close - w.open >= min(g.minutes for g in legs) for w in windows):
            shortfalls.append(
                Shortfall(d.group.value, d.site, d.count, "no window is long enough for the run")
            )
    shortfalls.extend(_capacity_shortfalls(model))
    shortfalls.extend(_pacing_shortfalls(model))
    shortfalls.extend(_window_shortfalls(model))
    shortfalls.extend(_staging_shortfalls(model))
    return shortfalls


def _staging_shortfalls(model: PlanningModel) -> list[Shortfall]:
    shortfalls: list[Shortfall] = []
    for staging in model.stagings:
        waiting = sum(d.count for d in model.demands if d.movement == staging.movement)
        covered = staging.ends[-1] if staging.ends else 0
        if waiting > covered:
            shortfalls.append(
                Shortfall(
                    "all",
                    staging.movement,
                    waiting - covered,
                    f"the stages linking {staging.movement} to {staging.partner} "
                    f"cover {covered} of {waiting}",
                )
            )
    return shortfalls


def _window_shortfalls(model: PlanningModel) -> list[Shortfall]:
    # Even if every vehicle served only this movement, shuttling as fast as the
    # roads allow, it could not carry more than this before the last window
    # closes. Checked per pickup site, so the figure says where people are left.
    shortfalls: list[Shortfall] = []
    for movement, site in sorted({(d.movement, d.site) for d in model.demands}):
        last = max(w.close for w in model.windows_of(movement))
        legs = model.legs_from(movement, site)
        cycle = min(
            (g.minutes + model.empty_minutes.get((g.destination, site), 0.0) for g in legs),
            default=0.0,
        )
        if last == float("inf") or cycle <= 0:
            continue
        opens = min(w.open for w in model.windows_of(movement))
        shortest = min(g.minutes for g in legs)
        carried = 0
        for v in model.vehicles:
            if (v.depot, site) not in model.empty_minutes:
                continue
            first = max(v.ready + model.empty_minutes[(v.depot, site)], opens) + shortest
            if first <= last:
                carried += v.places * (1 + int((last - first) // cycle))
        waiting = sum(d.count for d in model.demands if (d.movement, d.site) == (movement, site))
        if waiting > carried:
            shortfalls.append(
                Shortfall(
                    "all",
                    site,
                    waiting - carried,
                    f"the windows of {movement} close at minute {last:g}: the whole fleet "
                    f"could carry at most {carried} of {waiting} by then",
                )
            )
    return shortfalls


def _capacity_shortfalls(model: PlanningModel) -> list[Shortfall]:
    # Hall's condition, per group, over every set of movements: the people of
    # the set must fit in the union of the places they can reach. Movements
    # are few, so checking every subset is cheap and exact.
    shortfalls: list[Shortfall] = []
    movements = sorted({d.movement for d in model.demands})
    for group in Group:
        reach = {
            m: {
                g.destination
                for g in model.legs
                if g.movement == m and model.places(g.destination, group)
            }
            for m in movements
        }
        demand = {
            m: sum(d.count for d in model.demands if d.movement == m and d.group is group)
            for m in movements
        }
        worst: tuple[int, tuple[str, ...], set[str]] | None = None
        for size in range(1, len(movements) + 1):
            for subset in combinations(movements, size):
                sites: set[str] = set().union(*(reach[m] for m in subset))
                if not sites:
                    continue
                missing = sum(demand[m] for m in subset) - sum(
                    model.places(s, group) for s in sites
                )
                if missing > 0 and (worst is None or missing > worst[0]):
                    worst = (missing, subset, sites)
        if worst is not None:
            missing, subset, sites = worst
            shortfalls.append(
                Shortfall(
                    group.value,
                    ", ".join(sorted(sites)),
                    missing,
                    f"places at destinations of {', '.join(subset)} are fewer than the people",
                )
            )
    return shortfalls


def _pacing_shortfalls(model: PlanningModel) -> list[Shortfall]:
    shortfalls: list[Shortfall] = []
    for p in model.pacings:
        ahead = sum(d.count for d in model.demands if d.movement == p.movement)
        behind = sum(d.count for d in model.demands if d.movement == p.partner)
        missing = ahead - int(p.ratio * behind + p.allowance)
        if missing > 0:
            shortfalls.append(
                Shortfall(
                    "all",
                    p.movement,
                    missing,
                    f"pacing allows at most {p.ratio:g} x {behind} of {p.partner} + {p.allowance}",
                )
            )
    return shortfalls
