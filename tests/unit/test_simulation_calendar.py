"""Calendar time: minutes after the start become local times with the zone's offset."""

from __future__ import annotations

from corridor.domain.calendar import Calendar
from corridor.simulation.metrics import RunMetrics, RunOptions, cumulative


def test_a_minute_after_a_local_start_reads_as_local_time_with_its_offset() -> None:
    """Aleppo in December is UTC+02:00; 570 minutes after 05:00 is 14:30 the same day."""
    calendar = Calendar.of("2016-12-15T05:00", "Asia/Damascus")
    assert calendar.at(0) == "2016-12-15T05:00+02:00"
    assert calendar.at(570) == "2016-12-15T14:30+02:00"
    assert calendar.at(24 * 60 * 3) == "2016-12-18T05:00+02:00"


def test_times_across_a_daylight_saving_change_keep_the_right_offset() -> None:
    """Damascus moved to summer time on 31 March 2017: 24 h after noon on the 30th is 13:00 +03."""
    calendar = Calendar.of("2017-03-30T12:00", "Asia/Damascus")
    assert calendar.at(24 * 60) == "2017-03-31T13:00+03:00"


def test_a_start_given_with_an_offset_is_shown_in_the_scenarios_zone() -> None:
    """A start instant in UTC is written in local time."""
    calendar = Calendar.of("2017-04-14T06:00+00:00", "Asia/Damascus")
    assert calendar.at(0) == "2017-04-14T09:00+03:00"


def test_each_movement_keeps_the_minute_its_last_trip_arrived() -> None:
    """The run's figures name each movement's last arrival, not only the last of all."""
    options = RunOptions(horizon_minutes=600, deadline_minutes=300)
    series, by_deadline = cumulative(
        [("a", [(30.0, 10), (250.0, 5)]), ("b", [(400.0, 7)]), ("c", [])], options
    )
    metrics = RunMetrics(
        index=0,
        cleared=True,
        clearance=400.0,
        moved=22,
        moved_by_deadline=by_deadline,
        waiting_vehicle=(),
        waiting_assembly=(),
        longest_wait=0.0,
        trips=3,
        turned_back=0,
        incidents=0,
        halts=0,
        breakdowns=0,
        series=series,
    )
    assert dict(metrics.last_arrivals) == {"a": 250.0, "b": 400.0, "c": 0.0}
    assert type(metrics.series) is tuple
    assert by_deadline == 15
