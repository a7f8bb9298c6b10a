"""The hash chain: how events are sealed on append and checked by `verify`.

Each event's hash is SHA-256 over the previous event's hash (hex) followed by
the canonical JSON of the event without its hashes:

    hash = sha256(previous_hash + canonical_json({actor, command,
                  idempotency_key, payload, recorded_at, sequence, stream,
                  type, version}))

The first event's previous hash is 64 zeros. Because the sequence number is
inside the hash, a row that is moved, deleted or inserted breaks the chain at
that point, not only a row whose content changed. The stored payload is already
canonical JSON text, so it is spliced into the document as it is: the result
is exactly the canonical JSON of the whole event, built without re-encoding.

`verify` runs over a million rows, so `ChainChecker.check_rows` takes plain
rows in batches and does every check in one loop; at the first row that
fails any of them it hands that row to `check`, which finds and words the
problem exactly as it does for events one by one.

A chain without a secret key proves order and integrity against accidents and
careless edits, not against someone who rewrites every later hash; the export
(whose last hash can be kept elsewhere) is the anchor for that.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from hashlib import sha256

from corridor.domain.events import GENESIS_HASH, Head, RecordedEvent

__all__ = [
    "GENESIS_HASH",
    "ChainChecker",
    "StoredRow",
    "VerifyReport",
    "event_document",
    "event_hash",
    "export_line",
    "seal",
    "verify_events",
]

StoredRow = tuple[int, str, int, str, str, str, str, str | None, int, str, str]
"""A stored event's columns in `RecordedEvent`'s field order, as a store reads them."""

# The C string encoder of the json module, UTF-8 as itself: the same text
# `json.dumps(text, ensure_ascii=False)` gives, without its per-call overhead.
_quote = json.encoder.encode_basestring


def event_document(event: RecordedEvent) -> str:
    """Canonical JSON of the event without `hash` and `previous_hash`."""
    return _document(
        event.actor,
        event.command,
        event.idempotency_key,
        event.payload,
        event.recorded_at,
        event.sequence,
        event.stream,
        event.type,
        event.version,
    )


def _document(
    actor: str,
    command: int,
    key: str | None,
    payload: str,
    recorded_at: str,
    sequence: int,
    stream: str,
    event_type: str,
    version: int,
) -> str:
    quoted_key = "null" if key is None else _quote(key)
    return (
        f'{{"actor":{_quote(actor)},"command":{command},'
        f'"idempotency_key":{quoted_key},"payload":{payload},'
        f'"recorded_at":{_quote(recorded_at)},"sequence":{sequence},'
        f'"stream":{_quote(stream)},"type":{_quote(event_type)},'
        f'"version":{version}}}'
    )


def event_hash(event: RecordedEvent) -> str:
    """The hash the event must carry, given its stored previous hash."""
    return _digest(event.previous_hash, event_document(event))


def _digest(previous_hash: str, document: str) -> str:
    return hashlib.sha256((previous_hash + document).encode("utf-8")).hexdigest()


def export_line(event: RecordedEvent) -> str:
    """Canonical JSON of the whole event, hashes included (one JSON Lines row)."""
    key = "null" if event.idempotency_key is None else _quote(event.idempotency_key)
    return (
        f'{{"actor":{_quote(event.actor)},"command":{event.command},'
        f'"hash":{_quote(event.hash)},"idempotency_key":{key},"payload":{event.payload},'
        f'"previous_hash":{_quote(event.previous_hash)},'
        f'"recorded_at":{_quote(event.recorded_at)},"sequence":{event.sequence},'
        f'"stream":{_quote(event.stream)},"type":{_quote(event.type)},'
        f'"version":{event.version}}}'
    )


def seal(
    drafts: Sequence[tuple[str, str, str]],
    *,
    head: Head,
    versions: Mapping[str, int],
    actor: str,
    recorded_at: str,
    idempotency_key: str | None,
) -> tuple[RecordedEvent, ...]:
    """Number, version and chain one command's events after `head`.

    `drafts` are `(stream, type, canonical payload text)`; `versions` holds the
    current version of every stream the drafts name (0 for a new stream).
    """
    current = dict(versions)
    previous = head.hash
    command = head.sequence + 1
    sealed: list[RecordedEvent] = []
    for offset, (stream, event_type, payload) in enumerate(drafts):
        sequence = command + offset
        version = current[stream] = current.get(stream, 0) + 1
        key = idempotency_key if offset == 0 else None
        digest = _digest(
            previous,
            _document(
                actor, command, key, payload, recorded_at, sequence, stream, event_type, version
            ),
        )
        sealed.append(
            RecordedEvent(
                sequence,
                stream,
                version,
                event_type,
                payload,
                actor,
                recorded_at,
                key,
                command,
                previous,
                digest,
            )
        )
        previous = digest
    return tuple(sealed)


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of checking a ledger: how far it is sound, and the first bad row."""

    events: int
    """Events checked before the first problem (all of them when `ok`)."""
    head: Head
    """The last sound event."""
    first_bad_sequence: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_sequence is None

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "events": self.events,
            "head": {"sequence": self.head.sequence, "hash": self.head.hash},
            "first_bad_sequence": self.first_bad_sequence,
            "problem": self.problem,
        }


class ChainChecker:
    """Walks events in stored order and stops at the first that breaks the chain.

    Checks, for each event: the sequence is the next number (no gap, no
    repeat, no reordering); its previous hash is the hash of the event before;
    its own hash matches its content; its version is the next of its stream;
    its command starts here or continues the command of the event before.
    """

    def __init__(self) -> None:
        self.events = 0
        # The last sound event's sequence and hash, kept as plain attributes:
        # this runs once per event of a million-event ledger.
        self._sequence = 0
        self._hash = GENESIS_HASH
        self._versions: dict[str, int] = {}
        self._command = 0
        self.first_bad_sequence: int | None = None
        self.problem: str | None = None

    @property
    def head(self) -> Head:
        return Head(self._sequence, self._hash)

    def check(self, event: RecordedEvent) -> bool:
        """True when `event` extends the chain soundly; otherwise records why."""
        problem = self._problem(event)
        if problem is not None:
            self.first_bad_sequence, self.problem = problem
            return False
        self.events += 1
        self._sequence = event.sequence
        self._hash = event.hash
        self._versions[event.stream] = event.version
        self._command = event.command
        return True

    def check_rows(self, rows: Iterable[StoredRow]) -> bool:
        """`check` for each row in order, in one loop; False at the first bad row."""
        sequence, digest, command = self._sequence, self._hash, self._command
        versions = self._versions
        document = _document
        sound = 0
        for row in rows:
            (
                number,
                stream,
                version,
                kind,
                payload,
                actor,
                at,
                key,
                in_command,
                previous,
                stored,
            ) = row
            if (
                number != sequence + 1
                or previous != digest
                or version != versions.get(stream, 0) + 1
                or (in_command != number and in_command != command)
                or sha256(
                    (
                        previous
                        + document(
                            actor, in_command, key, payload, at, number, stream, kind, version
                        )
                    ).encode("utf-8")
                ).hexdigest()
                != stored
            ):
                self._settle(sound, sequence, digest, command)
                if not self.check(RecordedEvent(*row)):
                    return False
                sequence, digest, command, sound = self._sequence, self._hash, self._command, 0
                continue
            versions[stream] = version
            sequence, digest, command = number, stored, in_command
            sound += 1
        self._settle(sound, sequence, digest, command)
        return True

    def _settle(self, sound: int, sequence: int, digest: str, command: int) -> None:
        self.events += sound
        self._sequence, self._hash, self._command = sequence, digest, command

    def _problem(self, event: RecordedEvent) -> tuple[int, str] | None:
        expected = self._sequence + 1
        if event.sequence > expected:
            return expected, f"sequence {expected} is missing (next stored is {event.sequence})"
        if event.sequence < expected:
            return event.sequence, f"sequence {event.sequence} appears again after {expected - 1}"
        if event.previous_hash != self._hash:
            return event.sequence, (
                f"sequence {event.sequence}: previous hash does not match the hash of "
                f"sequence {self._sequence} (row inserted, deleted or reordered)"
            )
        if event_hash(event) != event.hash:
            return event.sequence, (
                f"sequence {event.sequence}: content does not match its hash (row changed)"
            )
        version = self._versions.get(event.stream, 0) + 1
        if event.version != version:
            return event.sequence, (
                f"sequence {event.sequence}: stream {event.stream!r} version is "
                f"{event.version}, expected {version}"
            )
        if event.command != event.sequence and event.command != self._command:
            return event.sequence, (
                f"sequence {event.sequence}: belongs to command {event.command}, which is "
                f"neither this event nor the command of the event before"
            )
        return None

    def report(self) -> VerifyReport:
        return VerifyReport(self.events, self.head, self.first_bad_sequence, self.problem)


def verify_events(events: Iterable[RecordedEvent]) -> VerifyReport:
    """Check a whole sequence of events; stops at the first problem."""
    checker = ChainChecker()
    for event in events:
        if not checker.check(event):
            break
    return checker.report()
