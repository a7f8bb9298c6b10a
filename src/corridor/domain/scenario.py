"""The static world of an operation: sites, links, corridors, fleet, populations.

A `Scenario` is immutable and validated before it is built (by the scenario-file
adapter), so code that receives one may rely on its ids being unique and its
references resolving. Collections are tuples so the whole value is hashable and
its order is the file's order, which keeps every derived result deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corridor.domain.shelters import Households, ShelterKind, SiteReception


class SiteKind(StrEnum):
    """What a place is for; one site may be several (an enclave is also an assembly point)."""

    ENCLAVE = "enclave"
    ASSEMBLY = "assembly"
    CHECKPOINT = "checkpoint"
    CROSSING = "crossing"
    STAGING = "staging"
    SHELTER = "shelter"
    HOSPITAL = "hospital"
    DEPOT = "depot"


class Group(StrEnum):
    """Who is moving; the agreement says which groups a movement may carry."""

    CIVILIANS = "civilians"
    WOUNDED_STRETCHER = "wounded-stretcher"
    WOUNDED_SEATED = "wounded-seated"
    FIGHTERS = "fighters"
    UNACCOMPANIED_MINORS = "unaccompanied-minors"

    @property
    def needs_stretcher(self) -> bool:
        """Stretcher cases ride only in a stretcher place and arrive only to a bed."""
        return self is Group.WOUNDED_STRETCHER


class Role(StrEnum):
    """The part an organisation plays in the agreement."""

    PARTY = "party"
    GUARANTOR = "guarantor"
    MONITOR = "monitor"


@dataclass(frozen=True)
class Source:
    """Where a figure comes from, and what was chosen where sources disagree."""

    text: str
    note: str = ""


@dataclass(frozen=True)
class Coordinates:
    """WGS84 position; `approximate` marks places set from descriptions, not surveys."""

    lat: float
    lon: float
    approximate: bool = False


@dataclass(frozen=True)
class Capacity:
    """How many people of a group a site can receive (shelter places, hospital beds)."""

    group: Group
    places: int
    source: Source | None = None


@dataclass(frozen=True)
class Site:
    """A place: enclave, assembly point, checkpoint, crossing, staging, shelter, hospital, depot."""

    id: str
    name: str
    kinds: tuple[SiteKind, ...]
    coordinates: Coordinates | None = None
    capacities: tuple[Capacity, ...] = ()
    service_rate_per_hour: float | None = None
    """Vehicles a checkpoint can screen per hour, shared by every movement crossing it."""
    source: Source | None = None
    reception: SiteReception | None = None
    """Shelters, stocks and climate where people are received (see `domain.shelters`)."""
    name_ar: str = ""
    """The name in Arabic script ("" when the scenario gives none)."""

    def is_a(self, kind: SiteKind) -> bool:
        return kind in self.kinds

    def capacity_for(self, group: Group) -> int:
        """Places for `group`; 0 when the site does not receive that group."""
        return sum(c.places for c in self.capacities if c.group is group)


@dataclass(frozen=True)
class Link:
    """A road segment between two sites; usable both ways unless `one_way`."""

    id: str
    a: str
    b: str
    minutes: float
    km: float | None = None
    vehicles_per_hour: float | None = None
    one_way: bool = False
    source: Source | None = None


@dataclass(frozen=True)
class Corridor:
    """An agreed route: the ordered sites a movement must pass."""

    id: str
    sites: tuple[str, ...]
    name: str = ""


@dataclass(frozen=True)
class Spread:
    """A number known as a range: lowest, most likely and highest (a triangular spread)."""

    low: float
    mode: float
    high: float

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3


@dataclass(frozen=True)
class VehicleKind:
    """A kind of vehicle: seats for sitting people, stretcher places for stretcher cases.

    `standing` is how many more sitting-group people the scenario allows on
    board beyond the seats (0 unless declared); planners load to seats, the
    door check of a boarding to seats + standing. `occupancy`, when given, is
    how many sitting people a loaded trip of this kind carries in the
    simulator (drawn per trip, within seats + standing); without it the
    simulator loads to seats.
    """

    id: str
    seats: int
    stretchers: int = 0
    name: str = ""
    source: Source | None = None
    standing: int = 0
    occupancy: Spread | None = None

    @property
    def sitting_places(self) -> int:
        """Most people of sitting groups one vehicle of this kind may carry."""
        return self.seats + self.standing


@dataclass(frozen=True)
class FleetUnit:
    """`count` vehicles of one kind at a depot, ready `lead_minutes` after the start."""

    kind: str
    depot: str
    count: int
    lead_minutes: float = 0.0
    source: Source | None = None
    ids: tuple[str, ...] = ()
    """Explicit vehicle ids, one per vehicle; empty means numbered (see `vehicle_id`)."""
    lost_minutes: float | None = None
    """Minutes after the start when these vehicles are lost (burned, seized, withdrawn)."""
    movements: tuple[str, ...] = ()
    """Movements these vehicles serve; empty: any."""
    pickups: tuple[str, ...] = ()
    """Sites where these vehicles load; empty: any (a staging ground's onward fleet)."""
    party: str = ""
    """The organisation the vehicles belong to or were sent by (one side of the deal)."""


def vehicle_id(kind: str, depot: str, number: int) -> str:
    """The id of the `number`-th (from 1) vehicle of a kind at a depot: `{kind}-{depot}-{n}`.

    Numbers run per kind and depot across fleet units, so two units of buses
    at one depot (with different lead times) never share an id.
    """
    return f"{kind}-{depot}-{number}"


@dataclass(frozen=True)
class FleetVehicle:
    """One vehicle of the fleet: its id, its kind, its depot and when it is ready."""

    id: str
    kind: VehicleKind
    depot: str
    lead_minutes: float = 0.0
    lost_minutes: float | None = None
    movements: tuple[str, ...] = ()
    pickups: tuple[str, ...] = ()
    party: str = ""


@dataclass(frozen=True)
class PrivateFlow:
    """Private cars and trucks leaving a movement's pickup site under the deal's terms.

    `vehicles` leave in all, one at a time at `per_hour` on average from
    `lead_minutes` after the start, each carrying people of `groups` as its
    kind's occupancy says, along the movement's corridor to a destination.
    `screening` (minutes) replaces the checkpoint's own screening time for
    them; they queue at the checkpoint with the convoys.
    """

    movement: str
    site: str
    kind: str
    vehicles: int
    per_hour: float
    lead_minutes: float = 0.0
    screening: Spread | None = None
    groups: tuple[Group, ...] = (Group.CIVILIANS,)
    source: Source | None = None

    def vehicle_id(self, number: int) -> str:
        """The id of the `number`-th (from 1) vehicle of the flow: `{kind}-{movement}-{n}`."""
        return f"{self.kind}-{self.movement}-{number}"


@dataclass(frozen=True)
class Population:
    """People of one group waiting at one site to join one movement."""

    movement: str
    site: str
    group: Group
    count: int
    source: Source | None = None


@dataclass(frozen=True)
class Movement:
    """One agreed evacuation stream: origin, corridor, destinations, eligible groups."""

    id: str
    origin: str
    corridor: str
    destinations: tuple[str, ...]
    groups: tuple[Group, ...]
    name: str = ""
    source: Source | None = None
    staging: str | None = None
    """A staging ground on the corridor: sitting loads shuttle there from the origin
    and go on by vehicles loading at the staging ground; stretcher cases go direct."""
    name_ar: str = ""
    """The name in Arabic script ("" when the scenario gives none)."""


@dataclass(frozen=True)
class Organisation:
    """A party, guarantor or monitor of the agreement."""

    id: str
    name: str
    role: Role
    source: Source | None = None


@dataclass(frozen=True)
class Scenario:
    """The static world of one operation. Built only from validated input."""

    id: str
    name: str
    start: str
    """ISO 8601 local start time of the operation (the planner's minute zero)."""
    timezone: str
    sites: tuple[Site, ...]
    links: tuple[Link, ...]
    corridors: tuple[Corridor, ...]
    vehicle_kinds: tuple[VehicleKind, ...]
    fleet: tuple[FleetUnit, ...]
    populations: tuple[Population, ...]
    movements: tuple[Movement, ...]
    organisations: tuple[Organisation, ...] = ()
    description: str = ""
    sources: tuple[Source, ...] = field(default=())
    incident_kinds: tuple[str, ...] = ()
    """Incident kinds that may be reported here, besides those the agreement declares."""
    shelter_kinds: tuple[ShelterKind, ...] = ()
    households: tuple[Households, ...] = ()
    private_flows: tuple[PrivateFlow, ...] = ()
    """Private vehicles leaving under the deal (see `PrivateFlow`)."""

    def site(self, site_id: str) -> Site:
        for s in self.sites:
            if s.id == site_id:
                return s
        raise KeyError(site_id)

    def movement(self, movement_id: str) -> Movement:
        for m in self.movements:
            if m.id == movement_id:
                return m
        raise KeyError(movement_id)

    def corridor(self, corridor_id: str) -> Corridor:
        for c in self.corridors:
            if c.id == corridor_id:
                return c
        raise KeyError(corridor_id)

    def vehicle_kind(self, kind_id: str) -> VehicleKind:
        for k in self.vehicle_kinds:
            if k.id == kind_id:
                return k
        raise KeyError(kind_id)

    def people(self, movement: str | None = None, group: Group | None = None) -> int:
        """People waiting, optionally for one movement and one group."""
        return sum(
            p.count
            for p in self.populations
            if (movement is None or p.movement == movement) and (group is None or p.group is group)
        )

    def vehicles(self, kind: str | None = None) -> int:
        return sum(u.count for u in self.fleet if kind is None or u.kind == kind)

    def fleet_vehicles(self) -> tuple[FleetVehicle, ...]:
        """Every vehicle of the fleet, in fleet order, each with its one id."""
        kinds = {k.id: k for k in self.vehicle_kinds}
        numbered: dict[tuple[str, str], int] = {}
        out: list[FleetVehicle] = []
        for unit in self.fleet:
            for n in range(unit.count):
                if n < len(unit.ids):
                    vid = unit.ids[n]
                else:
                    key = (unit.kind, unit.depot)
                    numbered[key] = numbered.get(key, 0) + 1
                    vid = vehicle_id(unit.kind, unit.depot, numbered[key])
                out.append(
                    FleetVehicle(
                        vid,
                        kinds[unit.kind],
                        unit.depot,
                        unit.lead_minutes,
                        unit.lost_minutes,
                        unit.movements,
                        unit.pickups,
                        unit.party,
                    )
                )
        return tuple(out)

    def vehicle_ids(self) -> tuple[str, ...]:
        """The ids of every vehicle of the fleet, in fleet order."""
        return tuple(v.id for v in self.fleet_vehicles())

    def vehicle(self, vehicle_id: str) -> VehicleKind:
        """The kind of the fleet's vehicle `vehicle_id`; KeyError when it is not in the fleet."""
        for v in self.fleet_vehicles():
            if v.id == vehicle_id:
                return v.kind
        raise KeyError(vehicle_id)
