"""What one run measured, and the options that fix what is measured.

`RunMetrics` is small and made of tuples so that thousands of them travel
cheaply between worker processes (or Dask workers) and compare equal bit for
bit when the same seed ran in two places.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

MINUTES_PER_HOUR = 60.0
MINUTES_PER_DAY = 1440.0


@dataclass(frozen=True)
class RunOptions:
    """How long a run may last, the deadline people moved are counted by, the series step."""

    horizon_minutes: float = 14 * MINUTES_PER_DAY
    deadline_minutes: float = 3 * MINUTES_PER_DAY
    step_minutes: float = 60.0

    def grid(self) -> tuple[float, ...]:
        """The minutes at which cumulative series are sampled, 0 to the horizon."""
        count = int(self.horizon_minutes // self.step_minutes)
        return tuple(i * self.step_minutes for i in range(count + 1))


@dataclass(frozen=True)
class RunMetrics:
    """The figures of one seeded run; minutes unless a name says otherwise."""

    index: int
    cleared: bool
    clearance: float
    """Minute the last person arrived; the horizon when not everyone did."""
    moved: int
    moved_by_deadline: int
    waiting_vehicle: tuple[tuple[str, float], ...]
    """Person-minutes spent aboard a stopped vehicle, by group."""
    waiting_assembly: tuple[tuple[str, float], ...]
    """Person-minutes spent waiting at pickup sites, by group."""
    longest_wait: float
    """Longest time one loaded vehicle stood still in one place."""
    trips: int
    turned_back: int
    incidents: int
    halts: int
    breakdowns: int
    series: tuple[tuple[str, tuple[int, ...]], ...]
    """Cumulative people arrived per movement at each minute of the options' grid."""
    last_arrivals: tuple[tuple[str, float], ...] = field(default=())
    """Per movement, the minute its last trip arrived (0 when none did).

    Read from the arrivals beside the series (see `cumulative`): when `series`
    is a `Series`, its last arrivals fill this field and it becomes a plain tuple.
    """
    site_arrivals: tuple[tuple[str, int, str, int], ...] = field(default=())
    """(site, hour, group, people) arrived, when the study asked for them (`Study.arrivals_at`)."""

    def __post_init__(self) -> None:
        if isinstance(self.series, Series):
            object.__setattr__(self, "last_arrivals", self.series.last_arrivals)
            object.__setattr__(self, "series", tuple(self.series))

    @property
    def waiting_vehicle_total(self) -> float:
        return sum(minutes for _, minutes in self.waiting_vehicle)

    @property
    def waiting_assembly_total(self) -> float:
        return sum(minutes for _, minutes in self.waiting_assembly)


class Series(tuple[tuple[str, tuple[int, ...]], ...]):
    """Cumulative series per movement that also know when each movement's last trip arrived.

    The per-movement completion time travels with the series from `cumulative`
    into `RunMetrics`, so the run that builds them passes one value, not two.
    """

    last_arrivals: tuple[tuple[str, float], ...] = ()


Arrivals = Sequence[tuple[float, int]]
"""(minute, people) for each trip that arrived, in time order."""


def cumulative(
    arrivals: Sequence[tuple[str, Arrivals]], options: RunOptions
) -> tuple[tuple[tuple[str, tuple[int, ...]], ...], int]:
    """Per movement, people arrived by each minute of the grid; and in all, by the deadline.

    Arrivals at exactly a grid minute count as arrived by it.
    """
    grid = options.grid()
    series: list[tuple[str, tuple[int, ...]]] = []
    by_deadline = 0
    for movement, steps in arrivals:
        times = [minute for minute, _ in steps]
        totals: list[int] = []
        running = 0
        for _, people in steps:
            running += people
            totals.append(running)

        def at(minute: float, times: list[float] = times, totals: list[int] = totals) -> int:
            position = bisect.bisect_right(times, minute)
            return totals[position - 1] if position else 0

        series.append((movement, tuple(at(minute) for minute in grid)))
        by_deadline += at(options.deadline_minutes)
    out = Series(series)
    out.last_arrivals = tuple((m, max((t for t, _ in s), default=0.0)) for m, s in arrivals)
    return out, by_deadline
