"""Headcount chain of custody: nobody leaves a vehicle between two counts unnoticed.

In Aleppo men were taken off buses between checkpoints and the parties' counts
differed by thousands. Here every trip is counted at boarding (from its manifest
or by a monitor), at each checkpoint and on arrival. A count lower than the one
before raises one protection alert per group (vehicle, segment, group, how
many). Only a monitor's recorded explanation resolves it: a transfer to another
trip (which must then show those people on its own counts), a recorded exit,
or a recount. A trip with an open alert cannot be closed.

The book keeps, per movement and group, the invariant

    registered = waiting + in transit + arrived + recorded exits

where "in transit" is everyone on board an open trip plus everyone under an
open alert: people who drop off a count stay the operation's responsibility
until someone explains where they went. State changes only by applying events,
so replaying the same events rebuilds the same book.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from copy import copy as shallow
from dataclasses import dataclass, field

from corridor.domain import door
from corridor.domain.custody_events import (
    AlertResolved,
    Basis,
    Counts,
    CustodyEvent,
    CustodyRefused,
    HeadcountRecorded,
    Outcome,
    PeopleExited,
    PeopleRegistered,
    ProtectionAlertRaised,
    TripArrived,
    TripBoarded,
    TripClosed,
    TripDeparted,
    TripHalted,
    TripPlanned,
    TripStage,
    TripTurnedBack,
    counts,
)
from corridor.domain.scenario import Group

__all__ = [
    "Alert",
    "AlertResolved",
    "Basis",
    "Counts",
    "CustodyBook",
    "CustodyEvent",
    "CustodyRefused",
    "HeadcountRecorded",
    "Outcome",
    "PeopleExited",
    "PeopleRegistered",
    "ProtectionAlertRaised",
    "Tally",
    "Trip",
    "TripArrived",
    "TripBoarded",
    "TripClosed",
    "TripDeparted",
    "TripHalted",
    "TripPlanned",
    "TripStage",
    "TripTurnedBack",
    "counts",
]


@dataclass
class Trip:
    """One vehicle's loaded run as the record knows it."""

    id: str
    movement: str
    vehicle: str
    stage: TripStage
    last_site: str
    on_board: dict[Group, int]
    alerts: list[str] = field(default_factory=list)
    convoy: str = ""
    manifest: tuple[str, ...] = ()
    """Person ids boarded by manifest (empty for a boarding by count)."""
    boarded_at: str = ""
    """When its people boarded, in operation time (empty in older records)."""
    halted_at: str = ""
    """When it last halted, in operation time (empty when it is not halted or unrecorded)."""
    left_at: str = ""
    """When it was last counted at `last_site` (departure or headcount), in operation time."""
    halted_site: str = ""
    """The site its last halt named (empty when it is not halted)."""
    halted_by: str = ""
    """The verified incident whose suspension halted it (empty for a halt a person recorded)."""

    def copy(self) -> Trip:
        """An independent copy: every field, with counts and alert list of its own.

        A shallow copy first, so a field added to `Trip` is never left behind.
        """
        twin = shallow(self)
        twin.on_board = dict(self.on_board)
        twin.alerts = list(self.alerts)
        return twin


@dataclass
class Alert:
    event: ProtectionAlertRaised
    movement: str
    resolution: AlertResolved | None = None

    @property
    def open(self) -> bool:
        return self.resolution is None


@dataclass(frozen=True)
class Tally:
    """Where one movement's registered people of one group are now."""

    movement: str
    group: Group
    registered: int
    waiting: int
    on_board: int
    unaccounted: int
    arrived: int
    exits: int

    @property
    def in_transit(self) -> int:
        return self.on_board + self.unaccounted

    @property
    def balanced(self) -> bool:
        """registered = waiting + in transit + arrived + recorded exits."""
        parts = (self.waiting, self.on_board, self.unaccounted, self.arrived, self.exits)
        return min(parts) >= 0 and self.registered == sum(parts)


class CustodyBook:
    """The custody record of one operation, kept incrementally from its events.

    Command methods check the request against the record, return the events it
    produces and apply them; `apply` alone is what replay uses. With a `world`
    (the operation's scenario and agreement), each command first passes the
    door checks (`corridor.domain.door`), which refuse with `door.Rejected`
    whatever names an unknown id or a count the vehicle cannot hold.
    """

    def __init__(self, world: door.World | None = None) -> None:
        self.world = world
        self.trips: dict[str, Trip] = {}
        self.alerts: dict[str, Alert] = {}
        self._registered: dict[tuple[str, Group], int] = defaultdict(int)
        self._waiting: dict[tuple[str, Group], int] = defaultdict(int)
        self._arrived: dict[tuple[str, Group], int] = defaultdict(int)
        self._exits: dict[tuple[str, Group], int] = defaultdict(int)
        # Trips and alerts this book may change in place; any other it holds
        # is shared with a copy and is copied before its first change.
        self._own_trips: set[str] = set()
        self._own_alerts: set[str] = set()

    def copy(self) -> CustodyBook:
        """An independent copy to try a command on, in time independent of the trips held.

        Copy on write: both books share every trip and alert, and whichever
        book changes one first changes a copy of its own, so a command tried
        on the copy costs the trips it touches, not the trips on record.
        """
        other = CustodyBook(self.world)
        other.trips = dict(self.trips)
        other.alerts = dict(self.alerts)
        for name in ("_registered", "_waiting", "_arrived", "_exits"):
            getattr(other, name).update(getattr(self, name))
        self._own_trips = set()
        self._own_alerts = set()
        return other

    @classmethod
    def replay(cls, events: Iterable[CustodyEvent]) -> CustodyBook:
        book = cls()
        for event in events:
            book.apply(event)
        return book

    # ---- commands -------------------------------------------------------------

    def register(self, movement: str, site: str, group: Group, count: int) -> list[CustodyEvent]:
        if self.world is not None:
            door.check_on_route(self.world, movement, site)
            door.check_group(self.world, movement, Group(group))
        _positive(count, f"registered {group}")
        return self._emit([PeopleRegistered(movement, site, Group(group), count)])

    def record_exit(
        self, movement: str, group: Group, count: int, reason: str
    ) -> list[CustodyEvent]:
        if self.world is not None:
            door.check_group(self.world, movement, Group(group))
        _positive(count, f"exits of {group}")
        _explained(reason)
        waiting = self._waiting.get((movement, group), 0)
        if count > waiting:
            raise CustodyRefused(f"only {waiting} {group} waiting in {movement}, not {count}")
        return self._emit([PeopleExited(movement, Group(group), count, reason)])

    def board(
        self,
        trip: str,
        movement: str,
        vehicle: str,
        site: str,
        people: Counts,
        basis: Basis,
        monitor: str,
        manifest: Sequence[str] = (),
    ) -> list[CustodyEvent]:
        """A boarding count; with a manifest, the person ids it was derived from.

        A manifest must name each person once, nobody already on board a
        carrying trip, and exactly as many people as the counts hold.
        """
        planned = self.trips.get(trip)
        if self.world is not None:
            # A trip boarded without a plan takes its vehicle now: it must be free.
            live = None if planned is not None else self.live_vehicles()
            door.check_board(self.world, movement, vehicle, site, people, live)
        if planned is not None:
            if planned.stage is not TripStage.PLANNED:
                raise CustodyRefused(f"trip {trip} has already boarded")
            if (planned.movement, planned.vehicle) != (movement, vehicle):
                raise CustodyRefused(
                    f"trip {trip} is planned for {planned.movement} on {planned.vehicle}"
                )
        _non_negative(people)
        if not any(n for _, n in people):
            raise CustodyRefused(f"trip {trip} boards nobody")
        for group, n in people:
            waiting = self._waiting.get((movement, group), 0)
            if n > waiting:
                raise CustodyRefused(
                    f"trip {trip} boards {n} {group} but only {waiting} wait in {movement}"
                )
        people_ids = self._manifest(trip, people, Basis(basis), manifest)
        return self._emit(
            [TripBoarded(trip, movement, vehicle, site, people, Basis(basis), monitor, people_ids)]
        )

    def plan(self, trip: str, movement: str, vehicle: str, convoy: str = "") -> list[CustodyEvent]:
        if self.world is not None:
            door.check_plan(self.world, trip, movement, vehicle, self.trips, self.live_vehicles())
        if trip in self.trips:
            raise CustodyRefused(f"trip {trip} already exists")
        return self._emit([TripPlanned(trip, movement, vehicle, convoy)])

    def depart(self, trip: str, site: str, by: str) -> list[CustodyEvent]:
        found = self._carrying(trip)
        self._on_route(found, site)
        if found.stage not in (TripStage.BOARDING, TripStage.HALTED):
            raise CustodyRefused(
                f"trip {trip} has {found.stage}; only a boarded or halted trip departs"
            )
        return self._emit([TripDeparted(trip, site, by)])

    def halt(
        self, trip: str, site: str, reason: str, by: str, incident: str = ""
    ) -> list[CustodyEvent]:
        found = self._carrying(trip)
        self._on_route(found, site)
        _explained(reason)
        if found.stage not in (TripStage.DEPARTED, TripStage.AT_CHECKPOINT):
            raise CustodyRefused(f"trip {trip} has {found.stage}; only a moving trip halts")
        return self._emit([TripHalted(trip, site, reason, by, incident=incident)])

    def turn_back(self, trip: str, site: str, reason: str, by: str) -> list[CustodyEvent]:
        found = self._carrying(trip)
        self._on_route(found, site)
        _explained(reason)
        if found.stage is TripStage.TURNED_BACK:
            raise CustodyRefused(f"trip {trip} has already turned back")
        return self._emit([TripTurnedBack(trip, site, reason, by)])

    def record_headcount(
        self, trip: str, site: str, people: Counts, monitor: str
    ) -> list[CustodyEvent]:
        """A checkpoint count; each group that dropped raises exactly one alert."""
        current = self._carrying(trip)
        if self.world is not None:
            door.check_headcount(self.world, current.movement, site, people)
        return self._emit(
            [HeadcountRecorded(trip, site, people, monitor), *self._drops(current, site, people)]
        )

    def arrive(self, trip: str, site: str, people: Counts, monitor: str) -> list[CustodyEvent]:
        """The arrival count (back at the origin for a trip that turned back)."""
        current = self._carrying(trip)
        if self.world is not None:
            back = current.stage is TripStage.TURNED_BACK
            door.check_arrival(self.world, current.movement, site, people, back)
        return self._emit(
            [TripArrived(trip, site, people, monitor), *self._drops(current, site, people)]
        )

    def resolve(
        self,
        alert: str,
        monitor: str,
        outcome: Outcome,
        explanation: str,
        transfer_trip: str = "",
    ) -> list[CustodyEvent]:
        found = self.alerts.get(alert)
        if found is None:
            raise CustodyRefused(f"no protection alert {alert}")
        if not found.open:
            raise CustodyRefused(f"protection alert {alert} is already resolved")
        _explained(explanation)
        outcome = Outcome(outcome)
        if outcome is Outcome.TRANSFER:
            target = self.trips.get(transfer_trip)
            if target is None:
                raise CustodyRefused(f"transfer to unknown trip {transfer_trip!r}")
            if target.id == found.event.trip:
                raise CustodyRefused("a transfer must name another trip")
            if not target.stage.carrying:
                raise CustodyRefused(f"trip {target.id} has {target.stage}; it cannot take on")
            if target.movement != found.movement:
                raise CustodyRefused(f"trip {target.id} belongs to movement {target.movement}")
        elif transfer_trip:
            raise CustodyRefused(f"only a transfer names a trip, not a {outcome}")
        return self._emit([AlertResolved(alert, monitor, outcome, explanation, transfer_trip)])

    def close(self, trip: str, by: str) -> list[CustodyEvent]:
        found = self.trips.get(trip)
        if found is None:
            raise CustodyRefused(f"no trip {trip}")
        if found.stage not in (TripStage.ARRIVED, TripStage.RETURNED):
            raise CustodyRefused(f"trip {trip} has {found.stage}, not arrived; it cannot close")
        open_alerts = self.open_alerts_of(found)
        if open_alerts:
            raise CustodyRefused(
                f"trip {trip} has unresolved protection alerts: {', '.join(open_alerts)}"
            )
        return self._emit([TripClosed(trip, by)])

    # ---- state ----------------------------------------------------------------

    def apply(self, event: CustodyEvent) -> None:
        """Change the record by one event (the only way it changes)."""
        match event:
            case PeopleRegistered(movement=m, group=g, count=n):
                self._registered[(m, g)] += n
                self._waiting[(m, g)] += n
            case PeopleExited(movement=m, group=g, count=n):
                self._waiting[(m, g)] -= n
                self._exits[(m, g)] += n
            case TripPlanned():
                self.trips[event.trip] = Trip(
                    event.trip, event.movement, event.vehicle, TripStage.PLANNED, "", {}, [],
                    event.convoy,
                )  # fmt: skip
                self._own_trips.add(event.trip)
            case TripBoarded():
                for g, n in event.counts:
                    self._waiting[(event.movement, g)] -= n
                planned = self.trips.get(event.trip)
                self.trips[event.trip] = Trip(
                    event.trip,
                    event.movement,
                    event.vehicle,
                    TripStage.BOARDING,
                    event.site,
                    dict(event.counts),
                    convoy=planned.convoy if planned else "",
                    manifest=event.manifest,
                    boarded_at=event.at,
                )
                self._own_trips.add(event.trip)
            case TripDeparted(trip=t, site=s):
                departed = self._trip(t)
                departed.stage = TripStage.DEPARTED
                departed.last_site = s
                departed.halted_at = departed.halted_site = departed.halted_by = ""
                departed.left_at = event.at
            case TripHalted(trip=t, site=s):
                halted = self._trip(t)
                halted.stage = TripStage.HALTED
                halted.halted_at = event.at
                halted.halted_site = s
                halted.halted_by = event.incident
            case TripTurnedBack(trip=t):
                self._trip(t).stage = TripStage.TURNED_BACK
            case HeadcountRecorded(trip=t, site=s, counts=c):
                trip = self._count(t, s, c)
                trip.left_at = event.at
                if trip.stage in (TripStage.DEPARTED, TripStage.AT_CHECKPOINT):
                    trip.stage = TripStage.AT_CHECKPOINT
            case TripArrived(trip=t, site=s, counts=c):
                trip = self._count(t, s, c)
                back = trip.stage is TripStage.TURNED_BACK
                trip.stage = TripStage.RETURNED if back else TripStage.ARRIVED
                for g, n in c:
                    (self._waiting if back else self._arrived)[(trip.movement, g)] += n
            case ProtectionAlertRaised():
                trip = self._trip(event.trip)
                trip.alerts.append(event.alert)
                self.alerts[event.alert] = Alert(event, trip.movement)
                self._own_alerts.add(event.alert)
            case AlertResolved():
                alert = self._alert(event.alert)
                alert.resolution = event
                raised = alert.event
                if event.outcome is Outcome.EXIT:
                    self._exits[(alert.movement, raised.group)] += raised.missing
                else:
                    into = self._trip(event.transfer_trip or raised.trip)
                    group = raised.group
                    into.on_board[group] = into.on_board.get(group, 0) + raised.missing
                    if into.stage is TripStage.ARRIVED:
                        # A recount on an arrived trip: those people arrived with it.
                        self._arrived[(alert.movement, group)] += raised.missing
                    elif into.stage is TripStage.RETURNED:
                        self._waiting[(alert.movement, group)] += raised.missing
            case TripClosed(trip=t):
                self._trip(t).stage = TripStage.CLOSED

    def tally(self, movement: str, group: Group) -> Tally:
        key = (movement, group)
        on_board = sum(
            t.on_board.get(group, 0)
            for t in self.trips.values()
            if t.movement == movement and t.stage.carrying
        )
        unaccounted = sum(
            a.event.missing
            for a in self.alerts.values()
            if a.open and a.movement == movement and a.event.group is group
        )
        return Tally(
            movement,
            group,
            self._registered.get(key, 0),
            self._waiting.get(key, 0),
            on_board,
            unaccounted,
            self._arrived.get(key, 0),
            self._exits.get(key, 0),
        )

    def tallies(self) -> list[Tally]:
        """Every movement and group the record has seen, in a stable order."""
        keys = set(self._registered) | {
            (t.movement, g) for t in self.trips.values() for g in t.on_board
        }
        return [self.tally(m, g) for m, g in sorted(keys)]

    def open_alerts(self) -> list[ProtectionAlertRaised]:
        return [a.event for a in self.alerts.values() if a.open]

    def open_alerts_of(self, trip: Trip) -> list[str]:
        """The ids of `trip`'s alerts no monitor has resolved yet, in the order raised."""
        return [a for a in trip.alerts if self.alerts[a].open]

    def live_vehicles(self) -> dict[str, str]:
        """Vehicle -> its live trip: every trip not closed holds its vehicle."""
        return {t.vehicle: t.id for t in self.trips.values() if t.stage is not TripStage.CLOSED}

    def aboard(self) -> dict[str, str]:
        """Person id -> the carrying trip whose manifest names them."""
        return {
            person: trip.id
            for trip in self.trips.values()
            if trip.stage.carrying
            for person in trip.manifest
        }

    # ---- helpers --------------------------------------------------------------

    def _manifest(
        self, trip: str, people: Counts, basis: Basis, manifest: Sequence[str]
    ) -> tuple[str, ...]:
        if basis is Basis.COUNT:
            if manifest:
                raise CustodyRefused(
                    f"trip {trip} boards by count; a manifest needs basis manifest"
                )
            return ()
        if not manifest:
            raise CustodyRefused(f"trip {trip} boards by manifest but names nobody")
        seen: set[str] = set()
        for person in manifest:
            if person in seen:
                raise CustodyRefused(f"person {person} is on the manifest of trip {trip} twice")
            seen.add(person)
        aboard = self.aboard()
        for person in manifest:
            other = aboard.get(person)
            if other is not None:
                raise CustodyRefused(f"person {person} is already on board trip {other}")
        total = sum(n for _, n in people)
        if total != len(manifest):
            raise CustodyRefused(
                f"trip {trip}'s manifest names {len(manifest)} people but its counts hold {total}"
            )
        return tuple(sorted(manifest))

    def _on_route(self, trip: Trip, site: str) -> None:
        if self.world is not None:
            door.check_on_route(self.world, trip.movement, site)

    def _emit(self, events: list[CustodyEvent]) -> list[CustodyEvent]:
        for event in events:
            self.apply(event)
        return events

    def _carrying(self, trip: str) -> Trip:
        found = self.trips.get(trip)
        if found is None:
            raise CustodyRefused(f"no trip {trip}; it must board first")
        if not found.stage.carrying:
            raise CustodyRefused(f"trip {trip} has {found.stage}; it takes no more counts")
        return found

    def _drops(self, trip: Trip, site: str, people: Counts) -> list[CustodyEvent]:
        _non_negative(people)
        seen = dict(people)
        for group, n in people:
            before = trip.on_board.get(group, 0)
            if n > before:
                raise CustodyRefused(
                    f"trip {trip.id} counts {n} {group} at {site} but {before} were on board;"
                    " record the transfer that brought the others first"
                )
        raised: list[CustodyEvent] = []
        number = len(trip.alerts)
        for group in sorted(trip.on_board):
            missing = trip.on_board[group] - seen.get(group, 0)
            if missing > 0:
                number += 1
                raised.append(
                    ProtectionAlertRaised(
                        f"{trip.id}.alert-{number}",
                        trip.id,
                        trip.vehicle,
                        trip.last_site,
                        site,
                        group,
                        missing,
                    )
                )
        return raised

    def _trip(self, trip_id: str) -> Trip:
        """The trip, this book's own to change (copied first if a copy shares it)."""
        trip = self.trips[trip_id]
        if trip_id not in self._own_trips:
            trip = self.trips[trip_id] = trip.copy()
            self._own_trips.add(trip_id)
        return trip

    def _alert(self, alert_id: str) -> Alert:
        """The alert, this book's own to change (copied first if a copy shares it)."""
        alert = self.alerts[alert_id]
        if alert_id not in self._own_alerts:
            alert = self.alerts[alert_id] = Alert(alert.event, alert.movement, alert.resolution)
            self._own_alerts.add(alert_id)
        return alert

    def _count(self, trip_id: str, site: str, people: Counts) -> Trip:
        trip = self._trip(trip_id)
        trip.on_board = dict(people)
        trip.last_site = site
        return trip


def _positive(count: int, what: str) -> None:
    if count <= 0:
        raise CustodyRefused(f"{what} must be a positive number, not {count}")


def _non_negative(people: Counts) -> None:
    for group, n in people:
        if n < 0:
            raise CustodyRefused(f"a count of {group} cannot be negative ({n})")


def _explained(text: str) -> None:
    if not text.strip():
        raise CustodyRefused("an explanation is required")
