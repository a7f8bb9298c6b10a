"""One ledger connection per server thread.

The API runs synchronous handlers on a thread pool, while a ledger store holds
one database connection that must stay on one thread (sqlite3 insists; a
psycopg connection shared by threads would interleave their transactions).
This wrapper opens a store per thread on first use and sends each call to
the calling thread's own store; the append algorithm, verify and export are
inherited unchanged, so behaviour is exactly the store's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from corridor.domain.events import Head, RecordedEvent
from corridor.services.ports import LedgerStore, WriteTransaction


class ThreadedLedger(LedgerStore):
    def __init__(self, opener: Callable[[], LedgerStore]) -> None:
        first = opener()
        super().__init__(first.clock)
        self._opener = opener
        self._local = threading.local()
        self._local.store = first
        self._all = [first]
        self._guard = threading.Lock()
        self._description = first.description

    def _store(self) -> LedgerStore:
        store: LedgerStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self._opener()
            self._local.store = store
            with self._guard:
                self._all.append(store)
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
        with self._guard:
            stores, self._all = self._all, []
        for store in stores:
            # A connection made on another thread may refuse to close from this
            # one (sqlite3 checks); it is released with its thread instead.
            try:
                store.close()
            except Exception:
                continue

    @property
    def description(self) -> str:
        return self._description
