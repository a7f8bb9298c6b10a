"""Two processes race for the same stream version: one wins each round, none is lost.

Real processes (multiprocessing, forked from the test after it closed its own
connections) meet at a barrier before every round
and append to one stream at the same expected version. The loser must get a
ConcurrencyError, and the final ledger must hold exactly one event per round,
with no gap and no duplicate in sequence or version, and verify.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from pathlib import Path

import pytest

from corridor.bootstrap import open_store
from tests.support.ledger_processes import RACE_STREAM, racer

ROUNDS = 40


def race(url: str) -> None:
    open_store(url).close()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    results = context.Queue()
    racers = [
        context.Process(target=racer, args=(url, name, ROUNDS, barrier, results))
        for name in ("north", "south")
    ]
    for process in racers:
        process.start()
    outcomes: dict[int, dict[str, str]] = defaultdict(dict)
    for _ in range(2 * ROUNDS):
        round_, name, outcome = results.get(timeout=120)
        outcomes[round_][name] = outcome
    for process in racers:
        process.join(timeout=60)
        assert process.exitcode == 0
    winners = {}
    for round_ in range(ROUNDS):
        assert sorted(outcomes[round_].values()) == ["lost", "won"], outcomes[round_]
        winners[round_] = next(n for n, o in outcomes[round_].items() if o == "won")
    with open_store(url, migrate=False) as store:
        events = list(store.read())
        assert store.verify().ok
    assert [e.sequence for e in events] == list(range(1, ROUNDS + 1))
    assert [e.version for e in events] == list(range(1, ROUNDS + 1))
    assert {e.stream for e in events} == {RACE_STREAM}
    assert {e.data()["round"]: e.data()["racer"] for e in events} == winners


@pytest.mark.slow
def test_sqlite_racers_get_one_winner_per_round(tmp_path: Path) -> None:
    """On one SQLite file, exactly one of two processes wins each of 40 races."""
    race(f"sqlite:///{tmp_path / 'race.db'}")


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_racers_get_one_winner_per_round(postgres_url: str) -> None:
    """On one PostgreSQL database, exactly one of two processes wins each of 40 races."""
    race(postgres_url)
