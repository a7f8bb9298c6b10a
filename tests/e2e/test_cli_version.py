"""`corridor --version` names the installed package version."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app

runner = CliRunner()


def test_version_prints_the_package_version_from_its_metadata() -> None:
    """`--version` prints `corridor X.Y.Z` as the installed metadata says, and exits 0."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"corridor {version('corridor')}\n"


def test_version_works_from_the_installed_console_script() -> None:
    """The `corridor` script on the PATH of the environment answers `--version` too."""
    script = Path(sys.executable).with_name("corridor")
    done = subprocess.run([script, "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["corridor", version("corridor")]
