"""`corridor reception allocate|needs|forecast`: figures printed, files written, clean errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corridor.adapters.scenario_file import bundled_path, load_bundled
from corridor.entrypoints.cli.main import app

runner = CliRunner()


def test_allocate_places_everyone_and_writes_its_files(tmp_path: Path) -> None:
    """East Aleppo: every person placed, no site over its places, CSV/JSON/chart written."""
    out = tmp_path / "allocation"
    result = runner.invoke(
        app, ["reception", "allocate", "east-aleppo-2016", "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["placed"] == load_bundled("east-aleppo-2016").people()
    assert view["gap"] <= 0.01
    assert all(s["people"] <= s["places"] for s in view["sites"])
    for name in ("allocation.csv", "allocation.json", "occupancy.png"):
        assert (out / name).stat().st_size > 0


def test_an_allocation_short_of_places_exits_2_naming_the_shortfall(tmp_path: Path) -> None:
    """Cut Idlib's 20,000 civilian places to 2,000: an error naming civilians and full sites."""
    text = bundled_path("east-aleppo-2016").read_text(encoding="utf-8")
    small = text.replace("places: 20000", "places: 2000")  # capacity and shelter alike
    path = tmp_path / "short.yaml"
    path.write_text(small, encoding="utf-8")
    (tmp_path / "east-aleppo-2016.agreement.yaml").write_text(
        bundled_path("east-aleppo-2016")
        .with_name("east-aleppo-2016.agreement.yaml")
        .read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["reception", "allocate", str(path)])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output
    assert "civilians" in result.output
    assert "full" in result.output


def test_needs_prints_the_first_shortfall_days(tmp_path: Path) -> None:
    """Needs for 5 days name Sarmada's shortfalls by date and write needs.csv."""
    out = tmp_path / "needs"
    result = runner.invoke(
        app, ["reception", "needs", "east-aleppo-2016", "--days", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "short from 2016-12-15" in result.output
    assert "sarmada" in result.output
    assert (out / "needs.csv").read_text(encoding="utf-8").startswith("site,day,people,supply")


def test_forecast_from_simulated_runs_gives_bands_per_site(tmp_path: Path) -> None:
    """Two simulated runs: arrivals per site and hour with p10 <= p50 <= p90."""
    result = runner.invoke(
        app, ["reception", "forecast", "east-aleppo-2016", "--runs", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["runs"] == 2
    assert view["arrivals_p50"] > 0
    for row in view["hours"]:
        for group, p50 in row["p50"].items():
            assert row["p10"][group] <= p50 <= row["p90"][group]


def test_a_forecast_without_a_source_is_refused() -> None:
    """Neither --plan nor --runs: exit 2 and say what is needed."""
    result = runner.invoke(app, ["reception", "forecast", "east-aleppo-2016"])
    assert result.exit_code == 2
    assert "--plan" in result.output
