"""Ledger speed on this machine: fsync limit, commands/s, events/s, replay and verify.

Figures, for SQLite and PostgreSQL (medians of repeated runs):
- `fsync_per_s`: the raw rate of write+fsync of a small file on the disk the
  SQLite ledger lives on, the physical limit of durable single commits;
- `single_event_commands_per_s` (goal: at least half the fsync rate), each
  run paired with an fsync run just before it; the share is the median of
  those pairs;
- `events_per_s_in_100_event_commands` (goal: 20,000/s on SQLite), also
  measured again on top of the large ledger;
- `replay_events_per_s` and `replay_peak_rss_mb` for a ledger of 1,000,000
  events folded into the state (goal: 200,000/s, under 1 GB), measured in a
  fresh child process so its peak memory is the replay's own;
- `verify_seconds` for the same ledger;
- CPU seconds beside the wall-clock figures of replay and verify
  (`replay_events_per_cpu_s`, `verify_cpu_seconds`): on a shared machine the
  wall clock also counts other people's work, the CPU time does not;
- `load_average` when the run started and ended, for the same reason.
The large ledger is seeded by bulk load (`LedgerStore.load`: batched inserts
on SQLite, COPY on PostgreSQL, chain checked on the way) of events sealed
exactly as `append` seals them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from corridor.bootstrap import open_store
from corridor.domain.canonical import canonical_json
from corridor.domain.chain import seal
from corridor.domain.events import Head, NewEvent, RecordedEvent
from corridor.services.ports import LedgerStore

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 3
OPERATIONS = 10


def median_rate(count: int, run: Callable[[], None]) -> float:
    """Median of REPEATS runs of `run`, as `count` per second."""
    rates = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        rates.append(count / (time.perf_counter() - started))
    return round(statistics.median(rates), 1)


def fsync_rate(folder: Path, count: int, repeats: int = REPEATS) -> float:
    """write+fsync of 100 bytes in place, the cheapest durable write the disk offers."""
    path = folder / "fsync.probe"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(descriptor, b"\0" * 4096)
    os.fsync(descriptor)

    def run() -> None:
        for n in range(count):
            os.pwrite(descriptor, n.to_bytes(8, "little") * 12 + b"\n\n\n\n", 0)
            os.fsync(descriptor)

    try:
        rates = []
        for _ in range(repeats):
            started = time.perf_counter()
            run()
            rates.append(count / (time.perf_counter() - started))
        return round(statistics.median(rates), 1)
    finally:
        os.close(descriptor)
        path.unlink()


def note(operation: int, n: int) -> NewEvent:
    return NewEvent(
        f"operation/op-{operation}",
        "note-recorded",
        {"operation": f"op-{operation}", "text": f"convoy {n} passed checkpoint {n % 7}"},
    )


def append_figures(store: LedgerStore, single: int, batches: int, folder: Path) -> dict[str, float]:
    """Single-event commands, each run right after an fsync run, then 100-event commands.

    The disk is shared and its speed drifts, so the share of the fsync rate is
    taken from pairs measured back to back, not from a rate measured minutes
    earlier.
    """
    counter = iter(range(10**9))
    _open_operations(store)
    pairs = []
    for _ in range(REPEATS):
        fsyncs = fsync_rate(folder, single, repeats=1)
        started = time.perf_counter()
        for _ in range(single):
            store.append([note(0, next(counter))], actor="bench")
        pairs.append((fsyncs, single / (time.perf_counter() - started)))
    return {
        "single_event_commands_per_s": round(statistics.median(c for _, c in pairs), 1),
        "fsync_per_s_beside_single_commands": round(statistics.median(f for f, _ in pairs), 1),
        "single_commands_share_of_fsync": round(statistics.median(c / f for f, c in pairs), 3),
        "events_per_s_in_100_event_commands": hundreds_rate(store, batches, counter),
    }


def hundreds_rate(store: LedgerStore, batches: int, counter: Iterator[int]) -> float:
    """Events/s appended in `batches` commands of 100 notes each (one commit per command)."""

    def hundreds() -> None:
        for _ in range(batches):
            store.append([note(b % OPERATIONS, next(counter)) for b in range(100)], actor="bench")

    return median_rate(100 * batches, hundreds)


def _open_operations(store: LedgerStore) -> None:
    for operation in range(OPERATIONS):
        name = f"op-{operation}"
        payload = {"operation": name, "name": name, "scenario": "tiny"}
        store.append([NewEvent(f"operation/{name}", "operation-opened", payload)], actor="bench")


def sealed_ledger(total: int) -> Iterator[RecordedEvent]:
    """`total` events: operations opened, then notes in 10-event commands, chained."""
    head = Head()
    versions: dict[str, int] = {}
    opened = [
        (
            f"operation/op-{o}",
            "operation-opened",
            canonical_json({"operation": f"op-{o}", "name": f"op-{o}", "scenario": "tiny"}),
        )
        for o in range(OPERATIONS)
    ]
    produced = 0
    pending = [opened]
    n = 0
    while produced < total:
        drafts = pending.pop() if pending else []
        while len(drafts) < 10 and produced + len(drafts) < total:
            event = note(n % OPERATIONS, n)
            drafts.append((event.stream, event.type, canonical_json(dict(event.payload))))
            n += 1
        drafts = drafts[: total - produced]
        sealed = seal(
            drafts,
            head=head,
            versions={s: versions.get(s, 0) for s, _, _ in drafts},
            actor="bench",
            recorded_at="2016-12-15T05:00:00.000000Z",
            idempotency_key=None,
        )
        for event in sealed:
            versions[event.stream] = event.version
        head = Head(sealed[-1].sequence, sealed[-1].hash)
        produced += len(sealed)
        yield from sealed


CHILD = """
import json, resource, sys, time
from corridor.bootstrap import open_store
store = open_store(sys.argv[1], migrate=False)
what = sys.argv[2]
started, cpu = time.perf_counter(), time.process_time()
if what == "replay":
    count = store.replay().head.sequence
else:
    report = store.verify()
    assert report.ok, report.problem
    count = report.events
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"events": count, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak}))
"""


def in_child(url: str, what: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, what],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def large_figures(store: LedgerStore, url: str, total: int, batches: int) -> dict[str, float]:
    started = time.perf_counter()
    store.load(sealed_ledger(total))
    seeded = time.perf_counter() - started
    replays = [in_child(url, "replay") for _ in range(REPEATS)]
    verifies = [in_child(url, "verify") for _ in range(REPEATS)]
    assert all(r["events"] == total for r in replays + verifies)
    # The same commands on top of the large ledger: the cost of a command must
    # not grow with the ledger (versions and head come from index ends).
    on_large = hundreds_rate(store, batches, iter(range(10**9, 2 * 10**9)))
    return {
        "events_per_s_in_100_event_commands_on_large_ledger": on_large,
        "large_ledger_events": total,
        "seed_seconds": round(seeded, 2),
        "replay_events_per_s": round(statistics.median(total / r["seconds"] for r in replays)),
        "replay_events_per_cpu_s": round(
            statistics.median(total / r["cpu_seconds"] for r in replays)
        ),
        "replay_peak_rss_mb": round(max(r["peak_rss_mb"] for r in replays), 1),
        "verify_seconds": round(statistics.median(v["seconds"] for v in verifies), 2),
        "verify_cpu_seconds": round(statistics.median(v["cpu_seconds"] for v in verifies), 2),
        "verify_peak_rss_mb": round(max(v["peak_rss_mb"] for v in verifies), 1),
    }


def postgres_cluster() -> AbstractContextManager[Any]:
    try:
        sys.path.insert(0, str(ROOT))
        from tests.support.postgres import throwaway_cluster

        return throwaway_cluster()
    except ImportError:
        return nullcontext(None)


def run(quick: bool) -> dict[str, Any]:
    single, batches, total = (200, 5, 20_000) if quick else (2_000, 50, 1_000_000)
    figures: dict[str, Any] = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="corridor-bench-", dir=ROOT / "bench") as folder:
        base = Path(folder)
        figures["fsync_per_s"] = fsync_rate(base, single)
        sqlite: dict[str, Any] = {}
        with open_store(f"sqlite:///{base / 'append.db'}") as store:
            sqlite.update(append_figures(store, single, batches, base))
        url = f"sqlite:///{base / 'large.db'}"
        with open_store(url) as store:
            sqlite.update(large_figures(store, url, total, batches))
        figures["sqlite"] = sqlite
    try:
        with postgres_cluster() as cluster:
            if cluster is None:
                raise FileNotFoundError("tests.support.postgres not importable")
            from tests.support.postgres import create_database

            postgres: dict[str, Any] = {}
            with (
                open_store(create_database(cluster, "bench_append")) as store,
                tempfile.TemporaryDirectory(prefix="corridor-bench-", dir=ROOT / "bench") as probe,
            ):
                postgres.update(append_figures(store, single, batches, Path(probe)))
            url = create_database(cluster, "bench_large")
            with open_store(url) as store:
                postgres.update(large_figures(store, url, total, batches))
            figures["postgresql"] = postgres
    except FileNotFoundError as missing:
        figures["postgresql"] = {"skipped": f"PostgreSQL not available: {missing}"}
    figures["sqlite_single_commands_share_of_fsync"] = figures["sqlite"][
        "single_commands_share_of_fsync"
    ]
    # Each 100-event command is one commit: how close its rate comes to one fsync each.
    batch_rate = figures["sqlite"]["events_per_s_in_100_event_commands"] / 100
    figures["sqlite_100_event_commands_share_of_fsync"] = round(
        batch_rate / figures["fsync_per_s"], 3
    )
    figures["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return figures
