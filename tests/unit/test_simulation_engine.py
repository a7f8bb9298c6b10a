"""The discrete-event engine: moves everyone, measures waits, obeys holds and the deal."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corridor.domain.agreement import Priority
from corridor.domain.scenario import Group
from corridor.simulation.deal import AgreementGate
from corridor.simulation.disruption import (
    Breakdowns,
    DisruptionModel,
    Handling,
    IncidentRisk,
    Scripted,
    TimelineEntry,
    Weather,
)
from corridor.simulation.engine import simulate
from corridor.simulation.metrics import RunOptions
from corridor.simulation.trace import TraceEvent
from tests.support.simulation_world import aleppo_like, linked_deal, one_road

QUIET = DisruptionModel()


def test_a_single_trip_takes_loading_driving_and_unloading() -> None:
    """One bus, ten people, one road: clearance is the handling and driving minutes."""
    handling = Handling(load_fixed=10, load_per_person=1, unload_fixed=5, unload_per_person=0.5)
    metrics = simulate(one_road(people=10, seats=10), DisruptionModel(handling=handling))
    assert metrics.cleared
    assert metrics.clearance == pytest.approx(10 + 10 * 1 + 30 + 5 + 10 * 0.5)
    assert metrics.trips == 1
    assert metrics.waiting_assembly_total == 0
    assert metrics.waiting_vehicle_total == 0


def test_people_left_behind_wait_for_the_bus_to_come_back() -> None:
    """With 20 people and 10 seats, the second ten wait one full round trip at the pickup."""
    handling = Handling(0, 0, 0, 0)
    metrics = simulate(one_road(people=20, seats=10), DisruptionModel(handling=handling))
    assert metrics.trips == 2
    assert metrics.clearance == pytest.approx(30 + 30 + 30)
    assert dict(metrics.waiting_assembly)["civilians"] == pytest.approx(10 * 60)


def test_the_same_seeds_give_the_same_run() -> None:
    """A run is a function of its inputs and seeds."""
    model = DisruptionModel(
        incidents=(IncidentRisk("ramouseh-road", 2.0),), breakdowns=Breakdowns(0.1)
    )
    first = simulate(aleppo_like(), model, seeds=(7, 8, 9, 10))
    second = simulate(aleppo_like(), model, seeds=(7, 8, 9, 10))
    other = simulate(aleppo_like(), model, seeds=(1, 2, 3, 4))
    assert first == second
    assert first != other


def test_a_quiet_operation_moves_everyone_within_the_horizon() -> None:
    """No disruption: every person arrives, and the series ends at each movement's total."""
    scenario = aleppo_like()
    metrics = simulate(scenario, QUIET)
    assert metrics.cleared
    assert metrics.moved == scenario.people()
    finals = {movement: values[-1] for movement, values in metrics.series}
    assert finals == {m.id: scenario.people(m.id) for m in scenario.movements}


def _trace(scenario, model, gate=None) -> list[TraceEvent]:  # type: ignore[no-untyped-def]
    events: list[TraceEvent] = []
    simulate(scenario, model, gate=gate, observer=events.append)
    return events


def _moving(events: list[TraceEvent], movement: str, start: float, end: float) -> list[TraceEvent]:
    kinds = {"trip-dispatched", "trip-crossed"}
    return [
        e
        for e in events
        if e.kind in kinds and e.data["movement"] == movement and start < e.minute < end
    ]


def test_a_halt_of_all_movement_stops_every_dispatch_and_crossing() -> None:
    """Nothing leaves or crosses while a scripted halt of all movement stands."""
    halt = TimelineEntry(Scripted.HALT, 120.0, 600.0)
    events = _trace(aleppo_like(), DisruptionModel(timeline=(halt,)))
    for movement in ("east-aleppo", "foua-kefraya"):
        assert not _moving(events, movement, 120.0, 600.0)
        assert _moving(events, movement, 600.0, 10_000.0)


def test_a_halt_on_one_corridor_leaves_the_other_moving_when_the_deal_links_nothing() -> None:
    """Under a deal with no terms, halting Ramouseh does not stop Foua/Kefraya."""
    halt = TimelineEntry(Scripted.HALT, 60.0, 900.0, corridor="ramouseh-road")
    events = _trace(aleppo_like(), DisruptionModel(timeline=(halt,)))
    assert not _moving(events, "east-aleppo", 60.0, 900.0)
    assert _moving(events, "foua-kefraya", 60.0, 900.0)


def test_scripted_halt_on_one_corridor_halts_the_linked_movement_as_the_deal_says() -> None:
    """A verified incident on Ramouseh suspends Foua/Kefraya too, until both guarantors resume."""
    scenario = aleppo_like()
    incident = TimelineEntry(
        Scripted.INCIDENT,
        60.0,
        60.0,
        corridor="ramouseh-road",
        kind="shooting",
        severity=3,
        verification=30.0,
        suspension=600.0,
    )
    model = DisruptionModel(timeline=(incident,))
    gate = AgreementGate(linked_deal(), scenario, record=True)
    events = _trace(scenario, model, gate)
    halted_from, halted_to = 90.0, 690.0
    assert not _moving(events, "foua-kefraya", halted_from, halted_to)
    assert not _moving(events, "east-aleppo", halted_from, halted_to)
    assert _moving(events, "foua-kefraya", halted_to, 10_000.0)
    kinds = [type(e).__name__ for e in gate.events]
    assert "IncidentVerified" in kinds
    assert kinds.count("ResumeRecorded") == 2
    assert not gate.state.halts


def test_the_same_incident_below_the_terms_severity_halts_only_its_own_corridor() -> None:
    """Severity 1 does not meet the term's threshold: Foua/Kefraya keeps moving."""
    scenario = aleppo_like()
    incident = TimelineEntry(
        Scripted.INCIDENT,
        60.0,
        60.0,
        corridor="ramouseh-road",
        kind="shooting",
        severity=1,
        verification=30.0,
        suspension=600.0,
    )
    gate = AgreementGate(linked_deal(), scenario)
    events = _trace(scenario, DisruptionModel(timeline=(incident,)), gate)
    assert not _moving(events, "east-aleppo", 90.0, 690.0)
    assert _moving(events, "foua-kefraya", 90.0, 690.0)


def test_vehicles_turned_back_bring_their_people_back_and_everyone_still_leaves() -> None:
    """Turn-backs at Ramouseh are counted and their people leave on a later trip."""
    scenario = aleppo_like(people=1_000)
    entry = TimelineEntry(Scripted.TURN_BACK, 0.0, 240.0, site="ramouseh")
    metrics = simulate(scenario, DisruptionModel(timeline=(entry,)))
    assert metrics.turned_back > 0
    assert metrics.cleared
    assert metrics.moved == scenario.people()


def test_every_loaded_trip_breaks_down_when_breakdowns_are_certain() -> None:
    """per_trip = 1: one breakdown per loaded trip, each adding waiting aboard."""
    metrics = simulate(aleppo_like(people=600), DisruptionModel(breakdowns=Breakdowns(1.0)))
    assert metrics.breakdowns == metrics.trips
    assert metrics.waiting_vehicle_total > 0


@pytest.mark.parametrize("factor", [1.5, 3.0])
def test_bad_weather_over_the_whole_run_slows_clearance(factor: float) -> None:
    """Driving takes longer in snow, so the last person arrives later."""
    scenario = aleppo_like(people=600)
    quiet = simulate(scenario, QUIET)
    snow = simulate(scenario, DisruptionModel(weather=(Weather(0.0, 1e9, factor),)))
    assert snow.clearance > quiet.clearance


def test_stretcher_cases_without_stretcher_places_are_never_cleared() -> None:
    """No ambulances: stretcher cases wait to the horizon and the run reports it."""
    scenario = aleppo_like(people=600, ambulances=0)
    options = RunOptions(horizon_minutes=5 * 1440)
    metrics = simulate(scenario, QUIET, options)
    assert not metrics.cleared
    assert metrics.clearance == options.horizon_minutes
    assert metrics.moved < scenario.people()


def test_random_incidents_are_counted_and_only_severe_ones_halt() -> None:
    """Severity at least `suspend_at` halts; a threshold above every severity never does."""
    every = IncidentRisk("ramouseh-road", 20.0, suspend_at=1)
    none = IncidentRisk("ramouseh-road", 20.0, suspend_at=4)
    halting = simulate(aleppo_like(), DisruptionModel(incidents=(every,)))
    harmless = simulate(aleppo_like(), DisruptionModel(incidents=(none,)))
    assert halting.incidents > 0
    # An incident reported just before the end may not be verified yet.
    assert 0 < halting.halts <= halting.incidents
    assert harmless.incidents > 0
    assert harmless.halts == 0
    assert harmless.clearance < halting.clearance


def test_a_slower_checkpoint_makes_vehicles_wait_longer() -> None:
    """Halving Ramouseh's rate raises person-hours waiting aboard."""
    fast = simulate(aleppo_like(ramouseh_rate=40.0), QUIET)
    slow = simulate(aleppo_like(ramouseh_rate=10.0), QUIET)
    assert slow.waiting_vehicle_total > fast.waiting_vehicle_total
    assert replace(slow, waiting_vehicle=()) != replace(fast, waiting_vehicle=())


def test_a_deal_putting_the_wounded_first_holds_civilians_until_stretcher_cases_leave() -> None:
    """Buses wait while ambulances carry the stretcher cases, then everyone leaves."""
    scenario = aleppo_like(people=1_500)
    priority = Priority(
        id="T5",
        text="The wounded are evacuated first.",
        movements=("east-aleppo",),
        first=(Group.WOUNDED_STRETCHER,),
    )
    deal = replace(linked_deal(), terms=(priority,))
    events = _trace(scenario, DisruptionModel(), AgreementGate(deal, scenario))
    loads = [
        (e.minute, e.data["load"])
        for e in events
        if e.kind == "trip-dispatched" and e.data["movement"] == "east-aleppo"
    ]
    last_stretcher = max(t for t, load in loads if "wounded-stretcher" in load)
    first_civilian = min(t for t, load in loads if "civilians" in load)
    assert first_civilian >= last_stretcher
    moved = sum(sum(load.values()) for _, load in loads)
    assert moved == scenario.people("east-aleppo")
    open_events = _trace(scenario, DisruptionModel())
    first_open_civilian = min(
        e.minute
        for e in open_events
        if e.kind == "trip-dispatched" and "civilians" in e.data["load"]
    )
    assert first_open_civilian < last_stretcher


def test_remembered_answers_change_nothing_in_a_run() -> None:
    """A recording gate (every crossing decided, every decision folded) gives the same run."""
    scenario = aleppo_like(people=1_200)
    priority = Priority(
        id="T5", text="Wounded first.", movements=("east-aleppo",), first=(Group.WOUNDED_STRETCHER,)
    )
    deal = replace(linked_deal(), terms=(*linked_deal().terms, priority))
    model = DisruptionModel(incidents=(IncidentRisk("ramouseh-road", 4.0, suspend_at=1),))
    seeds = (5, 6, 7, 8)
    remembered = simulate(scenario, model, gate=AgreementGate(deal, scenario), seeds=seeds)
    recorded = simulate(
        scenario, model, gate=AgreementGate(deal, scenario, record=True), seeds=seeds
    )
    assert remembered == recorded
    assert remembered.halts > 0


@pytest.mark.slow
def test_remembered_answers_change_nothing_in_a_bundled_run() -> None:
    """With the bundled deal and disruption model, remembering answers leaves the run unchanged."""
    from corridor.adapters.agreement_file import agreement_of
    from corridor.adapters.disruption_file import bundled_disruption, load_disruption_file
    from corridor.adapters.scenario_file import load_scenario_document, resolve_scenario

    path = resolve_scenario("east-aleppo-2016")
    document = load_scenario_document(path)
    scenario = document.scenario
    disruption = bundled_disruption(path)
    model = load_disruption_file(disruption, scenario)
    deal = agreement_of(document, path).agreement
    seeds = (11, 12, 13, 14)
    remembered = simulate(scenario, model, gate=AgreementGate(deal, scenario), seeds=seeds)
    recorded = simulate(
        scenario, model, gate=AgreementGate(deal, scenario, record=True), seeds=seeds
    )
    assert remembered == recorded
    assert remembered.trips > 0
