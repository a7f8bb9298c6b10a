"""Convoy commands on the custody book, and trips halted by the deal's suspensions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corridor.adapters.agreement_file import load_agreement_ref
from corridor.domain.agreement import (
    AgreementState,
    IncidentRefuted,
    IncidentReported,
    IncidentVerified,
    ResumeRecorded,
)
from corridor.domain.convoys import (
    close_convoy,
    convoy_stage,
    count_convoy,
    depart_convoy,
    halt_convoy,
)
from corridor.domain.custody import (
    Basis,
    CustodyBook,
    CustodyRefused,
    Outcome,
    ProtectionAlertRaised,
    TripHalted,
    TripStage,
    counts,
)
from corridor.domain.scenario import Group
from corridor.domain.suspension_halts import (
    halt_suspended,
    may_continue,
    still_halted,
    suspended_by,
)
from tests.support.custody_world import WORLD, vehicle

C = Group.CIVILIANS
P = TripStage
NOON = datetime(2016, 12, 15, 10, tzinfo=UTC)


def _convoy(*trips: str, board: tuple[str, ...] | None = None) -> CustodyBook:
    book = CustodyBook(WORLD)
    book.register("east-aleppo", "east-aleppo", C, 100)
    for trip in trips:
        book.plan(trip, "east-aleppo", vehicle(trip), convoy="c1")
    for trip in trips if board is None else board:
        book.board(
            trip, "east-aleppo", vehicle(trip), "east-aleppo", counts({C: 10}), Basis.COUNT, "m"
        )
    return book


@pytest.mark.parametrize(
    ("stages", "overall"),
    [
        ([P.BOARDING, P.BOARDING], P.BOARDING),
        ([P.DEPARTED, P.AT_CHECKPOINT], P.DEPARTED),
        ([P.ARRIVED, P.CLOSED], P.ARRIVED),
        ([P.AT_CHECKPOINT, P.HALTED, P.ARRIVED], P.HALTED),
        ([P.TURNED_BACK, P.DEPARTED], P.TURNED_BACK),
        ([P.CLOSED], P.CLOSED),
        ([], None),
    ],
)
def test_a_convoy_is_as_far_as_its_slowest_trip_unless_one_stopped(
    stages: list[TripStage], overall: TripStage | None
) -> None:
    """Halted or turned back concerns the whole convoy; otherwise the least advanced stage."""
    assert convoy_stage(stages) is overall


def test_a_convoy_departs_all_of_its_trips_in_one_go() -> None:
    """Every trip gets its departure, in trip order."""
    book = _convoy("bus-2", "bus-1")
    events = depart_convoy(book, "c1", "east-aleppo", "m")
    assert [e.trip for e in events] == ["bus-1", "bus-2"]
    assert {t.stage for t in book.trips.values()} == {P.DEPARTED}


def test_one_trip_refusing_stops_the_whole_convoy_and_changes_nothing() -> None:
    """A trip that has not boarded: refused naming it, and no trip has departed."""
    book = _convoy("bus-1", "bus-2", "bus-3", board=("bus-1", "bus-3"))
    with pytest.raises(CustodyRefused, match="convoy c1: trip bus-2 refuses"):
        depart_convoy(book, "c1", "east-aleppo", "m")
    assert [book.trips[t].stage for t in ("bus-1", "bus-2", "bus-3")] == [
        P.BOARDING, P.PLANNED, P.BOARDING
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("people", "message"),
    [
        ({"bus-1": {C: 10}}, "trip bus-2 is on the road but not counted"),
        ({"bus-1": {C: 10}, "bus-2": {C: 10}, "bus-9": {C: 1}}, "bus-9 is not in convoy c1"),
        ({"bus-1": {C: 10}, "bus-2": {C: 11}}, "11 civilians at ramouseh but 10 were on board"),
    ],
)
def test_a_convoy_count_must_cover_exactly_its_trips_on_the_road(
    people: dict[str, dict[Group, int]], message: str
) -> None:
    """A trip left out, a stranger, or too many: refused, nothing counted."""
    book = _convoy("bus-1", "bus-2")
    depart_convoy(book, "c1", "east-aleppo", "m")
    with pytest.raises(CustodyRefused, match=message):
        count_convoy(book, "c1", "ramouseh", {t: counts(c) for t, c in people.items()}, "m")
    assert {t.stage for t in book.trips.values()} == {P.DEPARTED}


def test_a_convoy_count_raises_an_alert_for_the_trip_that_dropped() -> None:
    """Each trip is counted on its own: one drop, one alert on that trip, then close refused."""
    book = _convoy("bus-1", "bus-2")
    depart_convoy(book, "c1", "east-aleppo", "m")
    people = {"bus-1": counts({C: 10}), "bus-2": counts({C: 7})}
    events = count_convoy(book, "c1", "ramouseh", people, "m")
    raised = [e for e in events if isinstance(e, ProtectionAlertRaised)]
    assert [(a.trip, a.missing) for a in raised] == [("bus-2", 3)]
    count_convoy(book, "c1", "atareb", people, "m", arrival=True)
    with pytest.raises(
        CustodyRefused, match=r"bus-2 has unresolved protection alerts: bus-2\.alert-1"
    ):
        close_convoy(book, "c1", "co")
    assert book.trips["bus-1"].stage is P.ARRIVED, "bus-1 did not close alone"
    book.resolve(raised[0].alert, "m", Outcome.EXIT, "stayed at Ramouseh")
    close_convoy(book, "c1", "co")
    assert {t.stage for t in book.trips.values()} == {P.CLOSED}
    with pytest.raises(CustodyRefused, match="already closed"):
        close_convoy(book, "c1", "co")


def test_an_unknown_convoy_is_refused() -> None:
    """No trip in it: no convoy."""
    with pytest.raises(CustodyRefused, match="no convoy c9"):
        halt_convoy(_convoy("bus-1"), "c9", "s", "shots", "m")


@pytest.fixture(scope="module")
def deal() -> AgreementState:
    """The bundled East Aleppo deal before anything happened."""
    loaded = load_agreement_ref("east-aleppo-2016")
    return AgreementState.start(loaded.agreement, loaded.scenario)


def _reported(state: AgreementState, corridor: str, severity: int = 4) -> AgreementState:
    return state.apply(
        IncidentReported("incident-1", "shooting", severity, corridor, "rashidin", "l", NOON)
    )


def _roads() -> CustodyBook:
    """East Aleppo and Foua/Kefraya trips on the road, one of each still boarding."""
    book = CustodyBook(WORLD)
    for movement, origin in (("east-aleppo", "east-aleppo"), ("foua-kefraya", "kefraya")):
        book.register(movement, origin, C, 100)
        for n, moving in ((1, True), (2, True), (3, False)):
            trip = f"{movement}-{n}"
            book.plan(trip, movement, vehicle(trip))
            book.board(trip, movement, vehicle(trip), origin, counts({C: 10}), Basis.COUNT, "m")
            if moving:
                book.depart(trip, origin, "m")
    book.record_headcount("east-aleppo-2", "ramouseh", counts({C: 10}), "m")
    return book


def test_a_verified_attack_on_ramouseh_halts_every_linked_trip_on_the_road(
    deal: AgreementState,
) -> None:
    """T6 names all three movements: their moving trips halt, with clause and incident."""
    after = _reported(deal, "ramouseh").apply(IncidentVerified("incident-1", "icrc", NOON))
    suspended = suspended_by(after, "incident-1")
    assert suspended == dict.fromkeys(("east-aleppo", "foua-kefraya", "madaya-zabadani"), ("T6",))
    book = _roads()
    events = halt_suspended(book, suspended, "incident-1", "monitor:t")
    assert all(isinstance(e, TripHalted) for e in events)
    assert [(e.trip, e.site) for e in events if isinstance(e, TripHalted)] == [
        ("east-aleppo-1", "east-aleppo"), ("east-aleppo-2", "ramouseh"),
        ("foua-kefraya-1", "kefraya"), ("foua-kefraya-2", "kefraya"),
    ]  # fmt: skip
    assert all(
        "T6" in e.reason and "incident-1" in e.reason for e in events if isinstance(e, TripHalted)
    )
    assert book.trips["east-aleppo-3"].stage is P.BOARDING
    with pytest.raises(CustodyRefused, match="halted under T6"):
        still_halted(after, "foua-kefraya")


@pytest.mark.parametrize(
    ("severity", "checked"),
    [
        (4, IncidentRefuted("incident-1", "icrc", NOON)),
        (1, IncidentVerified("incident-1", "i", NOON)),
    ],
)
def test_a_refuted_or_minor_incident_halts_nothing(
    deal: AgreementState, severity: int, checked: IncidentRefuted | IncidentVerified
) -> None:
    """Refuted, or below the term's severity: no suspension, no halted trip."""
    after = _reported(deal, "ramouseh", severity).apply(checked)
    assert suspended_by(after, "incident-1") == {}
    assert halt_suspended(_roads(), {}, "incident-1", "m") == []


def test_halted_trips_may_continue_only_when_every_broker_has_resumed(
    deal: AgreementState,
) -> None:
    """Russia's resume leaves T6 standing; Turkey's lifts it and the halted trips are listed."""
    halted = _reported(deal, "ramouseh").apply(IncidentVerified("incident-1", "icrc", NOON))
    book = _roads()
    halt_suspended(book, suspended_by(halted, "incident-1"), "incident-1", "m")
    russia = halted.apply(ResumeRecorded("T6", "russia", NOON))
    assert may_continue(book, halted, russia) == []
    both = russia.apply(ResumeRecorded("T6", "turkey", NOON))
    assert may_continue(book, russia, both) == [
        "east-aleppo-1", "east-aleppo-2", "foua-kefraya-1", "foua-kefraya-2"
    ]  # fmt: skip
    still_halted(both, "east-aleppo")
    assert {book.trips[t].stage for t in may_continue(book, russia, both)} == {P.HALTED}
