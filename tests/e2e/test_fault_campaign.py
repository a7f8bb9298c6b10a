"""The fault script's serve campaign, once, on SQLite: a killed server loses and doubles nothing."""

from __future__ import annotations

import random
from pathlib import Path

from bench.fault_serve import serve_kills


def test_a_server_killed_under_load_loses_and_doubles_no_acknowledged_command(
    tmp_path: Path,
) -> None:
    """SIGKILL `corridor serve` under four writers with keys: every 201 recorded exactly once."""
    figures = serve_kills(f"sqlite:///{tmp_path / 'served.db'}", tmp_path, 1, random.Random(7))
    assert figures["acknowledged"] > 0
    assert figures["connections_broken_or_refused"] > 0, "the kill happened under load"
    assert (figures["lost"], figures["duplicated"], figures["verify_failures"]) == (0, 0, 0)
    assert figures["other_failures"] == {}
