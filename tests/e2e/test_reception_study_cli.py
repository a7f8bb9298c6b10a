"""`corridor reception forecast|needs --study DIR`: a study written once is read back whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app

runner = CliRunner()
SCENARIO = "east-aleppo-2016"


def run(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["reception", *args])
    assert result.exit_code == code, result.output
    return result


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Three seeded runs written with --out, and the forecast they printed."""
    folder = tmp_path_factory.mktemp("study") / "study"
    printed = run(
        "forecast", SCENARIO, "--runs", "3", "--seed", "7", "--out", str(folder), "--json"
    )
    return folder, json.loads(printed.output)


def test_a_study_gives_back_the_bands_its_runs_printed(study: tuple[Path, dict[str, Any]]) -> None:
    """Every site's p10/p50/p90 per hour, in calendar time, as the runs themselves gave them."""
    folder, runs = study
    again = json.loads(run("forecast", SCENARIO, "--study", str(folder), "--json").output)
    assert again["hours"] == runs["hours"]
    assert again["arrivals_p50"] == runs["arrivals_p50"] > 0
    assert again["runs"] == 3


def test_needs_from_a_study_match_needs_from_the_same_runs(
    study: tuple[Path, dict[str, Any]],
) -> None:
    """Occupancy and needs per site and day are the same whether the runs are read or rerun."""
    folder, _ = study
    read = json.loads(
        run("needs", SCENARIO, "--days", "5", "--study", str(folder), "--json").output
    )
    rerun = json.loads(
        run("needs", SCENARIO, "--days", "5", "--runs", "3", "--seed", "7", "--json").output
    )
    assert read["days"] == rerun["days"]
    assert read["shortfalls"] == rerun["shortfalls"]


def broken(study: tuple[Path, dict[str, Any]], tmp_path: Path, change: Any) -> Path:
    """A copy of the study with its forecast.json changed by `change` (a dict edit or text)."""
    folder = tmp_path / "broken"
    folder.mkdir()
    text = (study[0] / "forecast.json").read_text(encoding="utf-8")
    if isinstance(change, str):
        text = change
    else:
        data = json.loads(text)
        change(data)
        text = json.dumps(data)
    (folder / "forecast.json").write_text(text, encoding="utf-8")
    return folder


def _drop_hours(data: dict[str, Any]) -> None:
    del data["hours"]


def _unknown_site(data: dict[str, Any]) -> None:
    data["hours"][0]["site"] = "aleppo-airport"


def _negative(data: dict[str, Any]) -> None:
    group = next(iter(data["hours"][0]["p50"]))
    data["hours"][0]["p50"][group] = -4


def _other_scenario(data: dict[str, Any]) -> None:
    data["scenario"] = "four-towns-2017"


def _half_hour(data: dict[str, Any]) -> None:
    data["hours"][0]["hour"] = data["hours"][0]["hour"][:-2] + "30"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("{not json", "forecast.json:1:2: not JSON"),
        (_drop_hours, "field 'hours' is missing"),
        (_unknown_site, "field 'hours[0].site': 'aleppo-airport' is not a reception site"),
        (_negative, "must be a whole number >= 0, found -4"),
        (_other_scenario, "field 'scenario' is 'four-towns-2017'"),
        (_half_hour, "is not a whole hour from the study's start"),
    ],
)
def test_a_bad_study_file_is_one_error_naming_the_file_and_field(
    study: tuple[Path, dict[str, Any]], tmp_path: Path, change: Any, message: str
) -> None:
    """Exit 2, one `error: --study: FILE...` line, and the field that is wrong."""
    folder = broken(study, tmp_path, change)
    result = run("needs", SCENARIO, "--study", str(folder), code=2)
    assert f"error: --study: {folder / 'forecast.json'}" in result.output
    assert message in result.output


def test_a_missing_study_names_the_directory_or_file(tmp_path: Path) -> None:
    """No directory, or a directory without forecast.json: say which, and how to write one."""
    gone = run("forecast", SCENARIO, "--study", str(tmp_path / "nowhere"), code=2)
    assert f"--study: {tmp_path / 'nowhere'}: no such directory" in gone.output
    empty = run("forecast", SCENARIO, "--study", str(tmp_path), code=2)
    assert f"--study: {tmp_path / 'forecast.json'}: no such file" in empty.output
    assert "reception forecast SCENARIO --runs N --out DIR" in empty.output


def test_a_study_with_another_source_is_refused(tmp_path: Path) -> None:
    """--study with --runs: one source of arrivals only."""
    result = run("forecast", SCENARIO, "--study", str(tmp_path), "--runs", "2", code=2)
    assert "give one source of arrivals" in result.output
