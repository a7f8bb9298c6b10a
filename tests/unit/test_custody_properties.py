"""Properties of the chain of custody under any sequence of commands.

A rule-based state machine drives the book with registrations, exits,
boardings (by count, or by a manifest of ids, some named twice or already
aboard), convoy departures, counts (each group anywhere from zero to everyone
on board), arrivals, resolutions and closings. After every step the movement
invariant must hold, every drop in a count must have raised exactly one alert
with the number that dropped, nobody may be on two carrying trips' manifests,
and a refused convoy departure must leave every trip as it was.

The book here has no world: this machine checks custody's arithmetic over
any ids; what ids a command may name is `test_door.py`'s subject.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from corridor.domain.convoys import FINISHED, depart_convoy
from corridor.domain.custody import (
    Basis,
    CustodyBook,
    CustodyEvent,
    CustodyRefused,
    HeadcountRecorded,
    Outcome,
    ProtectionAlertRaised,
    TripClosed,
    TripStage,
    counts,
)
from corridor.domain.custody_codec import event_type, from_payload, to_payload
from corridor.domain.scenario import Group

MOVEMENTS = ("east-aleppo", "foua-kefraya")
GROUPS = (Group.CIVILIANS, Group.WOUNDED_SEATED, Group.FIGHTERS)
PEOPLE = [f"person-{n}" for n in range(8)]


class CustodyMachine(RuleBasedStateMachine):
    """Drives one CustodyBook and checks it after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.book = CustodyBook()
        self.log: list[CustodyEvent] = []
        self.trip_numbers = 0

    def _record(self, events: list[CustodyEvent]) -> None:
        self.log.extend(events)

    def _boarded(self) -> list[str]:
        return sorted(t for t, v in self.book.trips.items() if v.stage.carrying)

    def _in(self, *stages: TripStage) -> list[str]:
        return sorted(t for t, v in self.book.trips.items() if v.stage in stages)

    @rule(movement=st.sampled_from(MOVEMENTS), group=st.sampled_from(GROUPS), n=st.integers(1, 50))
    def register(self, movement: str, group: Group, n: int) -> None:
        self._record(self.book.register(movement, "origin", group, n))

    @rule(movement=st.sampled_from(MOVEMENTS), group=st.sampled_from(GROUPS), data=st.data())
    def exit_from_waiting(self, movement: str, group: Group, data: Any) -> None:
        waiting = self.book.tally(movement, group).waiting
        if waiting:
            n = data.draw(st.integers(1, waiting))
            self._record(self.book.record_exit(movement, group, n, "chose to stay"))

    @rule(movement=st.sampled_from(MOVEMENTS), data=st.data())
    def board(self, movement: str, data: Any) -> None:
        people = {
            g: data.draw(st.integers(0, self.book.tally(movement, g).waiting)) for g in GROUPS
        }
        if not any(people.values()):
            return
        self.trip_numbers += 1
        trip = f"trip-{self.trip_numbers}"
        self._record(
            self.book.board(trip, movement, trip, "origin", counts(people), Basis.COUNT, "m")
        )

    @rule(movement=st.sampled_from(MOVEMENTS), convoy=st.sampled_from(["", "convoy-1"]))
    def plan(self, movement: str, convoy: str) -> None:
        self.trip_numbers += 1
        trip = f"trip-{self.trip_numbers}"
        self._record(self.book.plan(trip, movement, trip, convoy))

    @rule(data=st.data())
    def board_a_planned_trip(self, data: Any) -> None:
        planned = self._in(TripStage.PLANNED)
        if not planned:
            return
        trip = self.book.trips[data.draw(st.sampled_from(planned))]
        people = {
            g: data.draw(st.integers(0, self.book.tally(trip.movement, g).waiting)) for g in GROUPS
        }
        if any(people.values()):
            self._record(
                self.book.board(
                    trip.id, trip.movement, trip.vehicle, "origin", counts(people), Basis.COUNT, "m"
                )
            )

    @rule(data=st.data())
    def board_a_planned_trip_by_manifest(self, data: Any) -> None:
        planned = self._in(TripStage.PLANNED)
        if not planned:
            return
        trip = self.book.trips[data.draw(st.sampled_from(planned))]
        people = {g: min(2, self.book.tally(trip.movement, g).waiting) for g in GROUPS}
        size = sum(people.values())
        if not size:
            return
        ids = data.draw(st.lists(st.sampled_from(PEOPLE), min_size=size, max_size=size))
        aboard = self.book.aboard()
        fits = len(set(ids)) == size and not any(p in aboard for p in ids)
        try:
            events = self.book.board(
                trip.id, trip.movement, trip.vehicle, "origin", counts(people), Basis.MANIFEST,
                "m", ids,
            )  # fmt: skip
        except CustodyRefused:
            assert not fits, "a manifest of free people named once was refused"
        else:
            assert fits, "a manifest naming someone twice or already aboard was taken"
            self._record(events)

    @rule(data=st.data())
    def depart_the_convoy(self, data: Any) -> None:
        before = {t: v.stage for t, v in self.book.trips.items()}
        try:
            self._record(depart_convoy(self.book, "convoy-1", "origin", "m"))
        except CustodyRefused:
            after = {t: v.stage for t, v in self.book.trips.items()}
            assert after == before, "a refused convoy departure changed a trip"
        else:
            moved = [t for t, v in self.book.trips.items() if v.convoy == "convoy-1"]
            assert all(
                self.book.trips[t].stage is TripStage.DEPARTED
                for t in moved
                if before[t] not in FINISHED
            )

    @rule(data=st.data())
    def depart(self, data: Any) -> None:
        ready = self._in(TripStage.BOARDING, TripStage.HALTED)
        if ready:
            self._record(self.book.depart(data.draw(st.sampled_from(ready)), "origin", "m"))

    @rule(data=st.data())
    def halt(self, data: Any) -> None:
        moving = self._in(TripStage.DEPARTED, TripStage.AT_CHECKPOINT)
        if moving:
            self._record(self.book.halt(data.draw(st.sampled_from(moving)), "cp", "shots", "m"))

    @rule(data=st.data())
    def turn_back(self, data: Any) -> None:
        going = [t for t in self._boarded() if t not in self._in(TripStage.TURNED_BACK)]
        if going:
            trip = data.draw(st.sampled_from(going))
            self._record(self.book.turn_back(trip, "cp", "road closed", "m"))

    def _count(self, data: Any, arrive: bool) -> None:
        trip = data.draw(st.sampled_from(self._boarded()))
        before = dict(self.book.trips[trip].on_board)
        seen = {g: data.draw(st.integers(0, n)) for g, n in sorted(before.items())}
        site = f"site-{len(self.log)}"
        if arrive:
            events = self.book.arrive(trip, site, counts(seen), "m")
        else:
            events = self.book.record_headcount(trip, site, counts(seen), "m")
        self._record(events)
        alerts = [e for e in events if isinstance(e, ProtectionAlertRaised)]
        expected = {g: n - seen[g] for g, n in before.items() if n > seen[g]}
        assert {a.group: a.missing for a in alerts} == expected
        assert len(alerts) == len(expected), "exactly one alert per group that dropped"

    @precondition(lambda self: bool(self._boarded()))
    @rule(data=st.data())
    def headcount(self, data: Any) -> None:
        self._count(data, arrive=False)

    @precondition(lambda self: bool(self._boarded()))
    @rule(data=st.data())
    def arrive(self, data: Any) -> None:
        self._count(data, arrive=True)

    @precondition(lambda self: bool(self.book.open_alerts()))
    @rule(data=st.data(), outcome=st.sampled_from(list(Outcome)))
    def resolve(self, data: Any, outcome: Outcome) -> None:
        alert = data.draw(st.sampled_from(self.book.open_alerts()))
        target = ""
        if outcome is Outcome.TRANSFER:
            movement = self.book.trips[alert.trip].movement
            candidates = [
                t
                for t in self._boarded()
                if t != alert.trip and self.book.trips[t].movement == movement
            ]
            if not candidates:
                return
            target = data.draw(st.sampled_from(candidates))
        self._record(self.book.resolve(alert.alert, "m", outcome, "explained", target))

    @rule(data=st.data())
    def close(self, data: Any) -> None:
        arrived = self._in(TripStage.ARRIVED, TripStage.RETURNED)
        if not arrived:
            return
        trip = data.draw(st.sampled_from(arrived))
        has_open = any(self.book.alerts[a].open for a in self.book.trips[trip].alerts)
        try:
            self._record(self.book.close(trip, "coordinator"))
        except CustodyRefused:
            assert has_open, "closing may be refused only for open alerts"
        else:
            assert not has_open, "a trip with an open alert closed"

    @invariant()
    def nobody_rides_two_trips_at_once(self) -> None:
        named = [p for t in self.book.trips.values() if t.stage.carrying for p in t.manifest]
        assert len(named) == len(set(named)) == len(self.book.aboard())

    @invariant()
    def nobody_vanishes(self) -> None:
        for tally in self.book.tallies():
            assert tally.balanced, tally

    @invariant()
    def a_copy_is_independent_of_its_original(self) -> None:
        """Events applied to a copy leave the original as it was, and the other way round."""
        trial = self.book.copy()
        assert trial.tallies() == self.book.tallies()
        for trip_id in sorted(self.book.trips)[:1]:

            def seen(book: CustodyBook, trip_id: str = trip_id) -> tuple[Any, ...]:
                trip = book.trips[trip_id]
                return trip.stage, dict(trip.on_board), list(trip.alerts), book.tallies()

            kept = seen(self.book)
            more = counts(
                {Group.CIVILIANS: self.book.trips[trip_id].on_board.get(Group.CIVILIANS, 0) + 1}
            )
            trial.apply(HeadcountRecorded(trip_id, "elsewhere", more, "m"))
            trial.apply(TripClosed(trip_id, "m"))
            assert seen(self.book) == kept
            assert seen(trial) != kept
            # The original changing after the copy was taken leaves the copy alone.
            original = self.book.copy()
            later = original.copy()
            original.apply(HeadcountRecorded(trip_id, "elsewhere", more, "m"))
            assert seen(later) == kept

    @invariant()
    def replay_from_stored_payloads_rebuilds_the_same_record(self) -> None:
        stored = [(event_type(e), json.loads(json.dumps(to_payload(e)))) for e in self.log]
        again = CustodyBook.replay(from_payload(kind, payload) for kind, payload in stored)
        assert again.tallies() == self.book.tallies()
        assert again.open_alerts() == self.book.open_alerts()


CustodyMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestChainOfCustody = CustodyMachine.TestCase
