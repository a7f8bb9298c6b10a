"""An output place nobody can write is one `error:` line, exit 2, before any work is done.

The place is a folder under a regular file (`file.txt/sub`): no user, root
included, can create it, so the test means the same in CI (run as root) as
on a laptop. Each test also makes the work itself fail loudly if it is ever
reached, so "before any work" is checked, not assumed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor.bootstrap import open_store
from corridor.entrypoints.cli.main import app

runner = CliRunner()


def _blocked(tmp_path: Path) -> Path:
    (tmp_path / "file.txt").write_text("a file, not a folder\n")
    return tmp_path / "file.txt" / "sub"


def _no_work(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the command started its work before checking where it writes")


def _one_error(result: Any, option: str, place: Path) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {option}: ")
    assert str(place) in lines[0]
    return str(lines[0])


def test_simulate_with_an_unwritable_report_folder_stops_before_simulating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`simulate --report DIR` under a file: exit 2 naming --report, no run started."""
    monkeypatch.setattr("corridor.entrypoints.cli.simulate.run_study", _no_work)
    place = _blocked(tmp_path)
    result = runner.invoke(app, ["simulate", "tiny", "--runs", "1", "--report", str(place)])
    _one_error(result, "--report", place)


def test_simulate_with_an_unwritable_ledger_stops_before_simulating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`simulate --ledger sqlite:///...` under a file: exit 2 naming --ledger, no run started."""
    monkeypatch.setattr("corridor.entrypoints.cli.simulate.run_study", _no_work)
    place = _blocked(tmp_path) / "sim.db"
    result = runner.invoke(
        app, ["simulate", "east-aleppo-2016", "--runs", "1", "--ledger", f"sqlite:///{place}"]
    )
    _one_error(result, "--ledger", place.parent)


def test_plan_with_an_unwritable_out_folder_stops_before_planning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`plan SCENARIO --out DIR` under a file: exit 2 naming --out, no search started."""
    monkeypatch.setattr("corridor.planning.fleet.engine.plan_scenario", _no_work)
    place = _blocked(tmp_path)
    result = runner.invoke(app, ["plan", "tiny", "--out", str(place)])
    _one_error(result, "--out", place)


def test_plan_with_an_out_path_that_is_a_file_stops_before_planning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out` naming an existing regular file is refused as not a folder."""
    monkeypatch.setattr("corridor.planning.fleet.engine.plan_scenario", _no_work)
    place = tmp_path / "plan.txt"
    place.write_text("keep me\n")
    result = runner.invoke(app, ["plan", "tiny", "--out", str(place)])
    assert "not a folder" in _one_error(result, "--out", place)
    assert place.read_text() == "keep me\n"


def test_ledger_export_to_an_unwritable_file_stops_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ledger export --out FILE` under a file: exit 2 naming --out, the ledger not read."""
    url = f"sqlite:///{tmp_path / 'l.db'}"
    open_store(url).close()
    monkeypatch.setattr("corridor.entrypoints.cli.ledger.open_existing", _no_work)
    place = _blocked(tmp_path) / "events.jsonl"
    result = runner.invoke(app, ["ledger", "export", "--db", url, "--out", str(place)])
    _one_error(result, "--out", place.parent)


def test_a_writable_report_folder_is_created_and_left_with_only_the_report(
    tmp_path: Path,
) -> None:
    """The check leaves nothing behind: the new folder holds the report's files alone."""
    place = tmp_path / "new" / "report"
    result = runner.invoke(app, ["simulate", "tiny", "--runs", "1", "--report", str(place)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in place.iterdir()) == ["index.html", "summary.json"]


def test_init_with_an_unwritable_key_file_creates_no_database(tmp_path: Path) -> None:
    """`init --key-file` under a file: exit 2 naming --key-file, and no ledger left behind."""
    place = _blocked(tmp_path) / "corridor.key"
    db = tmp_path / "corridor.db"
    result = runner.invoke(app, ["init", "--db", f"sqlite:///{db}", "--key-file", str(place)])
    _one_error(result, "--key-file", place.parent)
    assert not db.exists()
