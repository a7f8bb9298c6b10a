"""Monte Carlo: seeds per run, chunking, local processes equal in-process, summaries, sweeps."""

from __future__ import annotations

import pytest

from corridor.errors import InvalidInput
from corridor.simulation.deal import AgreementDeal
from corridor.simulation.disruption import Breakdowns, DisruptionModel, IncidentRisk
from corridor.simulation.distributions import Duration
from corridor.simulation.montecarlo import InProcess, LocalProcesses, Study, chunks, run_seeds
from corridor.simulation.study import run_study
from corridor.simulation.summary import distribution, summarise, summary_json
from corridor.simulation.sweep import apply, grid, parse_variation
from tests.support.simulation_world import aleppo_like, linked_deal

RISKY = DisruptionModel(
    incidents=(IncidentRisk("ramouseh-road", 3.0),), breakdowns=Breakdowns(0.05)
)


def _study() -> Study:
    return Study(aleppo_like(people=900, linked_people=300), RISKY)


def test_each_run_gets_its_own_seeds_and_the_same_ones_every_time() -> None:
    """Seeds depend on (study seed, run index) only."""
    assert run_seeds(5, 0) == run_seeds(5, 0)
    assert len({run_seeds(5, i) for i in range(50)}) == 50
    assert run_seeds(5, 1) != run_seeds(6, 1)


@pytest.mark.parametrize(("runs", "workers"), [(1, 1), (7, 2), (100, 2), (1000, 4), (3, 8)])
def test_chunks_cover_every_run_exactly_once_in_order(runs: int, workers: int) -> None:
    """Chunks are contiguous, ordered and cover 0..runs-1."""
    covered = [i for start, stop in chunks(runs, workers) for i in range(start, stop)]
    assert covered == list(range(runs))


@pytest.mark.parametrize("dealt", [False, True], ids=["open-deal", "linked-deal"])
def test_local_worker_processes_give_the_same_runs_as_one_process(dealt: bool) -> None:
    """Two worker processes return exactly what the calling process computes, deal or not."""
    study = _study()
    if dealt:
        study = Study(study.scenario, study.model, deal=AgreementDeal(linked_deal()))
    local = InProcess().run(study, 11, 12)
    with LocalProcesses(2) as pool:
        pooled = pool.run(study, 11, 12)
    assert pooled == local
    assert [r.index for r in pooled] == list(range(12))


@pytest.mark.parametrize("runner", [InProcess(), LocalProcesses(2)], ids=["in-process", "pool"])
def test_zero_runs_is_refused(runner: InProcess | LocalProcesses) -> None:
    """A study of no runs is a mistake, not an empty result."""
    with pytest.raises(InvalidInput, match="at least 1"):
        runner.run(_study(), 0, 0)


def test_a_distribution_reports_percentiles_and_a_confidence_interval() -> None:
    """Values 1..10: median 5.5, p10 1.9, p90 9.1, and the CI straddles the mean."""
    d = distribution([float(v) for v in range(1, 11)])
    assert (d["p10"], d["p50"], d["p90"], d["mean"]) == (1.9, 5.5, 9.1, 5.5)
    low, high = d["ci95"]
    assert low < 5.5 < high
    assert d["ci_half_width_ratio"] == pytest.approx((high - low) / 2 / 5.5, abs=1e-3)


def test_a_constant_figure_has_no_spread() -> None:
    """Identical runs give a zero-width interval."""
    d = distribution([4.0] * 8)
    assert d["ci95"] == [4.0, 4.0]
    assert d["ci_half_width_ratio"] == 0.0


def test_the_summary_is_the_same_bytes_for_the_same_study() -> None:
    """No timing or ordering leaks into the JSON summary."""
    study = _study()
    first = summarise(study.scenario, study.options, 3, InProcess().run(study, 3, 6))
    second = summarise(study.scenario, study.options, 3, InProcess().run(study, 3, 6))
    assert summary_json(first) == summary_json(second)
    assert first["runs"] == 6
    assert set(first["series"]["moved"]) == {"east-aleppo", "foua-kefraya"}
    assert "east-aleppo/foua-kefraya" in first["series"]["balance"]


def test_more_runs_narrow_the_confidence_interval() -> None:
    """The convergence figure falls as runs are added."""
    study = _study()
    few = summarise(study.scenario, study.options, 1, InProcess().run(study, 1, 4))
    many = summarise(study.scenario, study.options, 1, InProcess().run(study, 1, 40))
    assert many["convergence"]["ci_half_width_ratio"] < few["convergence"]["ci_half_width_ratio"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fleet.bus", "expected PATH=V1,V2"),
        ("fleet.bus=ten", "'ten' is not a number"),
        ("fleet.bus=-1", "at least 0"),
    ],
)
def test_malformed_variations_are_refused(text: str, message: str) -> None:
    """--vary needs PATH=numbers."""
    with pytest.raises(InvalidInput, match=message):
        parse_variation(text)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("fleet.trains", 3, "no vehicle kind 'trains'"),
        ("fleet.bus", 2.5, "whole"),
        ("checkpoint.atlantis.rate", 5, "no site 'atlantis'"),
        ("checkpoint.ramouseh.rate", 0, "more than 0"),
        ("incidents.nowhere.rate", 1, "no corridor 'nowhere'"),
        ("breakdowns.per_trip", 2, "at most 1"),
        ("weather.factor", 2, "unknown parameter"),
    ],
)
def test_variations_naming_unknown_or_impossible_things_are_refused(
    path: str, value: float, message: str
) -> None:
    """Each path is checked against the scenario before any run starts."""
    with pytest.raises(InvalidInput, match=message):
        apply(aleppo_like(), DisruptionModel(), path, value)


def test_a_fleet_variation_sets_the_total_and_accepts_a_plural() -> None:
    """fleet.buses=40 gives 40 buses and leaves ambulances alone."""
    scenario, _ = apply(aleppo_like(), DisruptionModel(), "fleet.buses", 40)
    assert scenario.vehicles("bus") == 40
    assert scenario.vehicles("ambulance") == aleppo_like().vehicles("ambulance")


def test_a_checkpoint_variation_rescales_a_given_screening_distribution() -> None:
    """A rate of 30 per hour means a two-minute mean screening, whatever the shape."""
    model = DisruptionModel().with_screening("ramouseh", Duration.fixed(6.0))
    scenario, changed = apply(aleppo_like(), model, "checkpoint.ramouseh.rate", 30)
    assert scenario.site("ramouseh").service_rate_per_hour == 30
    screening = changed.screening_at("ramouseh")
    assert screening is not None
    assert screening.expected() == pytest.approx(2.0)


def test_the_grid_is_every_combination_first_variation_slowest() -> None:
    """Two variations of 2 and 3 values give 6 cells in a fixed order."""
    cells = grid(
        [parse_variation("fleet.bus=10,20"), parse_variation("breakdowns.per_trip=0,0.1,0.2")]
    )
    assert len(cells) == 6
    assert cells[0] == (("fleet.bus", 10.0), ("breakdowns.per_trip", 0.0))
    assert cells[-1] == (("fleet.bus", 20.0), ("breakdowns.per_trip", 0.2))


def test_a_sweep_reports_every_cell_and_more_buses_clear_sooner() -> None:
    """Doubling the buses lowers median clearance in the sweep."""
    result = run_study(_study(), 2, 6, InProcess(), [parse_variation("fleet.bus=5,20")])
    sweep = result.summary["sweep"]
    assert [cell["label"] for cell in sweep] == ["fleet.bus=5", "fleet.bus=20"]
    assert sweep[1]["clearance_hours"]["p50"] < sweep[0]["clearance_hours"]["p50"]
