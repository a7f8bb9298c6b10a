"""Driving times between sites, and the stops a loaded trip makes on its corridor.

Shortest paths come from the planner (`corridor.planning.paths`) and are
remembered per pair, so the engine's inner loop only adds numbers. A loaded
trip is cut into segments that end at the sites where something can happen to
it (a checkpoint, a crossing, a site a timeline entry names); the driving
between two such stops is one step of the simulation, which keeps a run at the
level of trips rather than road segments.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridor.domain.scenario import Scenario, SiteKind
from corridor.errors import InvalidInput
from corridor.planning.paths import Roads as PlanningRoads


@dataclass(frozen=True)
class Stop:
    """Drive `minutes` to `site`, then stop there (screening, crossing, turn-back check)."""

    minutes: float
    site: str
    screens: bool


@dataclass(frozen=True)
class Route:
    """A loaded trip: its stops in order, then the drive to the destination."""

    pickup: str
    destination: str
    stops: tuple[Stop, ...]
    final_minutes: float

    @property
    def sites(self) -> tuple[str, ...]:
        return (self.pickup, *(s.site for s in self.stops), self.destination)


class Roads:
    """Driving minutes between sites of a scenario, on the planner's shortest paths.

    The simulator and the planner must agree on what a road costs, so both use
    `corridor.planning.paths.Roads`; this wrapper only remembers each pair's
    minutes (the engine asks for the same few pairs thousands of times a run)
    and turns a missing road into a user error naming the scenario.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._paths = PlanningRoads(scenario.links)
        self._minutes: dict[tuple[str, str], float] = {}

    def minutes(self, a: str, b: str) -> float:
        """Driving minutes from `a` to `b`; InvalidInput when no road joins them."""
        found = self._minutes.get((a, b))
        if found is None:
            found = self._paths.minutes(a, b)
            if found is None:
                raise InvalidInput(f"scenario {self.scenario.id}: no road from {a} to {b}")
            self._minutes[(a, b)] = found
        return found


def screening_sites(scenario: Scenario, extra: frozenset[str] = frozenset()) -> frozenset[str]:
    """Sites where loaded vehicles are screened: checkpoints, crossings, and `extra`."""
    found = {
        s.id
        for s in scenario.sites
        if s.is_a(SiteKind.CHECKPOINT) or s.is_a(SiteKind.CROSSING) or s.service_rate_per_hour
    }
    return frozenset(found | extra)


def build_route(
    roads: Roads,
    corridor_sites: tuple[str, ...],
    pickup: str,
    destination: str,
    screened: frozenset[str],
    watched: frozenset[str],
) -> Route:
    """The loaded trip from `pickup` along the corridor to `destination`.

    The corridor's sites are passed in order, skipping any before the pickup
    when the pickup lies on the corridor and any from the destination on when
    the destination does. The trip stops at screened sites and
    at `watched` ones (named by the timeline); other sites are driven through.
    """
    sites = list(corridor_sites)
    if pickup in sites:
        sites = sites[sites.index(pickup) + 1 :]
    if destination in sites:
        # A destination on the corridor (a staging ground) ends the trip there.
        sites = sites[: sites.index(destination)]
    stops: list[Stop] = []
    here, pending = pickup, 0.0
    for site in sites:
        pending += roads.minutes(here, site)
        here = site
        if site in screened or site in watched:
            stops.append(Stop(pending, site, site in screened))
            pending = 0.0
    final = pending + roads.minutes(here, destination)
    return Route(pickup, destination, tuple(stops), final)
