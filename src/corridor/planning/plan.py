"""A plan: trips in time that move every eligible person, with its lower bound and gap.

These values are the contract between the planner, the simulator and every
exporter, so they carry no behaviour beyond what can be read off the trips.
All times are minutes after the scenario's start (the planner's minute zero).

Reading a trip: the vehicle leaves its previous position (its depot, or the
destination of its previous trip) empty at `leave`, reaches the pickup site at
`pickup`, departs loaded at `depart`, is screened at each checkpoint of its
route at the minute given in `crossings`, and unloads at the destination at
`arrive`. People of a trip wait from minute zero until `depart`; that is the
person-hours-waiting figure. The plan's makespan (clearance time) is the last
`arrive`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from corridor.domain.scenario import Group


@dataclass(frozen=True)
class Load:
    """People of one group aboard a trip."""

    group: Group
    count: int


@dataclass(frozen=True)
class Crossing:
    """The minute a loaded vehicle is screened at a checkpoint."""

    site: str
    at: float


@dataclass(frozen=True)
class PlannedVehicle:
    """One vehicle of the fleet: its kind, its depot and the minute it is ready there."""

    id: str
    kind: str
    depot: str
    ready: float = 0.0


@dataclass(frozen=True)
class PlannedTrip:
    """One loaded run of one vehicle for one movement, from pickup to destination."""

    vehicle: str
    sequence: int
    """0 for the vehicle's first trip, then 1, 2, ..."""
    movement: str
    origin: str
    """The pickup site (an enclave or assembly point)."""
    destination: str
    loads: tuple[Load, ...]
    leave: float
    pickup: float
    depart: float
    arrive: float
    route: tuple[str, ...] = ()
    """Sites passed loaded, pickup first and destination last."""
    crossings: tuple[Crossing, ...] = ()

    @property
    def people(self) -> int:
        return sum(load.count for load in self.loads)

    def count(self, group: Group) -> int:
        return sum(load.count for load in self.loads if load.group is group)


@dataclass(frozen=True)
class Bound:
    """One lower bound on the makespan and the argument that gives it."""

    name: str
    minutes: float
    note: str = ""


@dataclass(frozen=True)
class Plan:
    """Trips in time for a whole scenario, with makespan, lower bound and gap."""

    scenario: str
    vehicles: tuple[PlannedVehicle, ...]
    trips: tuple[PlannedTrip, ...]
    makespan: float
    lower_bound: float
    person_hours_waiting: float
    engine: str
    proved_optimal: bool = False
    bounds: tuple[Bound, ...] = ()
    seed: int | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def gap(self) -> float:
        """Relative gap (makespan - bound) / makespan; 0 for an empty or proved plan."""
        if self.makespan <= 0:
            return 0.0
        return max(0.0, (self.makespan - self.lower_bound) / self.makespan)

    def people_moved(self, movement: str | None = None, group: Group | None = None) -> int:
        return sum(
            (trip.people if group is None else trip.count(group))
            for trip in self.trips
            if movement is None or trip.movement == movement
        )

    def trips_of(self, vehicle: str) -> tuple[PlannedTrip, ...]:
        """The vehicle's trips in the order it drives them."""
        return tuple(sorted((t for t in self.trips if t.vehicle == vehicle), key=_trip_order))

    def arrivals(self, movement: str | None = None) -> tuple[tuple[float, int], ...]:
        """Cumulative people arrived, as (minute, total) steps in time order."""
        total = 0
        steps: list[tuple[float, int]] = []
        for trip in sorted(self.trips, key=lambda t: (t.arrive, t.vehicle, t.sequence)):
            if movement is not None and trip.movement != movement:
                continue
            total += trip.people
            steps.append((trip.arrive, total))
        return tuple(steps)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (plain types, stable key order)."""
        return {
            "scenario": self.scenario,
            "engine": self.engine,
            "makespan": self.makespan,
            "lower_bound": self.lower_bound,
            "gap": self.gap,
            "proved_optimal": self.proved_optimal,
            "person_hours_waiting": self.person_hours_waiting,
            "seed": self.seed,
            "seconds": self.seconds,
            "people_moved": self.people_moved(),
            "bounds": [{"name": b.name, "minutes": b.minutes, "note": b.note} for b in self.bounds],
            "notes": list(self.notes),
            "vehicles": [
                {"id": v.id, "kind": v.kind, "depot": v.depot, "ready": v.ready}
                for v in self.vehicles
            ],
            "trips": [_trip_dict(t) for t in self.trips],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """Rebuild a plan from `to_dict` output; raises KeyError/ValueError on a bad shape."""
        return cls(
            scenario=str(data["scenario"]),
            vehicles=tuple(
                PlannedVehicle(
                    id=str(v["id"]),
                    kind=str(v["kind"]),
                    depot=str(v["depot"]),
                    ready=float(v["ready"]),
                )
                for v in data["vehicles"]
            ),
            trips=tuple(_trip_from(t) for t in data["trips"]),
            makespan=float(data["makespan"]),
            lower_bound=float(data["lower_bound"]),
            person_hours_waiting=float(data["person_hours_waiting"]),
            engine=str(data["engine"]),
            proved_optimal=bool(data.get("proved_optimal", False)),
            bounds=tuple(
                Bound(str(b["name"]), float(b["minutes"]), str(b.get("note", "")))
                for b in data.get("bounds", ())
            ),
            seed=None if data.get("seed") is None else int(data["seed"]),
            seconds=float(data.get("seconds", 0.0)),
            notes=tuple(str(n) for n in data.get("notes", ())),
        )


def makespan_of(trips: Iterable[PlannedTrip]) -> float:
    """Clearance time: the minute the last person arrives (0 with no trips)."""
    return max((t.arrive for t in trips), default=0.0)


def person_hours_waiting(trips: Iterable[PlannedTrip]) -> float:
    """People wait at their pickup site from minute zero until their vehicle departs."""
    return sum(t.people * t.depart for t in trips) / 60.0


def _trip_order(trip: PlannedTrip) -> tuple[str, int]:
    return (trip.vehicle, trip.sequence)


def _trip_dict(trip: PlannedTrip) -> dict[str, Any]:
    return {
        "vehicle": trip.vehicle,
        "sequence": trip.sequence,
        "movement": trip.movement,
        "origin": trip.origin,
        "destination": trip.destination,
        "loads": {load.group.value: load.count for load in trip.loads},
        "leave": trip.leave,
        "pickup": trip.pickup,
        "depart": trip.depart,
        "arrive": trip.arrive,
        "route": list(trip.route),
        "crossings": [{"site": c.site, "at": c.at} for c in trip.crossings],
    }


def _trip_from(data: Mapping[str, Any]) -> PlannedTrip:
    return PlannedTrip(
        vehicle=str(data["vehicle"]),
        sequence=int(data["sequence"]),
        movement=str(data["movement"]),
        origin=str(data["origin"]),
        destination=str(data["destination"]),
        loads=tuple(Load(Group(g), int(n)) for g, n in dict(data["loads"]).items()),
        leave=float(data["leave"]),
        pickup=float(data["pickup"]),
        depart=float(data["depart"]),
        arrive=float(data["arrive"]),
        route=tuple(str(s) for s in data.get("route", ())),
        crossings=tuple(
            Crossing(str(c["site"]), float(c["at"])) for c in data.get("crossings", ())
        ),
    )
