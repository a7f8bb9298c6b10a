"""`corridor ledger show` at 80 columns: no line wider, every event's essentials in full."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from corridor.bootstrap import open_store
from corridor.domain.events import NewEvent, RecordedEvent
from corridor.entrypoints.cli.event_view import PAYLOAD_LINES, print_events
from tests.support.ledger_contract import clock

LONG_STREAM = "operation/east-aleppo-and-foua-kefraya-december-2016-simulated-run-0"
LONG_ACTOR = "coordinator:east-aleppo-2016-cell-night-shift"


def _ledger(tmp_path: Path) -> tuple[str, list[RecordedEvent]]:
    url = f"sqlite:///{tmp_path / 'show.db'}"
    with open_store(url, clock()) as store:
        store.append(
            [NewEvent(LONG_STREAM, "trip-dispatched", {"load": {"civilians": 50}, "x": "y" * 600})],
            actor=LONG_ACTOR,
        )
        store.append([NewEvent("operation/a", "headcount-recorded", {"n": 1})], actor="m")
        events = list(store.read())
    return url, events


def _essentials(event: RecordedEvent) -> list[str]:
    return [f"#{event.sequence}", event.recorded_at, event.stream, f"v{event.version}",
            event.type, event.actor]  # fmt: skip


@pytest.mark.parametrize("width", [80, 100, 132])
def test_every_line_fits_the_console_and_nothing_essential_is_cut(
    tmp_path: Path, width: int
) -> None:
    """At the console's width each line fits; sequence, time, stream, version, type, actor whole."""
    _url, events = _ledger(tmp_path)
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None)
    print_events(console, events)
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    flat = " ".join(line.strip() for line in lines)
    for event in events:
        for part in _essentials(event):
            assert part in flat, part
    # The long payload is shortened to a few lines, and says so.
    assert "--json" in text
    assert sum("y" * 20 in line for line in lines) <= PAYLOAD_LINES


def test_the_command_at_columns_80_prints_no_line_over_80(tmp_path: Path) -> None:
    """`COLUMNS=80 corridor ledger show` as a process: every line at most 80 characters."""
    url, events = _ledger(tmp_path)
    env = {**os.environ, "COLUMNS": "80"}
    command = [sys.executable, "-m", "corridor.entrypoints.cli.main", "ledger", "show"]
    done = subprocess.run(
        [*command, "--db", url], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == "ledger events (2 shown)"
    assert LONG_STREAM in done.stdout.replace("\n", "")
    for event in events:
        assert event.type in done.stdout
