"""Minutes after the start as the calendar times people read, with the zone's offset.

Runs count in minutes from zero because that is cheap and exact; nobody
reading a report should have to add "hours after the start" to a date in
their head. A `Calendar` is the operation's start instant and time zone, and
turns any minute into an ISO 8601 time such as `2016-12-15T14:30+02:00`.
Arithmetic goes through UTC, so a run across a daylight-saving change still
names the right local hour and offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Calendar:
    """The instant of minute zero and the zone times are written in."""

    start: datetime
    """Aware: the operation's start instant."""
    timezone: str

    @classmethod
    def of(cls, start: str, timezone: str) -> Calendar:
        """From a scenario's `start` (local, or with an offset) and its IANA zone."""
        zone = ZoneInfo(timezone)
        moment = datetime.fromisoformat(start)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return cls(moment, timezone)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def moment(self, minute: float) -> datetime:
        """The aware local time `minute` minutes after the start."""
        instant = self.start.astimezone(UTC) + timedelta(minutes=minute)
        return instant.astimezone(self.zone)

    def at(self, minute: float) -> str:
        """`minute` after the start as local ISO 8601 with offset, to the minute."""
        return self.moment(round(minute)).isoformat(timespec="minutes")

    def local_start(self) -> str:
        """The start itself, written like every other time."""
        return self.at(0)

    def minute_of(self, moment: datetime) -> float:
        """Minutes from the start to an aware `moment` (negative before it)."""
        return (moment - self.start) / timedelta(minutes=1)
