"""Door checks on the bundled worlds, in memory: what each command may name, and what it may not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.adapters.agreement_file import load_agreement_ref
from corridor.adapters.scenario_file import load_bundled
from corridor.domain.agreement import ConfirmStage, CrossCheckpoint, DispatchTrip, RecordResume
from corridor.domain.custody import Basis, CustodyBook, CustodyRefused, TripStage, counts
from corridor.domain.door import (
    NOT_SHOWN,
    STANDARD_INCIDENT_KINDS,
    Rejected,
    World,
    check_arrival,
    check_board,
    check_group,
    check_headcount,
    check_incident,
    check_on_route,
    check_plan,
    check_request,
    incident_vocabulary,
)
from corridor.domain.scenario import FleetUnit, Group

C, S, L = Group.CIVILIANS, Group.WOUNDED_SEATED, Group.WOUNDED_STRETCHER
AT = datetime(2016, 12, 15, 8, tzinfo=UTC)

TINY = load_bundled("tiny")
WORLD = World.of(TINY)
ALEPPO = load_agreement_ref("east-aleppo-2016")
ALEPPO_WORLD = World.of(ALEPPO.scenario, ALEPPO.agreement.incident_kinds)


def rejected(call: object, *args: object) -> Rejected:
    assert callable(call)
    with pytest.raises(Rejected) as caught:
        call(*args)
    return caught.value


def test_the_fleet_has_one_id_per_vehicle_in_the_simulator_s_scheme() -> None:
    """Tiny's 4 buses and 2 ambulances at `depot` are bus-depot-1..4 and ambulance-depot-1..2."""
    assert TINY.vehicle_ids() == (
        "bus-depot-1", "bus-depot-2", "bus-depot-3", "bus-depot-4",
        "ambulance-depot-1", "ambulance-depot-2",
    )  # fmt: skip
    assert TINY.vehicle("ambulance-depot-2").stretchers == 1
    with pytest.raises(KeyError):
        TINY.vehicle("bus-depot-5")


def test_numbers_run_across_units_and_explicit_ids_are_kept() -> None:
    """A second unit of buses at the same depot continues the numbers; named units keep names."""
    fleet = (
        FleetUnit("bus", "depot", 2),
        FleetUnit("bus", "depot", 1, lead_minutes=30),
        FleetUnit("ambulance", "depot", 2, ids=("red-1", "red-2")),
    )
    scenario = replace(TINY, fleet=fleet)
    assert scenario.vehicle_ids() == ("bus-depot-1", "bus-depot-2", "bus-depot-3", "red-1", "red-2")
    assert [v.lead_minutes for v in scenario.fleet_vehicles()][2] == 30


def test_the_world_knows_where_a_movement_boards_passes_and_arrives() -> None:
    """Alpha boards at town-a, passes town-a, checkpoint, camp-b and arrives at camp-b."""
    route = WORLD.movements["alpha"]
    assert route.boarding_sites == ("town-a",)
    assert route.corridor_sites == ("town-a", "checkpoint", "camp-b")
    assert route.destinations == ("camp-b",)
    foua = ALEPPO_WORLD.movements["foua-kefraya"].boarding_sites
    assert foua == ("kefraya", "foua")


def test_a_plan_names_a_known_movement_a_free_fleet_vehicle_and_a_new_trip() -> None:
    """Each wrong part of a plan is named in turn; a good plan passes."""
    check_plan(WORLD, "t1", "alpha", "bus-depot-1", (), {})
    assert rejected(check_plan, WORLD, "t1", "omega", "bus-depot-1", (), {}).field == "movement"
    wrong = rejected(check_plan, WORLD, "t1", "alpha", "bus-9", (), {})
    assert (wrong.field, wrong.value) == ("vehicle", "bus-9")
    assert wrong.allowed == TINY.vehicle_ids()
    assert rejected(check_plan, WORLD, "t1", "alpha", "bus-depot-1", {"t1"}, {}).field == "trip"
    busy = rejected(check_plan, WORLD, "t2", "alpha", "bus-depot-1", (), {"bus-depot-1": "t1"})
    assert (busy.field, "bus-depot-1" in busy.allowed) == ("vehicle", False)
    assert "is on live trip t1" in str(busy)


def test_a_boarding_is_at_a_boarding_site_in_groups_the_movement_carries() -> None:
    """Boarding at the checkpoint, of fighters, or a negative count is refused."""
    check_board(WORLD, "alpha", "bus-depot-1", "town-a", counts({C: 40}))
    site = rejected(check_board, WORLD, "alpha", "bus-depot-1", "checkpoint", counts({C: 1}))
    assert (site.field, site.value, site.allowed) == ("site", "checkpoint", ("town-a",))
    assert "is not a boarding site of movement alpha" in str(site)
    unknown = rejected(check_board, WORLD, "alpha", "bus-depot-1", "narnia", counts({C: 1}))
    assert "is not a site of the scenario" in str(unknown)
    group = rejected(check_board, WORLD, "beta", "bus-depot-1", "town-c", counts({S: 1}))
    assert (group.field, group.value, group.allowed) == ("counts", "wounded-seated", ("civilians",))
    negative = rejected(check_board, WORLD, "alpha", "bus-depot-1", "town-a", ((C, -1),))
    assert (negative.field, negative.value) == ("counts.civilians", "-1")


def test_a_load_fits_the_seats_plus_standing_and_the_stretchers() -> None:
    """41 on a 40-seat bus is refused until the kind allows standing; stretchers need stretchers."""
    over = rejected(check_board, WORLD, "alpha", "bus-depot-1", "town-a", counts({C: 41}))
    assert (over.field, over.value, over.allowed) == ("counts", "41", "0..40")
    lying = rejected(check_board, WORLD, "alpha", "bus-depot-1", "town-a", counts({L: 1}))
    assert (lying.field, lying.allowed) == ("counts.wounded-stretcher", "0..0")
    check_board(WORLD, "alpha", "ambulance-depot-1", "town-a", counts({L: 1, S: 2}))
    bus = replace(TINY.vehicle_kind("bus"), standing=10)
    standing = World.of(replace(TINY, vehicle_kinds=(bus, TINY.vehicle_kind("ambulance"))))
    check_board(standing, "alpha", "bus-depot-1", "town-a", counts({C: 50}))
    again = rejected(check_board, standing, "alpha", "bus-depot-1", "town-a", counts({C: 51}))
    assert again.allowed == "0..50"
    assert "40 seats + 10 standing" in str(again)


@given(
    sitting=st.integers(min_value=0, max_value=120),
    lying=st.integers(min_value=0, max_value=3),
    standing=st.integers(min_value=0, max_value=60),
)
def test_a_load_passes_exactly_when_it_fits(sitting: int, lying: int, standing: int) -> None:
    """For any load and standing allowance, the door accepts it if and only if it fits."""
    bus = replace(TINY.vehicle_kind("bus"), standing=standing, stretchers=1)
    world = World.of(replace(TINY, vehicle_kinds=(bus, TINY.vehicle_kind("ambulance"))))
    people = counts({C: sitting, L: lying})
    fits = sitting <= 40 + standing and lying <= 1
    if fits:
        check_board(world, "alpha", "bus-depot-1", "town-a", people)
    else:
        with pytest.raises(Rejected, match="do not fit vehicle bus-depot-1"):
            check_board(world, "alpha", "bus-depot-1", "town-a", people)


def test_a_headcount_is_on_the_corridor_and_an_arrival_at_a_destination() -> None:
    """Counts at the checkpoint pass; off the corridor or away from the destinations they do not."""
    check_headcount(WORLD, "alpha", "checkpoint", counts({C: 40}))
    off = rejected(check_headcount, WORLD, "alpha", "camp-d", counts({C: 40}))
    assert (off.field, off.allowed) == ("site", ("town-a", "checkpoint", "camp-b"))
    check_arrival(WORLD, "alpha", "camp-b", counts({C: 40}))
    elsewhere = rejected(check_arrival, WORLD, "alpha", "camp-d", counts({C: 40}))
    assert elsewhere.allowed == ("camp-b",)
    check_arrival(WORLD, "alpha", "town-a", counts({C: 40}), True)
    assert rejected(check_arrival, WORLD, "alpha", "camp-b", counts({C: 1}), True).field == "site"
    check_on_route(WORLD, "alpha", "checkpoint")
    assert rejected(check_on_route, WORLD, "alpha", "town-c").field == "site"
    assert rejected(check_group, WORLD, "beta", L).field == "group"


@pytest.mark.parametrize(
    ("kind", "severity", "corridor", "site", "field"),
    [
        ("shootng", 4, "ramouseh", "ramouseh", "kind"),
        ("shooting", 0, "ramouseh", "ramouseh", "severity"),
        ("shooting", 6, "ramouseh", "ramouseh", "severity"),
        ("shooting", 4, "ramousseh", "ramouseh", "corridor"),
        ("shooting", 4, "ramouseh", "narnia", "site"),
    ],
)
def test_an_incident_names_a_declared_kind_a_severity_and_known_places(
    kind: str, severity: int, corridor: str, site: str, field: str
) -> None:
    """Each wrong part of an incident report is refused, naming its field."""
    check_incident(ALEPPO_WORLD, "shooting", 4, "ramouseh", "ramouseh")
    refusal = rejected(check_incident, ALEPPO_WORLD, kind, severity, corridor, site)
    assert refusal.field == field
    if field == "kind":
        assert refusal.allowed == ALEPPO.agreement.incident_kinds
        assert str(refusal).startswith("kind: 'shootng' is not a declared incident kind")


def test_the_vocabulary_joins_agreement_and_scenario_or_falls_back_to_the_standard() -> None:
    """Declared kinds, once each, in order; with none declared, the standard list."""
    assert incident_vocabulary(["shooting", "looting"], ["looting", "shelling"]) == (
        "shooting",
        "looting",
        "shelling",
    )
    assert incident_vocabulary([], []) == STANDARD_INCIDENT_KINDS
    assert World.of(TINY).incident_kinds == TINY.incident_kinds


def test_a_request_without_a_trip_names_a_fleet_vehicle_and_a_load_that_fits() -> None:
    """500 seated on a 50-seat bus with 70 standing, or on bus-2, is refused; crossings on route."""
    bus = "bus-aleppo-depot-2"
    load = ((S, 500),)
    off_fleet = DispatchTrip("east-aleppo", "bus-2", AT, load)
    assert rejected(check_request, ALEPPO_WORLD, off_fleet).field == "vehicle"
    over = rejected(check_request, ALEPPO_WORLD, DispatchTrip("east-aleppo", bus, AT, load))
    assert (over.field, over.value, over.allowed) == ("load", "500", "0..120")
    check_request(ALEPPO_WORLD, DispatchTrip("east-aleppo", bus, AT, ((S, 120),)))
    above = DispatchTrip("east-aleppo", bus, AT, ((S, 121),))
    assert rejected(check_request, ALEPPO_WORLD, above).allowed == "0..120"
    crossing = CrossCheckpoint("east-aleppo", bus, "jibreen", AT, 40)
    assert rejected(check_request, ALEPPO_WORLD, crossing).field == "site"
    check_request(ALEPPO_WORLD, replace(crossing, site="ramouseh"))
    confirm = ConfirmStage("narnia", "icrc", 10, AT)
    assert rejected(check_request, ALEPPO_WORLD, confirm).field == "movement"
    check_request(ALEPPO_WORLD, RecordResume("T6", "russia", AT))


def test_free_text_is_never_echoed() -> None:
    """A value that is not an id or a number is shown as `(not shown)`."""
    refusal = rejected(check_plan, WORLD, "t1", "alpha", "Rasha Kamel Nasrallah", (), {})
    assert refusal.value == NOT_SHOWN
    assert "Rasha" not in str(refusal)


def test_a_book_with_a_world_refuses_before_it_changes() -> None:
    """The custody book's verbs run the door checks first: a refusal leaves the book as it was."""
    book = CustodyBook(WORLD)
    book.register("alpha", "town-a", C, 100)
    book.plan("t1", "alpha", "bus-depot-1")
    before = book.tallies()
    for attempt in (
        lambda: book.plan("t2", "alpha", "bus-depot-1"),
        lambda: book.board(
            "t1", "alpha", "bus-depot-1", "narnia", counts({C: 5}), Basis.COUNT, "m"
        ),
        lambda: book.board(
            "t1", "alpha", "bus-depot-1", "town-a", counts({C: 41}), Basis.COUNT, "m"
        ),
        lambda: book.board(
            "t3", "alpha", "bus-depot-1", "town-a", counts({C: 5}), Basis.COUNT, "m"
        ),
    ):
        with pytest.raises(Rejected):
            attempt()
    assert book.tallies() == before
    assert set(book.trips) == {"t1"}
    book.board("t1", "alpha", "bus-depot-1", "town-a", counts({C: 40}), Basis.COUNT, "m")
    with pytest.raises(Rejected, match="narnia"):
        book.record_headcount("t1", "narnia", counts({C: 40}), "m")
    with pytest.raises(Rejected, match="town-c"):
        book.depart("t1", "town-c", "m")
    assert book.copy().world is WORLD


def test_a_closed_trip_frees_its_vehicle() -> None:
    """Once its trip is closed, a vehicle may be planned for another trip."""
    book = CustodyBook(WORLD)
    book.register("alpha", "town-a", C, 100)
    book.board("t1", "alpha", "bus-depot-1", "town-a", counts({C: 40}), Basis.COUNT, "m")
    book.depart("t1", "town-a", "m")
    book.arrive("t1", "camp-b", counts({C: 40}), "m")
    assert book.live_vehicles() == {"bus-depot-1": "t1"}
    book.close("t1", "m")
    assert book.live_vehicles() == {}
    book.plan("t2", "alpha", "bus-depot-1")
    assert book.live_vehicles() == {"bus-depot-1": "t2"}


def _snapshot(book: CustodyBook) -> object:
    return book.tallies(), {t: (v.stage, dict(v.on_board)) for t, v in book.trips.items()}


_VEHICLES = [*TINY.vehicle_ids(), "bus-9", "van-depot-1"]
_SITES = ["town-a", "checkpoint", "camp-b", "town-c", "camp-d", "narnia"]
_COMMAND = st.tuples(
    st.sampled_from(["plan", "board", "count", "arrive", "close"]),
    st.sampled_from([f"t{n}" for n in range(6)]),
    st.sampled_from(["alpha", "beta", "omega"]),
    st.sampled_from(_VEHICLES),
    st.sampled_from(_SITES),
    st.integers(-2, 45),
)


@given(st.lists(_COMMAND, max_size=40))
def test_whatever_is_asked_the_book_only_ever_holds_what_the_world_allows(
    commands: list[tuple[str, str, str, str, str, int]],
) -> None:
    """Any commands: refusals change nothing; trips use the fleet, one live trip a vehicle."""
    book = CustodyBook(WORLD)
    book.register("alpha", "town-a", C, 200)
    book.register("beta", "town-c", C, 100)
    for verb, trip, movement, vehicle, site, n in commands:
        before = _snapshot(book)
        people = ((C, n),)
        try:
            if verb == "plan":
                book.plan(trip, movement, vehicle)
            elif verb == "board":
                book.board(trip, movement, vehicle, site, people, Basis.COUNT, "m")
            elif verb == "count":
                book.record_headcount(trip, site, people, "m")
            elif verb == "arrive":
                book.arrive(trip, site, people, "m")
            else:
                book.close(trip, "m")
        except (Rejected, CustodyRefused):
            after = (
                book.tallies(),
                {t: (v.stage, dict(v.on_board)) for t, v in book.trips.items()},
            )
            assert after == before
        live = [t for t in book.trips.values() if t.stage is not TripStage.CLOSED]
        assert len({t.vehicle for t in live}) == len(live), "a vehicle on two live trips"
        for t in book.trips.values():
            assert t.vehicle in WORLD.vehicles
            assert t.movement in WORLD.movements
            assert t.last_site in ("", *WORLD.movements[t.movement].sites)
            assert sum(t.on_board.values()) <= WORLD.vehicles[t.vehicle].sitting_places


def test_the_bundled_occupancy_passes_the_door_and_one_more_does_not() -> None:
    """The most a bundled bus carries in a run (occupancy high) boards; one more is refused."""
    bus = load_bundled("east-aleppo-2016").vehicle_kind("bus")
    assert bus.occupancy is not None
    most = int(bus.occupancy.high)
    assert most == bus.sitting_places
    vehicle = "bus-aleppo-depot-1"
    check_board(ALEPPO_WORLD, "east-aleppo", vehicle, "east-aleppo", counts({C: most}))
    over = rejected(
        check_board, ALEPPO_WORLD, "east-aleppo", vehicle, "east-aleppo", counts({C: most + 1})
    )
    assert over.allowed == f"0..{bus.sitting_places}"
