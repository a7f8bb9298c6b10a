"""The one contract every `LedgerStore` backend must pass.

`LedgerStoreContract` is not collected by itself; each backend's test module
subclasses it (in-memory, SQLite, PostgreSQL) and supplies two fixtures,
`new_store` (a factory of fresh, empty stores) and `tamper` (a function that
damages a stored ledger behind the store's back: for databases, with raw SQL).
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from corridor.adapters.ledger import postgres as postgres_store
from corridor.adapters.ledger import sqlite as sqlite_store
from corridor.domain.chain import GENESIS_HASH, seal
from corridor.domain.clock import SteppingClock
from corridor.domain.events import EventFacts, NewEvent, RecordedEvent
from corridor.domain.fold import Reducers
from corridor.domain.state import fold
from corridor.errors import ConcurrencyError, IntegrityError, InvalidInput, LedgerCorrupted
from corridor.services import ports
from corridor.services.payloads import parse_payload
from corridor.services.ports import LedgerStore

START = "2016-12-15T05:00:00Z"

StoreFactory = Callable[[], LedgerStore]
Tamper = Callable[[LedgerStore, str], None]
"""`tamper(store, how)` with how in change, delete, insert, reorder (see `TAMPERING`)."""

TAMPERING = [
    # how, first bad sequence: rows 1..6 exist; damage is done around row 3.
    pytest.param("change", 3, id="a-changed-payload-is-found-at-its-row"),
    pytest.param("delete", 3, id="a-deleted-row-is-found-as-a-gap"),
    pytest.param("insert", 4, id="an-inserted-row-is-found-where-it-went-in"),
    pytest.param("reorder", 3, id="two-swapped-rows-are-found-at-the-first"),
]


def clock() -> SteppingClock:
    return SteppingClock(START)


def event(stream: str = "operation/a", kind: str = "note-recorded", **payload: Any) -> NewEvent:
    return NewEvent(stream, kind, payload or {"text": "x"})


def fill(store: LedgerStore, commands: int = 6) -> None:
    """One event per command on alternating streams: sequences 1..commands."""
    for n in range(commands):
        store.append([event(f"operation/{'ab'[n % 2]}", n=n)], actor="coordinator")


def exported(store: LedgerStore) -> str:
    out = io.StringIO()
    store.export(out)
    return out.getvalue()


class LedgerStoreContract:
    """Behaviour every ledger backend shares.

    Subclasses provide the fixtures `new_store` (a `StoreFactory`) and `tamper`.
    """

    @pytest.fixture
    def store(self, new_store: StoreFactory) -> Iterator[LedgerStore]:
        store = new_store()
        yield store
        store.close()

    def test_an_empty_ledger_has_the_genesis_head_and_verifies(self, store: LedgerStore) -> None:
        """A new ledger is empty, its head is sequence 0 with 64 zeros, and it verifies."""
        assert store.head().sequence == 0
        assert store.head().hash == GENESIS_HASH
        assert list(store.read()) == []
        assert store.verify().ok

    def test_appended_events_read_back_numbered_versioned_and_chained(
        self, store: LedgerStore
    ) -> None:
        """Events come back in order with sequence, stream version, actor, time and chain."""
        first = store.append([event(n=1), event("operation/b", n=2)], actor="monitor-7")
        second = store.append([event(n=3)], {"operation/a": 1}, actor="coordinator")
        events = list(store.read())
        assert [e.sequence for e in events] == [1, 2, 3]
        assert [(e.stream, e.version) for e in events] == [
            ("operation/a", 1),
            ("operation/b", 1),
            ("operation/a", 2),
        ]
        assert [e.data()["n"] for e in events] == [1, 2, 3]
        assert [e.command for e in events] == [1, 1, 3]
        assert events[0].previous_hash == GENESIS_HASH
        assert [e.previous_hash for e in events[1:]] == [e.hash for e in events[:-1]]
        assert events[0].actor == "monitor-7"
        assert events[0].recorded_at == "2016-12-15T05:00:00.000000Z"
        assert events[2].recorded_at == "2016-12-15T05:00:01.000000Z"
        assert (first.first_sequence, first.last_sequence, second.first_sequence) == (1, 2, 3)
        assert tuple(events[:2]) == first.events
        assert store.head() == second.head

    def test_read_filters_by_stream_and_starts_after_a_sequence(self, store: LedgerStore) -> None:
        """read(after, stream) yields only later events of the named stream."""
        fill(store)
        assert [e.sequence for e in store.read(after=3)] == [4, 5, 6]
        assert [e.sequence for e in store.read(stream="operation/b")] == [2, 4, 6]
        assert [e.sequence for e in store.read(after=2, stream="operation/a")] == [3, 5]

    def test_replay_folds_what_a_fold_of_every_read_event_folds(self, store: LedgerStore) -> None:
        """replay() gives reducers the same events and payload values, and the same state."""
        store.append(
            [
                event(kind="operation-opened", operation="a", name="A", scenario="tiny"),
                event(kind="note-recorded", operation="a", text="حلب 1234567890123456789"),
                event("operation/b", kind="from-the-future", big=2**53 - 1, small=-(2**53) + 1),
            ],
            actor="coordinator",
        )
        store.append([event(kind="note-recorded", operation="a", text="x", n=0.1)], actor="m-7")
        assert store.replay().dump() == fold(store.read(), loads=parse_payload).dump()

        def recorder(seen: list[tuple[Any, ...]]) -> Reducers:
            table = Reducers()
            for kind in ("note-recorded", "from-the-future"):

                @table.on(kind)
                def record(document: dict[str, Any], event: EventFacts, data: Any) -> None:
                    fields = (event.sequence, event.stream, event.version, event.type)
                    seen.append((*fields, event.payload, event.actor, event.recorded_at, data))
                    assert event.data() == data

            return table

        replayed: list[tuple[Any, ...]] = []
        folded: list[tuple[Any, ...]] = []
        state = store.replay(recorder(replayed))
        expected = fold(store.read(), recorder(folded), loads=parse_payload)
        assert replayed == folded
        assert [r[0] for r in replayed] == [2, 3, 4]
        assert replayed[1][-1] == {"big": 2**53 - 1, "small": -(2**53) + 1}
        assert state.dump() == expected.dump()
        assert (state.head, dict(state.versions)) == (
            store.head(),
            {"operation/a": 3, "operation/b": 1},
        )

    def test_replay_in_small_batches_folds_the_same_state(
        self, store: LedgerStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Batch edges change nothing: a long number in one batch, none in the next."""
        for module in (ports, sqlite_store, postgres_store):
            name = "SCAN_BATCH" if module is ports else "BATCH"
            monkeypatch.setattr(module, name, 2)
        store.append([event(kind="operation-opened", operation="a", name="A", scenario="t")])
        for n in range(6):
            store.append([event(kind="note-recorded", operation="a", text=str(10**20 * n))])
        state = store.replay()
        assert state.dump() == fold(store.read(), loads=parse_payload).dump()
        notes = state.document["operations"]["a"]["notes"]
        assert [note["text"] for note in notes] == [str(10**20 * n) for n in range(6)]
        assert state.head == store.head()

    def test_replay_of_an_empty_ledger_is_the_empty_state(self, store: LedgerStore) -> None:
        """An empty ledger replays to the genesis head and an empty document."""
        state = store.replay()
        assert (state.head, dict(state.document), dict(state.versions)) == (store.head(), {}, {})

    def test_a_command_whose_second_event_breaks_a_key_leaves_nothing(
        self, store: LedgerStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If the database refuses the second event, the first is not stored either."""
        fill(store, 2)
        before = store.head()

        def duplicate_version(*args: Any, **kwargs: Any) -> tuple[RecordedEvent, ...]:
            sealed = seal(*args, **kwargs)
            return (sealed[0], replace(sealed[1], version=sealed[0].version))

        monkeypatch.setattr(ports, "seal", duplicate_version)
        with pytest.raises(IntegrityError):
            store.append([event("operation/c", n=1), event("operation/c", n=2)])
        monkeypatch.undo()
        assert store.head() == before
        assert [e.sequence for e in store.read()] == [1, 2]
        assert store.append([event("operation/c")]).first_sequence == 3
        assert store.verify().ok

    def test_a_stale_expected_version_raises_and_appends_nothing(self, store: LedgerStore) -> None:
        """Expecting a version the stream has moved past is a retryable ConcurrencyError."""
        store.append([event()], {"operation/a": 0})
        store.append([event()], {"operation/a": 1})
        with pytest.raises(ConcurrencyError, match="version 2, expected 1"):
            store.append([event(), event("operation/b")], {"operation/a": 1})
        assert store.head().sequence == 2
        retried = store.append([event(), event("operation/b")], {"operation/a": 2})
        assert [e.version for e in retried.events] == [3, 1]

    def test_expected_versions_are_checked_on_every_stream_of_a_command(
        self, store: LedgerStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Versions of many streams, read a few at a time, are each the stream's own."""
        monkeypatch.setattr(sqlite_store, "STREAMS_PER_QUERY", 2)
        streams = [f"operation/{n}" for n in range(5)]
        store.append([event(s) for s in streams[:4]] + [event(streams[0])])
        expected = dict.fromkeys(streams[1:4], 1) | {streams[0]: 2, streams[4]: 0}
        result = store.append([event(s) for s in streams], expected)
        assert [e.version for e in result.events] == [3, 2, 2, 2, 1]
        with pytest.raises(ConcurrencyError):
            store.append([event(streams[3])], expected)
        assert store.head().sequence == 10

    def test_expecting_version_zero_means_the_stream_must_be_new(self, store: LedgerStore) -> None:
        """Version 0 is the expected version of a stream with no events."""
        store.append([event("operation/new")], {"operation/new": 0})
        with pytest.raises(ConcurrencyError):
            store.append([event("operation/new")], {"operation/new": 0})

    def test_a_repeated_idempotency_key_returns_the_first_result(self, store: LedgerStore) -> None:
        """A retried command with the same key gets the first result and appends nothing."""
        command = [event(n=1), event("operation/b", n=2)]
        first = store.append(command, {"operation/a": 0}, idempotency_key="device-9/42")
        store.append([event(n=3)])
        again = store.append(command, {"operation/a": 0}, idempotency_key="device-9/42")
        assert again.replayed
        assert not first.replayed
        assert again.events == first.events
        assert (again.first_sequence, again.last_sequence) == (1, 2)
        assert store.head().sequence == 3
        assert [e.idempotency_key for e in store.read()] == ["device-9/42", None, None]

    def test_a_keyed_command_is_returned_whole_wherever_it_stands(self, store: LedgerStore) -> None:
        """The command under a key is all its events and no other's: first, between, last."""
        store.append([event(n=1), event(n=2)], idempotency_key="first")
        store.append([event(n=3), event("operation/b", n=4), event(n=5)], idempotency_key="mid")
        store.append([event(n=6)])
        store.append([event(n=7), event(n=8)], idempotency_key="last")
        ranges = {}
        for key in ("first", "mid", "last"):
            found = store.recorded_command(key)
            assert found is not None
            ranges[key] = [e.sequence for e in found.events]
        assert ranges == {"first": [1, 2], "mid": [3, 4, 5], "last": [7, 8]}
        assert store.recorded_command("never") is None

    @pytest.mark.parametrize("size", [1, 255, 256, 257, 600])
    def test_a_long_command_retried_among_others_returns_every_event_it_appended(
        self, store: LedgerStore, size: int
    ) -> None:
        """A retry gets each of its command's events, however many, and none of its neighbours'."""
        store.append([event(n=0)], idempotency_key="before")
        command = [event("operation/b", n=n) for n in range(size)]
        first = store.append(command, idempotency_key="long")
        store.append([event(n=-1), event(n=-2)], idempotency_key="after")
        again = store.recorded_command("long")
        assert again is not None
        assert again.events == first.events
        assert [e.sequence for e in again.events] == list(range(2, size + 2))

    def test_an_idempotency_key_reused_for_another_command_is_refused(
        self, store: LedgerStore
    ) -> None:
        """A key names one command; different events under the same key are an error."""
        store.append([event(n=1)], idempotency_key="k")
        with pytest.raises(IntegrityError, match="different command"):
            store.append([event(n=2)], idempotency_key="k")
        assert store.head().sequence == 1

    @pytest.mark.parametrize(
        ("payload", "fragment"),
        [
            ({"speed": math.nan}, "$.speed"),
            ({"x": [1, math.inf]}, "$.x[1]"),
            ({"when": object()}, "cannot be written as JSON"),
            ({"bad": "\ud800"}, "not valid UTF-8"),
            ({1: "int key"}, "not a string"),
            ({"big": 2**53}, "safe integer domain"),
        ],
    )
    def test_a_payload_without_canonical_json_is_refused(
        self, store: LedgerStore, payload: dict[Any, Any], fragment: str
    ) -> None:
        """NaN, infinity, unknown types, bad text, non-string keys, integers past 2^53: refused."""
        with pytest.raises(InvalidInput, match=fragment.replace("[", r"\[").replace("$", r"\$")):
            store.append([event(n=1), NewEvent("operation/a", "t", payload)])
        assert store.head().sequence == 0

    def test_an_empty_command_is_refused(self, store: LedgerStore) -> None:
        """A command must append at least one event."""
        with pytest.raises(InvalidInput, match="at least one event"):
            store.append([])

    def test_threads_sharing_one_store_append_without_losing_or_forking(
        self, store: LedgerStore
    ) -> None:
        """Four threads appending through one store object leave one sound chain."""

        def work(name: str) -> None:
            for n in range(20):
                store.append([event(f"operation/{name}", n=n)], actor=name)

        threads = [threading.Thread(target=work, args=(f"t{i}",)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.verify().events == 80
        assert {max(e.version for e in store.read(stream=f"operation/t{i}")) for i in range(4)} == {
            20
        }

    def test_an_untouched_ledger_verifies(self, store: LedgerStore) -> None:
        """verify recomputes every hash and reports the head when nothing was changed."""
        fill(store)
        report = store.verify()
        assert report.ok
        assert (report.events, report.head) == (6, store.head())

    @pytest.mark.parametrize(("how", "first_bad"), TAMPERING)
    def test_verify_names_the_first_bad_sequence(
        self, store: LedgerStore, tamper: Tamper, how: str, first_bad: int
    ) -> None:
        """A row changed, deleted, inserted or reordered behind the store's back is named."""
        fill(store)
        tamper(store, how)
        report = store.verify()
        assert not report.ok
        assert report.first_bad_sequence == first_bad, report.problem
        assert report.events == first_bad - 1

    def test_export_then_import_into_an_empty_ledger_is_byte_identical(
        self, store: LedgerStore, new_store: StoreFactory
    ) -> None:
        """export -> import -> export gives the same bytes, and the copy verifies."""
        fill(store)
        store.append([event(n=9, text="Ramouseh: 5 000 people, é ü ش")], idempotency_key="k")
        text = exported(store)
        copy = new_store()
        try:
            assert copy.import_lines(io.StringIO(text)) == 7
            assert exported(copy) == text
            assert copy.verify().ok
            assert copy.head() == store.head()
            again = copy.append(
                [event(n=9, text="Ramouseh: 5 000 people, é ü ش")], idempotency_key="k"
            )
            assert again.replayed
        finally:
            copy.close()

    def test_import_refuses_a_file_whose_chain_is_broken_and_writes_nothing(
        self, store: LedgerStore, new_store: StoreFactory
    ) -> None:
        """A changed line fails the chain check; the target stays empty."""
        fill(store)
        lines = exported(store).splitlines(keepends=True)
        lines[4] = lines[4].replace('"n":4', '"n":40')
        copy = new_store()
        try:
            with pytest.raises(LedgerCorrupted, match="sequence 5") as raised:
                copy.import_lines(lines, source="ledger.jsonl")
            assert raised.value.sequence == 5
            assert copy.head().sequence == 0
            assert list(copy.read()) == []
        finally:
            copy.close()

    def test_import_refuses_a_ledger_that_is_not_empty(
        self, store: LedgerStore, new_store: StoreFactory
    ) -> None:
        """Importing on top of existing events would fork the chain: refused."""
        fill(store, 2)
        text = exported(store)
        with pytest.raises(IntegrityError, match="not empty"):
            store.import_lines(io.StringIO(text))
        assert store.head().sequence == 2

    def test_import_reports_a_malformed_line_with_its_number(
        self, store: LedgerStore, new_store: StoreFactory
    ) -> None:
        """A line that is not an event is reported as file:line with what was expected."""
        fill(store, 2)
        lines = exported(store).splitlines(keepends=True)
        lines[1] = lines[1].replace('"version":1', '"version":"one"')
        copy = new_store()
        try:
            with pytest.raises(
                InvalidInput, match=r"ledger.jsonl:2:1: version: expected an integer"
            ) as e:
                copy.import_lines(lines, source="ledger.jsonl")
            assert e.value.problems[0].path == "version"
            assert copy.head().sequence == 0
        finally:
            copy.close()
