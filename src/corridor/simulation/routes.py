"""Driving times between sites, and the stops a loaded trip makes on its corridor.

Computed once per scenario (Dijkstra over the road links), so the engine's inner
loop only adds numbers. A loaded trip is cut into segments that end at the
sites where something can happen to it (a checkpoint, a crossing, a site a
timeline entry names); the driving between two such stops is one step of the
simulation, which keeps a run at the level of trips rather than road segments.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from corridor.domain.scenario import Scenario, SiteKind
from corridor.errors import InvalidInput


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
    """Shortest driving minutes between every pair of sites of a scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        graph: dict[str, list[tuple[str, float]]] = {s.id: [] for s in scenario.sites}
        for link in scenario.links:
            graph.setdefault(link.a, []).append((link.b, link.minutes))
            if not link.one_way:
                graph.setdefault(link.b, []).append((link.a, link.minutes))
        self._graph = graph
        self._from: dict[str, dict[str, float]] = {}

    def minutes(self, a: str, b: str) -> float:
        """Driving minutes from `a` to `b`; InvalidInput when no road joins them."""
        if a == b:
            return 0.0
        table = self._from.get(a)
        if table is None:
            table = self._dijkstra(a)
            self._from[a] = table
        found = table.get(b, math.inf)
        if math.isinf(found):
            raise InvalidInput(f"scenario {self.scenario.id}: no road from {a} to {b}")
        return found

    def _dijkstra(self, source: str) -> dict[str, float]:
        best: dict[str, float] = {source: 0.0}
        frontier: list[tuple[float, str]] = [(0.0, source)]
        while frontier:
            here_minutes, here = heapq.heappop(frontier)
            if here_minutes > best.get(here, math.inf):
                continue
            for there, minutes in sorted(self._graph.get(here, ())):
                candidate = here_minutes + minutes
                if candidate < best.get(there, math.inf):
                    best[there] = candidate
                    heapq.heappush(frontier, (candidate, there))
        return best


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
    when the pickup lies on the corridor. The trip stops at screened sites and
    at `watched` ones (named by the timeline); other sites are driven through.
    """
    sites = list(corridor_sites)
    if pickup in sites:
        sites = sites[sites.index(pickup) + 1 :]
    if sites and sites[-1] == destination:
        sites = sites[:-1]
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
