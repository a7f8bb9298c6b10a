"""Scenario plans obey every rule of their scenario, are bounded, and repeat for a seed."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from corridor.adapters.scenario_file.loader import load_bundled
from corridor.domain.scenario import Group, Scenario
from corridor.errors import Infeasible
from corridor.planning.fleet.engine import Progress, plan_scenario
from corridor.planning.fleet.exact import solve_exact
from corridor.planning.fleet.greedy import construct, nearest_quota
from corridor.planning.model import Pacing, Staging, Window, build_model
from corridor.planning.plan import Plan, PlannedVehicle, makespan_of, person_hours_waiting
from tests.support.plan_check import violations
from tests.support.planning_world import two_towns

WORLDS = {
    "plain": (two_towns(), (), None),
    "slow checkpoint": (two_towns(checkpoint_rate=4.0), (), None),
    "no checkpoint rate": (two_towns(checkpoint_rate=None), (), None),
    "late buses": (two_towns(bus_lead=90.0), (), None),
    "many stretcher cases": (two_towns(stretcher=15, ambulances=3), (), None),
    "windows": (
        two_towns(),
        (),
        {"alpha": (Window(30.0, 150.0), Window(240.0, 600.0)), "beta": (Window(0.0, 400.0),)},
    ),
    "paced": (two_towns(), (Pacing("alpha", "beta", 2.0, 40),), None),
}


def _plan(scenario: Scenario, pacings=(), windows=None, **options):
    model = build_model(scenario, pacings, windows)
    options.setdefault("iterations", 15)
    options.setdefault("time_limit", 60.0)
    options.setdefault("exact", False)
    return plan_scenario(model, **options)


@pytest.mark.parametrize("name", sorted(WORLDS))
def test_plans_respect_every_rule_of_their_scenario(name: str) -> None:
    """Seats, stretcher places, beds, places, checkpoint headway, windows, pacing, all moved."""
    scenario, pacings, windows = WORLDS[name]
    plan = _plan(scenario, pacings, windows)
    assert violations(scenario, plan, pacings, windows) == []
    assert plan.people_moved() == sum(p.count for p in scenario.populations)


def test_the_bundled_tiny_scenario_is_planned_and_proved_optimal() -> None:
    """CP-SAT closes the gap on `tiny`: the bound equals the clearance time."""
    scenario = load_bundled("tiny")
    plan = _plan(scenario, seed=1, exact=True, exact_seconds=20.0)
    assert violations(scenario, plan) == []
    assert plan.proved_optimal
    assert plan.gap == pytest.approx(0.0)
    assert any(b.name == "CP-SAT" for b in plan.bounds)


@pytest.mark.parametrize("name", ["plain", "slow checkpoint", "windows"])
def test_the_exact_model_gives_plans_that_respect_every_rule(name: str) -> None:
    """Trips read back from CP-SAT pass the checker, and its bound is below them."""
    scenario, pacings, windows = WORLDS[name]
    model = build_model(scenario, pacings, windows)
    hint = construct(model)
    solved = solve_exact(model, 5.0, seed=0, hint=hint)
    assert solved is not None
    trips, bound, _ = solved
    plan = Plan(
        scenario=scenario.id,
        vehicles=tuple(PlannedVehicle(v.id, v.kind, v.depot, v.ready) for v in model.vehicles),
        trips=tuple(trips),
        makespan=makespan_of(trips),
        lower_bound=bound,
        person_hours_waiting=person_hours_waiting(trips),
        engine="CP-SAT",
    )
    assert violations(scenario, plan, pacings, windows) == []
    assert plan.makespan <= makespan_of(hint) + 1e-6


@pytest.mark.parametrize("name", sorted(WORLDS))
def test_every_bound_lies_below_the_clearance_time(name: str) -> None:
    """No lower bound exceeds the makespan of a valid plan."""
    scenario, pacings, windows = WORLDS[name]
    plan = _plan(scenario, pacings, windows)
    for bound in plan.bounds:
        assert bound.minutes <= plan.makespan + 1e-6, bound
    assert 0.0 <= plan.gap < 1.0


def test_the_checkpoint_bound_binds_when_screening_is_the_bottleneck() -> None:
    """With one vehicle screened an hour, the checkpoint flow bound dominates the fleet bound."""
    plan = _plan(two_towns(checkpoint_rate=1.0, stretcher=0, seated=0))
    by_name = {b.name: b.minutes for b in plan.bounds}
    # 300 + 150 civilians on 40-seat buses: at least 12 screenings, 60 minutes apart.
    assert by_name["checkpoint flow"] >= 11 * 60
    assert by_name["checkpoint flow"] > by_name["fleet round trips"]
    assert plan.makespan >= by_name["checkpoint flow"]


def test_the_same_seed_gives_the_same_plan() -> None:
    """Two runs with one seed (stopped by their iteration budget) give equal plans."""
    scenario = two_towns(civilians=900, other_civilians=400, shelter_places=2_000)
    first = _plan(scenario, seed=7)
    second = _plan(scenario, seed=7)
    assert first.trips == second.trips
    assert first.makespan == second.makespan


def test_improvement_never_makes_the_construction_worse() -> None:
    """The reported plan is at least as good as the first constructed schedule."""
    scenario = two_towns(civilians=900, other_civilians=400, buses=3, shelter_places=2_000)
    model = build_model(scenario)
    plan = plan_scenario(model, iterations=20, time_limit=60.0)
    assert plan.makespan <= makespan_of(construct(model)) + 1e-6


def test_stretcher_cases_ride_only_in_ambulances_to_beds() -> None:
    """Every stretcher case goes by a vehicle with stretcher places to the hospital."""
    scenario = two_towns(stretcher=6, ambulances=2)
    plan = _plan(scenario)
    stretcher_trips = [t for t in plan.trips if t.count(Group.WOUNDED_STRETCHER)]
    assert stretcher_trips
    assert {t.destination for t in stretcher_trips} == {"hospital"}
    kinds = {v.id: v.kind for v in plan.vehicles}
    assert {kinds[t.vehicle] for t in stretcher_trips} == {"ambulance"}


def test_the_search_reports_progress_to_its_callback() -> None:
    """The callback hears construction, improvement and the end, with bound <= makespan."""
    heard: list[Progress] = []
    _plan(two_towns(), progress=heard.append)
    phases = [p.phase for p in heard]
    assert phases[0] == "construct"
    assert phases[-1] == "done"
    assert "improve" in phases
    assert all(p.lower_bound <= p.makespan + 1e-6 for p in heard)


def test_a_schedule_completed_from_a_kept_prefix_is_valid_and_keeps_it() -> None:
    """The neighbourhood repair keeps the trips before the cut and moves everyone else."""
    scenario = two_towns(civilians=600, other_civilians=300, shelter_places=2_000)
    model = build_model(scenario)
    first = construct(model)
    cut = makespan_of(first) * 0.6
    kept = [t for t in first if t.depart < cut]
    rebuilt = construct(model, random.Random(5), 0.2, prefix=kept)
    assert set(kept) <= set(rebuilt)
    plan = Plan(
        scenario=scenario.id,
        vehicles=tuple(PlannedVehicle(v.id, v.kind, v.depot, v.ready) for v in model.vehicles),
        trips=tuple(rebuilt),
        makespan=makespan_of(rebuilt),
        lower_bound=0.0,
        person_hours_waiting=person_hours_waiting(rebuilt),
        engine="test",
    )
    assert violations(scenario, plan) == []


@pytest.mark.parametrize(
    ("scenario", "trips"),
    [
        (replace(two_towns(), populations=()), 0),
        (two_towns(civilians=1, stretcher=0, seated=0, other_civilians=0), 1),
    ],
    ids=["nobody waiting", "one person"],
)
def test_degenerate_scenarios_give_proved_plans(scenario: Scenario, trips: int) -> None:
    """With nobody or one person to move, the plan is trivial and its bound meets it."""
    plan = _plan(scenario, exact=True)
    assert len(plan.trips) == trips
    assert plan.proved_optimal
    assert plan.lower_bound == pytest.approx(plan.makespan)
    assert violations(scenario, plan) == []


@pytest.mark.parametrize("name", ["plain", "many stretcher cases", "paced"])
def test_the_longest_run_first_construction_respects_every_rule(name: str) -> None:
    """The quota-guided construction moves everyone within every rule, like the other."""
    scenario, pacings, windows = WORLDS[name]
    model = build_model(scenario, pacings, windows)
    quota = nearest_quota(model)
    assert quota is not None
    trips = construct(model, quota=quota)
    plan = Plan(
        scenario=scenario.id,
        vehicles=tuple(PlannedVehicle(v.id, v.kind, v.depot, v.ready) for v in model.vehicles),
        trips=tuple(trips),
        makespan=makespan_of(trips),
        lower_bound=0.0,
        person_hours_waiting=person_hours_waiting(trips),
        engine="test",
    )
    assert violations(scenario, plan, pacings, windows) == []


def test_a_rule_that_corners_itself_does_not_sink_the_plan(monkeypatch) -> None:
    """When one construction rule fails, the engine plans with the other."""
    from corridor.planning.fleet import engine

    scenario, pacings, windows = WORLDS["windows"]
    model = build_model(scenario, pacings, windows)

    def cornered(model, rng=None, noise=0.0, quota=None, prefix=()):
        if quota is not None:
            raise Infeasible("cornered")
        return construct(model, rng, noise, quota, prefix)

    monkeypatch.setattr(engine, "construct", cornered)
    plan = plan_scenario(model, iterations=6, time_limit=60.0, exact=False)
    assert violations(scenario, plan, pacings, windows) == []


def test_staged_links_hold_each_stage_until_the_partner_has_arrived() -> None:
    """Alpha's second stage waits for 100 of beta to arrive; the checker confirms it."""
    scenario = two_towns(civilians=200, stretcher=0, seated=0, other_civilians=150)
    stagings = (
        Staging("alpha", "beta", (80, 200), (0, 100)),
        Staging("beta", "alpha", (150,), (0,)),
    )
    plan = plan_scenario(build_model(scenario, stagings=stagings), iterations=4, exact=False)
    assert violations(scenario, plan, stagings=stagings) == []
    beta_arrivals = sorted(t.arrive for t in plan.trips if t.movement == "beta")
    alpha = sorted((t for t in plan.trips if t.movement == "alpha"), key=lambda t: t.depart)
    departed, second_stage = 0, []
    for t in alpha:
        if departed >= 80:
            second_stage.append(t.depart)
        departed += t.people
    # The 100th beta arrival is the third 40-seat bus (40, 80, 120).
    assert min(second_stage) >= beta_arrivals[2]
