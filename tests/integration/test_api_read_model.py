"""The API's read model: views kept until the ledger moves, own writes applied, tokens cached."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.adapters.scenario_file.loader import load_bundled
from corridor.adapters.vault.store import SqlTokenStore
from corridor.bootstrap import open_store
from corridor.domain.events import NewEvent
from corridor.domain.operation import opening_events, operation_stream
from corridor.errors import NotFound, Unauthorized
from corridor.services.access_tokens import TokenCache, issue_token, revoke_token
from corridor.services.live import LiveOperations, OperationRecord
from corridor.services.ports import LedgerStore

OPERATION = "east-aleppo-2016"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'api.db'}"


@pytest.fixture
def ledger(db_url: str) -> Iterator[LedgerStore]:
    store = open_store(db_url)
    yield store
    store.close()


def _open(live: LiveOperations) -> None:
    scenario = load_bundled(OPERATION)
    events = opening_events(OPERATION, "test", scenario)
    live.command(OPERATION, lambda _: events, "coordinator", opening=True)


def _claim_event(value: int) -> NewEvent:
    payload = {
        "movement": "east-aleppo",
        "figure": "arrived",
        "value": value,
        "claimant": "party",
        "by": "x",
        "source": "y",
        "stated_at": "2016-12-16",
    }
    return NewEvent(operation_stream(OPERATION), "figure-claimed", payload)


def _claim(live: LiveOperations, value: int) -> None:
    live.command(OPERATION, lambda _: [_claim_event(value)], "monitor")


def _claims(record: OperationRecord) -> list[int]:
    return [c.value for c in record.claims]


class Counting:
    """Counts how often the ledger is read."""

    def __init__(self, ledger: LedgerStore) -> None:
        self.reads = 0
        original = ledger.read

        def read(*args: Any, **kwargs: Any) -> Any:
            self.reads += 1
            return original(*args, **kwargs)

        ledger.read = read  # type: ignore[method-assign]


def test_a_view_is_built_once_while_the_ledger_stays_put(ledger: LedgerStore) -> None:
    """Asking twice builds once; the kept view is answered without reading the ledger."""
    live = LiveOperations(ledger)
    _open(live)
    built: list[int] = []
    counting = Counting(ledger)

    def build(record: OperationRecord) -> int:
        built.append(record.last_sequence)
        return record.last_sequence

    first = live.view(OPERATION, "v", build)
    assert live.view(OPERATION, "v", build) == first
    assert live.current_view(OPERATION, "v") == first
    assert built == [first]
    assert counting.reads == 0


def test_a_write_by_another_process_is_seen_by_the_next_read(db_url: str) -> None:
    """Another writer's claim moves the head: the kept view is dropped and rebuilt."""
    here, there = open_store(db_url), open_store(db_url)
    try:
        live, other = LiveOperations(here), LiveOperations(there)
        _open(live)
        assert live.view(OPERATION, "claims", _claims) == []
        _claim(other, 8000)
        assert live.current_view(OPERATION, "claims") is None
        assert live.view(OPERATION, "claims", _claims) == [8000]
    finally:
        here.close()
        there.close()


def test_a_command_applies_its_own_events_without_reading_them_back(
    ledger: LedgerStore,
) -> None:
    """After a command the record holds its events, and the next read needs no query."""
    live = LiveOperations(ledger)
    _open(live)
    live.view(OPERATION, "claims", _claims)
    counting = Counting(ledger)
    _claim(live, 5)
    _claim(live, 7)
    assert live.view(OPERATION, "claims", _claims) == [5, 7]
    assert counting.reads == 0


def test_a_command_refused_on_a_stale_record_is_decided_again_on_the_ledger(
    db_url: str,
) -> None:
    """A command needing another process's latest write succeeds, and both writes stand."""
    here, there = open_store(db_url), open_store(db_url)
    try:
        live, other = LiveOperations(here), LiveOperations(there)
        _open(live)
        _claim(live, 1)
        other.read(OPERATION, _claims)
        _claim(other, 2)

        def needs_the_other_claim(record: OperationRecord) -> list[NewEvent]:
            if 2 not in _claims(record):
                raise NotFound("the other process's claim is not there")
            return [_claim_event(3)]

        live.command(OPERATION, needs_the_other_claim, "monitor")
        assert live.read(OPERATION, _claims) == [1, 2, 3]
        assert other.read(OPERATION, _claims) == [1, 2, 3]
    finally:
        here.close()
        there.close()


def test_a_record_built_from_its_own_writes_equals_one_folded_from_the_ledger(
    db_url: str,
) -> None:
    """A fresh process reading the ledger sees exactly what the writer applied."""
    store = open_store(db_url)
    try:
        live = LiveOperations(store)
        _open(live)
        for value in (1, 2, 3):
            _claim(live, value)
        mine = live.read(OPERATION, lambda r: (r.version, r.last_sequence, _claims(r)))
        fresh = LiveOperations(store)
        assert fresh.read(OPERATION, lambda r: (r.version, r.last_sequence, _claims(r))) == mine
    finally:
        store.close()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def tokens(db_url: str) -> Iterator[SqlTokenStore]:
    open_store(db_url).close()
    store = SqlTokenStore(db_url)
    yield store
    store.close()


def test_a_token_revoked_elsewhere_stops_working_once_its_entry_expires(
    tokens: SqlTokenStore,
) -> None:
    """Another process's revoke is honoured after at most the cache's lifetime."""
    clock = Clock()
    cache = TokenCache(tokens, ttl=1.0, clock=clock)
    secret, record = issue_token(tokens, OPERATION, "monitor", "m")
    assert cache.authenticate(secret).token_id == record.id
    revoke_token(tokens, record.id)
    assert cache.cached(secret) is not None
    clock.now = 1.0
    assert cache.cached(secret) is None
    with pytest.raises(Unauthorized):
        cache.authenticate(secret)


def test_a_token_revoked_through_the_cache_stops_working_at_once(tokens: SqlTokenStore) -> None:
    """Revoking through the cache forgets the token immediately."""
    cache = TokenCache(tokens, ttl=60.0, clock=Clock())
    secret, record = issue_token(tokens, OPERATION, "observer", "o")
    cache.authenticate(secret)
    cache.revoke(record.id)
    assert cache.cached(secret) is None
    with pytest.raises(Unauthorized):
        cache.authenticate(secret)


@pytest.mark.parametrize("token", [None, "", "crd_not-a-token"])
def test_a_refused_token_is_never_remembered(tokens: SqlTokenStore, token: str | None) -> None:
    """Missing or unknown tokens are refused every time and leave nothing cached."""
    cache = TokenCache(tokens, clock=Clock())
    for _ in range(2):
        with pytest.raises(Unauthorized):
            cache.authenticate(token)
        assert cache.cached(token) is None
