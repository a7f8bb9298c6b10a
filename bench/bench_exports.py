"""Exports of a large operation: HXL rows/s, GeoJSON features/s, situation report time.

The operation is the bundled East Aleppo one (its real agreement adopted),
grown to `total` events by bulk load (`LedgerStore.load`, chain checked on
the way) of custody events sealed exactly as `append` seals them, spread over
the eight days 15-22 Dec 2016: per trip a boarding, a departure, three
checkpoint headcounts, an arrival and a close; every 100th trip loses two
people at a count (an alert, then its resolution); every 500th trip's convoy
meets an incident; every 1,000th trip a party states a figure. The declared
population is scaled so every trip has people to carry.

Figures (medians of REPEATS runs, each from a fresh read of the ledger):
- `read_seconds`: folding the whole operation (record and daily figures)
  from SQLite from its first event, no snapshot used or kept;
- `sitrep_html_first_seconds`: the 20 Dec report when no snapshot of the
  fold exists (the side table emptied before each run): a full fold up to
  the day, and keeping the snapshot it leaves;
- `snapshot_seconds`: `corridor export snapshot` (the fold kept at the
  end of each of the eight days, in one pass), from an empty side table;
- then, with those snapshots kept, as every later export reads:
  `hxl_rows_per_s`, the trips table as a coordinator exports it (one row per
  trip), read included, and `hxl_write_rows_per_s` for writing alone;
  `geojson_features_per_s`, the map, read included;
  `sitrep_html_seconds` (goal < 10 s) and `sitrep_pdf_seconds` (goal < 30 s,
  HTML and PDF together) for 20 Dec, read included;
- beside each, the CPU seconds of this process (`*_cpu_seconds`; the PDF's
  layout runs in this process too), since the machine is shared.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from corridor.adapters.exports.geojson_file import write_geojson
from corridor.adapters.exports.hxl_csv import write_hxl
from corridor.adapters.exports.sitrep.render import write_sitrep
from corridor.adapters.openings import FileOpenings
from corridor.bootstrap import open_store
from corridor.domain.canonical import canonical_json
from corridor.domain.chain import seal
from corridor.domain.clock import format_instant
from corridor.domain.event_types import AGREEMENT_ADOPTED
from corridor.domain.events import Head, NewEvent, RecordedEvent
from corridor.domain.operation import opening_events, operation_stream
from corridor.domain.operation_clock import OperationClock
from corridor.entrypoints.cli.export import export_world
from corridor.protection.access import AccessRole
from corridor.services.exports.handlers import geojson_export, hxl_export, keep_snapshots
from corridor.services.exports.reading import read_operation
from corridor.services.exports.sitrep import sitrep_for
from corridor.services.handlers.operations import clock_event

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 3
OPERATION = "east-aleppo-2016"
START = datetime(2016, 12, 15, 3, 0, tzinfo=UTC)
SPAN = timedelta(days=8) - timedelta(hours=1)
MOVEMENTS = (
    ("east-aleppo", "east-aleppo", "ramouseh", "rashidin"),
    ("foua-kefraya", "foua", "atareb", "jibreen"),
    ("madaya-zabadani", "madaya", "madaya", "idlib"),
)


def _trip(n: int) -> list[tuple[str, dict[str, Any]]]:
    """One trip's events: board, depart, three counts (maybe a drop), arrive, close."""
    movement, origin, checkpoint, destination = MOVEMENTS[n % 3]
    trip, people = f"trip-{n}", {"civilians": 48, "wounded-seated": 2}
    monitor = "monitor:bench"
    events: list[tuple[str, dict[str, Any]]] = [
        (
            "trip-boarded",
            {
                "trip": trip,
                "movement": movement,
                "vehicle": f"bus-{n % 900}",
                "site": origin,
                "counts": people,
                "basis": "count",
                "monitor": monitor,
            },
        ),
        ("trip-departed", {"trip": trip, "site": origin, "by": monitor}),
    ]
    after = dict(people)
    if n % 100 == 0:
        after = {"civilians": 46, "wounded-seated": 2}
    for k in range(3):
        events.append(
            (
                "headcount-recorded",
                {
                    "trip": trip,
                    "site": checkpoint,
                    "counts": after if k else people,
                    "monitor": monitor,
                },
            )
        )
    if n % 100 == 0:
        events.append(
            (
                "protection-alert-raised",
                {
                    "alert": f"{trip}.alert-1",
                    "trip": trip,
                    "vehicle": f"bus-{n % 900}",
                    "from_site": checkpoint,
                    "to_site": checkpoint,
                    "group": "civilians",
                    "missing": 2,
                },
            )
        )
        events.append(
            (
                "protection-alert-resolved",
                {
                    "alert": f"{trip}.alert-1",
                    "monitor": monitor,
                    "outcome": "exit",
                    "explanation": "two men held at the checkpoint",
                    "transfer_trip": "",
                },
            )
        )
    if n % 500 == 0:
        events.append(
            (
                "incident-reported",
                {
                    "incident": f"incident-{n // 500 + 1}",
                    "kind": "blocked-convoy",
                    "severity": 1,
                    "corridor": "ramouseh",
                    "site": checkpoint,
                    "reporter": monitor,
                    "at": "2016-12-16T08:00:00+02:00",
                    "note": "convoy held for an hour",
                },
            )
        )
    if n % 1000 == 0:
        events.append(
            (
                "figure-claimed",
                {
                    "movement": movement,
                    "figure": "arrived",
                    "value": n * 50,
                    "claimant": "party",
                    "by": "government-of-syria",
                    "source": "statement",
                    "stated_at": "2016-12-18T12:00:00+02:00",
                },
            )
        )
    events.append(
        ("trip-arrived", {"trip": trip, "site": destination, "counts": after, "monitor": monitor})
    )
    events.append(("trip-closed", {"trip": trip, "by": monitor}))
    return events


def opening() -> list[NewEvent]:
    """The events the opening handler appends for the bundled operation (live clock)."""
    found = FileOpenings().opening(OPERATION)
    events = opening_events(OPERATION, found.scenario.name, found.scenario, found.digest)
    events.append(clock_event(OPERATION, OperationClock.live()))
    if found.adoption is not None:
        adoption = {"operation": OPERATION, **found.adoption}
        events.append(NewEvent(operation_stream(OPERATION), AGREEMENT_ADOPTED, adoption))
    return events


def sealed_operation(total: int) -> Iterator[RecordedEvent]:
    """The opened operation, then trips in 1-trip commands, until `total` events."""
    trips_needed = total // 7 + 1
    drafts: list[tuple[str, str, str]] = []
    stream = operation_stream(OPERATION)
    for event in opening():
        payload = dict(event.payload)
        if event.type == "movement-declared":
            payload["people"] = {"civilians": 48 * trips_needed, "wounded-seated": 2 * trips_needed}
        drafts.append((event.stream, event.type, canonical_json(payload)))
    head, version, produced, n = Head(), 0, 0, 0
    step = SPAN / total
    while produced < total:
        if not drafts:
            drafts = [(stream, t, canonical_json(p)) for t, p in _trip(n)]
            n += 1
        drafts = drafts[: total - produced]
        sealed = seal(
            drafts,
            head=head,
            versions={stream: version},
            actor="bench",
            recorded_at=format_instant(START + step * produced),
            idempotency_key=None,
        )
        version = sealed[-1].version
        head = Head(sealed[-1].sequence, sealed[-1].hash)
        produced += len(sealed)
        drafts = []
        yield from sealed


CPU: dict[str, float] = {}
"""CPU seconds of the last `median_seconds` run, by name: the machine is shared, and
the wall clock also counts other people's work."""


def median_seconds(run: Callable[[], Any], name: str = "") -> tuple[float, Any]:
    times, cpu, result = [], [], None
    for _ in range(REPEATS):
        started, used = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    if name:
        CPU[name] = round(statistics.median(cpu), 2)
    return statistics.median(times), result


def run(quick: bool) -> dict[str, Any]:
    total = 20_000 if quick else int(os.environ.get("CORRIDOR_BENCH_EXPORT_EVENTS", 1_000_000))
    figures: dict[str, Any] = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    world = export_world()
    day = date(2016, 12, 20)
    with tempfile.TemporaryDirectory(prefix="corridor-bench-", dir=ROOT / "bench") as folder:
        base = Path(folder)
        url = f"sqlite:///{base / 'exports.db'}"
        with open_store(url) as store:
            started = time.perf_counter()
            store.load(sealed_operation(total))
            figures["seed_seconds"] = round(time.perf_counter() - started, 2)
            figures["events"] = store.head().sequence

            def read() -> Any:
                return read_operation(
                    store,
                    OPERATION,
                    scenario_of=world.scenario_of,
                    resolve=world.resolve,
                    snapshots=False,
                )

            seconds, _ = median_seconds(read, "read_cpu_seconds")
            figures["read_seconds"] = round(seconds, 2)

            def forget() -> None:
                with sqlite3.connect(base / "exports.db") as db:
                    db.execute("DELETE FROM fold_snapshots")

            def first_sitrep() -> Any:
                forget()
                report = sitrep_for(store, OPERATION, day, AccessRole.OBSERVER, world)
                return write_sitrep(report, "en", base, pdf=False)

            seconds, _ = median_seconds(first_sitrep, "sitrep_html_first_cpu_seconds")
            figures["sitrep_html_first_seconds"] = round(seconds, 2)

            def snapshot() -> Any:
                forget()
                return keep_snapshots(store, OPERATION, world)

            seconds, kept = median_seconds(snapshot, "snapshot_cpu_seconds")
            figures["snapshot_seconds"] = round(seconds, 2)
            figures["snapshot_days"] = len(kept.days)
            with sqlite3.connect(base / "exports.db") as db:
                (size,) = db.execute("SELECT SUM(LENGTH(body)) FROM fold_snapshots").fetchone()
            figures["snapshot_bytes"] = size

            def hxl() -> int:
                exported = hxl_export(store, OPERATION, "trips", AccessRole.COORDINATOR, world)
                return write_hxl(exported.table, base / "trips.csv")

            seconds, rows = median_seconds(hxl, "hxl_cpu_seconds")
            figures["hxl_rows"] = rows
            figures["hxl_rows_per_s"] = round(rows / seconds)
            table = hxl_export(store, OPERATION, "trips", AccessRole.COORDINATOR, world).table
            seconds, _ = median_seconds(lambda: write_hxl(table, base / "trips.csv"))
            figures["hxl_write_rows_per_s"] = round(rows / seconds)

            def geojson() -> int:
                exported = geojson_export(store, OPERATION, AccessRole.COORDINATOR, world)
                return write_geojson(exported.collection, base / "map.geojson")

            seconds, features = median_seconds(geojson, "geojson_cpu_seconds")
            figures["geojson_features"] = features
            figures["geojson_features_per_s"] = round(features / seconds)

            def sitrep(pdf: bool) -> Callable[[], Any]:
                def make() -> Any:
                    report = sitrep_for(store, OPERATION, day, AccessRole.OBSERVER, world)
                    return write_sitrep(report, "en", base, pdf=pdf)

                return make

            seconds, _ = median_seconds(sitrep(False), "sitrep_html_cpu_seconds")
            figures["sitrep_html_seconds"] = round(seconds, 2)
            seconds, _ = median_seconds(sitrep(True), "sitrep_pdf_cpu_seconds")
            figures["sitrep_pdf_seconds"] = round(seconds, 2)
    figures.update(CPU)
    figures["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return figures
