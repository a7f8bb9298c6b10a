"""Snapshots of an export's fold, kept beside the ledger so a read folds only what is new.

Folding a long operation is most of an export's time (decision 0029). A
snapshot is the fold as it stood after one event of the operation's
stream: the live record (agreement state included), the daily figures and
where the read stood, written as JSON (orjson: compact UTF-8, the fold's
insertion order kept, so one state always gives the same bytes), compressed
with zlib, with its SHA-256 digest, the sequence and hash of that event, and
the versions it was written by. It lives in a side table (`fold_snapshots`),
never in the ledger, and it is only ever a shortcut: a read starts from the
newest snapshot at or before its cut and folds the events after it, and it
ignores (and so later replaces) a snapshot

- written in another format (`FORM`) or by other fold code (`CODE`: a digest
  of the modules that fold and write it),
- whose event hash is not the chain's hash at its sequence (the ledger was
  replaced or rewritten), or
- whose body does not match its digest or cannot be read back.

Whoever can write the database can forge a snapshot as consistently as a
ledger row; the chain check covers the ledger, not the snapshot's content.
`read_operation(..., snapshots=False)` folds from the first event.
"""

from __future__ import annotations

import hashlib
import importlib.util
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

import corridor
from corridor.services.exports.daily import FIGURES, DailySeries, DayFigures
from corridor.services.live import OperationRecord, ResolveAgreement
from corridor.services.ports import FoldSnapshot, LedgerStore
from corridor.services.record_form import record_form, record_from_form

__all__ = ["CODE", "FORM", "KEEP_AFTER", "Resumed", "body_of", "keep", "resume", "stored_body"]

FORM = 1
"""The body's layout; bump it when the form changes shape."""
KEEP_AFTER = 20_000
"""A read that folded at least this many events keeps a snapshot where it stopped."""

_FOLD_MODULES = (
    "corridor.domain.agreement.events",
    "corridor.domain.agreement.state",
    "corridor.domain.agreement.state_form",
    "corridor.domain.custody",
    "corridor.domain.custody_codec",
    "corridor.domain.custody_events",
    "corridor.domain.custody_form",
    "corridor.services.exports.snapshots",
    "corridor.services.exports.daily",
    "corridor.services.exports.reading",
    "corridor.services.live",
    "corridor.services.record_form",
)


def _code_version() -> str:
    """corridor's version and a digest of the files of every module the fold runs."""
    digest = hashlib.sha256(corridor.__version__.encode())
    for name in _FOLD_MODULES:
        spec = importlib.util.find_spec(name)  # found, not imported: this module is among them
        digest.update(name.encode())
        if spec is not None and spec.origin is not None:
            digest.update(Path(spec.origin).read_bytes())
    return f"{corridor.__version__}+{digest.hexdigest()[:16]}"


CODE = _code_version()


@dataclass
class Resumed:
    """Where a read picks up: the fold as a snapshot left it."""

    record: OperationRecord
    series: DailySeries
    scenario: str
    """The scenario id the operation was opened on."""
    first_recorded_at: str
    latest: str
    """The latest recorded time the fold has seen (it fixes the operation's last day)."""
    sequence: int
    hash: str
    adopted: dict[str, Any] | None


def body_of(at: Resumed, resolved: bool) -> bytes:
    """The snapshot's body for the fold `at`: one state always gives the same bytes."""
    return orjson.dumps(
        {
            "form": FORM,
            "resolved": resolved,
            "scenario": at.scenario,
            "first_recorded_at": at.first_recorded_at,
            "latest": at.latest,
            "record": record_form(at.record, at.adopted),
            "series": _series_form(at.series),
        }
    )


def keep(
    ledger: LedgerStore,
    at: Resumed,
    recorded_at: str,
    resolved: bool,
    day_start: str,
) -> bool:
    """Store the fold `at` (its last event recorded at `recorded_at`); False if not kept.

    `day_start` is the first instant of that event's local day: older
    snapshots of the operation from the same day are replaced by this one.
    """
    body = body_of(at, resolved)
    snapshot = FoldSnapshot(
        operation=at.record.id,
        sequence=at.sequence,
        hash=at.hash,
        recorded_at=recorded_at,
        form=FORM,
        code=CODE,
        digest=hashlib.sha256(body).hexdigest(),
        body=zlib.compress(body, 1),
    )
    return ledger.keep_fold_snapshot(snapshot, replaces_from=day_start)


def resume(
    ledger: LedgerStore,
    operation: str,
    before: str | None,
    resolve: ResolveAgreement | None,
) -> Resumed | None:
    """The fold from the newest sound snapshot recorded before `before` (any if None)."""
    found = ledger.fold_snapshot(operation, FORM, CODE, before)
    if found is None or ledger.hash_at(found.sequence) != found.hash:
        return None
    try:
        body = zlib.decompress(found.body)
        if hashlib.sha256(body).hexdigest() != found.digest:
            return None
        form = orjson.loads(body)
        if form["form"] != FORM or form["resolved"] != (resolve is not None):
            return None
        record = record_from_form(form["record"], resolve)
        series = _series_from_form(form["series"])
    except (zlib.error, orjson.JSONDecodeError, KeyError, ValueError, TypeError):
        return None
    if record.id != operation or record.last_sequence != found.sequence:
        return None
    return Resumed(
        record,
        series,
        form["scenario"],
        form["first_recorded_at"],
        form["latest"],
        found.sequence,
        found.hash,
        form["record"]["adopted"],
    )


def _series_form(series: DailySeries) -> dict[str, Any]:
    return {
        "zone": series.zone.key,
        "days": [
            [day.isoformat(), movement, [getattr(figures, f) for f in FIGURES]]
            for (day, movement), figures in series.days.items()
        ],
        "first_day": None if series.first_day is None else series.first_day.isoformat(),
        "last_day": None if series.last_day is None else series.last_day.isoformat(),
        "trip_movement": series._trip_movement,
        "alert_movement": series._alert_movement,
        "corridor_movements": series._corridor_movements,
    }


def _series_from_form(form: dict[str, Any]) -> DailySeries:
    series = DailySeries(ZoneInfo(form["zone"]))
    series.days = {
        (date.fromisoformat(day), movement): DayFigures(**dict(zip(FIGURES, values, strict=True)))
        for day, movement, values in form["days"]
    }
    first, last = form["first_day"], form["last_day"]
    series.first_day = None if first is None else date.fromisoformat(first)
    series.last_day = None if last is None else date.fromisoformat(last)
    series._trip_movement = form["trip_movement"]
    series._alert_movement = {a: (m, n) for a, (m, n) in form["alert_movement"].items()}
    series._corridor_movements = form["corridor_movements"]
    return series


def stored_body(found: FoldSnapshot) -> bytes | None:
    """The uncompressed body of a stored snapshot, or None when it does not decompress."""
    try:
        return zlib.decompress(found.body)
    except zlib.error:
        return None
