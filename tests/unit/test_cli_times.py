"""`--at` on the command line: one shared parser that turns every bad time into one error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from corridor.entrypoints.cli.times import parse_at
from corridor.errors import InvalidInput


def test_a_time_with_an_offset_is_read_as_that_instant_in_utc() -> None:
    """An offset time is the same instant, carried in UTC."""
    moment = parse_at("2016-12-18T14:30+02:00")
    assert moment == datetime(2016, 12, 18, 12, 30, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00+14:00",
        "9999-12-31T23:59-14:00",
        "9999-12-31T23:59Z",
        "0001-01-01T00:00+00:01",
        "0001-01-01T00:00Z",
    ],
)
def test_a_time_at_the_edge_of_the_calendar_is_refused_with_the_range(text: str) -> None:
    """Times that cannot be shown in every time zone are refused, naming the range allowed."""
    with pytest.raises(InvalidInput) as refused:
        parse_at(text)
    message = str(refused.value)
    assert message.startswith("--at: ")
    assert text in message
    assert "0001-01-02" in message
    assert "9999-12-30" in message


@pytest.mark.parametrize("text", ["yesterday", "2016-13-01T00:00Z", "", "2016-12-18T14:30"])
def test_a_malformed_or_naive_time_is_refused_naming_the_value(text: str) -> None:
    """Not ISO 8601, or no UTC offset: one message that quotes what was given."""
    with pytest.raises(InvalidInput, match=r"^--at: ") as refused:
        parse_at(text)
    assert repr(text) in str(refused.value)


def test_the_option_name_can_be_given_for_the_message() -> None:
    """Callers with another option name (e.g. --since) see it in the message."""
    with pytest.raises(InvalidInput, match=r"^--since: "):
        parse_at("soon", option="--since")
