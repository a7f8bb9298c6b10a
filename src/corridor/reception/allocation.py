"""Shelter allocation as a MILP (HiGHS): everyone placed, households whole, no site over capacity.

Variables count whole households, never people: `x[d, p]` households of
demand `d` (one movement, group and household size) placed in place `p` (one
shelter kind at one site), so a household can never be split. `u[d]`
households with no place, `o[p]` people above the covered-space standard.

Objectives, in strict order (one solve each, the previous optimum fixed as a
constraint, as a reception manager would rank them):
1. unmet need: people without a place;
2. overcrowding: people beyond the space standard of the site's climate;
3. onward travel: person-minutes by road from where the movement hands people
   over (its corridor's last site) to their shelter.

A place takes only the groups its kind houses (beds by level of care,
child-protection places for unaccompanied minors), households with an elderly
or disabled member only at sites near services, and only at a destination
the movement may go to. The last solve's dual bound is the lower bound; its gap
is reported like the planner's. Unmet need is never hidden: the result names
every group left without a place, and the sites that were full.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from corridor.domain.scenario import Group, Scenario
from corridor.planning.highs import new_highs, solved
from corridor.planning.paths import Roads
from corridor.reception.demand import Demand
from corridor.reception.places import Place

TIME_LIMIT = 20.0
"""Seconds each of the three solves may take."""
RELATIVE_GAP = 5e-3
"""The onward-travel solve stops within 0.5% of its bound (the goal is 1%).

On 1,000,000 people HiGHS reaches 0.3% at the root in under a second, then
spends its whole time limit in cut rounds without closing more of the gap.
"""


@dataclass(frozen=True)
class Placement:
    """Households of one demand placed in one shelter kind at one site."""

    movement: str
    group: Group
    site: str
    kind: str
    size: int
    households: int
    minutes: float
    """Road minutes onward from the movement's hand-over site to this site."""
    near_services: bool = False
    """Households with an elderly or disabled member."""

    @property
    def people(self) -> int:
        return self.size * self.households


@dataclass(frozen=True)
class Unmet:
    """People of one movement and group left without a place, and why."""

    movement: str
    group: Group
    people: int
    households: int
    sites: tuple[str, ...]
    """The sites that could have taken them (all full, or none open)."""
    reason: str
    near_services: bool = False
    """Households with an elderly or disabled member (only sites near services)."""
    arrived_at: str = ""
    """For arrivals from a forecast: the site they arrived at."""


@dataclass(frozen=True)
class PlaceUse:
    """How full one place is: people placed against places and the space standard."""

    place: Place
    people: int

    @property
    def overcrowded(self) -> int:
        return max(0, self.people - self.place.standard_places)


@dataclass(frozen=True)
class Allocation:
    """Where everyone stays, with the three objectives, the bound and the gap."""

    placements: tuple[Placement, ...]
    uses: tuple[PlaceUse, ...]
    unmet: tuple[Unmet, ...]
    unmet_people: int
    overcrowded_people: int
    travel_person_minutes: float
    lower_bound: float
    """Dual bound on the onward person-minutes, given unmet need and overcrowding."""
    proved_optimal: bool
    """Every solve ended optimal and the last with no gap left (not just within tolerance)."""
    seconds: float
    notes: tuple[str, ...] = field(default=())

    @property
    def gap(self) -> float:
        """Relative gap (travel - bound) / travel; 0 when proved or nothing to travel."""
        if self.travel_person_minutes <= 0:
            return 0.0
        return max(
            0.0, (self.travel_person_minutes - self.lower_bound) / self.travel_person_minutes
        )

    @property
    def placed_people(self) -> int:
        return sum(p.people for p in self.placements)


@dataclass
class _Arcs:
    demand: list[int] = field(default_factory=list)
    place: list[int] = field(default_factory=list)
    minutes: list[float] = field(default_factory=list)


def _handover(scenario: Scenario) -> dict[str, str]:
    return {m.id: scenario.corridor(m.corridor).sites[-1] for m in scenario.movements}


def _arcs(
    scenario: Scenario, demands: Sequence[Demand], places: Sequence[Place], roads: Roads
) -> _Arcs:
    arcs = _Arcs()
    handover = _handover(scenario)
    by_site: dict[str, list[int]] = {}
    for index, place in enumerate(places):
        by_site.setdefault(place.site, []).append(index)
    for d_index, demand in enumerate(demands):
        if demand.arrived_at:
            start, destinations = demand.arrived_at, demand.destinations
        else:
            movement = scenario.movement(demand.movement)
            start, destinations = handover[movement.id], movement.destinations
        for site in destinations:
            minutes = 0.0 if site == start else roads.minutes(start, site)
            if minutes is None:
                continue
            for p_index in by_site.get(site, ()):
                place = places[p_index]
                if (
                    demand.group in place.houses
                    and place.places >= demand.size
                    and (place.near_services or not demand.near_services)
                ):
                    arcs.demand.append(d_index)
                    arcs.place.append(p_index)
                    arcs.minutes.append(minutes)
    return arcs


def allocate(
    scenario: Scenario,
    demands: Sequence[Demand],
    places: Sequence[Place],
    *,
    time_limit: float = TIME_LIMIT,
) -> Allocation:
    """Place every demand's households, or say exactly who is left without a place."""
    started = time.perf_counter()
    roads = Roads(scenario.links)
    arcs = _arcs(scenario, demands, places, roads)
    n_arc, n_dem, n_place = len(arcs.demand), len(demands), len(places)
    size = np.array([d.size for d in demands], dtype=np.float64)
    count = np.array([d.households for d in demands], dtype=np.float64)
    arc_demand = np.array(arcs.demand, dtype=np.int64)
    arc_size = size[arc_demand] if n_arc else np.zeros(0)
    x0, u0, o0 = 0, n_arc, n_arc + n_dem
    n_col = n_arc + n_dem + n_place
    inf = highspy.kHighsInf

    highs = new_highs()
    upper = np.concatenate(
        [count[arc_demand] if n_arc else np.zeros(0), count, np.full(n_place, inf)]
    )
    _add_cols(highs, np.zeros(n_col), np.zeros(n_col), upper)
    integral = np.arange(n_arc + n_dem, dtype=np.int32)
    highs.changeColsIntegrality(
        len(integral), integral, np.full(len(integral), highspy.HighsVarType.kInteger)
    )
    # Rows: each demand placed or unmet; each place within its places; the
    # overcrowding of each place above its standard places.
    rows: list[tuple[float, float, np.ndarray, np.ndarray]] = []
    by_demand: list[list[int]] = [[] for _ in range(n_dem)]
    by_place: list[list[int]] = [[] for _ in range(n_place)]
    for a in range(n_arc):
        by_demand[arcs.demand[a]].append(a)
        by_place[arcs.place[a]].append(a)
    for d in range(n_dem):
        cols = np.array([*by_demand[d], u0 + d], dtype=np.int32)
        rows.append((count[d], count[d], cols, np.ones(len(cols))))
    for p, place in enumerate(places):
        cols = np.array(by_place[p], dtype=np.int32)
        rows.append((-inf, float(place.places), cols, arc_size[cols]))
        over = np.array([*by_place[p], o0 + p], dtype=np.int32)
        values = np.concatenate([arc_size[cols], [-1.0]])
        rows.append((-inf, float(place.standard_places), over, values))
    _add_rows(highs, rows)

    costs = [
        ("unmet", np.concatenate([np.zeros(n_arc), size, np.zeros(n_place)])),
        ("overcrowding", np.concatenate([np.zeros(n_arc + n_dem), np.ones(n_place)])),
        (
            "onward travel",
            np.concatenate([arc_size * np.array(arcs.minutes), np.zeros(n_dem + n_place)]),
        ),
    ]
    notes: list[str] = []
    proved = True
    bound = 0.0
    for stage, (name, cost) in enumerate(costs):
        # Unmet need and overcrowding are solved to optimality (people are
        # never traded for a faster solve); onward travel to RELATIVE_GAP.
        last = stage == len(costs) - 1
        highs.setOptionValue("mip_rel_gap", RELATIVE_GAP if last else 0.0)
        # Both earlier objectives count whole people: within less than one
        # person of the bound is optimal.
        highs.setOptionValue("mip_abs_gap", 1e-6 if last else 0.999)
        highs.changeColsCost(n_col, np.arange(n_col, dtype=np.int32), cost)
        # HiGHS counts its time limit over every run of the instance.
        highs.setOptionValue("time_limit", float(highs.getRunTime()) + time_limit)
        solved(highs)
        status = highs.getModelStatus()
        info = highs.getInfo()
        if status != highspy.HighsModelStatus.kOptimal:
            proved = False
            notes.append(f"{name}: stopped with {highs.modelStatusToString(status)}")
        value = float(info.objective_function_value)
        bound = float(info.mip_dual_bound)
        if stage < len(costs) - 1:
            nz = np.flatnonzero(cost).astype(np.int32)
            best = float(np.floor(value + 1e-6))
            if best <= 0:
                # Nobody unmet (or overcrowded): fix those columns at 0, which
                # presolve removes, rather than add a dense row.
                highs.changeColsBounds(len(nz), nz, np.zeros(len(nz)), np.zeros(len(nz)))
            else:
                # Keep this objective at its optimum (its values are whole people).
                _add_rows(highs, [(-inf, best, nz, cost[nz])])
    # Optimal within the tolerance is not proved optimal: say which it is.
    proved = proved and value - bound <= 1e-6 * max(1.0, abs(value))
    solution = np.array(highs.getSolution().col_value)
    return _result(
        scenario, demands, places, arcs, solution, (x0, n_arc, n_dem), bound, proved, started, notes
    )


def _add_cols(highs: highspy.Highs, cost: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
    empty_i = np.zeros(0, dtype=np.int32)
    highs.addCols(len(cost), cost, lower, upper, 0, empty_i, empty_i, np.zeros(0))


def _add_rows(
    highs: highspy.Highs, rows: Sequence[tuple[float, float, np.ndarray, np.ndarray]]
) -> None:
    if not rows:
        return
    lengths = np.array([len(r[2]) for r in rows], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int32)
    index = np.concatenate([r[2] for r in rows]).astype(np.int32)
    value = np.concatenate([r[3] for r in rows]).astype(np.float64)
    lower = np.array([r[0] for r in rows], dtype=np.float64)
    upper = np.array([r[1] for r in rows], dtype=np.float64)
    highs.addRows(len(rows), lower, upper, len(index), starts, index, value)


def _result(
    scenario: Scenario,
    demands: Sequence[Demand],
    places: Sequence[Place],
    arcs: _Arcs,
    solution: np.ndarray,
    layout: tuple[int, int, int],
    bound: float,
    proved: bool,
    started: float,
    notes: list[str],
) -> Allocation:
    x0, n_arc, n_dem = layout
    households = np.rint(solution[x0 : x0 + n_arc]).astype(np.int64)
    placements: list[Placement] = []
    people_at = np.zeros(len(places), dtype=np.int64)
    travel = 0.0
    placed = np.zeros(n_dem, dtype=np.int64)
    for a in np.flatnonzero(households > 0):
        d, p = arcs.demand[a], arcs.place[a]
        demand, place = demands[d], places[p]
        n = int(households[a])
        placements.append(
            Placement(
                demand.movement,
                demand.group,
                place.site,
                place.kind,
                demand.size,
                n,
                arcs.minutes[a],
                demand.near_services,
            )
        )
        people_at[p] += n * demand.size
        travel += n * demand.size * arcs.minutes[a]
        placed[d] += n
    uses = tuple(PlaceUse(place, int(people_at[p])) for p, place in enumerate(places))
    unmet = _unmet(scenario, demands, places, arcs, placed, uses)
    return Allocation(
        placements=tuple(placements),
        uses=uses,
        unmet=unmet,
        unmet_people=sum(u.people for u in unmet),
        overcrowded_people=sum(u.overcrowded for u in uses),
        travel_person_minutes=travel,
        lower_bound=min(bound, travel),
        proved_optimal=proved,
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )


def _size_field(scenario: Scenario, movement: str, size: int) -> str:
    """` (households[i].sizes[j].people)`: where the scenario gives households of `size`."""
    for i, spec in enumerate(scenario.households):
        if spec.movement in movement.split(" or "):
            for j, share in enumerate(spec.sizes):
                if share.people == size:
                    return f" (households[{i}].sizes[{j}].people)"
    return ""


def _unmet(
    scenario: Scenario,
    demands: Sequence[Demand],
    places: Sequence[Place],
    arcs: _Arcs,
    placed: np.ndarray,
    uses: Sequence[PlaceUse],
) -> tuple[Unmet, ...]:
    open_to: dict[int, set[str]] = {}
    for d, p in zip(arcs.demand, arcs.place, strict=True):
        open_to.setdefault(d, set()).add(places[p].site)
    # Demands with no place open at all (too large, or no kind houses them)
    # are reported apart from those that found every open place full.
    grouped: dict[tuple[str, str, Group, bool, bool], list[tuple[int, int]]] = {}
    for d, demand in enumerate(demands):
        left = demand.households - int(placed[d])
        if left > 0:
            key = (
                demand.movement,
                demand.arrived_at,
                demand.group,
                demand.near_services,
                d in open_to,
            )
            grouped.setdefault(key, []).append((d, left))
    out: list[Unmet] = []
    for (movement, arrived_at, group, near, has_open), items in grouped.items():
        sites = sorted(set().union(*(open_to.get(d, set()) for d, _ in items)))
        people = sum(demands[d].size * n for d, n in items)
        if not has_open:
            biggest = max((u.place.places for u in uses if group in u.place.houses), default=0)
            largest = max(demands[d].size for d, _ in items)
            if biggest and largest > biggest:
                reason = (
                    f"a household of {largest}"
                    f"{_size_field(scenario, movement, largest)} is larger than any "
                    f"shelter that houses {group.value} (largest holds {biggest})"
                )
            elif near:
                reason = (
                    "no shelter near services at the movement's destinations houses "
                    f"{group.value} (households with an elderly or disabled member)"
                )
            else:
                reason = f"no shelter at the movement's destinations houses {group.value}"
        else:
            full = [
                f"{u.place.site} {u.place.kind} {u.people:,}/{u.place.places:,}"
                for u in uses
                if u.place.site in sites and group in u.place.houses
            ]
            reason = "every place open to them is full: " + ", ".join(full)
        households = sum(n for _, n in items)
        out.append(
            Unmet(movement, group, people, households, tuple(sites), reason, near, arrived_at)
        )
    return tuple(out)
