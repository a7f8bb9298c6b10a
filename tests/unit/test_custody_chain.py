"""Chain of custody by example: drops raise alerts, only explanations clear them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from corridor.domain.custody import (
    AlertResolved,
    Basis,
    CustodyBook,
    CustodyRefused,
    Outcome,
    ProtectionAlertRaised,
    TripClosed,
    counts,
)
from corridor.domain.door import Rejected
from corridor.domain.scenario import Group
from tests.support.custody_world import WORLD, vehicle

C = Group.CIVILIANS
W = Group.WOUNDED_SEATED


def boarded_book() -> CustodyBook:
    """A book with 60 civilians and 5 wounded registered, bus-1 carrying 40 + 5."""
    book = CustodyBook(WORLD)
    book.register("east-aleppo", "east-aleppo", C, 60)
    book.register("east-aleppo", "east-aleppo", W, 5)
    people = counts({C: 40, W: 5})
    book.board("bus-1", "east-aleppo", vehicle("bus-1"), "east-aleppo", people, Basis.COUNT, "m1")
    return book


def test_an_unchanged_count_raises_no_alert() -> None:
    """A checkpoint count equal to the boarding count raises nothing."""
    book = boarded_book()
    events = book.record_headcount("bus-1", "ramouseh", counts({C: 40, W: 5}), "m1")
    assert not [e for e in events if isinstance(e, ProtectionAlertRaised)]


def test_a_drop_raises_one_alert_naming_vehicle_segment_group_and_number() -> None:
    """Three civilians fewer at the checkpoint raise one alert for that segment."""
    book = boarded_book()
    events = book.record_headcount("bus-1", "ramouseh", counts({C: 37, W: 5}), "m1")
    alerts = [e for e in events if isinstance(e, ProtectionAlertRaised)]
    assert [(a.vehicle, a.from_site, a.to_site, a.group, a.missing) for a in alerts] == [
        ("bus-aleppo-depot-1", "east-aleppo", "ramouseh", C, 3)
    ]


def test_a_trip_with_an_open_alert_cannot_close() -> None:
    """Closing is refused while an alert is unresolved, allowed after."""
    book = boarded_book()
    book.arrive("bus-1", "atareb", counts({C: 38, W: 5}), "m1")
    with pytest.raises(CustodyRefused, match="unresolved protection alerts"):
        book.close("bus-1", "coordinator")
    (alert,) = book.open_alerts()
    book.resolve(alert.alert, "m1", Outcome.EXIT, "detained at the crossing")
    assert isinstance(book.close("bus-1", "coordinator")[0], TripClosed)


def test_a_transfer_must_show_up_on_the_receiving_trip() -> None:
    """People moved to an ambulance are expected there; a lower count there alerts again."""
    book = boarded_book()
    book.board(
        "amb-1", "east-aleppo", vehicle("amb-1"), "east-aleppo", counts({C: 1}), Basis.COUNT, "m1"
    )
    (alert,) = [
        e
        for e in book.record_headcount("bus-1", "ramouseh", counts({C: 38, W: 5}), "m1")
        if isinstance(e, ProtectionAlertRaised)
    ]
    book.resolve(alert.alert, "m1", Outcome.TRANSFER, "taken ill; moved to ambulance", "amb-1")
    assert book.trips["amb-1"].on_board[C] == 3
    again = book.record_headcount("amb-1", "ramouseh", counts({C: 1}), "m2")
    assert [(e.trip, e.missing) for e in again if isinstance(e, ProtectionAlertRaised)] == [
        ("amb-1", 2)
    ]


def test_a_count_above_the_people_on_board_is_refused() -> None:
    """A count may not rise without a recorded transfer into the trip."""
    book = boarded_book()
    with pytest.raises(CustodyRefused, match="record the transfer"):
        book.record_headcount("bus-1", "ramouseh", counts({C: 41, W: 5}), "m1")


@pytest.mark.parametrize(
    ("outcome", "target", "message"),
    [
        (Outcome.TRANSFER, "nowhere", "unknown trip"),
        (Outcome.TRANSFER, "bus-1", "another trip"),
        (Outcome.EXIT, "amb-1", "only a transfer"),
    ],
)
def test_a_resolution_that_does_not_add_up_is_refused(
    outcome: Outcome, target: str, message: str
) -> None:
    """Transfers name another open trip; other outcomes name none."""
    book = boarded_book()
    book.board(
        "amb-1", "east-aleppo", vehicle("amb-1"), "east-aleppo", counts({C: 1}), Basis.COUNT, "m1"
    )
    book.record_headcount("bus-1", "ramouseh", counts({C: 39, W: 5}), "m1")
    (alert,) = book.open_alerts()
    with pytest.raises(CustodyRefused, match=message):
        book.resolve(alert.alert, "m1", outcome, "explained", target)


def test_a_resolution_needs_an_explanation() -> None:
    """An empty explanation does not resolve an alert."""
    book = boarded_book()
    book.record_headcount("bus-1", "ramouseh", counts({C: 39, W: 5}), "m1")
    (alert,) = book.open_alerts()
    with pytest.raises(CustodyRefused, match="explanation"):
        book.resolve(alert.alert, "m1", Outcome.RECOUNT, "  ")


def test_boarding_more_than_are_waiting_is_refused() -> None:
    """A trip cannot carry people the record does not have waiting."""
    book = boarded_book()
    with pytest.raises(CustodyRefused, match="only 20 wait"):
        book.board(
            "bus-2",
            "east-aleppo",
            vehicle("bus-2"),
            "east-aleppo",
            counts({C: 21}),
            Basis.COUNT,
            "m1",
        )


def test_people_under_an_open_alert_stay_in_transit() -> None:
    """Missing people are counted as unaccounted in transit, never as gone."""
    book = boarded_book()
    book.record_headcount("bus-1", "ramouseh", counts({C: 30, W: 5}), "m1")
    tally = book.tally("east-aleppo", C)
    assert (tally.waiting, tally.on_board, tally.unaccounted, tally.in_transit) == (20, 30, 10, 40)
    assert tally.balanced


def test_a_recount_after_arrival_counts_those_people_as_arrived() -> None:
    """A wrong arrival count corrected by a recount moves the people to arrived."""
    book = boarded_book()
    book.arrive("bus-1", "atareb", counts({C: 39, W: 5}), "m1")
    (alert,) = book.open_alerts()
    resolved = book.resolve(alert.alert, "m1", Outcome.RECOUNT, "one child was asleep under a seat")
    assert isinstance(resolved[0], AlertResolved)
    tally = book.tally("east-aleppo", C)
    assert (tally.arrived, tally.in_transit) == (40, 0)
    assert tally.balanced


def test_a_trip_walks_from_plan_to_close() -> None:
    """planned -> boarding -> departed -> at checkpoint -> arrived -> closed."""
    book = CustodyBook(WORLD)
    book.register("east-aleppo", "east-aleppo", C, 10)
    stages = []
    book.plan("bus-9", "east-aleppo", vehicle("bus-9"), convoy="convoy-1")
    stages.append(book.trips["bus-9"].stage)
    book.board(
        "bus-9", "east-aleppo", vehicle("bus-9"), "east-aleppo", counts({C: 10}), Basis.COUNT, "m1"
    )
    stages.append(book.trips["bus-9"].stage)
    book.depart("bus-9", "ramouseh", "m1")
    stages.append(book.trips["bus-9"].stage)
    book.record_headcount("bus-9", "ramouseh", counts({C: 10}), "m1")
    stages.append(book.trips["bus-9"].stage)
    book.arrive("bus-9", "atareb", counts({C: 10}), "m1")
    stages.append(book.trips["bus-9"].stage)
    book.close("bus-9", "coordinator")
    stages.append(book.trips["bus-9"].stage)
    assert [str(s) for s in stages] == [
        "planned", "boarding", "departed", "at-checkpoint", "arrived", "closed"
    ]  # fmt: skip
    assert book.trips["bus-9"].convoy == "convoy-1"


def test_people_on_a_trip_that_turned_back_wait_again_when_it_returns() -> None:
    """A turned-back trip's return count puts its people back to waiting."""
    book = boarded_book()
    book.depart("bus-1", "ramouseh", "m1")
    book.turn_back("bus-1", "ramouseh", "the crossing closed", "m1")
    book.arrive("bus-1", "east-aleppo", counts({C: 40, W: 5}), "m1")
    tally = book.tally("east-aleppo", C)
    assert (tally.waiting, tally.in_transit, tally.arrived) == (60, 0, 0)
    assert str(book.trips["bus-1"].stage) == "returned"


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (lambda b: b.halt("bus-1", "ramouseh", "shots", "m1"), "only a moving trip halts"),
        (lambda b: b.close("bus-1", "c"), "not arrived"),
        (lambda b: b.plan("bus-1", "east-aleppo", vehicle("bus-2")), "already the id of a trip"),
    ],
)
def test_a_step_out_of_order_is_refused(
    step: Callable[[CustodyBook], object], message: str
) -> None:
    """Halting a trip still boarding, closing one on the road, planning it twice: refused."""
    book = boarded_book()
    with pytest.raises((CustodyRefused, Rejected), match=message):
        step(book)
