"""People arriving at each destination site per hour, by group: what a reception study reads.

A run's metrics count arrivals per movement; reception needs them per site,
hour and group. `SiteArrivals` is a trace observer that follows each
vehicle's load from its dispatch to the site it unloads at, so the engine
itself keeps no extra book (and costs nothing more when nobody asks). Hours
count from the scenario's start; an arrival after the last hour of the grid
counts in the last hour. The result is sparse and made of tuples, so it
travels with `RunMetrics` between worker processes and compares bit for bit.
"""

from __future__ import annotations

import math

from corridor.simulation.metrics import RunOptions
from corridor.simulation.trace import TraceEvent

Cell = tuple[str, int, str, int]
"""(site, hour, group, people) for one site, hour and group with arrivals."""


def hours_of(options: RunOptions) -> int:
    """Hours in a run's arrival grid: hour 0 to the horizon's hour."""
    return math.ceil(options.horizon_minutes / 60.0) + 1


class SiteArrivals:
    """Observer of one run: people by group arriving at each of `sites`, per hour."""

    def __init__(self, sites: tuple[str, ...], hours: int) -> None:
        self.sites = frozenset(sites)
        self.hours = hours
        self.counts: dict[tuple[str, int, str], int] = {}
        self.aboard: dict[str, dict[str, int]] = {}

    def __call__(self, event: TraceEvent) -> None:
        data = event.data
        if event.kind == "trip-dispatched":
            self.aboard[data["vehicle"]] = data["load"]
        elif event.kind == "trip-turned-back":
            self.aboard.pop(data["vehicle"], None)
        elif event.kind == "trip-arrived":
            load = self.aboard.pop(data["vehicle"], {})
            site = data["destination"]
            if site not in self.sites:
                return
            hour = min(int(event.minute // 60), self.hours - 1)
            for group, count in load.items():
                key = (site, hour, group)
                self.counts[key] = self.counts.get(key, 0) + count

    def cells(self) -> tuple[Cell, ...]:
        """Every (site, hour, group, people) with people, in a fixed order."""
        return tuple(
            (site, hour, group, people)
            for (site, hour, group), people in sorted(self.counts.items())
            if people
        )
