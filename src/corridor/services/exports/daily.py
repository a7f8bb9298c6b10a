"""Figures per movement and calendar day, folded from the operation's events.

The live record keeps where people are now; a situation report and the HXL
tables also need what happened on each day. This fold reads the same events
and counts, per movement and day in the operation's timezone: trips boarded
and people on them, trips and people arrived, halts and turn-backs,
protection alerts and the people they miss, exits on the record and incidents
reported on the movement's corridor. A day is the ledger's recorded time read
in the scenario's timezone, the calendar a coordinator reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

FIGURES = (
    "trips_boarded",
    "people_boarded",
    "trips_arrived",
    "people_arrived",
    "halts",
    "turn_backs",
    "alerts",
    "people_missing",
    "exits",
    "incidents",
)


@dataclass
class DayFigures:
    """What happened to one movement on one day (counts only)."""

    trips_boarded: int = 0
    people_boarded: int = 0
    trips_arrived: int = 0
    people_arrived: int = 0
    halts: int = 0
    turn_backs: int = 0
    alerts: int = 0
    people_missing: int = 0
    exits: int = 0
    incidents: int = 0

    def add(self, other: DayFigures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class DailySeries:
    """Figures by (day, movement), and the first and last day the operation has events."""

    zone: ZoneInfo
    days: dict[tuple[date, str], DayFigures] = field(default_factory=dict)
    first_day: date | None = None
    last_day: date | None = None
    _trip_movement: dict[str, str] = field(default_factory=dict)
    _alert_movement: dict[str, tuple[str, int]] = field(default_factory=dict)
    _corridor_movements: dict[str, list[str]] = field(default_factory=dict)

    _minutes: dict[str, date] = field(default_factory=dict)

    def day_of(self, recorded_at: str) -> date:
        """The local day of an instant, kept per UTC minute (zone offsets are whole minutes)."""
        minute = recorded_at[:16]
        found = self._minutes.get(minute)
        if found is None:
            moment = datetime.fromisoformat(recorded_at.replace("Z", "+00:00"))
            found = moment.astimezone(self.zone).date()
            if recorded_at.endswith("Z"):
                self._minutes[minute] = found
        return found

    def _at(self, day: date, movement: str) -> DayFigures:
        key = (day, movement)
        found = self.days.get(key)
        if found is None:
            found = self.days[key] = DayFigures()
        return found

    def apply(self, kind: str, data: Any, day: date) -> None:
        """Count one event of type `kind` with payload `data`, recorded on `day`."""
        if self.first_day is None or day < self.first_day:
            self.first_day = day
        if self.last_day is None or day > self.last_day:
            self.last_day = day
        if kind == "movement-declared":
            self._corridor_movements.setdefault(data["corridor"], []).append(data["movement"])
            self._at(day, data["movement"])
        elif kind in ("trip-planned", "trip-boarded"):
            self._trip_movement[data["trip"]] = data["movement"]
            if kind == "trip-boarded":
                figures = self._at(day, data["movement"])
                figures.trips_boarded += 1
                figures.people_boarded += _people(data["counts"])
        elif kind == "trip-arrived":
            arrived = self._trip_day(data["trip"], day)
            if arrived is not None:
                arrived.trips_arrived += 1
                arrived.people_arrived += _people(data["counts"])
        elif kind in ("trip-halted", "trip-turned-back"):
            stopped = self._trip_day(data["trip"], day)
            if stopped is not None:
                if kind == "trip-halted":
                    stopped.halts += 1
                else:
                    stopped.turn_backs += 1
        elif kind == "protection-alert-raised":
            movement = self._trip_movement.get(data["trip"])
            if movement is not None:
                self._alert_movement[data["alert"]] = (movement, int(data["missing"]))
                figures = self._at(day, movement)
                figures.alerts += 1
                figures.people_missing += int(data["missing"])
        elif kind == "protection-alert-resolved":
            raised = self._alert_movement.get(data["alert"])
            if raised is not None and data["outcome"] == "exit":
                self._at(day, raised[0]).exits += raised[1]
        elif kind == "people-exited":
            self._at(day, data["movement"]).exits += int(data["count"])
        elif kind == "incident-reported":
            for movement in self._corridor_movements.get(data["corridor"], ()):
                self._at(day, movement).incidents += 1

    def _trip_day(self, trip: str, day: date) -> DayFigures | None:
        movement = self._trip_movement.get(trip)
        return None if movement is None else self._at(day, movement)

    def rows(self, until: date | None = None) -> list[tuple[date, str, DayFigures]]:
        """Every (day, movement) with its figures, in day then movement order."""
        return [
            (day, movement, figures)
            for (day, movement), figures in sorted(self.days.items())
            if until is None or day <= until
        ]

    def on(self, day: date) -> dict[str, DayFigures]:
        return {m: f for (d, m), f in sorted(self.days.items()) if d == day}

    def totals(self, until: date) -> dict[str, DayFigures]:
        """Each movement's figures summed over every day up to `until`."""
        summed: dict[str, DayFigures] = {}
        for _day, movement, figures in self.rows(until):
            summed.setdefault(movement, DayFigures()).add(figures)
        return summed


def _people(counts: Any) -> int:
    """People in a stored counts payload (a list of [group, n] pairs or a mapping)."""
    if isinstance(counts, dict):
        return sum(int(n) for n in counts.values())
    return sum(int(n) for _, n in counts)
