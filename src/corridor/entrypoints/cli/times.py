"""Times given on the command line (`--at`): one parser, one kind of error.

Python's `datetime` runs from year 1 to 9999 on the local calendar of the
offset given, so `0001-01-01T00:00+14:00` parses but has no UTC instant, and
`9999-12-31T23:59Z` cannot be shown at Aleppo's +02:00. Such a time would end
in an OverflowError deep inside a command, after work was done. So a time is
accepted only when its UTC instant lies a day inside the calendar's ends,
where it can be written in every time zone; and the answer is always UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from corridor.errors import InvalidInput

__all__ = ["EARLIEST", "LATEST", "parse_at"]

EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, 23, 59, 59, 999_999, tzinfo=UTC)
EXAMPLE = "2016-12-18T14:30+02:00"


def parse_at(text: str, option: str = "--at") -> datetime:
    """The UTC instant an ISO 8601 time with an offset names; InvalidInput otherwise."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{option}: expected an ISO 8601 time with UTC offset (e.g. {EXAMPLE}), found {text!r}"
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(f"{option}: {text!r} has no UTC offset (e.g. {EXAMPLE})")
    try:
        instant = moment.astimezone(UTC)
    except OverflowError:
        instant = None
    if instant is None or not EARLIEST <= instant <= LATEST:
        raise InvalidInput(
            f"{option}: {text} is outside the times corridor records "
            f"({EARLIEST.date().isoformat()} to {LATEST.date().isoformat()} UTC)"
        )
    return instant
