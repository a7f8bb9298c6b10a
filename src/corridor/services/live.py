"""The live record of operations, and running custody commands against the ledger.

`LiveOperations` keeps, per operation, a projection folded from the
operation's stream: whether it is open, its movements, the custody book,
figure claims and incidents. It catches up by reading only the events after
the last one it saw, and only when the ledger's head has moved since it last
looked, so a read costs one tiny query however long the ledger. Views built
from a record (`view`) are kept until the record changes; the events a
command appended are applied to the record at once when nothing else was
appended in between, so a write is one append and no read.

A command is decided on a copy of the projection and appended with the
stream's version as the expected version, first on the projection as this
process last left it (without asking for the head). When another process
appended first, the ledger refuses with `ConcurrencyError`, nothing is written, and
the command is decided again on the caught-up record: concurrent writers
from several processes lose nothing and double nothing. The server retries
(up to ATTEMPTS decisions, waiting a random share of an exponential backoff
between them, so competing processes spread out) rather than answering a valid
command with "reload and retry". With an idempotency key a retried command
returns the first command's events.
"""

from __future__ import annotations

import copy
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from corridor.domain.agreement import EVENT_TYPES as AGREEMENT_TYPES
from corridor.domain.agreement import (
    Agreement,
    AgreementState,
    DecisionRecorded,
    event_from_payload,
)
from corridor.domain.custody import CustodyBook, CustodyEvent, CustodyRefused, PeopleRegistered
from corridor.domain.custody_codec import EVENT_TYPES, event_type, from_payload, to_payload
from corridor.domain.door import Rejected, World
from corridor.domain.event_types import AGREEMENT_ADOPTED as ADOPTED_TYPE
from corridor.domain.events import AppendResult, NewEvent, RecordedEvent
from corridor.domain.figures import Claimant, ClaimRecorded, Figure
from corridor.domain.operation import operation_stream
from corridor.domain.operation_clock import ClockSet, OperationClock
from corridor.domain.scenario import Group, Scenario
from corridor.errors import ConcurrencyError, CorridorError, IntegrityError, NotFound
from corridor.services.door import rejected_input
from corridor.services.ports import LedgerStore

ATTEMPTS = 40
"""Decisions one command may take while other writers keep appending first."""
BACKOFF_SECONDS = 0.002
"""The first wait after a conflict; it doubles with each one, up to BACKOFF_CAP."""
BACKOFF_CAP = 0.05
CLAIM_TYPE = ClaimRecorded.TYPE
INCIDENT_TYPES = ("incident-reported", "incident-verified", "incident-refuted")

ResolveAgreement = Callable[[dict[str, Any]], tuple[Agreement, Scenario]]
"""Turns an `agreement-adopted` payload into the deal and its scenario (an adapter's job)."""


@dataclass
class OperationRecord:
    """What the API reads about one operation, folded from its stream."""

    id: str
    opened: bool = False
    name: str = ""
    scenario: str = ""
    movements: dict[str, dict[str, Any]] = field(default_factory=dict)
    book: CustodyBook = field(default_factory=CustodyBook)
    claims: list[ClaimRecorded] = field(default_factory=list)
    incidents: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: int = 0
    last_sequence: int = 0
    resolve: ResolveAgreement | None = None
    agreement: AgreementState | None = None
    world: Scenario | None = None
    """The scenario the operation's deal was adopted on (None: no deal recorded)."""
    clock: OperationClock = field(default_factory=OperationClock.live)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    checked_head: int = -1
    """The ledger's head when the record was last caught up: no read while it stays."""
    views: dict[str, Any] = field(default_factory=dict)
    """Views built from this state, by name; emptied by every event applied."""

    def apply(self, event: RecordedEvent) -> None:
        if self.views:
            self.views = {}
        self.version = event.version
        self.last_sequence = event.sequence
        kind = event.type
        if kind in EVENT_TYPES:
            self.book.apply(from_payload(kind, event.data()))
            return
        if kind in AGREEMENT_TYPES:
            fact = event_from_payload(kind, event.data())
            if self.agreement is not None:
                self.agreement = self.agreement.apply(fact)
            if isinstance(fact, DecisionRecorded):
                self.decisions.append(
                    {
                        "sequence": event.sequence,
                        "actor": event.actor,
                        "recorded_at": event.recorded_at,
                        "request": fact.request.payload(),
                        "decision": fact.decision.payload(),
                    }
                )
        if kind == ADOPTED_TYPE and self.resolve is not None:
            agreement, scenario = self.resolve(event.data())
            self.agreement = AgreementState.start(agreement, scenario)
            self.world = scenario
            self.book.world = World.of(scenario, agreement.incident_kinds)
        if kind == ClockSet.TYPE:
            self.clock = OperationClock.from_payload(event.data()["clock"])
        if kind not in _INTERESTING:
            return
        data = event.data()
        if kind == "operation-opened":
            self.opened, self.name, self.scenario = True, data["name"], data["scenario"]
        elif kind == "movement-declared":
            movement = data["movement"]
            self.movements[movement] = {
                key: data[key] for key in ("name", "origin", "corridor", "destinations")
            }
            for group, count in sorted(data["people"].items()):
                if count > 0:
                    self.book.apply(
                        PeopleRegistered(movement, data["origin"], Group(group), int(count))
                    )
        elif kind == CLAIM_TYPE:
            self.claims.append(
                ClaimRecorded(
                    movement=data["movement"],
                    figure=Figure(data["figure"]),
                    value=int(data["value"]),
                    claimant=Claimant(data["claimant"]),
                    by=data["by"],
                    source=data["source"],
                    stated_at=data["stated_at"],
                )
            )
        elif kind == "incident-reported":
            self.incidents[data["incident"]] = {**data, "status": "reported", "by": event.actor}
        elif kind in ("incident-verified", "incident-refuted"):
            found = self.incidents.get(data["incident"])
            if found is not None:
                found["status"] = kind.removeprefix("incident-")
                found["checked_by"] = data["monitor"]


_INTERESTING = frozenset({"operation-opened", "movement-declared", CLAIM_TYPE, *INCIDENT_TYPES})


class LiveOperations:
    """Projections of every operation one process serves, kept current from the ledger."""

    def __init__(self, ledger: LedgerStore, resolve: ResolveAgreement | None = None) -> None:
        self.ledger = ledger
        self.resolve = resolve
        self._records: dict[str, OperationRecord] = {}
        self._lock = threading.RLock()

    def _caught_up(self, operation: str) -> OperationRecord:
        record = self._records.get(operation)
        if record is None:
            record = self._records[operation] = OperationRecord(operation, resolve=self.resolve)
        head = self.ledger.head().sequence
        if head == record.checked_head:
            return record  # nothing appended anywhere since the last look
        for event in self.ledger.read(
            after=record.last_sequence, stream=operation_stream(operation)
        ):
            record.apply(event)
        # Appends are serial, so every event up to `head` was in that read.
        record.checked_head = max(head, record.last_sequence)
        return record

    def _appended(self, operation: str, result: AppendResult) -> None:
        """Apply a command's own events when they follow the record's last look directly."""
        with self._lock:
            record = self._records.get(operation)
            if record is None or result.replayed:
                return
            if result.first_sequence != record.checked_head + 1:
                return  # others appended in between: the next read catches up
            stream = operation_stream(operation)
            for event in result.events:
                if event.stream == stream:
                    record.apply(event)
            record.checked_head = result.last_sequence

    def read(self, operation: str, reader: Callable[[OperationRecord], Any]) -> Any:
        """Apply `reader` to the current record of an open operation."""
        with self._lock:
            record = self._caught_up(operation)
            if not record.opened:
                raise NotFound(f"operation {operation!r} has not been opened")
            return reader(record)

    def view(self, operation: str, name: str, build: Callable[[OperationRecord], Any]) -> Any:
        """`build` applied to the current record of an open operation, kept until it changes.

        `name` must tell apart every different `build` (a view and whom it is for).
        """
        with self._lock:
            record = self._caught_up(operation)
            if not record.opened:
                raise NotFound(f"operation {operation!r} has not been opened")
            if name not in record.views:
                record.views[name] = build(record)
            return record.views[name]

    def current_view(self, operation: str, name: str) -> Any | None:
        """The kept view `name` if the ledger has not moved since; never waits, never reads.

        None means: ask `view` (the record is busy, stale, or the view not built).
        """
        if not self._lock.acquire(blocking=False):
            return None
        try:
            record = self._records.get(operation)
            if record is None or name not in record.views:
                return None
            try:
                if self.ledger.head().sequence != record.checked_head:
                    return None
            except CorridorError:
                return None
            return record.views[name]
        finally:
            self._lock.release()

    def known(self, operation: str) -> bool:
        with self._lock:
            return self._caught_up(operation).opened

    def command(
        self,
        operation: str,
        decide: Callable[[OperationRecord], Sequence[NewEvent]],
        actor: str,
        idempotency_key: str | None = None,
        opening: bool = False,
    ) -> AppendResult:
        """Decide on the current record and append; decide again if another writer was first.

        `opening` is for the command that opens the operation: it requires the
        operation not to be open yet, where every other command requires it open.
        """
        stream = operation_stream(operation)
        for attempt in range(1, ATTEMPTS + 1):
            with self._lock:
                # The first attempt decides on the record as this process last
                # left it, without asking the ledger's head: a stale decision is
                # refused by the expected version and decided again on the
                # caught-up record, and so is any refusal made on a stale record.
                known = self._records.get(operation)
                if attempt == 1 and known is not None and known.opened and not opening:
                    try:
                        record, events = known, self._decide(known, decide, opening)
                    except CorridorError:
                        record = self._caught_up(operation)
                        events = self._decide(record, decide, opening)
                else:
                    record = self._caught_up(operation)
                    events = self._decide(record, decide, opening)
                expected = {stream: record.version}
            try:
                result = self.ledger.append(
                    events, expected, actor=actor, idempotency_key=idempotency_key
                )
            except ConcurrencyError:
                if attempt == ATTEMPTS:
                    raise
                if attempt > 1:
                    # Spread the retries of competing processes so they do not collide again.
                    wait = min(BACKOFF_CAP, BACKOFF_SECONDS * 2 ** (attempt - 2))
                    time.sleep(random.uniform(0, wait))
                continue
            self._appended(operation, result)
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    @staticmethod
    def _decide(
        record: OperationRecord,
        decide: Callable[[OperationRecord], Sequence[NewEvent]],
        opening: bool,
    ) -> list[NewEvent]:
        if opening and record.opened:
            raise IntegrityError(f"operation {record.id!r} is already open")
        if not opening and not record.opened:
            raise NotFound(f"operation {record.id!r} has not been opened")
        # Commands change only the custody book of the record they are
        # given (the agreement state is immutable; the rest changes only
        # by applying stored events), so a copy of the book suffices.
        trial = copy.copy(record)
        trial.book = record.book.copy()
        try:
            return list(decide(trial))
        except CustodyRefused as refused:
            raise IntegrityError(str(refused)) from None
        except Rejected as rejected:
            raise rejected_input(rejected) from None

    def custody(
        self,
        operation: str,
        step: Callable[[CustodyBook], list[CustodyEvent]],
        actor: str,
        idempotency_key: str | None = None,
    ) -> AppendResult:
        """Run one custody command (its events, alerts included, are one ledger command)."""
        stream = operation_stream(operation)

        def decide(record: OperationRecord) -> list[NewEvent]:
            return [NewEvent(stream, event_type(e), to_payload(e)) for e in step(record.book)]

        return self.command(operation, decide, actor, idempotency_key)
