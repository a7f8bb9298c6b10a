"""`corridor simulate` in calendar time, naming the disruption model it ran."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from corridor.adapters.scenario_file import bundled_path
from corridor.entrypoints.cli.main import app

RUNNER = CliRunner()


def _run(*args: str) -> str:
    result = RUNNER.invoke(app, ["simulate", *args, "--workers", "1"])
    assert result.exit_code == 0, result.output
    return result.stdout


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(_run(*args, "--json"))


def test_the_json_gives_the_start_and_every_moment_in_calendar_time() -> None:
    """Start, deadline, clearance and each movement's completion carry the zone's offset."""
    s = _json("tiny", "--runs", "6")
    assert s["start"] == "2020-01-01T06:00+00:00"
    assert s["timezone"] == "UTC"
    start = datetime.fromisoformat(s["start"])
    p50 = datetime.fromisoformat(s["clearance_at"]["p50"])
    assert abs((p50 - start) / timedelta(hours=1) - s["clearance_hours"]["p50"]) < 1 / 60
    assert s["deadline_at"] == "2020-01-04T06:00+00:00"
    assert len(s["series"]["times"]) == len(s["series"]["hours"])
    assert set(s["movements"]) == {"alpha", "beta"}


def test_each_movement_completes_no_later_than_everyone() -> None:
    """Per run order is kept: every movement's p90 completion is at or before clearance's p90."""
    s = _json("tiny", "--runs", "8")
    for movement in s["movements"].values():
        assert movement["cleared_share"] == 1.0
        assert movement["completion_hours"]["p90"] <= s["clearance_hours"]["p90"]
    last = max(m["completion_hours"]["p90"] for m in s["movements"].values())
    assert last > 0


def test_a_run_with_no_disruption_model_says_so_everywhere(tmp_path: Path) -> None:
    """Console, JSON and report all say that no disruption model ran."""
    printed = _run("tiny", "--runs", "2")
    assert "disruption model: none" in printed
    report = tmp_path / "report"
    s = _json("tiny", "--runs", "2", "--report", str(report))
    assert s["disruption"] == "none"
    page = (report / "index.html").read_text()
    assert "Disruption model: none" in page
    assert json.loads((report / "summary.json").read_text())["disruption"] == "none"


def test_the_bundled_disruption_model_is_found_when_asked_for() -> None:
    """--disruption bundled runs the file beside east-aleppo-2016 and names it."""
    bundled = _json("east-aleppo-2016", "--runs", "2", "--disruption", "bundled")
    assert bundled["disruption"] == "bundled (east-aleppo-2016.disruption.yaml)"
    assert bundled["halts"]["mean"] >= 1
    quiet = _json("east-aleppo-2016", "--runs", "2")
    assert quiet["disruption"] == "none"
    assert quiet["halts"]["mean"] == 0


def test_a_scenario_without_a_bundled_model_refuses_bundled() -> None:
    """tiny ships no disruption model: exit 2 naming the file looked for."""
    result = RUNNER.invoke(app, ["simulate", "tiny", "--runs", "1", "--disruption", "bundled"])
    assert result.exit_code == 2
    assert "tiny.disruption.yaml" in result.output


def test_a_disruption_files_start_moves_minute_zero(tmp_path: Path) -> None:
    """A file starting the operation two days later dates every time from then."""
    model = tmp_path / "later.yaml"
    model.write_text("start: 2020-01-03T08:00+02:00\n")
    s = _json("tiny", "--runs", "2", "--disruption", str(model))
    assert s["start"] == "2020-01-03T06:00+00:00"
    assert s["deadline_at"] == "2020-01-06T06:00+00:00"


def test_a_halt_given_at_an_instant_in_another_offset_halts_the_right_hours(
    tmp_path: Path,
) -> None:
    """A halt from 08:00+02:00 (06:00 UTC, the start) for ten hours holds clearance past ten."""
    halted = tmp_path / "halt.yaml"
    halted.write_text(
        "timeline:\n"
        "  - {action: halt, at: '2020-01-01T08:00+02:00', to: '2020-01-01T18:00+02:00'}\n"
    )
    quiet = _json("tiny", "--runs", "3")
    s = _json("tiny", "--runs", "3", "--disruption", str(halted))
    assert quiet["clearance_hours"]["p10"] < 10
    assert s["clearance_hours"]["p10"] > 10
    assert s["disruption"] == str(halted)


def test_the_bundled_scenario_file_has_its_disruption_model_beside_it() -> None:
    """The package ships east-aleppo-2016.disruption.yaml next to the scenario."""
    assert bundled_path("east-aleppo-2016").with_name("east-aleppo-2016.disruption.yaml").is_file()
