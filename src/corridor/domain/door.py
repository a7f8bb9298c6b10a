"""Checked at the door: every id, kind and count a command names, before anything is appended.

The ledger is append-only, so a misspelt site or a vehicle that is not in the
fleet, once recorded, stays in the record for ever; and an incident of kind
`shootng` halts nothing, because the suspension terms name `shooting`. These
checks compare what a command names with the operation's `World` (what the
scenario and the agreement declare) and, where it matters, with the live
record, and refuse with `Rejected`, which names the field, the value and what
is allowed. They are pure functions: the custody book calls them in its verbs
and the services call them for the agreement's requests and incidents, so
every caller is checked the same way.

Values are echoed only when they look like ids or numbers (what the
interfaces accept for these fields); anything else is shown as `(not shown)`,
because a refusal reaches logs and screens of every role and must never
carry free text that could name a person.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from corridor.domain.agreement.requests import (
    ConfirmStage,
    CrossCheckpoint,
    DispatchTrip,
    Request,
)
from corridor.domain.custody_events import Counts
from corridor.domain.scenario import Group, Scenario, SiteKind, VehicleKind

__all__ = [
    "STANDARD_INCIDENT_KINDS",
    "Rejected",
    "Route",
    "World",
    "check_arrival",
    "check_board",
    "check_group",
    "check_headcount",
    "check_incident",
    "check_movement",
    "check_on_route",
    "check_plan",
    "check_request",
    "check_vehicle",
    "incident_vocabulary",
]

STANDARD_INCIDENT_KINDS: tuple[str, ...] = (
    "shooting",
    "shelling",
    "airstrike",
    "attack-on-vehicles",
    "blocked-convoy",
    "detention",
    "abduction",
    "looting",
    "explosive-hazard",
)
"""The vocabulary in force when neither the agreement nor the scenario declares one."""

SEVERITIES = range(1, 6)
NOT_SHOWN = "(not shown)"
_SHOWABLE = re.compile(r"^-?[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
_SHOWN_CHOICES = 12


def incident_vocabulary(
    agreement_kinds: Iterable[str], scenario_kinds: Iterable[str] = ()
) -> tuple[str, ...]:
    """The closed list of incident kinds: the agreement's and the scenario's, else the standard."""
    declared = tuple(dict.fromkeys([*agreement_kinds, *scenario_kinds]))
    return declared or STANDARD_INCIDENT_KINDS


def _shown(value: object) -> str:
    text = str(value)
    return text if _SHOWABLE.match(text) else NOT_SHOWN


class Rejected(Exception):
    """A command names something the operation does not have, or a count it cannot hold.

    `field` is the command's field (`site`, `vehicle`, `counts.civilians`);
    `value` what it named (ids and numbers only, see the module docstring);
    `allowed` the values allowed, or a phrase for a range (`0..50`).
    """

    def __init__(
        self, field: str, value: object, allowed: tuple[str, ...] | str, message: str
    ) -> None:
        self.field = field
        self.value = _shown(value)
        self.allowed = allowed
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        if isinstance(self.allowed, str):
            choices = self.allowed
        else:
            shown = list(self.allowed[:_SHOWN_CHOICES])
            more = len(self.allowed) - len(shown)
            choices = ", ".join(shown) + (f", ... ({len(self.allowed)} in all)" if more else "")
            choices = choices or "none"
        return f"{self.field}: {self.value!r} {self.message} (allowed: {choices})"


@dataclass(frozen=True)
class Route:
    """What one movement may use: where it boards, the corridor it passes, where it arrives."""

    movement: str
    origin: str
    corridor: str
    corridor_sites: tuple[str, ...]
    boarding_sites: tuple[str, ...]
    """The origin, the corridor's enclaves and assembly points, and where its people wait."""
    destinations: tuple[str, ...]
    groups: tuple[Group, ...]

    @property
    def sites(self) -> tuple[str, ...]:
        """Every site the movement's trips may be at, in route order."""
        return tuple(
            dict.fromkeys([*self.boarding_sites, *self.corridor_sites, *self.destinations])
        )


@dataclass(frozen=True, eq=False)
class World:
    """What the door checks need to know of one operation's scenario and agreement."""

    sites: Mapping[str, frozenset[SiteKind]]
    vehicles: Mapping[str, VehicleKind]
    """Vehicle id -> its kind (seats, stretchers, standing), in fleet order."""
    movements: Mapping[str, Route]
    corridors: Mapping[str, tuple[str, ...]]
    incident_kinds: tuple[str, ...]

    @classmethod
    def of(cls, scenario: Scenario, incident_kinds: Iterable[str] = ()) -> World:
        """The world of `scenario`; `incident_kinds` are the agreement's declared kinds."""
        sites = {s.id: frozenset(s.kinds) for s in scenario.sites}
        corridors = {c.id: c.sites for c in scenario.corridors}
        movements: dict[str, Route] = {}
        for m in scenario.movements:
            route = corridors.get(m.corridor, ())
            waiting = [p.site for p in scenario.populations if p.movement == m.id]
            assembly = [
                s
                for s in route
                if sites.get(s, frozenset()) & {SiteKind.ENCLAVE, SiteKind.ASSEMBLY}
            ]
            boarding = tuple(dict.fromkeys([m.origin, *assembly, *waiting]))
            movements[m.id] = Route(
                m.id, m.origin, m.corridor, route, boarding, m.destinations, m.groups
            )
        vehicles = {v.id: v.kind for v in scenario.fleet_vehicles()}
        vocabulary = incident_vocabulary(incident_kinds, scenario.incident_kinds)
        return cls(sites, vehicles, movements, corridors, vocabulary)


# ---- the pieces every check uses ------------------------------------------------


def check_movement(world: World, movement: str) -> Route:
    found = world.movements.get(movement)
    if found is None:
        raise Rejected("movement", movement, tuple(world.movements), "is not a movement")
    return found


def check_vehicle(world: World, vehicle: str) -> VehicleKind:
    found = world.vehicles.get(vehicle)
    if found is None:
        raise Rejected("vehicle", vehicle, tuple(world.vehicles), "is not a vehicle of the fleet")
    return found


def check_group(world: World, movement: str, group: Group) -> None:
    """`group` is one the movement may carry."""
    route = check_movement(world, movement)
    if group not in route.groups:
        allowed = tuple(g.value for g in route.groups)
        raise Rejected("group", group.value, allowed, f"is not a group movement {movement} carries")


def _site(world: World, site: str, allowed: tuple[str, ...], what: str) -> None:
    if site not in world.sites:
        raise Rejected("site", site, allowed, "is not a site of the scenario")
    if site not in allowed:
        raise Rejected("site", site, allowed, what)


def _counts(route: Route, people: Counts, field: str = "counts") -> None:
    allowed = tuple(g.value for g in route.groups)
    for group, n in people:
        if group not in route.groups:
            raise Rejected(
                field, group.value, allowed, f"is not a group movement {route.movement} carries"
            )
        if n < 0:
            raise Rejected(f"{field}.{group.value}", n, "0 or more", "is a negative count")


def _load(vehicle: str, kind: VehicleKind, people: Counts, field: str = "counts") -> None:
    sitting = sum(n for g, n in people if not g.needs_stretcher)
    lying = sum(n for g, n in people if g.needs_stretcher)
    if lying > kind.stretchers:
        raise Rejected(
            f"{field}.{Group.WOUNDED_STRETCHER.value}",
            lying,
            f"0..{kind.stretchers}",
            f"stretcher cases do not fit vehicle {vehicle} ({kind.id}: {kind.stretchers} "
            "stretcher places)",
        )
    if sitting > kind.sitting_places:
        standing = f" + {kind.standing} standing" if kind.standing else ""
        raise Rejected(
            field,
            sitting,
            f"0..{kind.sitting_places}",
            f"people sitting do not fit vehicle {vehicle} ({kind.id}: {kind.seats} seats"
            f"{standing})",
        )


# ---- one check per command ------------------------------------------------------


def check_plan(
    world: World,
    trip: str,
    movement: str,
    vehicle: str,
    trips: Collection[str],
    live: Mapping[str, str],
) -> None:
    """A trip is planned for a known movement on a fleet vehicle that is free, under a new id.

    `trips` are the ids already used; `live` maps each vehicle on a live trip
    (any stage but closed) to that trip.
    """
    check_movement(world, movement)
    check_vehicle(world, vehicle)
    if trip in trips:
        raise Rejected("trip", trip, "an id not used yet", "is already the id of a trip")
    _free(world, vehicle, live)


def _free(world: World, vehicle: str, live: Mapping[str, str]) -> None:
    busy = live.get(vehicle)
    if busy is not None:
        free = tuple(v for v in world.vehicles if v not in live)
        raise Rejected("vehicle", vehicle, free, f"is on live trip {busy}")


def check_board(
    world: World,
    movement: str,
    vehicle: str,
    site: str,
    people: Counts,
    live: Mapping[str, str] | None = None,
) -> None:
    """A boarding: at one of the movement's boarding sites, eligible groups, within the vehicle.

    `live` is given for a trip boarded without being planned: its vehicle must be free.
    """
    route = check_movement(world, movement)
    kind = check_vehicle(world, vehicle)
    if live is not None:
        _free(world, vehicle, live)
    _site(world, site, route.boarding_sites, f"is not a boarding site of movement {movement}")
    _counts(route, people)
    _load(vehicle, kind, people)


def check_headcount(world: World, movement: str, site: str, people: Counts) -> None:
    """A checkpoint count: at a site of the movement's corridor, eligible groups, no negatives."""
    route = check_movement(world, movement)
    _site(world, site, route.corridor_sites, f"is not on corridor {route.corridor} of {movement}")
    _counts(route, people)


def check_arrival(
    world: World, movement: str, site: str, people: Counts, turned_back: bool = False
) -> None:
    """An arrival: at a destination of the movement, or back at a boarding site after turning back.

    A shelter or hospital the movement does not name is refused: reception
    plans only for the destinations the deal names.
    """
    route = check_movement(world, movement)
    if turned_back:
        _site(world, site, route.boarding_sites, f"is not where movement {movement} boards")
    else:
        _site(world, site, route.destinations, f"is not a destination of movement {movement}")
    _counts(route, people)


def check_on_route(world: World, movement: str, site: str) -> None:
    """A departure, halt or turn-back names a site of the movement's route."""
    route = check_movement(world, movement)
    _site(world, site, route.sites, f"is not on the route of movement {movement}")


def check_incident(world: World, kind: str, severity: int, corridor: str, site: str) -> None:
    """An incident: a declared kind, severity 1 to 5, a known corridor and site (when named)."""
    if kind not in world.incident_kinds:
        raise Rejected("kind", kind, world.incident_kinds, "is not a declared incident kind")
    if severity not in SEVERITIES:
        raise Rejected("severity", severity, "1..5", "is not a severity")
    if corridor and corridor not in world.corridors:
        raise Rejected("corridor", corridor, tuple(world.corridors), "is not a corridor")
    if site and site not in world.sites:
        raise Rejected("site", site, tuple(world.sites), "is not a site of the scenario")


def check_request(world: World, request: Request) -> None:
    """What a request to the agreement engine names, when it is asked without a trip.

    A dispatch names a movement, a fleet vehicle and a load that fits it; a
    crossing a checkpoint of the movement's corridor; a stage confirmation a
    movement. A resume names a term, which the engine itself checks.
    """
    if isinstance(request, DispatchTrip):
        route = check_movement(world, request.movement)
        kind = check_vehicle(world, request.vehicle)
        _counts(route, request.load, "load")
        _load(request.vehicle, kind, request.load, "load")
    elif isinstance(request, CrossCheckpoint):
        route = check_movement(world, request.movement)
        check_vehicle(world, request.vehicle)
        _site(
            world,
            request.site,
            route.corridor_sites,
            f"is not on corridor {route.corridor} of {request.movement}",
        )
        if request.people < 0:
            raise Rejected("people", request.people, "0 or more", "is a negative count")
    elif isinstance(request, ConfirmStage):
        check_movement(world, request.movement)
