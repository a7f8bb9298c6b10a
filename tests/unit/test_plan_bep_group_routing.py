"""The `plan` group sends anything that is not a sub-command to `scenario`."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from corridor.entrypoints.cli.plan import SCENARIO_COMMAND, PlanGroup


def routed_app() -> typer.Typer:
    """A fresh plan-style group with a `bep` and a `scenario` command that echo their input."""
    app = typer.Typer(cls=PlanGroup, no_args_is_help=True)

    @app.command("bep")
    def bep(file: str) -> None:
        typer.echo(json.dumps({"command": "bep", "file": file}))

    @app.command(SCENARIO_COMMAND)
    def scenario(path: str, out: str = typer.Option(...)) -> None:
        typer.echo(json.dumps({"command": "scenario", "path": path, "out": out}))

    return app


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["aleppo.yaml", "--out", "d"], {"command": "scenario", "path": "aleppo.yaml", "out": "d"}),
        (["scenario", "bep", "--out", "d"], {"command": "scenario", "path": "bep", "out": "d"}),
        (["bep", "x.txt"], {"command": "bep", "file": "x.txt"}),
    ],
)
def test_first_argument_picks_the_command(argv: list[str], expected: dict[str, str]) -> None:
    """A sub-command name runs that command; any other word is a scenario path."""
    result = CliRunner().invoke(routed_app(), argv)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == expected


def test_unknown_word_is_an_error_while_no_scenario_command_exists() -> None:
    """Without a registered scenario command an unknown word is still a usage error."""
    app = typer.Typer(cls=PlanGroup, no_args_is_help=True)

    @app.command("bep")
    def bep(file: str) -> None:
        typer.echo(file)

    @app.command("other")
    def other() -> None:
        typer.echo("other")

    result = CliRunner().invoke(app, ["aleppo.yaml"])
    assert result.exit_code == 2
