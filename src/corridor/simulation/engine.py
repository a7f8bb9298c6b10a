"""One seeded run of an operation under disruption, on SimPy, at the level of trips.

Vehicles replay a plan's trips or follow a dispatch policy: go to the pickup
site of the movement furthest behind, load by priority (`people`), drive the
movement's corridor to a destination, and come back for more while the deal
allows. The gate (the deal) is asked before every loaded departure and at
every stop; engine-level holds come from verified incidents and from the
scripted timeline (`disturbances`). Whenever a hold, a resume or an arrival
changes what may move, one review at that minute wakes just the waiting
vehicles that could now move (`_review`).

Destinations hold what their capacities say, no more: places are spoken for
when a vehicle leaves loaded (and given back if it is turned back), a load
goes to the first destination of its movement with room for its first group,
and a load is cut to the room there. People with no room anywhere wait where
they are, and the run does not clear (as the planner's model says, a
destination listing no capacities receives every seated group).

A loaded drive between two stops is a single timeout: the run costs a few
events per trip, not per person or per road segment, which is what lets a
35,000-person operation run a thousand times in a minute.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from typing import Any

import simpy

from corridor.domain.scenario import Group, Movement, PrivateFlow, Scenario, Spread
from corridor.errors import InvalidInput
from corridor.planning.model import UNLIMITED
from corridor.planning.plan import Plan, PlannedTrip
from corridor.simulation.disruption import DisruptionModel, HaltKind, Scripted
from corridor.simulation.distributions import Duration
from corridor.simulation.disturbances import random_incidents, scripted
from corridor.simulation.gate import Gate, Load, OpenDeal
from corridor.simulation.metrics import RunMetrics, RunOptions, cumulative
from corridor.simulation.people import (
    NEVER,
    Pickup,
    Vehicle,
    carryable,
    planned_load,
    sitting_load,
)
from corridor.simulation.routes import Roads, Route, build_route, screening_sites
from corridor.simulation.trace import TraceEvent

MIN_RECHECK = 1.0
"""Minutes: a vehicle waiting on time (a window) never rechecks more often than this."""

Observer = Callable[[TraceEvent], None]
IdleKey = tuple[str, str, tuple[str, ...], tuple[str, ...]]
"""Vehicles waiting alike: (kind, where, movements served, pickups served)."""
Process = Generator[simpy.Event, Any, None]


class Simulation:
    """The state of one run; `run()` drives it to clearance or the horizon."""

    def __init__(
        self,
        scenario: Scenario,
        model: DisruptionModel,
        options: RunOptions,
        gate: Gate,
        seeds: tuple[int, int, int, int],
        observer: Observer | None = None,
        plan: Plan | None = None,
    ) -> None:
        self.scenario = scenario
        self.plan = plan
        self.model = model
        self.options = options
        self.gate = gate
        self.observer = observer
        self.env = simpy.Environment()
        self.rng_incidents = random.Random(seeds[0])
        self.rng_screening = random.Random(seeds[1])
        self.rng_breakdowns = random.Random(seeds[2])
        self.rng_choice = random.Random(seeds[3])
        # Streams of their own (seeded from the run's seeds by name), so a drawn
        # occupancy or a private car never shifts the draws of the four above.
        self.rng_load = random.Random(f"occupancy-{seeds[1]}")
        self.rng_private = random.Random(f"private-{seeds[0]}")
        self.roads = Roads(scenario)
        watched = frozenset(e.site for e in model.timeline if e.site is not None)
        extra = frozenset(site for site, _ in model.screening)
        self.screened = screening_sites(scenario, extra)
        self.watched = watched
        self.screening: dict[str, Duration] = {}
        for site in self.screened:
            given = model.screening_at(site)
            rate = scenario.site(site).service_rate_per_hour
            if given is not None:
                self.screening[site] = given
            elif rate:
                self.screening[site] = Duration.exponential(60.0 / rate)
        self.free_at: dict[str, float] = {}
        self.corridor_of = {m.id: m.corridor for m in scenario.movements}
        self.pickups: list[Pickup] = []
        self.initial: dict[str, int] = {m.id: 0 for m in scenario.movements}
        for population in scenario.populations:
            pickup = self._pickup(scenario.movement(population.movement), population.site)
            pickup.add(population.group, population.count, 0.0)
            self.initial[population.movement] += population.count
        self.staged: set[int] = set()
        """Pickups at a movement's staging ground: the onward leg, past the deal's gate."""
        for movement in scenario.movements:
            if movement.staging is not None:
                self.staged.add(self._pickup(movement, movement.staging).index)
        self.total = sum(self.initial.values())
        self.unloaded = self.total
        self.held: dict[str, int] = {m.id: 0 for m in scenario.movements}
        self.site_held: dict[str, int] = {}
        """Dispatch holds: nothing in scope leaves its pickup (every halt kind but exchange)."""
        self.held_cross: dict[str, int] = {m.id: 0 for m in scenario.movements}
        self.site_held_cross: dict[str, int] = {}
        """Stop holds: loaded vehicles in scope stop at their next stop too."""
        self.exchanges = [
            e for e in model.timeline if e.action is Scripted.HALT and e.halt is HaltKind.EXCHANGE
        ]
        self.exchange_waiting: dict[tuple[int, str], list[simpy.Event]] = {}
        """(exchange, movement) -> loaded vehicles of it waiting at the exchange site."""
        self.turn_backs = [e for e in model.timeline if e.action is Scripted.TURN_BACK]
        self.idle: dict[IdleKey, list[tuple[Vehicle, simpy.Event]]] = {}
        """Vehicles waiting for something to carry, by (kind, where, ties): (vehicle, its
        wake-up) in the order they began to wait. Vehicles of one key get one answer."""
        self.blocked: list[tuple[Vehicle, str, str, int, simpy.Event]] = []
        """Loaded vehicles the deal or a hold stops at a checkpoint: (vehicle,
        movement, site, people, its wake-up)."""
        self.parked: list[simpy.Event] = []
        """Other waits (a planned trip held back), woken on every review."""
        self.timed_review: float | None = None
        self.refused: set[tuple[int, str]] = set()
        """(pickup, vehicle kind) refused a dispatch since anything last changed."""
        self.done = self.env.event()
        self.routes: dict[tuple[str, str, str], Route] = {}
        self.room: dict[tuple[str, Group], int] = {}
        """Places left per (destination, group), spoken for at each loaded departure."""
        for movement in scenario.movements:
            received_at = movement.destinations
            if movement.staging is not None:
                received_at = (*received_at, movement.staging)
            for site_id in received_at:
                received = scenario.site(site_id)
                for group in Group:
                    unlimited = not received.capacities and not group.needs_stretcher
                    self.room[(site_id, group)] = (
                        UNLIMITED if unlimited else received.capacity_for(group)
                    )
        self.arrivals: dict[str, list[tuple[float, int]]] = {m.id: [] for m in scenario.movements}
        self.wait_vehicle: dict[Group, float] = dict.fromkeys(Group, 0.0)
        self.wait_assembly: dict[Group, float] = dict.fromkeys(Group, 0.0)
        self.longest = 0.0
        self.trips = self.turned_back = self.incidents = self.halts = self.breakdowns = 0
        self.lost = 0
        self.moved = 0
        self.last_arrival = 0.0

    # -- set-up ---------------------------------------------------------------

    def _pickup(self, movement: Movement, site: str) -> Pickup:
        for pickup in self.pickups:
            if pickup.movement.id == movement.id and pickup.site == site:
                return pickup
        pickup = Pickup(len(self.pickups), movement, site)
        self.pickups.append(pickup)
        return pickup

    def _vehicles(self) -> list[Vehicle]:
        # The fleet's own ids (`Scenario.fleet_vehicles`), so a simulated run
        # names the vehicles an operation's trips would.
        return [
            Vehicle(
                v.id,
                v.kind.id,
                v.depot,
                v.lead_minutes,
                v.kind.seats,
                v.kind.stretchers,
                v.kind.sitting_places,
                v.kind.occupancy,
                NEVER if v.lost_minutes is None else v.lost_minutes,
                v.movements,
                v.pickups,
            )
            for v in self.scenario.fleet_vehicles()
        ]

    def _planned_vehicles(self, plan: Plan) -> list[tuple[Vehicle, tuple[PlannedTrip, ...]]]:
        check_plan(self.scenario, plan)
        out: list[tuple[Vehicle, tuple[PlannedTrip, ...]]] = []
        for planned in plan.vehicles:
            kind = self.scenario.vehicle_kind(planned.kind)
            vehicle = Vehicle(
                planned.id,
                kind.id,
                planned.depot,
                planned.ready,
                kind.seats,
                kind.stretchers,
                kind.sitting_places,
                kind.occupancy,
            )
            trips = plan.trips_of(planned.id)
            for trip in trips:
                self._pickup(self.scenario.movement(trip.movement), trip.origin)
            out.append((vehicle, trips))
        return out

    def run(self, index: int = 0) -> RunMetrics:
        """Drive the run to clearance or the horizon and return its figures."""
        env = self.env
        # The timeline starts first so a halt from minute zero holds the first departures.
        for entry in self.model.timeline:
            env.process(scripted(self, entry))
        for risk in self.model.incidents:
            if risk.rate_per_day > 0:
                env.process(random_incidents(self, risk))
        for flow in self.scenario.private_flows:
            if flow.vehicles > 0:
                env.process(self._private_flow(flow))
        if self.plan is None:
            for vehicle in self._vehicles():
                env.process(self._drive(vehicle))
        else:
            for vehicle, trips in self._planned_vehicles(self.plan):
                env.process(self._follow(vehicle, trips))
        if self.total == 0:
            self.done.succeed()
        env.run(until=simpy.AnyOf(env, [self.done, env.timeout(self.options.horizon_minutes)]))
        return self._metrics(index)

    # -- holds and the shared wake-up ----------------------------------------

    def notify(self) -> None:
        """Something changed what may move: review the waiting vehicles now.

        Callers notify once the change is whole (an arrival and its
        confirmation, a hold and the deal hearing of it), so the review sees
        a consistent state; the vehicles it wakes move at this same minute.
        """
        self.refused.clear()
        if self.idle or self.blocked or self.parked:
            self._review()

    def _review(self) -> None:
        """Wake exactly the waiting vehicles that could now move.

        A loaded vehicle at a checkpoint wakes once the deal and the holds let
        it cross (it has crossed when it wakes). A vehicle waiting for a load
        wakes when `_choose` finds it one it may take now; vehicles of one kind
        waiting at one place get the same answer, asked once, and only as many
        of them wake as the people waiting there need. Waking the rest to ask
        again would cost a step each and change nothing.
        """
        if self.blocked:
            waiting = self.blocked
            self.blocked = []
            for vehicle, movement, site, people, wake in waiting:
                if self._cross(vehicle, movement, site, people):
                    wake.succeed()
                else:
                    self.blocked.append((vehicle, movement, site, people, wake))
        if self.idle:
            promised: dict[int, int] = {}
            for key in list(self.idle):
                queue = self.idle[key]
                found = self._choose(queue[0][0], key[1], ready=True)
                if found is None:
                    continue
                # Wake only as many vehicles as the people there need: a bus park
                # of thirty does not all drive off for one busload.
                woken = 0
                for vehicle, wake in queue:
                    if promised.get(found.index, 0) >= found.waiting - found.reserved:
                        break
                    promised[found.index] = promised.get(found.index, 0) + max(
                        carryable(vehicle, found), 1
                    )
                    wake.succeed()
                    woken += 1
                if woken == len(queue):
                    del self.idle[key]
                elif woken:
                    self.idle[key] = queue[woken:]
        if self.parked:
            parked, self.parked = self.parked, []
            for wake in parked:
                wake.succeed()
        self._schedule_timed_review()

    def _schedule_timed_review(self) -> None:
        """While vehicles wait, review again when time alone may change an answer (a window)."""
        if not (self.idle or self.blocked or self.parked):
            return
        after = self.gate.recheck_after(self.env.now)
        if after is None:
            return
        at = self.env.now + max(after, MIN_RECHECK)
        if self.timed_review is not None and self.env.now < self.timed_review <= at:
            return
        self.timed_review = at
        timer = self.env.timeout(at - self.env.now)
        timer.callbacks.append(self._timed)

    def _timed(self, timer: simpy.Event) -> None:
        if self.timed_review is not None and self.env.now >= self.timed_review:
            self.timed_review = None
            self._review()

    def hold(
        self, entry_movements: list[str], site: str | None, delta: int, *, stop: bool = True
    ) -> None:
        """Hold (delta 1) or release (-1) dispatch in scope, and crossings too when `stop`."""
        if site is not None:
            self.site_held[site] = self.site_held.get(site, 0) + delta
            if stop:
                self.site_held_cross[site] = self.site_held_cross.get(site, 0) + delta
        else:
            for movement in entry_movements:
                self.held[movement] += delta
                if stop:
                    self.held_cross[movement] += delta
        self.notify()

    def release_exchange(self, index: int) -> None:
        """The exchange window closed: every vehicle still waiting at it goes on."""
        for key in [k for k in self.exchange_waiting if k[0] == index]:
            for wake in self.exchange_waiting.pop(key):
                wake.succeed()

    def _exchange(self, movement: str, site: str) -> simpy.Event | None:
        """The wait of a loaded vehicle reaching an exchange site, None when it goes on now.

        When a vehicle of the partner movement waits there, the partner's
        waiting vehicles are released and this one goes on: the two convoys
        have met. Otherwise this vehicle waits for the partner.
        """
        now = self.env.now
        for index, entry in enumerate(self.exchanges):
            if entry.site != site or not entry.start <= now < entry.end:
                continue
            if movement not in (entry.movement, entry.partner):
                continue
            other = entry.partner if movement == entry.movement else entry.movement
            partners = self.exchange_waiting.pop((index, other or ""), [])
            if partners:
                for wake in partners:
                    wake.succeed()
                return None
            wake = self.env.event()
            self.exchange_waiting.setdefault((index, movement), []).append(wake)
            return wake
        return None

    def emit(self, what: str, **data: Any) -> None:
        if self.observer is not None:
            self.observer(TraceEvent(self.env.now, what, data))

    # -- vehicles --------------------------------------------------------------

    def _drive_minutes(self, minutes: float, after: float = 0.0) -> float:
        """Driving minutes for a drive that starts `after` minutes from now, weather included."""
        if not self.model.weather:
            return minutes
        return minutes * self.model.slowdown(self.env.now + after)

    def _choose(self, vehicle: Vehicle, position: str, *, ready: bool = False) -> Pickup | None:
        """Where to load next: here if people wait, else the movement furthest behind.

        "Furthest behind" is the largest share of a movement's people still
        unserved, so linked movements progress in step; within it, the pickup
        with the most people waiting. A vehicle does not drive to a pickup
        elsewhere whose load the deal would refuse now (a later stage waiting
        on the other side): it serves the next movement, or waits where it is.
        With `ready`, a pickup here counts only if its load may leave now too.
        """
        kind, seats, stretchers = vehicle.kind, vehicle.seats, vehicle.stretchers
        refused = self.refused
        free_by_movement: dict[str, int] = {}
        candidates: list[tuple[Pickup, int]] = []
        for pickup in self.pickups:
            free = pickup.waiting - pickup.reserved
            if free <= 0:
                continue
            movement = pickup.movement_id
            free_by_movement[movement] = free_by_movement.get(movement, 0) + free
            if refused and (pickup.index, kind) in refused:
                continue
            if (vehicle.movements or vehicle.pickups) and not vehicle.serves(movement, pickup.site):
                continue
            lying = pickup.counts[Group.WOUNDED_STRETCHER]
            if (seats and pickup.waiting > lying) or (stretchers and lying):
                candidates.append((pickup, free))
        if not candidates:
            return None
        initial = self.initial
        ranked = [
            (
                (
                    pickup.site == position,
                    free_by_movement[pickup.movement_id] / (initial[pickup.movement_id] or 1),
                    free,
                    -pickup.index,
                ),
                pickup,
            )
            for pickup, free in candidates
        ]
        if len(ranked) > 1:
            # Keys are unique (the pickup's index), so pickups are never compared.
            ranked.sort(reverse=True)
        shut: dict[str, bool] = {}
        now = self.env.now
        for _, pickup in ranked:
            here = pickup.site == position
            if here and not ready:
                return pickup
            movement = pickup.movement_id
            if here and (self.held[movement] or self.site_held.get(pickup.site, 0)):
                continue
            if pickup.index in self.staged:
                if not self.site_held.get(pickup.site, 0):
                    return pickup
                continue
            closed = shut.get(movement)
            if closed is None:
                closed = shut[movement] = self.gate.shut(movement, now)
            if not closed and self._deal_would_let_leave(vehicle, pickup):
                return pickup
        return None

    def _deal_would_let_leave(self, vehicle: Vehicle, pickup: Pickup) -> bool:
        """Whether the deal would let some part of a load leave `pickup` now."""
        load = planned_load(vehicle, pickup)
        return self.gate.dispatchable(pickup.movement_id, self.env.now, load) > 0

    def _allowed_load(self, vehicle: Vehicle, pickup: Pickup, load: Load) -> Load:
        """The fullest load the deal lets leave now, () when none may.

        A load is tried whole, then without its lowest-priority group, and so
        on: a deal that puts the wounded first refuses a bus of wounded and
        civilians but lets the wounded go, and the engine need not know why.
        """
        movement = pickup.movement_id
        if pickup.index in self.staged:
            # The onward leg from a staging ground: the deal governed leaving the
            # enclave; only a halt on the staging ground itself stops it.
            return () if self.site_held.get(pickup.site, 0) else load
        if self.held[movement] or self.site_held.get(pickup.site, 0):
            return ()
        now = self.env.now
        for size in range(len(load), 0, -1):
            trial = load[:size]
            if self.gate.dispatch(movement, vehicle.id, now, trial).allowed:
                return trial
        return ()

    def _cross(self, vehicle: Vehicle, movement: str, site: str, people: int) -> bool:
        if self.held_cross[movement] or self.site_held_cross.get(site, 0):
            return False
        return self.gate.cross(movement, vehicle.id, site, self.env.now, people).allowed

    def _wait_for_load(self, vehicle: Vehicle, position: str) -> simpy.Event:
        """Until a review finds this vehicle something it may carry."""
        wake = self.env.event()
        key = (vehicle.kind, position, vehicle.movements, vehicle.pickups)
        self.idle.setdefault(key, []).append((vehicle, wake))
        self._schedule_timed_review()
        return wake

    def _wait_to_cross(
        self, vehicle: Vehicle, movement: str, site: str, people: int
    ) -> simpy.Event:
        """Until a review lets this loaded vehicle cross `site` (it has crossed when woken)."""
        wake = self.env.event()
        self.blocked.append((vehicle, movement, site, people, wake))
        self._schedule_timed_review()
        return wake

    def _wait_for_change(self) -> simpy.Event:
        """Until the next review, whatever it finds."""
        wake = self.env.event()
        self.parked.append(wake)
        self._schedule_timed_review()
        return wake

    def _board(self, pickup: Pickup, load: Load) -> dict[Group, int]:
        now = self.env.now
        aboard: dict[Group, int] = {}
        for group, count in load:
            taken, waited = pickup.take(group, count, now)
            aboard[group] = taken
            self.wait_assembly[group] += waited
        return aboard

    def _route(self, pickup: Pickup, destination: str) -> Route:
        movement = pickup.movement
        key = (movement.id, pickup.site, destination)
        route = self.routes.get(key)
        if route is None:
            corridor = self.scenario.corridor(movement.corridor)
            route = build_route(
                self.roads, corridor.sites, pickup.site, destination, self.screened, self.watched
            )
            self.routes[key] = route
        return route

    def _fit(self, pickup: Pickup, load: Load, *, direct: bool = False) -> tuple[Load, str]:
        """The part of `load` one destination has room for, and that destination.

        A load of sitting people leaving the origin side of a movement with a
        staging ground goes to the staging ground (unless `direct`: private
        vehicles drive on themselves); otherwise the first destination (in the
        movement's order) with room for the load's first, highest-priority
        group, the other groups cut to the room there. ((), "") when no
        destination has room for that group.
        """
        if not load:
            return (), ""
        movement = pickup.movement
        room = self.room
        first = load[0][0]
        targets = movement.destinations
        if (
            movement.staging is not None
            and not direct
            and pickup.index not in self.staged
            and not any(group is Group.WOUNDED_STRETCHER for group, _ in load)
        ):
            targets = (movement.staging,)
        for destination in targets:
            if room[(destination, first)] <= 0:
                continue
            fitted: list[tuple[Group, int]] = []
            for group, count in load:
                taken = min(count, room[(destination, group)])
                if taken > 0:
                    fitted.append((group, taken))
            return tuple(fitted), destination
        return (), ""

    def _speak_for(self, destination: str, aboard: dict[Group, int], sign: int) -> None:
        for group, count in aboard.items():
            key = (destination, group)
            if key in self.room:
                self.room[key] -= sign * count

    def _still(self, aboard: dict[Group, int], minutes: float) -> None:
        if minutes <= 0:
            return
        for group, count in aboard.items():
            self.wait_vehicle[group] += count * minutes
        self.longest = max(self.longest, minutes)

    def _follow(self, vehicle: Vehicle, trips: tuple[PlannedTrip, ...]) -> Process:
        """Replay a vehicle's planned trips, then serve what is left by the dispatch policy.

        A planned trip never starts before its planned pickup minute (people
        are told when to be ready) and carries at most its planned load; the
        deal, the road and the disruption model decide how late it runs.
        People a disruption sent back are picked up by the policy afterwards.
        """
        env = self.env
        position = vehicle.depot
        if vehicle.ready > 0:
            yield env.timeout(vehicle.ready)
        for trip in trips:
            pickup = self._pickup(self.scenario.movement(trip.movement), trip.origin)
            if pickup.site != position:
                yield env.timeout(self._drive_minutes(self.roads.minutes(position, pickup.site)))
                position = pickup.site
            if env.now < trip.pickup:
                yield env.timeout(trip.pickup - env.now)
            while True:
                planned = tuple(
                    (load.group, min(load.count, pickup.counts[load.group]))
                    for load in trip.loads
                    if pickup.counts[load.group] > 0
                )
                if not planned:
                    break
                load = self._allowed_load(vehicle, pickup, planned)
                if load:
                    aboard = self._board(pickup, load)
                    position = yield from self._loaded_run(
                        vehicle, pickup, aboard, trip.destination
                    )
                    break
                yield self._wait_for_change()
        yield from self._drive(vehicle, position)

    def _drive(self, vehicle: Vehicle, start: str | None = None) -> Process:
        env = self.env
        position = start or vehicle.depot
        if start is None and vehicle.ready > 0:
            yield env.timeout(vehicle.ready)
        chosen: Pickup | None = None
        while self.unloaded > 0:
            if env.now >= vehicle.lost:
                self._lose(vehicle)
                return
            # A choice made just before, at the same minute and on the same
            # state (a refusal below), is not made again.
            pickup = chosen or self._choose(vehicle, position)
            chosen = None
            if pickup is None:
                yield self._wait_for_load(vehicle, position)
                continue
            if pickup.site != position:
                # Seats on the way are spoken for, so other vehicles go elsewhere.
                capacity = carryable(vehicle, pickup)
                pickup.reserved += capacity
                yield env.timeout(self._drive_minutes(self.roads.minutes(position, pickup.site)))
                pickup.reserved -= capacity
                position = pickup.site
                if env.now >= vehicle.lost:
                    continue
            sitting = self._sitting(vehicle)
            while True:
                load = planned_load(vehicle, pickup, sitting)
                if not load:
                    break
                load, destination = self._fit(pickup, load)
                load = self._allowed_load(vehicle, pickup, load) if load else ()
                if load:
                    aboard = self._board(pickup, load)
                    position = yield from self._loaded_run(vehicle, pickup, aboard, destination)
                    break
                # Refused (by a hold or by the deal): serve a movement that may
                # move if there is one, else wait here for something to change.
                self.refused.add((pickup.index, vehicle.kind))
                chosen = self._choose(vehicle, position)
                if chosen is not None:
                    break
                yield self._wait_for_load(vehicle, position)
                break

    def _sitting(self, vehicle: Vehicle) -> int:
        """How many sitting people this trip of `vehicle` takes: its occupancy, drawn.

        A draw from the kind's triangular occupancy, rounded, within 1 and the
        door check's seats + standing; the seats when no occupancy is given.
        """
        spread = vehicle.occupancy
        if spread is None:
            return vehicle.seats
        drawn = round(self.rng_load.triangular(spread.low, spread.high, spread.mode))
        return max(1, min(drawn, vehicle.places or vehicle.seats))

    def _lose(self, vehicle: Vehicle) -> None:
        self.lost += 1
        if self.observer is not None:
            self.emit("vehicle-lost", vehicle=vehicle.id)

    def _private_flow(self, flow: PrivateFlow) -> Process:
        """Private vehicles leave one after another, each when the deal lets its load go.

        They queue at the pickup: while one may not leave (a halt, the deal),
        the next waits behind it. The flow ends when its vehicles are all gone
        or nobody of its groups is left to take.
        """
        env = self.env
        kind = self.scenario.vehicle_kind(flow.kind)
        pickup = self._pickup(self.scenario.movement(flow.movement), flow.site)
        if flow.lead_minutes > 0:
            yield env.timeout(flow.lead_minutes)
        rate = flow.per_hour / 60.0
        for number in range(1, flow.vehicles + 1):
            if number > 1:
                yield env.timeout(self.rng_private.expovariate(rate))
            vehicle = Vehicle(
                flow.vehicle_id(number),
                kind.id,
                flow.site,
                env.now,
                kind.seats,
                0,
                kind.sitting_places,
                kind.occupancy,
            )
            sitting = self._sitting(vehicle)
            while True:
                load = sitting_load(pickup, flow.groups, sitting)
                if not load:
                    return
                load, destination = self._fit(pickup, load, direct=True)
                load = self._allowed_load(vehicle, pickup, load) if load else ()
                if load:
                    aboard = self._board(pickup, load)
                    env.process(
                        self._private_run(vehicle, pickup, aboard, destination, flow.screening)
                    )
                    break
                yield self._wait_for_change()

    def _private_run(
        self,
        vehicle: Vehicle,
        pickup: Pickup,
        aboard: dict[Group, int],
        destination: str,
        screening: Spread | None,
    ) -> Process:
        yield from self._loaded_run(vehicle, pickup, aboard, destination, screening)

    def _loaded_run(
        self,
        vehicle: Vehicle,
        pickup: Pickup,
        aboard: dict[Group, int],
        destination: str,
        screening: Spread | None = None,
    ) -> Generator[simpy.Event, Any, str]:
        """Load, drive the corridor stop by stop, unload; returns where the vehicle ends."""
        env = self.env
        movement = pickup.movement_id
        people = sum(aboard.values())
        self.unloaded -= people
        if self.observer is not None:
            self.emit(
                "trip-dispatched",
                vehicle=vehicle.id,
                movement=movement,
                pickup=pickup.site,
                people=people,
                load={group.value: count for group, count in aboard.items()},
            )
        route = self._route(pickup, destination)
        self._speak_for(destination, aboard, 1)
        breaks_at = -1
        breakdowns = self.model.breakdowns
        if breakdowns.per_trip > 0 and self.rng_breakdowns.random() < breakdowns.per_trip:
            breaks_at = self.rng_breakdowns.randrange(len(route.stops) + 1)
        handling = self.model.handling
        # Loading (or screening at the stop before) and the drive to the next
        # stop are one step: nothing can happen to a vehicle between them
        # that the next stop would not see.
        ahead = handling.load_fixed + handling.load_per_person * people
        for number, stop in enumerate(route.stops):
            yield env.timeout(ahead + self._drive_minutes(stop.minutes, ahead))
            ahead = 0.0
            if number == breaks_at:
                yield from self._break_down(vehicle, aboard)
            if self._turned_back(movement, stop.site):
                yield env.timeout(self._drive_minutes(self.roads.minutes(stop.site, pickup.site)))
                for group, count in aboard.items():
                    pickup.add(group, count, env.now, front=True)
                self._speak_for(destination, aboard, -1)
                self.unloaded += people
                self.turned_back += 1
                if self.observer is not None:
                    self.emit(
                        "trip-turned-back",
                        vehicle=vehicle.id,
                        movement=movement,
                        site=stop.site,
                        people=people,
                    )
                self.notify()
                return pickup.site
            # The deal is asked as the vehicle reaches the checkpoint; once
            # admitted it is screened and passes even if a halt begins while
            # it queues, as a convoy already in the lane is not sent back.
            arrived = env.now
            if self.exchanges:
                meeting = self._exchange(movement, stop.site)
                if meeting is not None:
                    yield meeting
            if not self._cross(vehicle, movement, stop.site, people):
                yield self._wait_to_cross(vehicle, movement, stop.site, people)
            if self.observer is not None:
                self.emit("trip-crossed", vehicle=vehicle.id, movement=movement, site=stop.site)
            if stop.screens and stop.site in self.screening:
                # The queue and the screening are known on arrival (`_screen`).
                ahead = self._screen(stop.site, screening)
            self._still(aboard, env.now + ahead - arrived)
        unload = handling.unload_fixed + handling.unload_per_person * people
        final = self._drive_minutes(route.final_minutes, ahead)
        if breaks_at == len(route.stops):
            yield env.timeout(ahead + final)
            yield from self._break_down(vehicle, aboard)
            yield env.timeout(unload)
        else:
            yield env.timeout(ahead + final + unload)
        if route.destination == pickup.movement.staging and pickup.index not in self.staged:
            self._stage(vehicle, pickup, aboard)
        else:
            self._arrive(
                vehicle,
                movement,
                route.destination,
                people,
                confirm=pickup.index not in self.staged,
            )
        return route.destination

    def _screen(self, site: str, screening: Spread | None = None) -> float:
        """Minutes from now until this vehicle leaves the checkpoint, queue included.

        A checkpoint screens one vehicle at a time, first come first served, so
        its queue is fully described by the minute it next falls free: a
        vehicle starts when it arrives or when that minute comes, whichever is
        later. One timeout per crossing, where a SimPy resource would take three.
        """
        now = self.env.now
        begins = max(now, self.free_at.get(site, 0.0))
        if screening is None:
            minutes = self.screening[site].draw(self.rng_screening)
        else:
            minutes = self.rng_screening.triangular(screening.low, screening.high, screening.mode)
        ends = begins + minutes
        self.free_at[site] = ends
        return ends - now

    def _break_down(self, vehicle: Vehicle, aboard: dict[Group, int]) -> Process:
        repair = self.model.breakdowns.repair.draw(self.rng_breakdowns)
        self.breakdowns += 1
        if self.observer is not None:
            self.emit("vehicle-broke-down", vehicle=vehicle.id, minutes=repair)
        yield self.env.timeout(repair)
        self._still(aboard, repair)

    def _turned_back(self, movement: str, site: str) -> bool:
        if not self.turn_backs:
            return False
        now = self.env.now
        corridor = self.corridor_of[movement]
        return any(
            e.start <= now < e.end and e.covers(movement, corridor, (site,))
            for e in self.turn_backs
        )

    def _stage(self, vehicle: Vehicle, pickup: Pickup, aboard: dict[Group, int]) -> None:
        """A shuttle reached its movement's staging ground: its people wait there to go on.

        Monitors confirm them out of the enclave here, so the deal hears of
        them now; they count as moved once the onward leg delivers them.
        """
        now = self.env.now
        movement = pickup.movement
        staging = movement.staging or ""
        onward = self._pickup(movement, staging)
        people = sum(aboard.values())
        for group, count in aboard.items():
            onward.add(group, count, now)
        self._speak_for(staging, aboard, -1)
        self.unloaded += people
        self.trips += 1
        self.gate.arrived(movement.id, people, now)
        if self.observer is not None:
            self.emit(
                "trip-arrived",
                vehicle=vehicle.id,
                movement=movement.id,
                destination=staging,
                people=people,
            )
        self.notify()

    def _arrive(
        self,
        vehicle: Vehicle,
        movement: str,
        destination: str,
        people: int,
        *,
        confirm: bool = True,
    ) -> None:
        now = self.env.now
        self.trips += 1
        self.moved += people
        self.last_arrival = now
        self.arrivals[movement].append((now, people))
        if confirm:
            self.gate.arrived(movement, people, now)
        if self.observer is not None:
            self.emit(
                "trip-arrived",
                vehicle=vehicle.id,
                movement=movement,
                destination=destination,
                people=people,
            )
        self.notify()
        if self.moved >= self.total and not self.done.triggered:
            self.done.succeed()

    # -- figures ---------------------------------------------------------------

    def _metrics(self, index: int) -> RunMetrics:
        end = self.env.now
        cleared = self.moved >= self.total
        for pickup in self.pickups:
            for group, queue in pickup.batches.items():
                for joined, count in queue:
                    self.wait_assembly[group] += count * (end - joined)
        series, moved_by_deadline = cumulative(
            [(m.id, self.arrivals[m.id]) for m in self.scenario.movements], self.options
        )
        return RunMetrics(
            index=index,
            cleared=cleared,
            clearance=self.last_arrival if cleared else self.options.horizon_minutes,
            moved=self.moved,
            moved_by_deadline=moved_by_deadline,
            waiting_vehicle=tuple((g.value, self.wait_vehicle[g]) for g in Group),
            waiting_assembly=tuple((g.value, self.wait_assembly[g]) for g in Group),
            longest_wait=self.longest,
            trips=self.trips,
            turned_back=self.turned_back,
            incidents=self.incidents,
            halts=self.halts,
            breakdowns=self.breakdowns,
            series=series,
        )


def check_plan(scenario: Scenario, plan: Plan) -> None:
    """InvalidInput naming every vehicle and trip of `plan` the scenario does not know."""
    if plan.scenario != scenario.id:
        raise InvalidInput(f"the plan is for scenario {plan.scenario!r}, not {scenario.id!r}")
    kinds = {k.id for k in scenario.vehicle_kinds}
    sites = {s.id for s in scenario.sites}
    movements = {m.id for m in scenario.movements}
    problems: list[str] = []
    for vehicle in plan.vehicles:
        if vehicle.kind not in kinds:
            problems.append(f"plan vehicle {vehicle.id}: no vehicle kind {vehicle.kind!r}")
        if vehicle.depot not in sites:
            problems.append(f"plan vehicle {vehicle.id}: no site {vehicle.depot!r}")
    for trip in plan.trips:
        where = f"plan trip {trip.vehicle}#{trip.sequence}"
        if trip.movement not in movements:
            problems.append(f"{where}: no movement {trip.movement!r}")
        for site in (trip.origin, trip.destination):
            if site not in sites:
                problems.append(f"{where}: no site {site!r}")
    if problems:
        raise InvalidInput(f"the plan does not fit scenario {scenario.id}: " + "; ".join(problems))


def simulate(
    scenario: Scenario,
    model: DisruptionModel | None = None,
    options: RunOptions | None = None,
    *,
    seeds: tuple[int, int, int, int] = (0, 1, 2, 3),
    gate: Gate | None = None,
    index: int = 0,
    observer: Observer | None = None,
    plan: Plan | None = None,
) -> RunMetrics:
    """One run with explicit seeds; see `corridor.simulation.montecarlo` for many."""
    return Simulation(
        scenario,
        model or DisruptionModel(),
        options or RunOptions(),
        gate if gate is not None else OpenDeal(scenario),
        seeds,
        observer,
        plan,
    ).run(index)
