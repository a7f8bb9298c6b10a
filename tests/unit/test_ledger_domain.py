"""The pure parts of the ledger: canonical JSON, the chain, the fold and the command pipeline."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.adapters.ledger.memory import MemoryLedgerStore
from corridor.adapters.scenario_file import load_bundled
from corridor.bootstrap import services_over
from corridor.domain.canonical import CanonicalError, canonical_json
from corridor.domain.chain import GENESIS_HASH, event_hash, export_line, verify_events
from corridor.domain.clock import SteppingClock, format_instant, parse_instant
from corridor.domain.events import NewEvent
from corridor.domain.fold import Reducers
from corridor.domain.operation import operation_stream, operations
from corridor.domain.scenario import Scenario
from corridor.domain.state import fold
from corridor.errors import ConcurrencyError, IntegrityError, NotFound
from corridor.services.bus import handle
from corridor.services.commands import OpenOperation, RecordNote
from corridor.services.live import ATTEMPTS
from corridor.services.payloads import parse_payload
from tests.support.ledger_contract import START, clock


@pytest.fixture(scope="module")
def tiny_scenario() -> Scenario:
    """The small bundled scenario."""
    return load_bundled("tiny")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(exclude_categories=["Cs"])),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_canonical_json_reads_back_to_the_same_value_and_the_same_text(value: Any) -> None:
    """Parsing canonical text gives the value back, and re-encoding it gives the same bytes."""
    text = canonical_json(value)
    assert json.loads(text) == value or (isinstance(value, float) and math.isnan(value))
    assert canonical_json(json.loads(text)) == text


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_utf8() -> None:
    """Keys in code-point order, `,` and `:` only, non-ASCII written as itself."""
    assert (
        canonical_json({"b": 1, "a": [1.5, "حلب"], "A": None}) == '{"A":null,"a":[1.5,"حلب"],"b":1}'
    )


@pytest.mark.parametrize("bad", [math.nan, -math.inf, {1: "x"}, {"x": {1, 2}}, "\udc00"])
def test_values_json_cannot_carry_faithfully_are_refused(bad: Any) -> None:
    """NaN, infinity, non-string keys, sets and lone surrogates have no canonical form."""
    with pytest.raises(CanonicalError):
        canonical_json(bad)


def test_the_stepping_clock_gives_fixed_increasing_utc_instants() -> None:
    """A stepping clock starts where told and moves one second per reading."""
    ticking = SteppingClock(START)
    assert [format_instant(ticking.now()) for _ in range(2)] == [
        "2016-12-15T05:00:00.000000Z",
        "2016-12-15T05:00:01.000000Z",
    ]
    assert format_instant(parse_instant("2016-12-15T08:00:00+03:00")) == (
        "2016-12-15T05:00:00.000000Z"
    )
    with pytest.raises(ValueError, match="no timezone"):
        parse_instant("2016-12-15T05:00:00")


def _ledger() -> MemoryLedgerStore:
    store = MemoryLedgerStore(clock())
    store.append([NewEvent("s", "t", {"n": n}) for n in range(3)], actor="a")
    return store


def test_the_first_event_chains_to_sixty_four_zeros_and_hashes_its_content() -> None:
    """Genesis previous hash is 64 zeros; the hash covers the canonical event."""
    first, second, _ = _ledger().rows
    assert first.previous_hash == GENESIS_HASH == "0" * 64
    assert second.previous_hash == first.hash == event_hash(first)
    line = json.loads(export_line(first))
    assert line["payload"] == {"n": 0}
    assert line["hash"] == first.hash


def test_verify_events_accepts_a_sound_chain_and_stops_at_a_repeat() -> None:
    """A repeated row is named at the sequence where it appears again."""
    rows = _ledger().rows
    assert verify_events(rows).ok
    report = verify_events([rows[0], rows[1], rows[1]])
    assert report.first_bad_sequence == 2
    assert "appears again" in (report.problem or "")


def _opened(scenario: Scenario) -> MemoryLedgerStore:
    store = MemoryLedgerStore(clock())
    handle(services_over(store), OpenOperation("op", scenario.id), "coordinator", "open-op")
    _note(store, "convoy 1 held at Ramouseh")
    return store


def _note(store: MemoryLedgerStore, text: str, operation: str = "op") -> Any:
    return handle(services_over(store), RecordNote(operation, text), "monitor").result


def test_replaying_the_same_events_gives_a_byte_identical_state(
    tiny_scenario: Scenario,
) -> None:
    """Two folds of one ledger, and a fold of its copy, dump the same bytes."""
    store = _opened(tiny_scenario)
    copy = MemoryLedgerStore(clock())
    copy.import_lines(export_line(e) + "\n" for e in store.rows)
    dumps = {store.replay().dump(), store.replay().dump(), fold(copy.read()).dump()}
    assert len(dumps) == 1
    state = store.replay()
    (operation,) = operations(state.document)
    assert operation.scenario is not None
    assert operation.scenario["people"] == tiny_scenario.people()
    assert set(operation.movements) == {m.id for m in tiny_scenario.movements}
    assert [n["text"] for n in operation.notes] == ["convoy 1 held at Ramouseh"]
    # opened, scenario loaded, one event per movement, the clock, the note
    assert state.version(operation_stream("op")) == 4 + len(tiny_scenario.movements)


def test_a_different_event_gives_a_different_state_dump(tiny_scenario: Scenario) -> None:
    """The dump reflects content: one more note changes it."""
    store = _opened(tiny_scenario)
    before = store.replay().dump()
    _note(store, "second note")
    assert store.replay().dump() != before


def test_event_types_without_a_reducer_are_skipped() -> None:
    """A newer ledger's unknown events do not stop an older fold."""
    store = MemoryLedgerStore(clock())
    store.append([NewEvent("x", "from-the-future", {"a": 1})])
    state = fold(store.read())
    assert state.document == {}
    assert state.head == store.head()


def test_a_reducer_table_takes_one_reducer_per_type() -> None:
    """Registering a second reducer for a type is a programming error, caught early."""
    table = Reducers()
    table.on("t")(lambda document, event, data: None)
    with pytest.raises(ValueError, match="already has a reducer"):
        table.on("t")(lambda document, event, data: None)


def test_opening_an_operation_twice_is_refused(tiny_scenario: Scenario) -> None:
    """An operation is opened once; the second attempt appends nothing."""
    store = _opened(tiny_scenario)
    head = store.head()
    with pytest.raises(IntegrityError, match="already open"):
        handle(services_over(store), OpenOperation("op", "tiny"), "coordinator")
    assert store.head() == head


def test_a_retried_opening_with_its_key_returns_the_first_result(tiny_scenario: Scenario) -> None:
    """The idempotency key makes a retried opening a no-op returning the first events."""
    store = _opened(tiny_scenario)
    again = handle(services_over(store), OpenOperation("op", "tiny"), "coordinator", "open-op")
    assert again.result.replayed
    assert again.result.first_sequence == 1


def test_a_note_on_an_unknown_operation_is_not_found() -> None:
    """Notes need an opened operation."""
    with pytest.raises(NotFound, match="'nowhere'"):
        _note(MemoryLedgerStore(clock()), "text", operation="nowhere")


class _Contended(MemoryLedgerStore):
    """A store where another writer slips in before the first `races` appends."""

    def __init__(self, races: int) -> None:
        super().__init__(SteppingClock(START))
        self.races = races
        self.attempts = 0

    def append(self, events: Any, expected_versions: Any = None, **kw: Any) -> Any:
        self.attempts += 1
        if self.races:
            self.races -= 1
            super().append([NewEvent("operation/op", "other-writer", {"n": self.races})])
        return super().append(events, expected_versions, **kw)


def test_a_command_decides_again_after_losing_a_race(tiny_scenario: Scenario) -> None:
    """A ConcurrencyError makes the command catch up and decide on the newer record."""
    store = _Contended(races=0)
    handle(services_over(store), OpenOperation("op", "tiny"), "coordinator")
    store.races = 2
    result = _note(store, "mine")
    others = [e for e in store.rows if e.type == "other-writer"]
    assert len(others) == 2
    assert result.events[0].version == others[-1].version + 1
    assert [e.type for e in store.rows].count("note-recorded") == 1


def test_a_command_gives_up_after_its_attempts(tiny_scenario: Scenario) -> None:
    """Endless contention ends in ConcurrencyError, with nothing of ours written."""
    store = _Contended(races=0)
    handle(services_over(store), OpenOperation("op", "tiny"), "coordinator")
    store.races = 10 * ATTEMPTS
    with pytest.raises(ConcurrencyError):
        _note(store, "mine")
    assert "note-recorded" not in {e.type for e in store.rows}


@pytest.mark.parametrize(
    "text",
    ['{"a":123456789012345678901234567890}', '{"a":-9223372036854775809,"b":[0.1,1e-7]}'],
)
def test_payload_parsing_keeps_integers_of_any_size(text: str) -> None:
    """The fast payload parser gives the same values as the standard one."""
    assert parse_payload(text) == json.loads(text)
    assert canonical_json(parse_payload(text)) == canonical_json(json.loads(text))
