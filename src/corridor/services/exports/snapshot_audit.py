"""Hold every kept snapshot of an operation's fold to a fold from its first event.

A snapshot is a cache beside the chain (decision 0029): the chain vouches for
the events, not for the snapshot's body, so someone able to write to the
database could store a body that passes every check a read makes and change
what later exports say. An audit folds the operation from its first event,
without snapshots, and at the end of every day (and at the head) compares the
body it would keep with the one stored there. A body that differs is
replaced by the fold's and named; a day with none, or with one kept part-way
through the day, gets the day's end. So after an audit every snapshot is one
the events themselves give, and the report says which were not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from corridor.services.exports.handlers import ExportWorld
from corridor.services.exports.reading import Provenance, end_of, keep_at, read_operation
from corridor.services.exports.snapshots import CODE, FORM, Resumed, body_of, stored_body
from corridor.services.ports import LedgerStore


@dataclass
class SnapshotAudit:
    """What an audit found: snapshots held to the fold, those that differed, those added."""

    sound: list[tuple[date, int]] = field(default_factory=list)
    """Each day whose snapshot was the fold's, and the ledger event it stands at."""
    differed: list[tuple[date, int]] = field(default_factory=list)
    """Each day whose stored snapshot differed from the fold (replaced when the ledger allows)."""
    added: list[tuple[date, int]] = field(default_factory=list)
    """Each day that had no snapshot at its end, now kept."""
    provenance: Provenance | None = None

    @property
    def ok(self) -> bool:
        return not self.differed


def audit_snapshots(ledger: LedgerStore, operation: str, world: ExportWorld) -> SnapshotAudit:
    """Fold `operation` from its first event and hold each stored snapshot to it."""
    audit = SnapshotAudit()
    resolved = world.resolve is not None

    def hold(position: Resumed, day: date) -> None:
        found = ledger.fold_snapshot(operation, FORM, CODE, end_of(day, position.series.zone))
        at = (day, position.sequence)
        if found is None or found.sequence != position.sequence:
            if keep_at(ledger, position, resolved):
                audit.added.append(at)
            return
        expected = hashlib.sha256(body_of(position, resolved)).hexdigest()
        body = stored_body(found)
        if (
            body is not None
            and found.digest == expected
            and hashlib.sha256(body).hexdigest() == expected
            and found.hash == position.hash
        ):
            audit.sound.append(at)
        else:
            audit.differed.append(at)
            keep_at(ledger, position, resolved)

    read = read_operation(
        ledger,
        operation,
        scenario_of=world.scenario_of,
        resolve=world.resolve,
        clock=world.clock,
        snapshots=False,
        each_day=hold,
    )
    audit.provenance = read.provenance
    return audit
