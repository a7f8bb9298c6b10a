"""A valid command is recorded however many times other writers append first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corridor.adapters.scenario_file.loader import load_bundled
from corridor.bootstrap import open_store
from corridor.domain.events import NewEvent
from corridor.domain.operation import opening_events, operation_stream
from corridor.services.live import LiveOperations

OPERATION = "east-aleppo-2016"
LOSSES = 15
"""More conflicts in a row than the 12 decisions a command used to be allowed."""


def _claim(value: int) -> NewEvent:
    payload = {"movement": "east-aleppo", "figure": "arrived", "value": value,
               "claimant": "party", "by": "x", "source": "y",
               "stated_at": "2016-12-16"}  # fmt: skip
    return NewEvent(operation_stream(OPERATION), "figure-claimed", payload)


def test_a_command_that_loses_many_races_in_a_row_is_still_recorded(tmp_path: Path) -> None:
    """Another process appends before each of the first 15 tries: the 16th records it, once."""
    url = f"sqlite:///{tmp_path / 'corridor.db'}"
    here, there = open_store(url), open_store(url)
    try:
        live = LiveOperations(here)
        live.command(OPERATION, lambda _: opening_events(OPERATION, "t", load_bundled(OPERATION)),
                     "coordinator", opening=True)  # fmt: skip
        other = LiveOperations(there)
        raced = {"n": 0}

        def decide(_: Any) -> list[NewEvent]:
            if raced["n"] < LOSSES:
                raced["n"] += 1
                other.command(OPERATION, lambda _: [_claim(raced["n"])], "liaison")
            return [_claim(1000)]

        result = live.command(OPERATION, decide, "monitor")
        assert not result.replayed
        values = [e.data()["value"] for e in here.read() if e.type == "figure-claimed"]
        assert values == [*range(1, LOSSES + 1), 1000]
    finally:
        here.close()
        there.close()
