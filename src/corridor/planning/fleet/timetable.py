"""The shared resources a schedule books as trips are added: checkpoint slots and pacing.

A checkpoint screens one vehicle every `headway` minutes, whichever movement
it serves, so a loaded run is given a departure minute at which every
checkpoint on its route is free when it gets there. The vehicle waits empty
at the pickup rather than loaded in a queue: buses standing loaded for hours
is the failure the planner exists to prevent.

Paced reciprocity (people departed of A <= ratio x of B + allowance) is
checked at every departure of A, since only A's departures can break it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Mapping

from corridor.planning.model import Leg, Pacing, PlanningModel, Window

EPSILON = 1e-7
STAGED_GAP = 1.0
"""Minutes between two departures of a movement under a staged link."""


class Checkpoints:
    """Booked screening minutes per checkpoint."""

    def __init__(self, headway: Mapping[str, float]) -> None:
        self._headway = dict(headway)
        self._booked: dict[str, list[float]] = {site: [] for site in headway}

    def earliest(self, site: str, minute: float) -> float:
        """The first minute at or after `minute` when `site` can screen one more vehicle."""
        gap = self._headway.get(site)
        if gap is None:
            return minute
        booked = self._booked[site]
        i = bisect_right(booked, minute - gap + EPSILON)
        while i < len(booked) and booked[i] < minute + gap - EPSILON:
            minute = booked[i] + gap
            i += 1
        return minute

    def book(self, site: str, minute: float) -> None:
        if site in self._booked:
            insort(self._booked[site], minute)


class Departures:
    """People departed per movement over time, for paced reciprocity."""

    def __init__(self, pacings: tuple[Pacing, ...]) -> None:
        self._pacings = pacings
        self._times: dict[str, list[float]] = {}
        self._totals: dict[str, list[int]] = {}
        """Running totals: people departed up to and including each time."""

    def add(self, movement: str, minute: float, people: int) -> None:
        times = self._times.setdefault(movement, [])
        totals = self._totals.setdefault(movement, [])
        i = bisect_right(times, minute)
        before = totals[i - 1] if i else 0
        times.insert(i, minute)
        totals.insert(i, before)
        for j in range(i, len(totals)):
            totals[j] += people

    def by(self, movement: str, minute: float) -> int:
        """People of `movement` departed at or before `minute`."""
        i = bisect_right(self._times.get(movement, []), minute + EPSILON)
        return self._totals[movement][i - 1] if i else 0

    def allowed(self, movement: str, minute: float) -> int:
        """How many more people of `movement` may depart at `minute` under every pacing."""
        room = 10**12
        for p in self._pacings:
            if p.movement != movement:
                continue
            times = self._times.get(movement, [])
            later = times[bisect_right(times, minute + EPSILON) :]
            for t in [minute, *later]:
                ceiling = int(p.ratio * self.by(p.partner, t) + 1e-9) + p.allowance
                room = min(room, ceiling - self.by(movement, t))
        return max(0, room)

    def last(self, movement: str) -> float | None:
        times = self._times.get(movement)
        return times[-1] if times else None

    def reached(self, movement: str, people: int) -> float | None:
        """The first minute by which `people` of `movement` are counted; None if never yet."""
        if people <= 0:
            return 0.0
        totals = self._totals.get(movement, [])
        i = bisect_left(totals, people)
        return self._times[movement][i] if i < len(totals) else None

    def next_partner_departure(self, movement: str, minute: float) -> float | None:
        """The next minute after `minute` when a partner of a pacing of `movement` departs."""
        found: float | None = None
        for p in self._pacings:
            if p.movement != movement:
                continue
            times = self._times.get(p.partner, [])
            i = bisect_right(times, minute + EPSILON)
            if i < len(times) and (found is None or times[i] < found):
                found = times[i]
        return found

    def paced(self, movement: str) -> bool:
        return any(p.movement == movement for p in self._pacings)


def fit_window(windows: tuple[Window, ...], minute: float, minutes: float) -> float | None:
    """The first departure at or after `minute` whose run of `minutes` fits one window."""
    for w in sorted(windows, key=lambda w: w.open):
        start = max(minute, w.open)
        if start + minutes <= w.close + EPSILON:
            return start
    return None


class Timetable:
    """Checkpoint slots and pacing books for one schedule under construction."""

    def __init__(self, model: PlanningModel) -> None:
        self.model = model
        self.checkpoints = Checkpoints(model.headway)
        self.departures = Departures(model.pacings)
        self.arrivals = Departures(())
        self.staged = {s.movement for s in model.stagings}

    def departure(self, leg: Leg, ready: float, people: int) -> tuple[float, int] | None:
        """Earliest (departure minute, people allowed) at or after `ready`, or None."""
        minute = ready
        windows = self.model.windows_of(leg.movement)
        for _ in range(10_000):
            fitted = fit_window(windows, minute, leg.minutes)
            if fitted is None:
                return None
            minute = fitted
            moved = False
            for site, offset in leg.checkpoints:
                free = self.checkpoints.earliest(site, minute + offset)
                if free > minute + offset + EPSILON:
                    minute = free - offset
                    moved = True
                    break
            if moved:
                continue
            if leg.movement in self.staged:
                staged = self._staged(leg.movement, minute)
                if staged is None:
                    return None
                if staged > minute + EPSILON:
                    minute = staged
                    continue
            if not self.departures.paced(leg.movement):
                return minute, people
            allowed = self.departures.allowed(leg.movement, minute)
            if allowed > 0:
                return minute, min(people, allowed)
            later = self.departures.next_partner_departure(leg.movement, minute)
            if later is None:
                return None
            minute = later
        return None

    def _staged(self, movement: str, minute: float) -> float | None:
        """The first minute at or after `minute` at which the stages let one more vehicle go.

        Vehicles of a staged movement leave one at a time, `STAGED_GAP` apart,
        in the order they are booked, so each belongs to one stage.
        """
        last = self.departures.last(movement)
        if last is not None:
            minute = max(minute, last + STAGED_GAP)
        departed = self.departures.by(movement, float("inf"))
        for staging in self.model.stagings:
            if staging.movement != movement:
                continue
            need = staging.needed(departed)
            if need is None:
                return None
            reached = self.arrivals.reached(staging.partner, need)
            if reached is None:
                return None
            minute = max(minute, reached)
        return minute

    def book(self, leg: Leg, depart: float, people: int) -> None:
        for site, offset in leg.checkpoints:
            self.checkpoints.book(site, depart + offset)
        self.departures.add(leg.movement, depart, people)
        self.arrivals.add(leg.movement, depart + leg.minutes, people)
