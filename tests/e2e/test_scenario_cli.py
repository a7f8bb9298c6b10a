"""`corridor scenario` commands: exit codes, problem lines, JSON output, summaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.adapters.scenario_file import bundled_names, bundled_path
from corridor.entrypoints.cli.main import app

runner = CliRunner()


@pytest.fixture
def broken_file(tmp_path: Path) -> Path:
    """The tiny scenario with an unknown key and a link to a missing site."""
    text = bundled_path("tiny").read_text(encoding="utf-8")
    text = text.replace("kinds: [depot]", "kinds: [depot]\n    colour: blue", 1)
    text = text.replace("a: depot, b: town-a,", "a: depot, b: town-x,", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize("name", bundled_names())
def test_validate_accepts_each_bundled_scenario(name: str) -> None:
    """A valid file exits 0 with one OK line naming the scenario."""
    result = runner.invoke(app, ["scenario", "validate", str(bundled_path(name))])
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    assert f"OK: scenario {name!r}" in line


def test_validate_lists_every_problem_with_its_place_and_exits_2(broken_file: Path) -> None:
    """Each problem is one `file:line:column: path: message` line; the count goes to stderr."""
    result = runner.invoke(app, ["scenario", "validate", str(broken_file)])
    assert result.exit_code == 2, result.output
    lines = result.stdout.splitlines()
    colour_line = line_of(broken_file, "colour: blue")
    link_line = line_of(broken_file, "b: town-x")
    assert lines[0] == (
        f"{broken_file}:{colour_line}:5: sites[1].colour: unknown key 'colour'; "
        "expected one of: id, name, kinds, coordinates, capacities, service_rate_per_hour, source, "
        "reception, name_ar, name_ar_source"
    )
    assert lines[1].startswith(f"{broken_file}:{link_line}:")
    assert ": links[0].b: unknown site 'town-x'" in lines[1]
    assert len(lines) == 2
    assert "2 problems" in result.stderr
    assert "Traceback" not in result.output


def test_validate_json_reports_ok_false_and_structured_problems(broken_file: Path) -> None:
    """--json gives {"ok": false, "problems": [...]} with positions, and still exits 2."""
    result = runner.invoke(app, ["scenario", "validate", str(broken_file), "--json"])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [p["path"] for p in report["problems"]] == ["sites[1].colour", "links[0].b"]
    assert report["problems"][0]["line"] == line_of(broken_file, "colour: blue")
    assert report["problems"][0]["column"] == 5


def test_validate_json_reports_ok_true_for_a_valid_file() -> None:
    """--json on a valid file gives ok true and no problems."""
    result = runner.invoke(app, ["scenario", "validate", "tiny", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"ok": True, "problems": [], "scenario": "tiny"}


def test_validate_reports_yaml_syntax_errors_at_the_parser_mark(tmp_path: Path) -> None:
    """Broken YAML is a problem line like any other, not a traceback."""
    path = tmp_path / "syntax.yaml"
    path.write_text("id: x\nsites: [a\n", encoding="utf-8")
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout.startswith(f"{path}:3:1: <root>: YAML syntax error")


def test_an_unknown_scenario_name_is_one_error_line_and_exit_2() -> None:
    """show with a name that is neither a file nor bundled prints one error line."""
    result = runner.invoke(app, ["scenario", "show", "no-such-place"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        "error: no scenario file or bundled scenario named 'no-such-place'; "
        "bundled: east-aleppo-2016, four-towns-2017, tiny"
    ]


@pytest.mark.parametrize("name", bundled_names())
def test_show_prints_every_table_for_each_bundled_scenario(name: str) -> None:
    """The summary has sites, links, corridors, movements, fleet and capacity tables."""
    result = runner.invoke(app, ["scenario", "show", name])
    assert result.exit_code == 0, result.output
    for title in ("Sites", "Links", "Corridors", "Movements", "Fleet", "Reception capacity"):
        assert title in result.stdout


def test_show_json_dumps_the_domain_value_with_its_digest() -> None:
    """--json gives the scenario as data; people by group add up to what the file states."""
    result = runner.invoke(app, ["scenario", "show", "east-aleppo-2016", "--json"])
    assert result.exit_code == 0, result.output
    dump = json.loads(result.stdout)
    assert len(dump["digest"]) == 64
    scenario = dump["scenario"]
    east = [p["count"] for p in scenario["populations"] if p["movement"] == "east-aleppo"]
    assert sum(east) == 35_000
    assert {s["id"] for s in scenario["sites"]} >= {"ramouseh", "jibreen", "bab-al-hawa"}


def test_show_accepts_a_file_path(tmp_path: Path) -> None:
    """A SCENARIO argument that is a path is read as a file."""
    path = tmp_path / "copy.yaml"
    path.write_text(bundled_path("tiny").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["scenario", "show", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["scenario"]["id"] == "tiny"


def test_schema_prints_the_json_schema() -> None:
    """`scenario schema` prints a JSON Schema whose top level forbids unknown keys."""
    result = runner.invoke(app, ["scenario", "schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["additionalProperties"] is False
    assert "sites" in schema["required"]


def test_list_names_the_bundled_scenarios_with_their_people() -> None:
    """`scenario list --json` gives each bundled name, title and head count."""
    result = runner.invoke(app, ["scenario", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == ["east-aleppo-2016", "four-towns-2017", "tiny"]
    assert rows[2]["people"] == 500
