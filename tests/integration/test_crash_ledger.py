"""A writer killed with SIGKILL at random points loses no acknowledged command.

Each round forks a real writer process, lets it acknowledge a random number
of commands, kills it at a random moment (seeded), reopens the ledger and
checks: every acknowledged command is there, in full; no command is there in
part; at most the one command in flight at the kill is there unacknowledged;
and the chain verifies. The same ledger is reused across rounds, so recovery
is exercised again and again.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import defaultdict
from pathlib import Path

import pytest

from corridor.bootstrap import open_store
from tests.support.ledger_processes import COMMAND_TYPE, start_writer


def present_commands(url: str) -> dict[int, int]:
    """Command number -> events stored for it; also checks every stored command is whole."""
    parts: dict[int, list[int]] = defaultdict(list)
    expected: dict[int, int] = {}
    with open_store(url, migrate=False) as store:
        report = store.verify()
        assert report.ok, report.problem
        for event in store.read():
            if event.type == COMMAND_TYPE:
                data = event.data()
                parts[data["command"]].append(data["part"])
                expected[data["command"]] = data["of"]
    for number, seen in parts.items():
        assert sorted(seen) == list(range(expected[number])), f"command {number} is half-present"
    return {number: len(seen) for number, seen in parts.items()}


def crash_rounds(url: str, rounds: int, seed: int) -> None:
    chance = random.Random(seed)
    acknowledged: set[int] = set()
    next_number = 0
    for _ in range(rounds):
        pid, acknowledgements = start_writer(url, next_number)
        with acknowledgements:
            for _ in range(chance.randint(1, 12)):
                line = acknowledgements.readline()
                assert line, "writer ended before it was killed"
                acknowledged.add(int(line))
            time.sleep(chance.uniform(0, 0.01))
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            assert os.WIFSIGNALED(status)
            acknowledged.update(int(n) for n in acknowledgements.read().split())
        present = present_commands(url)
        missing = acknowledged - set(present)
        assert not missing, f"acknowledged commands lost: {sorted(missing)}"
        unacknowledged = set(present) - acknowledged
        assert len(unacknowledged) <= 1, f"more than one command in flight: {unacknowledged}"
        acknowledged |= unacknowledged
        next_number = max(present) + 1


@pytest.mark.slow
def test_sqlite_keeps_every_acknowledged_command_across_kills(tmp_path: Path) -> None:
    """24 seeded SIGKILLs of a writer on an SQLite ledger lose nothing acknowledged."""
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    open_store(url).close()
    crash_rounds(url, rounds=24, seed=2016)


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_keeps_every_acknowledged_command_across_kills(postgres_url: str) -> None:
    """20 seeded SIGKILLs of a writer on a PostgreSQL ledger lose nothing acknowledged."""
    open_store(postgres_url).close()
    crash_rounds(postgres_url, rounds=20, seed=2017)
