"""`corridor plan SCENARIO --out DIR`: files written, figures printed, clean errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.scenario_file import bundled_path, load_bundled, load_scenario_document
from corridor.entrypoints.cli.main import app
from corridor.planning.plan import Plan
from corridor.planning.terms import stagings_of, windows_of
from tests.support.plan_check import violations

runner = CliRunner()


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path]:
    out = tmp_path_factory.mktemp("plans") / "tiny"
    result = runner.invoke(
        app, ["plan", "tiny", "--out", str(out), "--json", "--time-limit", "20", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), out


def test_the_command_prints_the_plan_figures_as_json(tiny_plan) -> None:
    """The JSON summary carries makespan, bound, gap, waiting, and the bound is below."""
    summary, _ = tiny_plan
    assert summary["scenario"] == "tiny"
    assert summary["people_moved"] == load_bundled("tiny").people()
    assert 0 < summary["lower_bound"] <= summary["makespan"]
    assert summary["gap"] == pytest.approx(1 - summary["lower_bound"] / summary["makespan"])
    assert summary["person_hours_waiting"] > 0
    assert summary["seed"] == 3


def test_the_written_plan_is_valid_and_matches_the_csv(tiny_plan) -> None:
    """plan.json rebuilds a plan that passes the checker; trips.csv has one row per trip."""
    summary, out = tiny_plan
    plan = Plan.from_dict(json.loads((out / "plan.json").read_text()))
    assert violations(load_bundled("tiny"), plan) == []
    assert plan.makespan == summary["makespan"]
    with (out / "trips.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(plan.trips) == summary["trips"]
    assert sum(int(r["people"]) for r in rows) == plan.people_moved()
    assert rows[0]["depart_at"].startswith("2020-01-01T")


@pytest.mark.parametrize("name", ["vehicles.png", "people-moved.png"])
def test_the_charts_are_png_files(tiny_plan, name: str) -> None:
    """The Gantt chart and the cumulative chart are real PNG images."""
    _, out = tiny_plan
    assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_people_read_the_figures_in_minutes_and_hours(tmp_path: Path) -> None:
    """Without --json the command prints clearance time, bound, gap and waiting."""
    result = runner.invoke(app, ["plan", "tiny", "--out", str(tmp_path / "p"), "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    for words in ("clearance time", "lower bound", "gap", "person-hours waiting"):
        assert words in result.stdout


def _without_ambulances(tmp_path: Path) -> Path:
    text = bundled_path("tiny").read_text()
    lines = [line for line in text.splitlines() if "kind: ambulance" not in line]
    path = tmp_path / "no-ambulance.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_an_infeasible_scenario_names_its_shortfall_and_writes_nothing(tmp_path: Path) -> None:
    """Stretcher cases with no ambulance: exit 2, group/place/count named, no directory."""
    out = tmp_path / "plan"
    result = runner.invoke(app, ["plan", str(_without_ambulances(tmp_path)), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "error: " in result.output
    assert "6 wounded-stretcher at town-a" in result.output
    assert "ambulance" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-scenario"], "no scenario file or bundled scenario"),
        (["tiny", "--time-limit", "0"], "--time-limit"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(tmp_path: Path, args, message) -> None:
    """An unknown scenario or a non-positive time limit is a one-line error, exit 2."""
    result = runner.invoke(app, ["plan", *args, "--out", str(tmp_path / "p")])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "p").exists()


def test_the_bundled_east_aleppo_plan_keeps_to_its_agreement(tmp_path: Path) -> None:
    """East Aleppo is planned under its deal's windows and stages; the checker agrees."""
    out = tmp_path / "aleppo"
    result = runner.invoke(
        app, ["plan", "east-aleppo-2016", "--out", str(out), "--json", "--time-limit", "2"]
    )
    assert result.exit_code == 0, result.output
    document = load_scenario_document(bundled_path("east-aleppo-2016"))
    agreement = agreement_of(document, bundled_path("east-aleppo-2016")).agreement
    windows = windows_of(agreement, document.scenario.start)
    stagings = stagings_of(agreement)
    # Every movement of the bundled deal, Madaya/Zabadani included, has a window and a stage.
    everyone = {m.id for m in document.scenario.movements}
    assert everyone == {"east-aleppo", "foua-kefraya", "madaya-zabadani"}
    assert set(windows) == everyone
    assert {s.movement for s in stagings} == everyone
    plan = Plan.from_dict(json.loads((out / "plan.json").read_text()))
    assert violations(document.scenario, plan, windows=windows, stagings=stagings) == []
    assert json.loads(result.stdout)["people_moved"] == document.scenario.people()
