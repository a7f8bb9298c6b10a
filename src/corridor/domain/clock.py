"""Where the ledger gets its time: an injected clock, never `datetime.now()` inline.

Recorded times are part of each event's hash, so tests must be able to fix
them; a `SteppingClock` gives reproducible, strictly increasing instants.
Every instant is UTC and is written as ISO 8601 with microseconds and a `Z`
(`2016-12-15T05:00:00.000000Z`), one fixed width so text order is time order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "SteppingClock", "SystemClock", "format_instant", "parse_instant"]


class Clock(Protocol):
    """Anything that can say what time it is (UTC, timezone-aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class SteppingClock:
    """Starts at a fixed instant and moves on by `step` each time it is read."""

    def __init__(self, start: datetime | str, step: timedelta = timedelta(seconds=1)) -> None:
        self._next = parse_instant(start) if isinstance(start, str) else start.astimezone(UTC)
        self._step = step

    def now(self) -> datetime:
        current = self._next
        self._next = current + self._step
        return current


def format_instant(moment: datetime) -> str:
    """The one text form of an instant used in events: UTC, microseconds, `Z`."""
    if moment.tzinfo is None:
        raise ValueError(f"instant {moment.isoformat()} has no timezone; expected UTC")
    # isoformat is several times faster than strftime, and this runs per command.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_instant(text: str) -> datetime:
    """Read an ISO 8601 instant; a missing timezone is an error, not local time."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"instant {text!r} has no timezone; expected UTC")
    return moment.astimezone(UTC)
