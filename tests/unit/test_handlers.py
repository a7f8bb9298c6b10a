"""Handlers through the one pipeline, on the in-memory ledger: what each command appends.

These run the same `handle()` every interface calls, over `MemoryLedgerStore`
(a fake that subclasses the ledger port), with the wall clock fixed so the
operation's own clock is reproducible.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from corridor.adapters.ledger.memory import MemoryLedgerStore
from corridor.adapters.openings import FileOpenings
from corridor.domain.clock import SteppingClock, format_instant
from corridor.domain.custody import counts
from corridor.domain.event_types import REGISTRY
from corridor.domain.figures import Claimant, Figure
from corridor.domain.operation_clock import OperationClock
from corridor.domain.scenario import Group
from corridor.errors import InvalidInput, NotFound
from corridor.services import commands
from corridor.services.bus import Outcome, Services, handle
from corridor.services.live import LiveOperations

DAMASCUS = timezone(timedelta(hours=2))
WALL = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EXERCISE_FROM = datetime(2016, 12, 15, 5, 0, tzinfo=DAMASCUS)
BUS = "bus-aleppo-depot-{}"
WOUNDED = counts({Group.WOUNDED_SEATED: 3})


def _services(step: timedelta = timedelta(0)) -> Services:
    store = MemoryLedgerStore(SteppingClock(WALL))
    openings = FileOpenings()
    return Services(LiveOperations(store, openings.resolve), openings, SteppingClock(WALL, step))


def _open(services: Services, start: datetime | None = EXERCISE_FROM, speed: float = 60) -> None:
    handle(services, commands.OpenOperation("op", "east-aleppo-2016", "", start, speed), "c")


def _boarded(services: Services, trip: str = "f1", vehicle: str = BUS.format(1)) -> None:
    handle(services, commands.PlanTrip("op", trip, "foua-kefraya", vehicle), "c")
    handle(services, commands.BoardTrip("op", trip, "kefraya", WOUNDED), "m")


def _types(outcome: Outcome) -> list[str]:
    return [e.type for e in outcome.result.events]


def test_the_exercise_clock_runs_at_its_speed_from_its_start() -> None:
    """Ten wall minutes at x60 are ten hours of operation time after the start."""
    clock = OperationClock.exercise(EXERCISE_FROM, WALL, 60)
    assert clock.now(WALL + timedelta(minutes=10)) == EXERCISE_FROM + timedelta(hours=10)
    assert OperationClock.from_payload(clock.payload()) == clock
    assert OperationClock.live().now(WALL) == WALL


@pytest.mark.parametrize("speed", [0, -1, 10_001])
def test_an_exercise_clock_refuses_a_speed_it_cannot_run_at(speed: float) -> None:
    """Speed must be above zero and at most 10,000."""
    with pytest.raises(InvalidInput, match="clock: speed"):
        _open(_services(), speed=speed)


def test_a_departure_without_a_time_is_decided_and_stamped_in_operation_time() -> None:
    """In a 2016 exercise, a depart sent today without `at` is asked on 15 Dec 2016."""
    services = _services(step=timedelta(minutes=1))
    _open(services)
    _boarded(services)
    outcome = handle(services, commands.DepartTrip("op", "f1", "kefraya"), "m")
    assert not outcome.refused
    asked = outcome.decisions[0]["request"]["at"]
    assert asked.startswith("2016-12-15"), asked
    departed = outcome.result.events[-1].data()
    assert departed["at"].startswith("2016-12-15"), departed


def test_a_live_operation_decides_on_the_wall_clock_and_the_deal_refuses_today() -> None:
    """Live, a 2016 deal's window is closed today: the depart is recorded as a refusal."""
    services = _services()
    _open(services, start=None)
    _boarded(services)
    outcome = handle(services, commands.DepartTrip("op", "f1", "kefraya"), "m")
    assert outcome.refused
    assert _types(outcome) == ["decision-recorded"]
    assert outcome.decisions[0]["request"]["at"].startswith(WALL.date().isoformat())
    assert services.live.read("op", lambda r: r.book.trips["f1"].stage) == "boarding"


def test_a_given_time_wins_over_the_operation_clock() -> None:
    """An `at` the sender gave is the time the deal decides on and the event records."""
    services = _services()
    _open(services)
    _boarded(services)
    at = datetime(2016, 12, 18, 12, 0, tzinfo=DAMASCUS)
    outcome = handle(services, commands.DepartTrip("op", "f1", "kefraya", at), "m")
    assert outcome.result.events[-1].data()["at"] == format_instant(at)


def test_setting_the_clock_is_recorded_and_read_back_by_every_reader() -> None:
    """`SetClock` appends `clock-set`; the record and a fresh reader both run on it."""
    services = _services()
    _open(services, start=None)
    handle(services, commands.SetClock("op", EXERCISE_FROM, 120), "c")
    view = services.live.read("op", services.clock_view)
    assert (view["mode"], view["speed"]) == ("exercise", 120)
    fresh = LiveOperations(services.live.ledger, FileOpenings().resolve)
    assert fresh.read("op", lambda r: r.clock.payload()) == {
        key: view[key] for key in ("mode", "start", "anchor", "speed")
    }


def test_a_retried_command_returns_its_first_events_and_decides_nothing_again() -> None:
    """With its key, a depart that already left is answered as first, not refused."""
    services = _services()
    _open(services)
    _boarded(services)
    first = handle(services, commands.DepartTrip("op", "f1", "kefraya"), "m", "k")
    head = services.live.ledger.head()
    again = handle(services, commands.DepartTrip("op", "f1", "kefraya"), "m", "k")
    assert again.result.replayed
    assert [e.sequence for e in again.result.events] == [e.sequence for e in first.result.events]
    assert services.live.ledger.head() == head


def test_a_command_on_an_operation_never_opened_is_not_found() -> None:
    """No handler runs for an operation the ledger does not hold."""
    with pytest.raises(NotFound, match="'nowhere'"):
        handle(_services(), commands.CloseTrip("nowhere", "t"), "c")


def test_verifying_a_shooting_halts_the_trips_on_the_road_in_the_same_command() -> None:
    """verify appends the verification and a halt per trip on the road; `halted` names them."""
    services = _services()
    _open(services)
    _boarded(services)
    handle(services, commands.DepartTrip("op", "f1", "kefraya"), "m")
    reported = handle(
        services, commands.ReportIncident("op", "shooting", 4, "ramouseh", "ramouseh"), "l"
    )
    incident = reported.extras["incident"]
    verified = handle(services, commands.VerifyIncident("op", incident, "icrc"), "m")
    assert _types(verified) == ["incident-verified", "trip-halted"]
    assert verified.extras["halted"] == ["f1"]


def test_a_claim_is_recorded_beside_the_ledger_figure() -> None:
    """A party's claim becomes one `figure-claimed` event with its source and time."""
    services = _services()
    _open(services)
    claim = commands.RecordClaim(
        "op", "east-aleppo", Figure.ARRIVED, 5000, Claimant.PARTY, "turkey", "press", WALL
    )
    assert _types(handle(services, claim, "l")) == ["figure-claimed"]


def test_every_event_a_walk_appends_is_in_the_one_registry() -> None:
    """Open, plan, board, depart, count, arrive, close, incidents, a claim: all registered."""
    services = _services()
    _open(services)
    _boarded(services)
    handle(services, commands.DepartTrip("op", "f1", "kefraya"), "m")
    handle(
        services, commands.CountTrip("op", "f1", "ramouseh", counts({Group.WOUNDED_SEATED: 2})), "m"
    )
    handle(
        services, commands.ArriveTrip("op", "f1", "jibreen", counts({Group.WOUNDED_SEATED: 2})), "m"
    )
    reported = handle(
        services, commands.ReportIncident("op", "shooting", 2, "ramouseh", "ramouseh"), "l"
    )
    handle(services, commands.VerifyIncident("op", reported.extras["incident"], "icrc", False), "m")
    handle(services, commands.RecordNote("op", "convoy held"), "c")
    types = {e.type for e in services.live.ledger.read()}
    assert {"protection-alert-raised", "incident-refuted", "clock-set"} <= types
    assert types <= set(REGISTRY)
