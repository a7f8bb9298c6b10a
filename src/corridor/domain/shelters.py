"""Reception capacity in a scenario: shelter kinds, shelters at a site, stocks, households.

A site's `capacities` say how many people of each group the planner and the
simulator may send there; these values say what the people find on arrival:
tents, collective-centre places, hospital beds by level of care,
child-protection places for unaccompanied minors, what can be added and how
soon, which supplies are in stock, and the climate that sets the space each
person needs. They are plain frozen values, validated at the edge like every
other scenario field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from corridor.domain.scenario import Group, Source


class Climate(StrEnum):
    """The climate at a site; a cold one raises the covered space and adds winter items."""

    TEMPERATE = "temperate"
    COLD = "cold"
    HOT = "hot"


class Supply(StrEnum):
    """What people need each day or on arrival; the standards file gives the amount per person."""

    WATER_LITRES = "water-litres"
    FOOD_KCAL = "food-kcal"
    COVERED_M2 = "covered-m2"
    LATRINES = "latrines"
    BLANKETS = "blankets"
    WINTER_KITS = "winter-kits"


@dataclass(frozen=True)
class ShelterKind:
    """A kind of place to stay: which groups it houses and, for beds, the level of care."""

    id: str
    houses: tuple[Group, ...]
    name: str = ""
    care_level: int | None = None
    """1 basic, 2 secondary (surgery), 3 intensive; None for places that are not beds."""
    source: Source | None = None


@dataclass(frozen=True)
class Shelter:
    """Places of one kind at a site, ready now, and what they can grow to after a lead time."""

    kind: str
    places: int
    expandable_to: int | None = None
    """Places once expanded (>= places); None when it cannot grow."""
    lead_hours: float = 0.0
    """Hours after the operation's start before the expanded places are ready."""
    covered_m2: float | None = None
    """Covered living space of all its places; None when not reported."""
    source: Source | None = None

    def places_by(self, hours: float) -> int:
        """Places ready `hours` after the start (expansion counts once its lead time is over)."""
        if self.expandable_to is not None and hours >= self.lead_hours:
            return self.expandable_to
        return self.places


@dataclass(frozen=True)
class Stock:
    """A declared stock of one supply at a site, and what arrives each day."""

    item: Supply
    quantity: float
    daily: float = 0.0
    source: Source | None = None


@dataclass(frozen=True)
class SiteReception:
    """What a reception site offers: shelters by kind, stocks, P-code and climate."""

    shelters: tuple[Shelter, ...]
    climate: Climate = Climate.TEMPERATE
    pcode: str | None = None
    """OCHA administrative P-code of the place, where known."""
    stocks: tuple[Stock, ...] = ()
    source: Source | None = None
    near_services: bool = False
    """Health and disability services on site or close by: where the elderly and disabled stay."""


@dataclass(frozen=True)
class HouseholdShare:
    """The share of a movement's civilians who travel in households of `people` persons."""

    people: int
    share: float


@dataclass(frozen=True)
class Households:
    """How a movement's civilians come in households; they are sheltered together."""

    movement: str
    sizes: tuple[HouseholdShare, ...]
    source: Source | None = None
    near_services_share: float = 0.0
    """Share of households with an elderly or disabled member, sheltered near services."""
