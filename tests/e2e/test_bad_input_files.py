"""Input files that are not files, or far too large, and texts too long for the ledger."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor.adapters import bounded_files
from corridor.bootstrap import open_store
from corridor.domain.canonical import MAX_STRING
from corridor.domain.events import NewEvent
from corridor.entrypoints.cli.main import app
from corridor.errors import InvalidInput

runner = CliRunner()

COMMANDS = [
    pytest.param(["scenario", "validate"], id="scenario-validate"),
    pytest.param(["agreement", "check"], id="agreement-check"),
    pytest.param(["ledger", "import"], id="ledger-import"),
]


def run_within(args: list[str], seconds: float = 30) -> Any:
    """Invoke the CLI in a thread and fail if it has not returned within `seconds`."""
    box: list[Any] = []
    worker = threading.Thread(target=lambda: box.append(runner.invoke(app, args)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert box, f"{' '.join(args)} still waiting after {seconds} s"
    return box[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_given_as_a_file_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    """A FIFO with no writer is refused with exit 2 naming it, instead of hanging."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    extra = ["--db", f"sqlite:///{tmp_path / 'x.db'}"] if command[0] == "ledger" else []
    result = run_within([*command, str(fifo), *extra])
    assert result.exit_code == 2, result.output
    assert "not a regular file" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_dev_zero_given_as_a_file_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    """/dev/zero is refused as a device, not read until memory runs out."""
    extra = ["--db", f"sqlite:///{tmp_path / 'x.db'}"] if command[0] == "ledger" else []
    result = run_within([*command, "/dev/zero", *extra])
    assert result.exit_code == 2, result.output
    assert "not a regular file" in result.output


def test_a_file_over_the_limit_is_refused_naming_the_limit(tmp_path: Path) -> None:
    """A regular file one byte over the limit is refused; one at the limit is read."""
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 101)
    with pytest.raises(InvalidInput, match="limit of 100 bytes"):
        bounded_files.read_bounded_text(big, 100)
    assert bounded_files.read_bounded_text(big, 101) == "a" * 101


def test_a_scenario_file_over_the_limit_is_refused(tmp_path: Path, monkeypatch: Any) -> None:
    """scenario validate on a file above the YAML limit exits 2 naming the limit."""
    from corridor.adapters import yaml_marks

    monkeypatch.setattr(yaml_marks, "MAX_DOCUMENT_BYTES", 1000)
    big = tmp_path / "big.yaml"
    big.write_text("name: x\n" + "# padding\n" * 200)
    result = run_within(["scenario", "validate", str(big)])
    assert result.exit_code == 2, result.output
    assert "limit of 1000 bytes" in result.output


def test_a_text_longer_than_the_limit_never_reaches_the_ledger(tmp_path: Path) -> None:
    """A 10 MB note is refused naming the field and the limit; nothing is appended."""
    with open_store(f"sqlite:///{tmp_path / 'l.db'}") as store:
        with pytest.raises(
            InvalidInput, match=rf"\$\.note: text of 10000000 characters; at most {MAX_STRING}"
        ):
            store.append([NewEvent("operation/a", "note-recorded", {"note": "x" * 10_000_000})])
        with pytest.raises(InvalidInput, match="a key of"):
            store.append([NewEvent("operation/a", "note-recorded", {"k" * (MAX_STRING + 1): 1})])
        store.append([NewEvent("operation/a", "note-recorded", {"note": "x" * MAX_STRING})])
        assert store.head().sequence == 1
