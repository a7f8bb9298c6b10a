"""Shortest road paths between sites (Dijkstra over the scenario's links).

Ties are broken by the path's site ids so that two equally short roads always
give the same route, whatever order the links were read in: a plan must not
change because a file was reordered.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from corridor.domain.scenario import Link


@dataclass(frozen=True)
class Path:
    """A road path: the sites passed in order, and its length in minutes."""

    sites: tuple[str, ...]
    minutes: float


class Roads:
    """The road graph of a scenario, with shortest paths cached per source site."""

    def __init__(self, links: Iterable[Link]) -> None:
        self._out: dict[str, list[tuple[str, float]]] = {}
        for link in sorted(links, key=lambda k: k.id):
            self._out.setdefault(link.a, []).append((link.b, link.minutes))
            self._out.setdefault(link.b, [])
            if not link.one_way:
                self._out[link.b].append((link.a, link.minutes))
        for edges in self._out.values():
            edges.sort()
        self._cache: dict[str, dict[str, Path]] = {}

    def sites(self) -> tuple[str, ...]:
        return tuple(sorted(self._out))

    def path(self, source: str, target: str) -> Path | None:
        """The shortest path from `source` to `target`, or None when there is no road."""
        if source == target:
            return Path((source,), 0.0)
        return self.from_site(source).get(target)

    def minutes(self, source: str, target: str) -> float | None:
        found = self.path(source, target)
        return None if found is None else found.minutes

    def from_site(self, source: str) -> dict[str, Path]:
        """Every reachable site's shortest path from `source`."""
        cached = self._cache.get(source)
        if cached is None:
            cached = self._dijkstra(source)
            self._cache[source] = cached
        return cached

    def _dijkstra(self, source: str) -> dict[str, Path]:
        # The heap orders on (minutes, sites) so equal lengths fall back to the
        # lexicographically smallest route: deterministic without a counter.
        best: dict[str, Path] = {}
        heap: list[tuple[float, tuple[str, ...]]] = [(0.0, (source,))]
        while heap:
            minutes, sites = heapq.heappop(heap)
            here = sites[-1]
            if here in best:
                continue
            best[here] = Path(sites, minutes)
            for there, step in self._out.get(here, ()):
                if there not in best:
                    heapq.heappush(heap, (minutes + step, (*sites, there)))
        return best

    def through(self, waypoints: Iterable[str]) -> Path | None:
        """The shortest path visiting `waypoints` in order, or None if a leg has no road."""
        points = list(waypoints)
        sites: list[str] = [points[0]] if points else []
        minutes = 0.0
        for a, b in pairwise(points):
            leg = self.path(a, b)
            if leg is None:
                return None
            sites.extend(leg.sites[1:])
            minutes += leg.minutes
        return Path(tuple(sites), minutes)
