"""The in-memory ledger store passes the shared ledger contract."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corridor.adapters.ledger.memory import MemoryLedgerStore
from corridor.services.ports import LedgerStore
from tests.support.ledger_contract import LedgerStoreContract, StoreFactory, Tamper, clock


def _tamper(store: LedgerStore, how: str) -> None:
    assert isinstance(store, MemoryLedgerStore)
    rows = store.rows
    if how == "change":
        rows[2] = replace(rows[2], payload='{"n":99}')
    elif how == "delete":
        del rows[2]
    elif how == "insert":
        moved = [replace(e, sequence=e.sequence + 1) for e in rows[3:]]
        rows[3:] = [replace(rows[2], sequence=4, version=99, command=4), *moved]
    elif how == "reorder":
        rows[2], rows[3] = replace(rows[3], sequence=3), replace(rows[2], sequence=4)


class TestMemoryLedgerStore(LedgerStoreContract):
    """Contract on the in-memory store."""

    @pytest.fixture
    def new_store(self) -> StoreFactory:
        return lambda: MemoryLedgerStore(clock=clock())

    @pytest.fixture
    def tamper(self) -> Tamper:
        return _tamper
