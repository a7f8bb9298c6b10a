"""Monte Carlo on a real Dask cluster (separate worker processes) equals local runs bit for bit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app
from corridor.simulation.deal import AgreementDeal
from corridor.simulation.disruption import Breakdowns, DisruptionModel, IncidentRisk
from corridor.simulation.gate import GateFactory, OpenDeal
from corridor.simulation.montecarlo import DaskCluster, InProcess, Study
from tests.support.simulation_world import aleppo_like, linked_deal

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A two-worker LocalCluster with one thread per worker process."""
    cluster = LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


@pytest.mark.parametrize("dealt", [False, True], ids=["open-deal", "linked-deal"])
def test_runs_on_dask_equal_local_runs_for_the_same_seeds(scheduler: str, dealt: bool) -> None:
    """Every RunMetrics from the cluster equals the one computed here, in run order."""
    model = DisruptionModel(
        incidents=(IncidentRisk("ramouseh-road", 3.0),), breakdowns=Breakdowns(0.05)
    )
    deal: GateFactory = AgreementDeal(linked_deal()) if dealt else OpenDeal
    study = Study(aleppo_like(people=900, linked_people=300), model, deal=deal)
    local = InProcess().run(study, 21, 16)
    with DaskCluster(scheduler) as cluster:
        remote = cluster.run(study, 21, 16)
        assert cluster.workers == 2
    assert remote == local


def test_the_cli_summary_from_dask_is_byte_identical_to_the_local_one(scheduler: str) -> None:
    """`--scheduler` changes where runs execute, never what they print."""
    runner = CliRunner()
    args = ["simulate", "tiny", "--runs", "12", "--seed", "4", "--json"]
    local = runner.invoke(app, [*args, "--workers", "2"])
    assert local.exit_code == 0, local.output
    remote = runner.invoke(app, [*args, "--scheduler", scheduler])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    """No scheduler at the address: exit 2 and say which address."""
    result = CliRunner().invoke(
        app, ["simulate", "tiny", "--runs", "2", "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 2, result.output
    assert "tcp://127.0.0.1:9" in result.output
