"""Random command sequences agree with a simple model of the ledger, on memory and SQLite.

The model is a dict of stream versions, a list of (stream, type, payload) and
a dict of idempotency keys. Hypothesis draws commands with right or stale
expected versions and reused keys; every outcome (appended, replayed,
ConcurrencyError, IntegrityError) must be the one the model predicts, and
the final ledger must read back as the model and verify.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.adapters.ledger.memory import MemoryLedgerStore
from corridor.bootstrap import open_store
from corridor.domain.canonical import canonical_json
from corridor.domain.events import NewEvent
from corridor.errors import ConcurrencyError, IntegrityError
from corridor.services.ports import LedgerStore
from tests.support.ledger_contract import clock

STREAMS = ("operation/a", "operation/b", "operation/c")

commands = st.lists(
    st.tuples(
        st.lists(st.tuples(st.sampled_from(STREAMS), st.integers(0, 3)), min_size=1, max_size=4),
        st.dictionaries(st.sampled_from(STREAMS), st.integers(-1, 1), max_size=2),
        st.none() | st.sampled_from(("k1", "k2", "k3")),
    ),
    min_size=1,
    max_size=12,
)


def check_against_model(store: LedgerStore, drawn: list[Any]) -> None:
    versions: dict[str, int] = {}
    rows: list[tuple[str, str, str]] = []
    keys: dict[str, tuple[list[tuple[str, str, str]], int]] = {}
    for parts, skews, key in drawn:
        events = [NewEvent(stream, "drawn", {"n": n}) for stream, n in parts]
        drafts = [(e.stream, e.type, canonical_json(dict(e.payload))) for e in events]
        expected = {stream: versions.get(stream, 0) + skew for stream, skew in skews.items()}
        if key in keys:
            first, first_sequence = keys[key]
            if first != drafts:
                with pytest.raises(IntegrityError, match="different command"):
                    store.append(events, expected, idempotency_key=key)
                continue
            result = store.append(events, expected, idempotency_key=key)
            assert result.replayed
            assert result.first_sequence == first_sequence
            continue
        if any(versions.get(s, 0) != v for s, v in expected.items()):
            with pytest.raises(ConcurrencyError):
                store.append(events, expected, idempotency_key=key)
            continue
        result = store.append(events, expected, idempotency_key=key)
        assert not result.replayed
        assert result.first_sequence == len(rows) + 1
        for stream, _, _ in drafts:
            versions[stream] = versions.get(stream, 0) + 1
        assert [e.version for e in result.events][-1] == versions[drafts[-1][0]]
        if key is not None:
            keys[key] = (drafts, result.first_sequence)
        rows.extend(drafts)
    stored = list(store.read())
    assert [(e.stream, e.type, e.payload) for e in stored] == rows
    for stream in STREAMS:
        assert [e.version for e in stored if e.stream == stream] == list(
            range(1, versions.get(stream, 0) + 1)
        )
    assert store.verify().events == len(rows)


@settings(max_examples=40, deadline=None)
@given(commands)
def test_the_memory_store_behaves_like_the_model(drawn: list[Any]) -> None:
    """Every outcome on the in-memory store is the one the model predicts."""
    check_against_model(MemoryLedgerStore(clock()), drawn)


@pytest.fixture(scope="module")
def new_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], LedgerStore]:
    """A factory of fresh SQLite ledgers in one module-wide folder."""
    folder = tmp_path_factory.mktemp("model")
    numbers = iter(range(10**6))
    return lambda: open_store(f"sqlite:///{folder / f'l{next(numbers)}.db'}", clock())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands)
def test_the_sqlite_store_behaves_like_the_model(
    new_sqlite: Callable[[], LedgerStore], drawn: list[Any]
) -> None:
    """Every outcome on an SQLite file is the one the model predicts."""
    store = new_sqlite()
    try:
        check_against_model(store, drawn)
    finally:
        store.close()
