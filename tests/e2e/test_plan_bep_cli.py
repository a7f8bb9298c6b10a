"""`corridor plan bep FILE` prints the published JSON shape or a clear error."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app
from tests.support.bep_checker import check_result

WORKED = "2 1\n1 2\n2 8 3 5\n2 9 8 1\n\n1 4 7\n\n1 6 4\n2 6 7\n"


def write(tmp_path: Path, text: str, name: str = "worked.txt") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_json_output_has_exactly_the_published_fields(tmp_path: Path) -> None:
    """Top-level keys, route and trip keys are exactly the specified ones, ids 1-based."""
    path = write(tmp_path, WORKED)
    result = CliRunner().invoke(
        app, ["plan", "bep", str(path), "--time-limit", "5", "--seed", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) == {
        "instance",
        "makespan",
        "lower_bound",
        "proved_optimal",
        "seconds",
        "routes",
    }
    assert document["instance"] == "worked"
    assert [r["bus"] for r in document["routes"]] == [1, 2]
    for route in document["routes"]:
        assert set(route) == {"bus", "depot", "trips"}
        for trip in route["trips"]:
            assert set(trip) == {"pickup", "shelter", "load"}
    assert check_result(path, document) == 46
    assert document["proved_optimal"] is True


def test_summary_without_json_names_makespan_and_bound(tmp_path: Path) -> None:
    """The Rich summary states makespan, bound and the per-bus table."""
    path = write(tmp_path, WORKED)
    result = CliRunner().invoke(app, ["plan", "bep", str(path), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "makespan 46, lower bound 46 (proved optimal)" in result.output
    assert "ends at" in result.output


def test_a_malformed_file_exits_2_with_its_line_and_column(tmp_path: Path) -> None:
    """A negative distance is reported as file:line:column, field and expectation."""
    path = write(tmp_path, WORKED.replace("1 4 7", "1 4 -7"), "bad.txt")
    result = CliRunner().invoke(app, ["plan", "bep", str(path), "--json"])
    assert result.exit_code == 2
    assert f"error: {path}:6:5: depot[1][2]: expected a non-negative integer, got -7" in (
        result.output
    )
    assert "Traceback" not in result.output


def test_an_infeasible_file_exits_2_with_the_shortfall(tmp_path: Path) -> None:
    """Demand above shelter capacity is reported with how many people are short."""
    path = write(tmp_path, WORKED.replace("2 9 8 1", "2 6 5 1"), "short.txt")
    result = CliRunner().invoke(app, ["plan", "bep", str(path), "--json"])
    assert result.exit_code == 2
    assert "2 people at shelters: demand 8 exceeds total shelter capacity 6" in result.output


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    """A path that does not exist is a user error, not a traceback."""
    result = CliRunner().invoke(app, ["plan", "bep", str(tmp_path / "nope.txt"), "--json"])
    assert result.exit_code == 2
    assert "cannot read file" in result.output
