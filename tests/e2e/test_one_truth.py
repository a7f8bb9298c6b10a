"""One operation, one truth: the CLI and the API read the same figures from the same ledger."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app
from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, api_world
from tests.support.postgres import create_database

RUNNER = CliRunner()
C = AccessRole.COORDINATOR


def _cli(*args: str) -> Any:
    result = RUNNER.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def recorded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A ledger holding one simulated run of the East Aleppo operation, a day long."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('truth') / 'sim.db'}"
    else:
        url = create_database(request.getfixturevalue("postgres_cluster"), "corridor_truth")
    result = RUNNER.invoke(
        app,
        [
            "simulate", "east-aleppo-2016", "--runs", "1", "--workers", "1", "--horizon", "30",
            "--ledger", url, "--operation", OPERATION,
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return url


def test_a_recorded_run_reads_the_same_in_ops_state_and_in_the_api(recorded: str) -> None:
    """Trips by stage, people by where they are, alerts, balance: the CLI equals the API."""
    state = _cli("ops", "state", OPERATION, "--db", recorded, "--json")
    with api_world(recorded, open_operation=False) as world:
        summary = world.ok(world.get(C, f"/operations/{OPERATION}"))
        custody = world.ok(world.get(C, f"/operations/{OPERATION}/custody"))
        trips = world.ok(world.get(C, f"/operations/{OPERATION}/trips"))
        decisions = world.ok(world.get(C, f"/operations/{OPERATION}/decisions"))
        figures = world.ok(world.get(C, f"/operations/{OPERATION}/figures"))
    for field in summary:
        assert state[field] == summary[field], field
    assert state["custody"] == custody
    assert _cli("ops", "custody", OPERATION, "--db", recorded, "--json") == custody
    assert _cli("ops", "trips", OPERATION, "--db", recorded, "--json") == trips
    listed = _cli("ops", "decisions", OPERATION, "--db", recorded, "--json")["decisions"]
    assert listed == decisions
    assert _cli("ops", "figures", OPERATION, "--db", recorded, "--json") == figures


def test_a_recorded_run_moves_people_through_custody_as_the_deal_counted_them(
    recorded: str,
) -> None:
    """With no disruption nobody turns back: everyone the deal dispatched is on a recorded trip."""
    state = _cli("ops", "state", OPERATION, "--db", recorded, "--json")
    dispatched = sum(state["deal"]["dispatched"].values())
    people = state["people"]
    assert dispatched > 0
    assert people["in_transit"] + people["arrived"] == dispatched
    assert people["registered"] == 40_500
    assert state["balanced"] is True
    assert state["trips"].get("closed", 0) > 0
