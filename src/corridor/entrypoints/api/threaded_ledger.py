"""One bounded pool of ledger stores per API process.

The API runs synchronous handlers on a thread pool whose threads come and go
(an idle worker ends after a few seconds; a burst starts new ones). A store
per thread leaked: each burst after idle opened new stores and never closed
the old ones, until PostgreSQL answered "too many clients". Here the process
opens `size` stores once, at start-up, and never more. Each store is safe to
share between threads (its lock serialises transactions on its connection);
a thread is given one of them, in turn, the first time it calls, so however
many threads the server starts the connections stay `size` (plus each
store's short-lived readers). The append algorithm, verify and export are
inherited unchanged, so behaviour is exactly the store's. Decision record 0018.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from corridor.domain.events import Head, RecordedEvent
from corridor.errors import InvalidInput
from corridor.services.ports import LedgerStore, WriteTransaction
from corridor.settings import DEFAULT_LEDGER_POOL

DEFAULT_POOL = DEFAULT_LEDGER_POOL
"""Stores per process when no setting names another size."""
MAX_POOL = 64


class LedgerPool(LedgerStore):
    def __init__(self, opener: Callable[[], LedgerStore], size: int = DEFAULT_POOL) -> None:
        if not 1 <= size <= MAX_POOL:
            raise InvalidInput(f"ledger pool size {size} is not allowed; allowed: 1..{MAX_POOL}")
        stores: list[LedgerStore] = []
        try:
            for _ in range(size):
                stores.append(opener())
        except BaseException:
            for store in stores:
                store.close()
            raise
        super().__init__(stores[0].clock)
        self._stores = stores
        self._turn = itertools.count()
        self._local = threading.local()
        self._description = stores[0].description

    @property
    def size(self) -> int:
        return len(self._stores)

    def _store(self) -> LedgerStore:
        store: LedgerStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self._stores[next(self._turn) % len(self._stores)]
            self._local.store = store
        return store

    def _write(self) -> AbstractContextManager[WriteTransaction]:
        return self._store()._write()

    def read(self, after: int = 0, stream: str | None = None) -> Iterator[RecordedEvent]:
        return self._store().read(after, stream)

    def head(self) -> Head:
        return self._store().head()

    def _load(self, events: Iterator[RecordedEvent]) -> None:
        self._store()._load(events)

    def close(self) -> None:
        stores, self._stores = self._stores, []
        for store in stores:
            store.close()

    @property
    def description(self) -> str:
        return self._description
