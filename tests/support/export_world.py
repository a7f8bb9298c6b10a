"""A recorded East Aleppo operation over six days, for the export tests.

Trips board, cross Ramouseh, lose people between counts, halt and arrive;
incidents and claims are recorded; free text written by monitors names
people (the strings in `SEEDED_NAMES`), so tests can grep an export for them.
Times are set on an exercise clock, so every event falls on a known day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from corridor.adapters.exports.gazetteer import gazetteer_for
from corridor.adapters.openings import FileOpenings
from corridor.bootstrap import open_store
from corridor.domain.custody import Outcome, counts
from corridor.domain.figures import Claimant, Figure
from corridor.domain.scenario import Group
from corridor.entrypoints.cli.export import export_world
from corridor.services import commands
from corridor.services.bus import Services, handle
from corridor.services.exports.handlers import ExportWorld
from corridor.services.live import LiveOperations

OPERATION = "east-aleppo-2016"
SEEDED_NAMES = ("Ahmad Khalil", "Yusuf Haddad", "Abu Hassan", "Mariam Saleh")
PERSON = "person-5f1c0a9e3b7d2c4e6a8b0d1f"
"""A person id on an ambulance's manifest: which person rides where stays with neutral roles."""
C, W, S = Group.CIVILIANS, Group.WOUNDED_STRETCHER, Group.WOUNDED_SEATED
MONITOR = "monitor:tok-monitor"


class ExerciseClock:
    """Operation time: jumps where the script says, one second per event in between."""

    def __init__(self, start: str) -> None:
        self.moment = datetime.fromisoformat(start).astimezone(UTC)

    def at(self, local: str) -> None:
        self.moment = datetime.fromisoformat(local).astimezone(UTC)

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def seed(db: Path) -> str:
    """Record the operation in a fresh SQLite ledger at `db`, through the handlers; its URL."""
    url = f"sqlite:///{db}"
    clock = ExerciseClock("2016-12-15T05:00+02:00")
    with open_store(url, clock=clock) as store:
        openings = FileOpenings()
        services = Services(LiveOperations(store, openings.resolve), openings, clock)

        def do(command: commands.Command) -> None:
            outcome = handle(services, command, MONITOR)
            assert not outcome.refused, outcome.decisions

        def trip(name: str, movement: str, vehicle: str) -> None:
            do(commands.PlanTrip(OPERATION, name, movement, vehicle))

        do(commands.OpenOperation(OPERATION, OPERATION))
        # 15 Dec: the first convoy; the wounded go first (the deal's T5); three people
        # are taken off a bus before Ramouseh.
        clock.at("2016-12-15T14:30+02:00")
        trip("t0", "east-aleppo", "ambulance-aleppo-depot-2")
        do(commands.BoardTrip(OPERATION, "t0", "east-aleppo", counts({S: 2})))
        do(commands.DepartTrip(OPERATION, "t0", "east-aleppo"))
        trip("t2", "east-aleppo", "ambulance-aleppo-depot-1")
        do(commands.BoardFromManifest(OPERATION, "t2", "east-aleppo", counts({W: 1}), (PERSON,)))
        trip("t1", "east-aleppo", "bus-aleppo-depot-1")
        do(commands.BoardTrip(OPERATION, "t1", "east-aleppo", counts({C: 50})))
        do(commands.DepartTrip(OPERATION, "t2", "east-aleppo"))
        do(commands.DepartTrip(OPERATION, "t1", "east-aleppo"))
        clock.at("2016-12-15T15:10+02:00")
        do(commands.CountTrip(OPERATION, "t1", "ramouseh", counts({C: 47})))
        clock.at("2016-12-15T15:40+02:00")
        do(commands.ArriveTrip(OPERATION, "t1", "atareb", counts({C: 47})))
        do(commands.ArriveTrip(OPERATION, "t2", "idlib", counts({W: 1})))
        do(commands.ArriveTrip(OPERATION, "t0", "idlib", counts({S: 2})))
        explanation = "Ahmad Khalil and two sons held at the checkpoint"
        do(commands.ResolveAlert(OPERATION, "t1.alert-1", Outcome.EXIT, explanation))
        # 16 Dec: a blocked convoy reported at al-Rashidin, refuted.
        clock.at("2016-12-16T09:00+02:00")
        at = datetime.fromisoformat("2016-12-16T08:40+02:00")
        do(commands.ReportIncident(OPERATION, "blocked-convoy", 2, "ramouseh", "rashidin",
                                   MONITOR, "", "incident-2", at))  # fmt: skip
        do(commands.VerifyIncident(OPERATION, "incident-2", "icrc", verified=False))
        # 20 Dec: a bus halts at Ramouseh; one person leaves the list on the record.
        clock.at("2016-12-20T07:00+02:00")
        trip("t3", "east-aleppo", "bus-aleppo-depot-2")
        do(commands.BoardTrip(OPERATION, "t3", "east-aleppo", counts({C: 40})))
        do(commands.DepartTrip(OPERATION, "t3", "east-aleppo"))
        do(commands.HaltTrip(OPERATION, "t3", "ramouseh", "Yusuf Haddad detained at the barrier"))
        services.live.custody(
            OPERATION,
            lambda b: b.record_exit("east-aleppo", C, 1, "Mariam Saleh chose to stay"),
            MONITOR,
        )
        trip("t4", "foua-kefraya", "bus-aleppo-depot-3")
        do(commands.BoardTrip(OPERATION, "t4", "foua", counts({S: 45})))
        do(commands.DepartTrip(OPERATION, "t4", "foua"))
        do(commands.ArriveTrip(OPERATION, "t4", "jibreen", counts({S: 45})))
        # Then shooting at Ramouseh, reported with a note naming a witness; verified, it
        # halts all three movements under T6 until both guarantors resume (none has).
        clock.at("2016-12-20T09:00+02:00")
        at = datetime.fromisoformat("2016-12-20T08:40+02:00")
        note = "Abu Hassan saw shots at the second bus"
        do(commands.ReportIncident(OPERATION, "shooting", 3, "ramouseh", "ramouseh", MONITOR,
                                   note, "incident-1", at))  # fmt: skip
        do(commands.VerifyIncident(OPERATION, "incident-1", "icrc"))
        stated = datetime.fromisoformat("2016-12-20T12:00:00+02:00")
        source = "Phone call from Yusuf Haddad"
        do(commands.RecordClaim(OPERATION, "east-aleppo", Figure.ARRIVED, 9000, Claimant.PARTY,
                                "government-of-syria", source, stated))  # fmt: skip
    return url


def world() -> ExportWorld:
    """The CLI's wiring (bundled scenarios, P-codes, the deal)."""
    world = export_world()
    assert world.gazetteer_of is gazetteer_for
    return world
