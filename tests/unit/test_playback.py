"""The demo's playback: a simulated run appended as the operation's exercise clock passes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from corridor.adapters.agreement_file import load_agreement_ref
from corridor.adapters.ledger.memory import MemoryLedgerStore
from corridor.adapters.openings import FileOpenings
from corridor.domain.clock import SteppingClock
from corridor.services import commands
from corridor.services.bus import Services, handle
from corridor.services.live import LiveOperations
from corridor.services.playback import Playback
from corridor.services.simulated_runs import run_zero_timeline
from corridor.simulation.montecarlo import Study

OP = "east-aleppo-2016"
FROM = datetime(2016, 12, 15, 5, 0, tzinfo=timezone(timedelta(hours=2)))
WALL = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Wall:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.moment = WALL

    def now(self) -> datetime:
        return self.moment


def test_a_playback_appends_what_the_exercise_clock_has_passed_and_resumes_after_a_restart() -> (
    None
):
    """Six wall minutes at x60 play six hours of the run; a new playback carries on after it."""
    wall = Wall()
    store = MemoryLedgerStore(SteppingClock(WALL))
    openings = FileOpenings()
    services = Services(LiveOperations(store, openings.resolve), openings, wall)
    handle(services, commands.OpenOperation(OP, OP, "", FROM, 60), "coordinator:demo")
    loaded = load_agreement_ref(OP)
    timeline = run_zero_timeline(OP, Study(loaded.scenario), loaded.agreement, seed=0)
    playback = Playback(services, OP, timeline)
    assert playback.step() == 0, "nothing happens before the exercise starts moving"
    wall.moment += timedelta(minutes=6)
    played = playback.step()
    assert 0 < played < len(timeline)
    assert all(moment <= FROM + timedelta(hours=6) for moment, _ in timeline[:played])
    record = services.live.read(OP, lambda r: r)
    assert record.book.trips, "trips board and leave in the first hours"
    assert all(t.balanced for t in record.book.tallies())
    again = Playback(services, OP, timeline)
    assert again.played == played, "a restarted server does not play a step twice"
    wall.moment += timedelta(minutes=6)
    assert again.step() > 0
