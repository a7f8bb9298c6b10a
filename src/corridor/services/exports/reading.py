"""One read of an operation for an export: its record as of a day, its days, its provenance.

An export must say which ledger state it shows, so a figure in a report can
be traced back: the operation, the last event it includes (sequence and
hash), the ledger's head and when it was made. The record is the same
`OperationRecord` the API serves, folded here from the operation's stream
up to the end of the asked day (all of it when no day is asked), and the
daily figures are folded in the same pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import Any, cast
from zoneinfo import ZoneInfo

import orjson

from corridor.domain.agreement import Agreement
from corridor.domain.clock import Clock, SystemClock, format_instant
from corridor.domain.events import GENESIS_HASH, RecordedEvent
from corridor.domain.operation import operation_stream
from corridor.domain.scenario import Scenario
from corridor.errors import InvalidInput, NotFound
from corridor.services.exports.daily import DailySeries
from corridor.services.exports.snapshots import KEEP_AFTER, Resumed, keep, resume
from corridor.services.live import OperationRecord, ResolveAgreement
from corridor.services.ports import LedgerStore

ScenarioOf = Callable[[str], Scenario]
"""A scenario by the id an operation was opened on (an adapter's job)."""


@dataclass(frozen=True)
class Provenance:
    """Which ledger state an export shows, and when it was made."""

    operation: str
    name: str
    sequence: int
    """The last event of the operation the export includes."""
    hash: str
    """That event's hash: recompute the chain up to it to check the export."""
    ledger_sequence: int
    ledger_hash: str
    generated_at: str
    """UTC instant the export was made."""
    as_of: str
    """End of the day shown (UTC instant), or the generation time for the whole record."""


@dataclass(frozen=True)
class OperationRead:
    """Everything an export is computed from."""

    record: OperationRecord
    scenario: Scenario
    series: DailySeries
    provenance: Provenance
    day: date | None
    """The day asked for, or None for the whole record."""
    kept: tuple[tuple[date, int], ...] = ()
    """Snapshots this read kept: the local day and sequence of the last event of each."""

    @property
    def days(self) -> list[date]:
        first, last = self.series.first_day, self.series.last_day
        if first is None or last is None:
            return []
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def parse_day(text: str | None) -> date | None:
    """A `YYYY-MM-DD` day as given on a command line or a query string."""
    if text is None or text == "":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"day: expected a date YYYY-MM-DD, found {text!r}") from None


def read_operation(
    ledger: LedgerStore,
    operation: str,
    *,
    scenario_of: ScenarioOf,
    resolve: ResolveAgreement | None = None,
    day: date | None = None,
    clock: Clock | None = None,
    snapshots: bool = True,
    keep_after: int | None = None,
    keep_days: bool = False,
    each_day: Callable[[Resumed, date], None] | None = None,
) -> OperationRead:
    """Fold `operation` from the ledger up to the end of `day` (or all of it).

    With `snapshots`, the fold starts from the newest sound snapshot
    before the cut and, when it folded `keep_after` events or more (default
    `KEEP_AFTER`; never none), keeps one where it stopped
    (`corridor.services.exports.snapshots`); with `keep_days` also at the
    end of every day it folds past. `each_day`, when given, is called
    instead of keeping: with the fold at the end of every day and at the
    end of the read (an audit of the snapshots kept). Refuses an empty ledger, an
    operation never opened, and a day on which the operation had not begun
    or had already no more events, naming the days it has.
    """
    now = format_instant((clock or SystemClock()).now())
    if ledger.head().sequence == 0:
        raise NotFound("the ledger is empty: no operation has been recorded in it")
    scenarios: list[Scenario] = []
    adopted: list[dict[str, Any]] = []

    def resolving(payload: dict[str, Any]) -> tuple[Agreement, Scenario]:
        assert resolve is not None
        agreement, scenario = resolve(payload)
        scenarios.append(scenario)
        adopted.append(payload)
        return agreement, scenario

    resolver = resolving if resolve is not None else None
    kept: list[tuple[date, int]] = []

    def day_ended(position: Resumed, day: date) -> None:
        position.adopted = adopted[-1] if adopted else None
        if each_day is not None:
            each_day(position, day)
        elif keep_at(ledger, position, resolver is not None):
            kept.append((day, position.sequence))

    stream = operation_stream(operation)
    source = events = ledger.read(stream=stream)
    try:
        first = next(events, None)
        if first is None or first.type != "operation-opened":
            raise NotFound(f"operation {operation!r} has not been opened in this ledger")
        scenario = scenario_of(first.data()["scenario"])
        zone = ZoneInfo(scenario.timezone)
        cut = end_of(day, zone) if day is not None else None
        first_day = _day_of(first.recorded_at, zone)
        if day is not None and day < first_day:
            raise InvalidInput(  # refused before reading the rest
                f"day: {day.isoformat()} is outside the operation, which began on "
                f"{first_day.isoformat()}"
            )
        resumed = resume(ledger, operation, cut, resolver) if snapshots else None
        if resumed is not None and resumed.scenario == scenario.id:
            _close(source)  # the snapshot stands for every event up to its own
            source = events = ledger.read(after=resumed.sequence, stream=stream)
            position = resumed
        else:
            del scenarios[:], adopted[:]
            position = Resumed(
                OperationRecord(operation, resolve=resolver),
                DailySeries(zone),
                scenario.id,
                first.recorded_at,
                first.recorded_at,
                0,
                GENESIS_HASH,
                None,
            )
            events = chain([first], events)
        every_day = keep_days or each_day is not None
        folded, latest = _fold(events, position, cut, day_ended if every_day else None)
    finally:
        # A refusal part-way must end the read here, on this thread: a
        # generator left to the garbage collector closes its cursor elsewhere.
        _close(source)
    record, series = position.record, position.series
    series.first_day = first_day
    series.last_day = max(first_day, series.day_of(latest))
    if day is not None:
        _check_day(day, series)
    if each_day is not None or (
        snapshots and folded > 0 and folded >= (KEEP_AFTER if keep_after is None else keep_after)
    ):
        day_ended(position, series.day_of(position.latest))
    head = ledger.head()  # after the read, so it is never behind the events included
    provenance = Provenance(
        operation=operation,
        name=record.name,
        sequence=position.sequence,
        hash=position.hash,
        ledger_sequence=head.sequence,
        ledger_hash=head.hash,
        generated_at=now,
        as_of=_last_instant(cut) if cut is not None else now,
    )
    chosen = scenarios[-1] if scenarios else scenario
    return OperationRead(record, chosen, series, provenance, day, tuple(kept))


def _close(events: Iterator[RecordedEvent]) -> None:
    close = getattr(events, "close", None)
    if close is not None:
        close()


def _day_of(recorded_at: str, zone: ZoneInfo) -> date:
    return datetime.fromisoformat(recorded_at.replace("Z", "+00:00")).astimezone(zone).date()


def keep_at(ledger: LedgerStore, position: Resumed, resolved: bool) -> bool:
    """Keep a snapshot at the last event folded, replacing earlier ones of its local day."""
    recorded_at = position.latest
    local = datetime.fromisoformat(recorded_at.replace("Z", "+00:00")).astimezone(
        position.series.zone
    )
    day_start = format_instant(datetime.combine(local.date(), time(), tzinfo=position.series.zone))
    return keep(ledger, position, recorded_at, resolved, day_start)


def _fold(
    events: Iterator[RecordedEvent],
    at: Resumed,
    cut: str | None,
    day_ended: Callable[[Resumed, date], None] | None = None,
) -> tuple[int, str]:
    """Apply `events` to the fold `at`, up to `cut` (the first instant after the day asked).

    `day_ended` is called with the fold and its day before the first event
    of each later local day.

    Moves `at` to the last event applied (its `latest` is that event's time,
    or a later one seen before it). Returns how many events were applied and
    the latest recorded time seen, the event that stopped the read included.
    """
    record, series = at.record, at.series
    applied, latest, seen = 0, at.latest, at.latest
    current = series.day_of(at.latest) if at.sequence else None
    for stored in events:
        if stored.recorded_at > seen:
            seen = stored.recorded_at
        if cut is not None and stored.recorded_at >= cut:
            # After the asked day. Events are stamped under the ledger's write
            # lock, so recorded times follow the sequence: nothing after this
            # one belongs to the day, and the rest of the stream (a quarter of
            # a long operation's read for a mid-operation day) is never fetched.
            break
        on = series.day_of(stored.recorded_at)
        if on != current:
            if day_ended is not None and current is not None:
                at.latest = latest
                day_ended(at, current)
            current = on
        event = _Parsed(stored)
        record.apply(cast(RecordedEvent, event))
        series.apply(event.type, event.data(), on)
        at.sequence, at.hash = event.sequence, event.hash
        latest = seen
        applied += 1
    at.latest = latest
    return applied, seen


class _Parsed:
    """A stored event whose payload is parsed once (orjson), however often it is read.

    The record and the daily figures both read every payload; parsing it
    once is a third of the cost of an export of a long operation.
    """

    __slots__ = ("_data", "actor", "hash", "recorded_at", "sequence", "stream", "type", "version")

    def __init__(self, event: RecordedEvent) -> None:
        self.sequence, self.stream, self.version = event.sequence, event.stream, event.version
        self.type, self.actor, self.recorded_at = event.type, event.actor, event.recorded_at
        self.hash = event.hash
        self._data = orjson.loads(event.payload)

    def data(self) -> Any:
        return self._data


def end_of(day: date, zone: ZoneInfo) -> str:
    """The first instant after `day` in `zone`, as the ledger writes instants."""
    return format_instant(datetime.combine(day + timedelta(days=1), time(), tzinfo=zone))


def _last_instant(cut: str) -> str:
    """The last instant before `cut`: the end of the asked day as a person reads it."""
    return format_instant(
        datetime.fromisoformat(cut.replace("Z", "+00:00")) - timedelta(microseconds=1)
    )


def _check_day(day: date, series: DailySeries) -> None:
    first, last = series.first_day, series.last_day
    if first is None or last is None or not first <= day <= last:
        raise InvalidInput(
            f"day: {day.isoformat()} is outside the operation, which has events from "
            f"{first.isoformat() if first else '?'} to {last.isoformat() if last else '?'}"
        )
