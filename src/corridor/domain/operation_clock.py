"""An operation's own clock: the wall clock in a live operation, an exercise clock otherwise.

The deal's windows, stages and suspensions are in the calendar time of the
operation. A live operation decides on the wall clock; an exercise replays a
past operation (East Aleppo from 15 December 2016) at a chosen speed, so a
request sent without a time must be decided and stamped in *operation* time,
never in the server's today. The clock in force is a fact in the operation's
stream (`clock-set`), so every process that serves the operation reads the
same time from the same wall instant.

Operation time = `start` + (wall - `anchor`) x `speed`, where `anchor` is the
wall instant at which the exercise clock read `start`. The exercise clock
keeps running while no server is up, like the wall clock does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from corridor.domain.clock import format_instant, parse_instant

__all__ = ["ClockMode", "ClockSet", "OperationClock"]

MAX_SPEED = 10_000.0


class ClockMode(StrEnum):
    LIVE = "live"
    EXERCISE = "exercise"


@dataclass(frozen=True)
class OperationClock:
    """What time it is in an operation, given what time it is on the wall."""

    mode: ClockMode = ClockMode.LIVE
    start: datetime | None = None
    """Operation time at `anchor` (exercise only)."""
    anchor: datetime | None = None
    """The wall instant at which the exercise clock read `start`."""
    speed: float = 1.0

    @classmethod
    def live(cls) -> OperationClock:
        return cls()

    @classmethod
    def exercise(cls, start: datetime, anchor: datetime, speed: float) -> OperationClock:
        if start.tzinfo is None or anchor.tzinfo is None:
            raise ValueError("an exercise clock needs instants with a UTC offset")
        if not 0 < speed <= MAX_SPEED:
            raise ValueError(f"speed must be above 0 and at most {MAX_SPEED:g}, found {speed}")
        return cls(ClockMode.EXERCISE, start, anchor, speed)

    def now(self, wall: datetime) -> datetime:
        """Operation time when the wall clock reads `wall`."""
        if self.mode is ClockMode.LIVE or self.start is None or self.anchor is None:
            return wall
        return self.start + (wall - self.anchor) * self.speed

    def payload(self) -> dict[str, Any]:
        """The clock as plain data (API answers and the `clock-set` event)."""
        if self.mode is ClockMode.LIVE or self.start is None or self.anchor is None:
            return {"mode": str(ClockMode.LIVE), "speed": 1.0}
        return {
            "mode": str(self.mode),
            "start": format_instant(self.start),
            "anchor": format_instant(self.anchor),
            "speed": self.speed,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> OperationClock:
        if data.get("mode") != ClockMode.EXERCISE:
            return cls.live()
        return cls.exercise(
            parse_instant(data["start"]), parse_instant(data["anchor"]), float(data["speed"])
        )


@dataclass(frozen=True)
class ClockSet:
    """The clock an operation runs on from now on."""

    TYPE: ClassVar[str] = "clock-set"

    operation: str
    clock: dict[str, Any]
