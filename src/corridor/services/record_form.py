"""An operation's live record as plain JSON values and back, for a snapshot of the fold.

`record_form` writes what folding the stream put into an `OperationRecord`:
its movements, custody book, claims, incidents, decisions, clock, agreement
state and stream position. The deal and its scenario are not written: the
form keeps the `agreement-adopted` payload, and `record_from_form` hands it
to the same resolver the fold calls, so the rulebook and the door's world
are built exactly as a full fold builds them. Mappings keyed by tuples are
written as lists of rows; JSON objects keep the fold's insertion order,
which the encoding (`corridor.services.exports.snapshots`) preserves.
"""

from __future__ import annotations

from typing import Any

from corridor.domain.agreement import AgreementState
from corridor.domain.agreement.state_form import state_form, state_from_form
from corridor.domain.custody_form import book_form, book_from_form
from corridor.domain.door import World
from corridor.domain.figures import Claimant, ClaimRecorded, Figure
from corridor.domain.operation_clock import OperationClock
from corridor.services.live import OperationRecord, ResolveAgreement

__all__ = ["record_form", "record_from_form"]


def record_form(record: OperationRecord, adopted: dict[str, Any] | None) -> dict[str, Any]:
    """`record` as lists, strings and numbers; `adopted` is the last deal payload it applied."""
    if (adopted is None) != (record.agreement is None):
        raise ValueError("the adopted deal and the record's agreement state go together")
    return {
        "id": record.id,
        "opened": record.opened,
        "name": record.name,
        "scenario": record.scenario,
        "movements": record.movements,
        "book": book_form(record.book),
        "claims": [
            [c.movement, c.figure.value, c.value, c.claimant.value, c.by, c.source, c.stated_at]
            for c in record.claims
        ],
        "incidents": record.incidents,
        "version": record.version,
        "last_sequence": record.last_sequence,
        "adopted": adopted,
        "agreement": None if record.agreement is None else state_form(record.agreement),
        "clock": record.clock.payload(),
        "decisions": record.decisions,
    }


def record_from_form(form: dict[str, Any], resolve: ResolveAgreement | None) -> OperationRecord:
    """The record `record_form` wrote, its deal resolved again through `resolve`."""
    record = OperationRecord(form["id"], resolve=resolve)
    record.opened, record.name, record.scenario = form["opened"], form["name"], form["scenario"]
    record.movements = form["movements"]
    record.book = book_from_form(form["book"])
    record.claims = [
        ClaimRecorded(m, Figure(f), value, Claimant(c), by, source, at)
        for m, f, value, c, by, source, at in form["claims"]
    ]
    record.incidents = form["incidents"]
    record.version, record.last_sequence = form["version"], form["last_sequence"]
    record.clock = OperationClock.from_payload(form["clock"])
    record.decisions = form["decisions"]
    adopted, state = form["adopted"], form["agreement"]
    if adopted is not None and state is not None and resolve is not None:
        agreement, scenario = resolve(adopted)
        record.agreement = state_from_form(AgreementState.start(agreement, scenario), state)
        record.world = scenario
        record.book.world = World.of(scenario, agreement.incident_kinds)
    elif adopted is not None and resolve is not None:
        raise ValueError("a record with a deal adopted must carry its agreement state")
    return record
