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
from dataclasses import dataclass, replace

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
    arrived_at: str = ""
    """For arrivals from a forecast: the site they arrive at, where onward travel starts."""
    destinations: tuple[str, ...] = ()
    """For arrivals from a forecast: the sites they may be sheltered at."""

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
            if count:
                out.extend(_of(Demand(movement.id, group, 1, count), shares.get(movement.id)))
    return tuple(out)


def _of(whole: Demand, spec: Households | None) -> list[Demand]:
    """`whole.households` people of one group: civilians as households by `spec`, others alone."""
    if whole.group is not Group.CIVILIANS:
        return [whole]
    share = spec.near_services_share if spec is not None else 0.0
    out: list[Demand] = []
    for size, n in split_households(whole.households, spec).items():
        needing = math.floor(n * share + 1e-9)
        if n - needing:
            out.append(replace(whole, size=size, households=n - needing))
        if needing:
            out.append(replace(whole, size=size, households=needing, near_services=True))
    return out


def arrival_demands(
    scenario: Scenario, arrivals: dict[tuple[str, Group], int]
) -> tuple[Demand, ...]:
    """People arriving at each site by group (a forecast's band) as households and individuals.

    A forecast counts people per site, not per movement: the movements that
    deliver that group to the site name them, lend their household shares (the
    first such movement's, in the scenario's order) and their destinations,
    where the people may be sheltered; onward travel starts at the site.
    """
    shares = {h.movement: h for h in scenario.households}
    out: list[Demand] = []
    for site in (s.id for s in scenario.sites):
        for group in Group:
            count = arrivals.get((site, group), 0)
            if count <= 0:
                continue
            movements = [
                m for m in scenario.movements if site in m.destinations and group in m.groups
            ] or [m for m in scenario.movements if site in m.destinations]
            destinations = tuple(dict.fromkeys(d for m in movements for d in m.destinations))
            spec = next((shares[m.id] for m in movements if m.id in shares), None)
            whole = Demand(
                " or ".join(m.id for m in movements) or "none",
                group,
                1,
                count,
                arrived_at=site,
                destinations=destinations or (site,),
            )
            out.extend(_of(whole, spec))
    return tuple(out)
