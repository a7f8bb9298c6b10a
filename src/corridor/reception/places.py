"""Where people can stay: every site's shelters as places a group may take.

A `Place` is one shelter kind at one reception site, with the people it can
hold (now, or with its expansion once the lead time is over) and the people
it holds at the covered-space standard for the site's climate: beyond that the
place is overcrowded. Which groups a place may take comes from its kind's
`houses` (beds for the wounded by level of care, child-protection places for
unaccompanied minors).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from corridor.domain.scenario import Group, Scenario
from corridor.domain.shelters import Climate, Supply
from corridor.reception.standards import Standards


@dataclass(frozen=True)
class Place:
    """One shelter kind at one site: who it houses, how many, how many at the standard."""

    site: str
    kind: str
    houses: tuple[Group, ...]
    places: int
    """People it can hold by the allocation's horizon (expansion included once ready)."""
    standard_places: int
    """People it holds at the covered-space standard; the rest are overcrowded."""
    climate: Climate
    near_services: bool = False


def places(scenario: Scenario, standards: Standards, hours: float = 0.0) -> tuple[Place, ...]:
    """Every shelter of every reception site, with places ready `hours` after the start."""
    kinds = {k.id: k for k in scenario.shelter_kinds}
    space = standards.of(Supply.COVERED_M2)
    out: list[Place] = []
    for site in scenario.sites:
        if site.reception is None:
            continue
        climate = site.reception.climate
        for shelter in site.reception.shelters:
            ready = shelter.places_by(hours)
            standard = ready
            if shelter.covered_m2 is not None and space.rate(climate) > 0:
                # Expanded places come with their own space; scale the declared area.
                area = shelter.covered_m2 * (ready / shelter.places if shelter.places else 1.0)
                standard = min(ready, math.floor(area / space.rate(climate) + 1e-9))
            out.append(
                Place(
                    site.id,
                    shelter.kind,
                    kinds[shelter.kind].houses,
                    ready,
                    standard,
                    climate,
                    site.reception.near_services,
                )
            )
    return tuple(out)
