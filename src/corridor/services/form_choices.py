"""The choice lists of an operation's ODK/Kobo forms, taken from its live record.

A form filled in on a phone offline can only name what its choice lists
offered, so the lists are the operation's own: the sites a count may be taken
at, the fleet's vehicles, the groups its movements carry, the deal's incident
kinds and the severities the door accepts. A headcount names the vehicle, not
the trip: a monitor reads the number off the bus, and trips planned after the
form went out are still found (the importer asks the custody book which trip
the vehicle is on). The version is a digest of the lists, so a form rebuilt on
an unchanged operation keeps its version and ODK Central accepts a changed one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from corridor.domain.door import SEVERITIES, World
from corridor.domain.scenario import Group, Scenario
from corridor.errors import InvalidInput
from corridor.services.bus import Services
from corridor.services.live import OperationRecord

__all__ = ["Choice", "FormChoices", "field_of", "form_choices", "group_of_field"]


@dataclass(frozen=True)
class Choice:
    """One item of a choice list: the id the submission carries and what the phone shows."""

    name: str
    label: str


@dataclass(frozen=True)
class FormChoices:
    """Everything the three forms of one operation offer to choose from."""

    operation: str
    title: str
    groups: tuple[Group, ...]
    checkpoints: tuple[Choice, ...]
    """Sites on a corridor where a monitor counts a vehicle."""
    destinations: tuple[Choice, ...]
    sites: tuple[Choice, ...]
    """Every site on a route, for incidents."""
    corridors: tuple[Choice, ...]
    vehicles: tuple[Choice, ...]
    incident_kinds: tuple[str, ...]
    severities: tuple[int, ...]

    @property
    def version(self) -> str:
        """A digest of the lists: unchanged lists, unchanged version."""
        text = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def field_of(group: Group) -> str:
    """The form field of a group's count (XML names take `_`, not `-`, by our choice)."""
    return group.value.replace("-", "_")


def group_of_field(name: str) -> Group | None:
    """The group whose count field is `name`, if any."""
    for group in Group:
        if field_of(group) == name:
            return group
    return None


def form_choices(services: Services, operation: str) -> FormChoices:
    """The choice lists of `operation` as its live record stands now."""
    found: FormChoices = services.live.read(operation, _choices)
    return found


def _choices(record: OperationRecord) -> FormChoices:
    world, scenario = record.book.world, record.world
    if world is None or scenario is None:
        raise InvalidInput(
            f"operation {record.id!r} has no scenario recorded: forms need its sites and fleet"
        )
    return FormChoices(
        operation=record.id,
        title=record.name or record.id,
        groups=_groups(world),
        checkpoints=_sites(scenario, _checkpoints(world)),
        destinations=_sites(scenario, _destinations(world)),
        sites=_sites(scenario, [s for r in world.movements.values() for s in r.sites]),
        corridors=tuple(
            Choice(c.id, c.name or c.id) for c in scenario.corridors if c.id in world.corridors
        ),
        vehicles=tuple(
            Choice(v.id, f"{v.id} ({v.kind.name or v.kind.id})") for v in scenario.fleet_vehicles()
        ),
        incident_kinds=world.incident_kinds,
        severities=tuple(SEVERITIES),
    )


def _groups(world: World) -> tuple[Group, ...]:
    carried = {g for route in world.movements.values() for g in route.groups}
    return tuple(g for g in Group if g in carried)


def _checkpoints(world: World) -> list[str]:
    """Each route's corridor sites between its origin and its destinations."""
    return [
        s
        for r in world.movements.values()
        for s in r.corridor_sites
        if s != r.origin and s not in r.destinations
    ]


def _destinations(world: World) -> list[str]:
    return [s for r in world.movements.values() for s in r.destinations]


def _sites(scenario: Scenario, ids: list[str]) -> tuple[Choice, ...]:
    names = {s.id: s.name for s in scenario.sites}
    return tuple(Choice(i, names.get(i) or i) for i in dict.fromkeys(ids))
