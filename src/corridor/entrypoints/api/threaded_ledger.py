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

After the database comes back from an outage, each store's first call finds
its old session gone (the store reconnects on the next call). A call that
cannot have written is tried once more, at once, on the new session: reads,
the head, looking up a key, and an append with an idempotency key (whose
retry returns the first command if that one committed). An append without a
key is never tried twice: it may have committed; the caller hears 503.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TypeVar

from corridor.domain.events import AppendResult, Head, NewEvent, RecordedEvent
from corridor.errors import InvalidInput, StoreUnavailable
from corridor.services.ports import LedgerStore, WriteTransaction
from corridor.settings import DEFAULT_LEDGER_POOL

DEFAULT_POOL = DEFAULT_LEDGER_POOL
"""Stores per process when no setting names another size."""
MAX_POOL = 64
T = TypeVar("T")


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
        store = self._store()
        given = 0
        try:
            for event in store.read(after, stream):
                given += 1
                yield event
        except StoreUnavailable:
            if given:
                raise
            yield from store.read(after, stream)

    def head(self) -> Head:
        return _twice(self._store().head)

    def recorded_command(self, idempotency_key: str) -> AppendResult | None:
        return _twice(lambda: super(LedgerPool, self).recorded_command(idempotency_key))

    def append(
        self,
        events: Sequence[NewEvent],
        expected_versions: Mapping[str, int] | None = None,
        actor: str = "system",
        idempotency_key: str | None = None,
    ) -> AppendResult:
        def once() -> AppendResult:
            return super(LedgerPool, self).append(events, expected_versions, actor, idempotency_key)

        return once() if idempotency_key is None else _twice(once)

    def _load(self, events: Iterator[RecordedEvent]) -> None:
        self._store()._load(events)

    def close(self) -> None:
        stores, self._stores = self._stores, []
        for store in stores:
            store.close()

    @property
    def description(self) -> str:
        return self._description


def _twice(call: Callable[[], T]) -> T:
    """`call`, and once more if its store had lost its session."""
    try:
        return call()
    except StoreUnavailable:
        return call()
