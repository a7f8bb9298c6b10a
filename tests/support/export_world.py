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
from corridor.bootstrap import open_store
from corridor.domain.agreement import IncidentRefuted, IncidentReported, IncidentVerified
from corridor.domain.custody import Basis, Outcome, counts
from corridor.domain.events import NewEvent
from corridor.domain.figures import ClaimRecorded
from corridor.domain.operation import operation_stream
from corridor.domain.scenario import Group
from corridor.entrypoints.api.agreements import resolve_agreement
from corridor.entrypoints.api.models import OpenOperation
from corridor.entrypoints.api.routes_operations import opening_for
from corridor.entrypoints.cli.export import export_world
from corridor.services.exports.handlers import ExportWorld
from corridor.services.live import LiveOperations

OPERATION = "east-aleppo-2016"
SEEDED_NAMES = ("Ahmad Khalil", "Yusuf Haddad", "Abu Hassan", "Mariam Saleh")
PERSON = "person-5f1c0a9e3b7d2c4e6a8b0d1f"
"""A person id on an ambulance's manifest: which person rides where stays with neutral roles."""
C, W = Group.CIVILIANS, Group.WOUNDED_STRETCHER
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
    """Record the operation in a fresh SQLite ledger at `db`; its URL."""
    url = f"sqlite:///{db}"
    clock = ExerciseClock("2016-12-15T05:00+02:00")
    with open_store(url, clock=clock) as store:
        live = LiveOperations(store, resolve_agreement)
        events = opening_for(OpenOperation(id=OPERATION, scenario=OPERATION))
        live.command(OPERATION, lambda _: events, "coordinator:tok-c", opening=True)
        stream = operation_stream(OPERATION)

        def custody(step):  # type: ignore[no-untyped-def]
            live.custody(OPERATION, step, MONITOR)

        def record(*facts: NewEvent) -> None:
            live.command(OPERATION, lambda _: list(facts), MONITOR)

        # 15 Dec: the first convoy; three people taken off a bus before Ramouseh.
        clock.at("2016-12-15T14:30+02:00")
        custody(
            lambda b: b.board(
                "t1", "east-aleppo", "bus-1", "east-aleppo", counts({C: 50}), Basis.COUNT, MONITOR
            )
        )
        custody(
            lambda b: b.board(
                "t2",
                "east-aleppo",
                "amb-1",
                "east-aleppo",
                counts({W: 1}),
                Basis.MANIFEST,
                MONITOR,
                [PERSON],
            )
        )
        custody(lambda b: b.depart("t1", "east-aleppo", MONITOR))
        custody(lambda b: b.depart("t2", "east-aleppo", MONITOR))
        clock.at("2016-12-15T15:10+02:00")
        custody(lambda b: b.record_headcount("t1", "ramouseh", counts({C: 47}), MONITOR))
        clock.at("2016-12-15T15:40+02:00")
        custody(lambda b: b.arrive("t1", "rashidin", counts({C: 47}), MONITOR))
        custody(lambda b: b.arrive("t2", "rashidin", counts({W: 1}), MONITOR))
        custody(
            lambda b: b.resolve(
                "t1.alert-1",
                MONITOR,
                Outcome.EXIT,
                "Ahmad Khalil and two sons held at the checkpoint",
            )
        )
        # 16 Dec: shooting at Ramouseh, reported with a note naming a witness.
        clock.at("2016-12-16T09:00+02:00")
        at = datetime.fromisoformat("2016-12-16T08:40+02:00")
        record(
            _fact(
                stream,
                IncidentReported(
                    "incident-1",
                    "shooting",
                    3,
                    "ramouseh",
                    "ramouseh",
                    MONITOR,
                    at,
                    "Abu Hassan saw shots at the second bus",
                ),
            )
        )
        record(_fact(stream, IncidentVerified("incident-1", "icrc", clock.moment)))
        record(
            _fact(
                stream,
                IncidentReported(
                    "incident-2", "blocked-convoy", 2, "ramouseh", "rashidin", MONITOR, at, ""
                ),
            )
        )
        record(_fact(stream, IncidentRefuted("incident-2", "icrc", clock.moment)))
        # 20 Dec: a bus halts at Ramouseh; one person leaves the list on the record.
        clock.at("2016-12-20T07:00+02:00")
        custody(
            lambda b: b.board(
                "t3", "east-aleppo", "bus-2", "east-aleppo", counts({C: 40}), Basis.COUNT, MONITOR
            )
        )
        custody(lambda b: b.depart("t3", "east-aleppo", MONITOR))
        custody(lambda b: b.halt("t3", "ramouseh", "Yusuf Haddad detained at the barrier", MONITOR))
        custody(lambda b: b.record_exit("east-aleppo", C, 1, "Mariam Saleh chose to stay"))
        custody(
            lambda b: b.board(
                "t4", "foua-kefraya", "bus-3", "foua", counts({C: 45}), Basis.COUNT, MONITOR
            )
        )
        custody(lambda b: b.depart("t4", "foua", MONITOR))
        custody(lambda b: b.arrive("t4", "jibreen", counts({C: 45}), MONITOR))
        claim = ClaimRecorded(
            "east-aleppo",
            "arrived",
            9000,
            "party",
            "government-of-syria",  # type: ignore[arg-type]
            "Ministry statement",
            "2016-12-20T12:00:00+02:00",
        )
        record(
            NewEvent(
                stream,
                ClaimRecorded.TYPE,
                {
                    "movement": claim.movement,
                    "figure": "arrived",
                    "value": claim.value,
                    "claimant": "party",
                    "by": claim.by,
                    "source": claim.source,
                    "stated_at": claim.stated_at,
                },
            )
        )
    return url


def _fact(stream: str, fact: IncidentReported | IncidentVerified | IncidentRefuted) -> NewEvent:
    return NewEvent(stream, fact.type, fact.payload())


def world() -> ExportWorld:
    """The CLI's wiring (bundled scenarios, P-codes, the deal)."""
    world = export_world()
    assert world.gazetteer_of is gazetteer_for
    return world
