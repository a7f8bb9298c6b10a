"""Use cases of the registry: bulk import, duplicate candidates, merge, keep apart, reverse.

An import is one command: every row is checked first and any problem stops
it before anything is stored; then all vault rows go in one transaction and
all `person-registered` events in one ledger append. If the append fails,
the vault rows just written are deleted again, so nothing is half imported.
The file's SHA-256 is the command's idempotency key: importing the same file
twice registers nobody twice.

Duplicate candidates are scored over the operation's records, decrypted in
memory under one audit event; pairs involving a merged-away id, or settled
by a decision in force, are not proposed again. Only coordinator and
reception hold the right (`Permission.DEDUPLICATE`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from corridor.domain.clock import Clock, SystemClock, format_instant
from corridor.domain.event_types import PEOPLE_DECISION_REVERSED as DECISION_REVERSED
from corridor.domain.event_types import (
    PEOPLE_KEPT_APART,
    PEOPLE_MERGED,
    PERSON_REGISTERED,
    PERSONAL_DATA_READ,
)
from corridor.domain.events import NewEvent
from corridor.domain.operation import operation_stream
from corridor.errors import CorridorError, IntegrityError, InvalidInput, NotFound
from corridor.protection.access import Permission, Principal
from corridor.protection.duplicates import (
    Decision,
    Decisions,
    fold_decisions,
)
from corridor.protection.linkage import DEFAULT_THRESHOLD, Candidate, LinkageRecord, features
from corridor.protection.linkage import score as score_pairs
from corridor.protection.person import PersonRecord
from corridor.protection.registration import Context, check_header, check_rows, child_flag
from corridor.services.personal_data import PersonalData

OPENING_EVENTS = frozenset({"operation-opened", "scenario-loaded", "movement-declared"})
MAX_PROBLEMS_SHOWN = 200


@dataclass(frozen=True)
class Imported:
    """One registered row: where it was in the file, its new id, its own reference."""

    row: int
    person: str
    ref: str
    flag: str = ""
    """`unaccompanied` or `no-household` for a child reception must follow up (see
    `protection.registration.child_flag`); "" for everyone else."""


@dataclass(frozen=True)
class ImportResult:
    people: tuple[Imported, ...]
    replayed: bool
    """True when this very file had been imported before: nothing new was stored."""


@dataclass(frozen=True)
class ShownCandidate:
    """A candidate pair as a reviewer sees it: ids, references, weight and reasons."""

    left: str
    right: str
    left_ref: str
    right_ref: str
    weight: float
    probability: float
    reasons: tuple[str, ...]


@dataclass
class Registry:
    personal: PersonalData
    clock: Clock | None = None

    def _today(self) -> date:
        return (self.clock or SystemClock()).now().date()

    def _movements(self, operation: str) -> frozenset[str]:
        movements: set[str] = set()
        opened = False
        for event in self.personal.ledger.read(stream=operation_stream(operation)):
            if event.type not in OPENING_EVENTS:
                break
            opened = opened or event.type == "operation-opened"
            if event.type == "movement-declared":
                movements.add(event.data()["movement"])
        if not opened:
            raise NotFound(f"operation {operation!r} has not been opened")
        return frozenset(movements)

    # -- import ----------------------------------------------------------------

    def import_rows(
        self,
        who: Principal,
        operation: str,
        header: Sequence[str],
        rows: Sequence[tuple[int, dict[str, str]]],
        digest: str,
        source: str = "the file",
    ) -> ImportResult:
        """Register every row, or none: all problems are raised together first."""
        who.require(Permission.WRITE_PERSONAL, operation)
        key = f"people-import:{operation}:{digest}"
        done = self.personal.ledger.recorded_command(key)
        context = Context(self._today(), self._movements(operation))
        if done is not None:
            people = [e.data()["person"] for e in done.events]
            again, _problems = check_rows(rows, context)
            return ImportResult(
                tuple(
                    Imported(number, person, record.ref, child_flag(record, context.today))
                    for (number, _row), person, record in zip(rows, people, again, strict=False)
                ),
                True,
            )
        records: list[PersonRecord] = []
        problems = check_header(header)
        if not problems:
            records, problems = check_rows(rows, context)
        if problems:
            shown = [f"{source}: {p}" for p in problems[:MAX_PROBLEMS_SHOWN]]
            if len(problems) > MAX_PROBLEMS_SHOWN:
                shown.append(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
            shown.append(f"nothing was imported ({len(problems)} problems)")
            raise InvalidInput("\n".join(shown))
        if not records:
            raise InvalidInput(f"{source}: no rows to import")
        stamped = [
            replace(record, id=_imported_id(operation, digest, number))
            for record, (number, _row) in zip(records, rows, strict=True)
        ]
        self.personal.vault.put_many(
            [self.personal.sealed(operation, record) for record in stamped],
            format_instant((self.clock or SystemClock()).now()),
        )
        events = [
            NewEvent(
                operation_stream(operation),
                PERSON_REGISTERED,
                {"operation": operation, "person": record.id},
            )
            for record in stamped
        ]
        try:
            self.personal.ledger.append(events, actor=who.actor, idempotency_key=key)
        except (CorridorError, OSError):
            # The vault and the ledger are two transactions: undo the first.
            self.personal.vault.delete_many(operation, [r.id for r in stamped])
            raise
        return ImportResult(
            tuple(
                Imported(number, record.id, record.ref, child_flag(record, context.today))
                for record, (number, _row) in zip(stamped, rows, strict=True)
            ),
            False,
        )

    # -- duplicates ------------------------------------------------------------

    def decisions(self, operation: str) -> Decisions:
        return fold_decisions(
            (event.type, event.data(), event.actor, event.sequence)
            for event in self.personal.ledger.read(stream=operation_stream(operation))
            if event.type in (PEOPLE_MERGED, PEOPLE_KEPT_APART, DECISION_REVERSED)
        )

    def duplicates(
        self,
        who: Principal,
        operation: str,
        threshold: float | None = DEFAULT_THRESHOLD,
    ) -> list[ShownCandidate]:
        """Candidate pairs by person id, best first, with their match weight and reasons."""
        who.require(Permission.DEDUPLICATE, operation)
        self._movements(operation)
        decided = self.decisions(operation)
        merged = decided.merged_into()
        rows = [row for row in self.personal.vault.all(operation) if row.person not in merged]
        self.personal.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    PERSONAL_DATA_READ,
                    {
                        "operation": operation,
                        "person": None,
                        "purpose": "duplicate detection",
                        "scope": "all records of the operation",
                        "count": len(rows),
                    },
                )
            ],
            actor=who.actor,
        )
        records = {row.person: self.personal.open_stored(row) for row in rows}
        table = features(
            (_linkage_record(record) for record in records.values()),
            self.personal.cipher.keyed,
        )
        settled = decided.decided_pairs()
        return [
            _shown(candidate, records)
            for candidate in score_pairs(table, threshold=threshold)
            if (candidate.left, candidate.right) not in settled
        ]

    # -- decisions ---------------------------------------------------------------

    def _exists(self, operation: str, *people: str) -> None:
        for index, person in enumerate(people):
            if self.personal.vault.get(operation, person) is None:
                raise NotFound(
                    f"people[{index}]: no person {person} in operation {operation} (or erased)"
                )

    def merge(self, who: Principal, operation: str, kept: str, duplicate: str) -> Decision:
        """Record that `duplicate` is the same person as `kept` (by id; reversible)."""
        who.require(Permission.DEDUPLICATE, operation)
        if kept == duplicate:
            raise InvalidInput(f"duplicate: {duplicate} is the kept id itself; name another")
        self._exists(operation, kept, duplicate)
        state = self.decisions(operation)
        merged = state.merged_into()
        for field, person in (("kept", kept), ("duplicate", duplicate)):
            if person in merged:
                raise IntegrityError(
                    f"{field}: {person} was already merged into {merged[person]}; "
                    "reverse that merge first"
                )
        if duplicate in merged.values():
            raise IntegrityError(
                f"duplicate: others were merged into {duplicate}; merge them into {kept} instead"
            )
        pair = (min(kept, duplicate), max(kept, duplicate))
        for other in state.active.values():
            if other.kind == "kept-apart" and other.people == pair:
                raise IntegrityError(
                    f"{kept} and {duplicate} were kept apart by decision {other.id}; "
                    "reverse it first"
                )
        decision = "merge-" + secrets.token_hex(6)
        result = self.personal.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    PEOPLE_MERGED,
                    {
                        "operation": operation,
                        "decision": decision,
                        "kept": kept,
                        "duplicate": duplicate,
                    },
                )
            ],
            actor=who.actor,
        )
        return Decision(decision, "merged", (kept, duplicate), who.actor, result.last_sequence)

    def keep_apart(self, who: Principal, operation: str, left: str, right: str) -> Decision:
        """Record that two ids are different people: the pair is not proposed again."""
        who.require(Permission.DEDUPLICATE, operation)
        if left == right:
            raise InvalidInput(f"people[1]: {right} is the same id as people[0]")
        self._exists(operation, left, right)
        pair = (min(left, right), max(left, right))
        for other in self.decisions(operation).active.values():
            if (min(other.people), max(other.people)) == pair:
                raise IntegrityError(
                    f"{left} and {right} are already settled by decision {other.id} "
                    f"({other.kind}); reverse it first"
                )
        decision = "apart-" + secrets.token_hex(6)
        result = self.personal.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    PEOPLE_KEPT_APART,
                    {"operation": operation, "decision": decision, "people": list(pair)},
                )
            ],
            actor=who.actor,
        )
        return Decision(decision, "kept-apart", pair, who.actor, result.last_sequence)

    def reverse(self, who: Principal, operation: str, decision: str, reason: str) -> Decision:
        """Undo a merge (split the two ids again) or a keep-apart; the first event stays."""
        who.require(Permission.DEDUPLICATE, operation)
        reason = reason.strip()
        if not reason:
            raise InvalidInput("reason: say why the decision is reversed")
        if len(reason) > 500:
            raise InvalidInput("reason: at most 500 characters")
        state = self.decisions(operation)
        found = state.active.get(decision)
        if found is None:
            if decision in state.reversed:
                raise IntegrityError(f"decision {decision} was already reversed")
            raise NotFound(f"no decision {decision} in operation {operation}")
        if found.kind == "merged" and found.people[1] in {
            d.people[0] for d in state.active.values() if d.kind == "merged"
        }:
            raise IntegrityError(
                f"others were merged into {found.people[1]} since; reverse those first"
            )
        self.personal.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    DECISION_REVERSED,
                    {
                        "operation": operation,
                        "decision": decision,
                        "kind": found.kind,
                        "people": list(found.people),
                        "reason": reason,
                    },
                )
            ],
            actor=who.actor,
        )
        return found


def _imported_id(operation: str, digest: str, row: int) -> str:
    text = f"{operation}\n{digest}\n{row}"
    return "person-" + hashlib.sha256(text.encode()).hexdigest()[:24]


def _linkage_record(record: PersonRecord) -> LinkageRecord:
    return LinkageRecord(
        person=record.id,
        name=record.full_name,
        birth_year=record.year_of_birth,
        sex=record.sex,
        household=record.household,
        origin=record.origin,
    )


def _shown(candidate: Candidate, records: dict[str, PersonRecord]) -> ShownCandidate:
    return ShownCandidate(
        left=candidate.left,
        right=candidate.right,
        left_ref=records[candidate.left].ref,
        right_ref=records[candidate.right].ref,
        weight=candidate.weight,
        probability=candidate.probability,
        reasons=candidate.reasons,
    )
