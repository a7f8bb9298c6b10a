"""Constructive engine: event-driven list scheduling of loaded runs.

Repeatedly, the vehicle that can reach people soonest takes the load it can
deliver earliest. A vehicle with stretcher places carries stretcher cases
while any are left; seats fill by urgency (seated wounded, unaccompanied
minors, civilians, fighters). Each run's departure is set so that every
checkpoint on its route has a free slot, the movement's window holds the
whole run and the pacing terms allow the load. `noise` perturbs the choices
(seeded) so the improvement loop can sample different schedules.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from corridor.domain.scenario import Group
from corridor.errors import Infeasible, Shortfall
from corridor.planning.fleet.timetable import Timetable
from corridor.planning.model import Leg, PlanningModel, Vehicle
from corridor.planning.plan import Crossing, Load, PlannedTrip

SEAT_ORDER = (
    Group.WOUNDED_SEATED,
    Group.UNACCOMPANIED_MINORS,
    Group.CIVILIANS,
    Group.FIGHTERS,
)
"""Who takes a free seat first."""


@dataclass
class _Position:
    site: str
    free: float
    trips: int = 0
    blocked: bool = False


@dataclass(frozen=True)
class _Option:
    leg: Leg
    pickup: float
    depart: float
    loads: tuple[Load, ...]

    @property
    def arrive(self) -> float:
        return self.depart + self.leg.minutes

    @property
    def people(self) -> int:
        return sum(load.count for load in self.loads)


Quota = dict[tuple[str, str, str, Group], int]
"""People of (movement, pickup, destination, group) the schedule should carry."""


def nearest_quota(model: PlanningModel) -> Quota | None:
    """Send each group to its nearest destinations with places (least total driving).

    None when filling nearest-first in this order leaves someone without a
    place; the schedule then follows the places alone.
    """
    places = dict(model.capacity)
    quota: Quota = {}
    for d in sorted(
        model.demands, key=lambda d: (d.group.needs_stretcher is False, d.movement, d.site, d.group)
    ):
        left = d.count
        for leg in sorted(
            model.legs_from(d.movement, d.site), key=lambda g: (g.minutes, g.destination)
        ):
            n = min(left, places.get((leg.destination, d.group), 0))
            if n > 0:
                quota[(d.movement, d.site, leg.destination, d.group)] = n
                places[(leg.destination, d.group)] -= n
                left -= n
        if left:
            return None
    return quota


def construct(
    model: PlanningModel,
    rng: random.Random | None = None,
    noise: float = 0.0,
    quota: Quota | None = None,
    prefix: Sequence[PlannedTrip] = (),
) -> list[PlannedTrip]:
    """One complete schedule; raises Infeasible if the pacing terms deadlock.

    Without a quota each vehicle takes the run that arrives soonest. With one,
    loads keep to the quota and the longest runs go first, so the schedule
    ends on short runs and the fleet finishes together (longest job first).
    `prefix` is kept as it is (each vehicle's first trips, as from an earlier
    schedule cut at some minute) and the schedule is completed from there.
    """
    waiting = {(d.movement, d.site, d.group): d.count for d in model.demands}
    places: dict[tuple[str, Group], int] = dict(model.capacity)
    limits = None if quota is None else dict(quota)
    timetable = Timetable(model)
    positions = {v.id: _Position(v.depot, v.ready) for v in model.vehicles}
    active = list(model.vehicles)
    trips: list[PlannedTrip] = []
    origins = sorted({(d.movement, d.site) for d in model.demands})

    def take(leg: Leg, depart: float, loads: Iterable[Load]) -> None:
        people = 0
        for load in loads:
            people += load.count
            waiting[(leg.movement, leg.origin, load.group)] -= load.count
            places[(leg.destination, load.group)] -= load.count
            if limits is not None:
                limits[(leg.movement, leg.origin, leg.destination, load.group)] -= load.count
        timetable.book(leg, depart, people)

    legs = {(g.movement, g.origin, g.destination): g for g in model.legs}
    for kept in sorted(prefix, key=lambda t: (t.vehicle, t.sequence)):
        take(legs[(kept.movement, kept.origin, kept.destination)], kept.depart, kept.loads)
        here = positions[kept.vehicle]
        here.site, here.free, here.trips = kept.destination, kept.arrive, here.trips + 1
        trips.append(kept)

    while any(waiting.values()):
        work = _work(origins, waiting)
        candidates = []
        for vehicle in active:
            here = positions[vehicle.id]
            if here.blocked:
                continue
            reach = _soonest_pickup(model, vehicle, here, work)
            if reach is not None:
                jitter = 1.0 + (rng.random() * noise if rng is not None and noise else 0.0)
                candidates.append((reach * jitter, vehicle.id, vehicle))
        active = [v for v in active if positions[v.id].blocked or _has_work(v, work)]
        if not candidates:
            raise Infeasible(
                "no vehicle can take the people left within the windows, pacing and places",
                _left(waiting),
            )
        candidates.sort(key=lambda c: (c[0], c[1]))
        vehicle = candidates[0][2]
        here = positions[vehicle.id]
        option = _best_option(
            model, vehicle, here, origins, waiting, (places, limits), timetable, rng, noise
        )
        if option is None:
            here.blocked = True
            continue
        trips.append(_trip(vehicle, here, option))
        take(option.leg, option.depart, option.loads)
        here.site, here.free, here.trips = option.leg.destination, option.arrive, here.trips + 1
        for other in positions.values():
            other.blocked = False
    return trips


Work = dict[tuple[str, str], tuple[bool, bool]]
"""Per (movement, pickup): whether stretcher cases, and seated people, still wait."""


def _work(origins: list[tuple[str, str]], waiting: dict[tuple[str, str, Group], int]) -> Work:
    stretcher: dict[tuple[str, str], bool] = dict.fromkeys(origins, False)
    seated: dict[tuple[str, str], bool] = dict.fromkeys(origins, False)
    for (movement, site, group), n in waiting.items():
        if n > 0:
            (stretcher if group.needs_stretcher else seated)[(movement, site)] = True
    return {o: (stretcher[o], seated[o]) for o in origins if stretcher[o] or seated[o]}


def _fits(vehicle: Vehicle, wanted: tuple[bool, bool]) -> bool:
    return (wanted[0] and vehicle.stretchers > 0) or (wanted[1] and vehicle.seats > 0)


def _has_work(vehicle: Vehicle, work: Work) -> bool:
    return any(_fits(vehicle, wanted) for wanted in work.values())


def _soonest_pickup(
    model: PlanningModel, vehicle: Vehicle, here: _Position, work: Work
) -> float | None:
    best: float | None = None
    for (_, site), wanted in work.items():
        if not _fits(vehicle, wanted):
            continue
        minutes = model.empty_minutes.get((here.site, site), 0.0 if here.site == site else None)
        if minutes is None:
            continue
        at = here.free + minutes
        if best is None or at < best:
            best = at
    return best


def _best_option(
    model: PlanningModel,
    vehicle: Vehicle,
    here: _Position,
    origins: list[tuple[str, str]],
    waiting: dict[tuple[str, str, Group], int],
    room: tuple[dict[tuple[str, Group], int], Quota | None],
    timetable: Timetable,
    rng: random.Random | None,
    noise: float,
) -> _Option | None:
    options: list[_Option] = []
    for movement, site in origins:
        minutes = model.empty_minutes.get((here.site, site), 0.0 if here.site == site else None)
        if minutes is None:
            continue
        pickup = here.free + minutes
        for leg in model.legs_from(movement, site):
            loads = _load(vehicle, leg, waiting, room)
            people = sum(n for _, n in loads)
            if people == 0:
                continue
            timed = timetable.departure(leg, pickup, people)
            if timed is None:
                continue
            depart, allowed = timed
            trimmed = _trim(loads, allowed)
            options.append(_Option(leg, pickup, depart, tuple(Load(g, n) for g, n in trimmed if n)))
    if not options:
        return None
    if vehicle.stretchers and any(o.loads and _stretchers(o) for o in options):
        options = [o for o in options if _stretchers(o)]

    far_first = room[1] is not None
    # Earliest deadline first: a movement whose last window closes sooner goes
    # before one that can still run later (all equal when no window is set).
    deadline = {m: max(w.close for w in model.windows_of(m)) for m, _ in origins}

    def score(o: _Option) -> tuple[float, float, float, int, int, str, str]:
        jitter = 1.0 + (rng.random() * noise if rng is not None and noise else 0.0)
        longest = (o.pickup - here.free - o.leg.minutes) * jitter if far_first else 0.0
        return (
            deadline[o.leg.movement],
            longest,
            o.arrive * jitter,
            -_stretchers(o),
            -o.people,
            o.leg.origin,
            o.leg.destination,
        )

    return min(options, key=score)


def _stretchers(option: _Option) -> int:
    return sum(load.count for load in option.loads if load.group.needs_stretcher)


def _load(
    vehicle: Vehicle,
    leg: Leg,
    waiting: dict[tuple[str, str, Group], int],
    room: tuple[dict[tuple[str, Group], int], Quota | None],
) -> list[tuple[Group, int]]:
    places, quota = room

    def free(group: Group) -> int:
        n = places.get((leg.destination, group), 0)
        if quota is not None:
            n = min(n, quota.get((leg.movement, leg.origin, leg.destination, group), 0))
        return n

    loads: list[tuple[Group, int]] = []
    key = (leg.movement, leg.origin, Group.WOUNDED_STRETCHER)
    if vehicle.stretchers and key in waiting:
        n = min(
            vehicle.stretchers,
            waiting[key],
            free(Group.WOUNDED_STRETCHER),
        )
        if n > 0:
            loads.append((Group.WOUNDED_STRETCHER, n))
    seats = vehicle.seats
    for group in SEAT_ORDER:
        key = (leg.movement, leg.origin, group)
        if seats <= 0 or key not in waiting:
            continue
        n = min(seats, waiting[key], free(group))
        if n > 0:
            loads.append((group, n))
            seats -= n
    return loads


def _trim(loads: list[tuple[Group, int]], allowed: int) -> list[tuple[Group, int]]:
    """Keep the most urgent `allowed` people (loads are already in urgency order)."""
    kept: list[tuple[Group, int]] = []
    for group, n in loads:
        take = min(n, allowed)
        if take > 0:
            kept.append((group, take))
        allowed -= take
    return kept


def _trip(vehicle: Vehicle, here: _Position, option: _Option) -> PlannedTrip:
    leg = option.leg
    return PlannedTrip(
        vehicle=vehicle.id,
        sequence=here.trips,
        movement=leg.movement,
        origin=leg.origin,
        destination=leg.destination,
        loads=option.loads,
        leave=here.free,
        pickup=option.pickup,
        depart=option.depart,
        arrive=option.arrive,
        route=leg.sites,
        crossings=tuple(Crossing(site, option.depart + offset) for site, offset in leg.checkpoints),
    )


def _left(waiting: dict[tuple[str, str, Group], int]) -> list[Shortfall]:
    return [
        Shortfall(g.value, site, n, f"{movement} not moved")
        for (movement, site, g), n in sorted(waiting.items())
        if n > 0
    ]
