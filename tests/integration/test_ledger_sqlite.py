"""The SQLite ledger store passes the shared contract, on real files in tmp_path."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from corridor.adapters.ledger.sqlite import SQLiteLedgerStore
from corridor.bootstrap import open_store
from corridor.errors import IntegrityError, StoreUnavailable
from corridor.services.ports import LedgerStore
from tests.support.ledger_contract import LedgerStoreContract, StoreFactory, Tamper, clock, fill
from tests.support.tampering import tamper_sql


class TestSQLiteLedgerStore(LedgerStoreContract):
    """Contract on SQLite files."""

    @pytest.fixture
    def new_store(self, tmp_path: Path) -> StoreFactory:
        numbers = itertools.count(1)
        return lambda: open_store(f"sqlite:///{tmp_path}/ledger-{next(numbers)}.db", clock())

    @pytest.fixture
    def tamper(self) -> Tamper:
        def damage(store: LedgerStore, how: str) -> None:
            tamper_sql(store.description, how)

        return damage


def test_the_ledger_file_is_in_wal_mode_and_survives_reopening(tmp_path: Path) -> None:
    """Events written before close are read back by a new store on the same file."""
    path = tmp_path / "ledger.db"
    with SQLiteLedgerStore(path, clock()) as store:
        fill(store, 3)
        head = store.head()
    with SQLiteLedgerStore(path, clock()) as reopened:
        assert reopened.head() == head
        assert reopened.verify().ok
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_updating_or_deleting_an_event_through_sql_is_refused(tmp_path: Path) -> None:
    """Triggers keep the events table append-only against ordinary SQL."""
    path = tmp_path / "ledger.db"
    with SQLiteLedgerStore(path, clock()) as store:
        fill(store, 2)
    with sqlite3.connect(path) as raw:
        for statement in ("UPDATE events SET actor = 'x'", "DELETE FROM events"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                raw.execute(statement)


def test_a_ledger_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    """Opening a file in a folder that does not exist names the path."""
    with pytest.raises(StoreUnavailable, match="folder does not exist"):
        open_store(f"sqlite:///{tmp_path}/nowhere/ledger.db")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    """A text file given as the ledger is StoreUnavailable, not a driver traceback."""
    path = tmp_path / "notes.db"
    path.write_text("these are not the events you are looking for\n" * 100)
    with pytest.raises(StoreUnavailable, match=r"notes\.db"):
        open_store(f"sqlite:///{path}")


def test_a_forged_duplicate_version_is_refused_by_the_database(tmp_path: Path) -> None:
    """The (stream, version) unique key holds even for writes that bypass the store."""
    with SQLiteLedgerStore(tmp_path / "l.db", clock()) as store:
        fill(store, 1)
        row = next(store.read())
    with sqlite3.connect(tmp_path / "l.db") as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute(
            "INSERT INTO events VALUES (2, ?, 1, 't', '{}', 'a', 't', NULL, 2, 'x', 'y')",
            (row.stream,),
        )
    assert issubclass(IntegrityError, Exception)
