"""Who needs a place: a scenario's people as households and individuals, by movement and group.

Civilians travel in households and are sheltered together, so they are
counted as households of each size (from the scenario's `households` shares;
a movement without them counts every civilian alone). Everyone else, fighters,
wounded and unaccompanied minors, needs a place of their own kind and is
counted one by one. Rounding is deterministic: whole households of each size
by the shares, and any people left over as households of one, so the people
counted always equal the scenario's. Of each size, the movement's
`near_services_share` of households (rounded down) have an elderly or
disabled member and need a shelter near services.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from corridor.domain.scenario import Group, Scenario
from corridor.domain.shelters import Households


@dataclass(frozen=True)
class Demand:
    """`households` households of `size` people of one group and movement."""

    movement: str
    group: Group
    size: int
    households: int
    near_services: bool = False
    """Households with an elderly or disabled member: only sites near services."""

    @property
    def people(self) -> int:
        return self.size * self.households


def split_households(people: int, households: Households | None) -> dict[int, int]:
    """Households by size for `people` civilians: whole households by share, rest alone."""
    if households is None or people == 0:
        return {1: people} if people else {}
    sizes = sorted(households.sizes, key=lambda s: s.people)
    mean = sum(s.people * s.share for s in sizes)
    counts = {s.people: math.floor(s.share * people / mean) for s in sizes}
    left = people - sum(size * n for size, n in counts.items())
    counts[1] = counts.get(1, 0) + left
    return {size: n for size, n in sorted(counts.items()) if n > 0}


def demands(scenario: Scenario) -> tuple[Demand, ...]:
    """Every movement's people as households (civilians) and individuals (the rest)."""
    shares = {h.movement: h for h in scenario.households}
    people: dict[tuple[str, Group], int] = {}
    for population in scenario.populations:
        key = (population.movement, population.group)
        people[key] = people.get(key, 0) + population.count
    out: list[Demand] = []
    for movement in scenario.movements:
        for group in Group:
            count = people.get((movement.id, group), 0)
            if count == 0:
                continue
            if group is Group.CIVILIANS:
                spec = shares.get(movement.id)
                share = spec.near_services_share if spec is not None else 0.0
                for size, n in split_households(count, spec).items():
                    needing = math.floor(n * share + 1e-9)
                    if n - needing:
                        out.append(Demand(movement.id, group, size, n - needing))
                    if needing:
                        out.append(Demand(movement.id, group, size, needing, near_services=True))
            else:
                out.append(Demand(movement.id, group, 1, count))
    return tuple(out)
