"""The API's ledger connections stay bounded across idle periods and bursts of new threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
import sqlalchemy as sa

from corridor.adapters.ledger.postgres import sqlalchemy_url
from corridor.domain.events import NewEvent
from corridor.entrypoints.api.context import open_context
from corridor.entrypoints.api.threaded_ledger import LedgerPool
from corridor.errors import InvalidInput
from corridor.protection.keys import MasterKey
from corridor.settings import Settings

BURSTS = 3
THREADS = 12
"""A burst after idle: the server's worker threads are all new (the old ones ended).
A store per thread opened at least one connection per new thread and burst;
the pool's readers may settle by a few, never by a burst's worth."""


def _burst(ledger: LedgerPool, round_: int) -> None:
    """New threads, each reading the head and appending once, then ending."""

    def work(index: int) -> None:
        ledger.head()
        event = NewEvent("operation-burst", "burst-recorded", {"round": round_, "at": index})
        ledger.append([event], actor="burst")
        list(ledger.read(after=0, stream="operation-burst"))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _after_each_burst(db_url: str, count: Callable[[], int]) -> list[int]:
    context = open_context(db_url, MasterKey.generate(), ledger_pool=3)
    assert isinstance(context.ledger, LedgerPool)
    try:
        seen = []
        for round_ in range(BURSTS):
            _burst(context.ledger, round_)
            seen.append(count())
        assert context.ledger.head().sequence == BURSTS * THREADS
        return seen
    finally:
        context.close()


def test_bursts_of_new_threads_open_no_new_sqlite_descriptors(tmp_path: Path) -> None:
    """Three bursts of new threads on SQLite: the process's open descriptors do not grow."""
    process = psutil.Process()
    seen = _after_each_burst(f"sqlite:///{tmp_path / 'corridor.db'}", process.num_fds)
    assert seen[-1] - seen[0] < THREADS, seen


def test_bursts_of_new_threads_open_no_new_postgres_sessions(postgres_url: str) -> None:
    """Three bursts of new threads on PostgreSQL: the server's sessions do not grow."""
    watcher = sa.create_engine(sqlalchemy_url(postgres_url), poolclass=sa.pool.NullPool)

    def sessions() -> int:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        with watcher.connect() as connection:
            return int(connection.exec_driver_sql(query).scalar_one()) - 1

    try:
        seen = _after_each_burst(postgres_url, sessions)
    finally:
        watcher.dispose()
    assert seen[-1] - seen[0] < THREADS, seen


def test_the_pool_size_is_a_setting_checked_at_the_door() -> None:
    """CORRIDOR_LEDGER_POOL sets the size; a non-number or 0 is refused with what is allowed."""
    assert Settings.from_environment({"CORRIDOR_LEDGER_POOL": "7"}).ledger_pool == 7
    with pytest.raises(InvalidInput, match=r"allowed: 1\.\.64"):
        Settings.from_environment({"CORRIDOR_LEDGER_POOL": "many"})
    with pytest.raises(InvalidInput, match=r"allowed: 1\.\.64"):
        LedgerPool(lambda: pytest.fail("no store is opened for a refused size"), 0)
