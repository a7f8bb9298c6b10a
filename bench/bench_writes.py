"""Single-command write speed: the store's own path and a command through `handle()`.

Issue 11 asks single-command writes to reach half the disk's fsync rate.
The disk is shared and its speed drifts by more than the changes measured,
so every run of commands is paired with an fsync run just before it (as in
`bench_ledger`) and the share is the median of those pairs; the CPU time per
command (`time.process_time`, the process's own work, the kernel's part of
the commit included, not the wait for the disk) is given beside it, since
that is what the code decides.

Figures, each the median of REPEATS pairs:
- `sqlite.single` / `postgresql.single`: one-event commands appended
  straight to the store, without and with an idempotency key (the API
  always sends one), full durability (SQLite WAL with synchronous=FULL,
  PostgreSQL's default fsync on commit);
- `sqlite.handle` / `postgresql.handle`: a monitor's headcount through
  `services.bus.handle` (the live record, the custody book, the deal's
  crossing decision, one durable append with a key), on the bundled East
  Aleppo operation with 20 trips on the road, then again with CLOSED_TRIPS
  closed trips on record beside them (a day of the operation).

`python -m bench writes` (a few minutes; `--quick`: seconds).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.bench_ledger import ROOT, fsync_rate, note, postgres_cluster
from corridor.bootstrap import open_store, services_over
from corridor.domain.custody import counts
from corridor.domain.events import NewEvent
from corridor.domain.scenario import Group
from corridor.services import commands as c
from corridor.services.bus import Services, handle

REPEATS = 5
CLOSED_TRIPS = 300
OPERATION = "east-aleppo-2016"
CHECKPOINTS = ("ramouseh", "rashidin", "khan-al-asal")
FORTY = counts({Group.CIVILIANS: 40})


def paired(folder: Path, count: int, write: Callable[[int], None]) -> dict[str, float]:
    """`count` commands after an fsync run of `count`, REPEATS times; medians."""
    pairs = []
    for _ in range(REPEATS):
        fsyncs = fsync_rate(folder, count, repeats=1)
        started, cpu = time.perf_counter(), time.process_time()
        write(count)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        pairs.append((fsyncs, count / wall, cpu / count))
    return {
        "commands_per_s": round(statistics.median(p[1] for p in pairs), 1),
        "fsync_per_s_beside": round(statistics.median(p[0] for p in pairs), 1),
        "share_of_fsync": round(statistics.median(p[1] / p[0] for p in pairs), 3),
        "cpu_us_per_command": round(statistics.median(p[2] for p in pairs) * 1e6, 1),
    }


def single_figures(url: str, folder: Path, count: int) -> dict[str, Any]:
    with open_store(url) as store:
        numbers = iter(range(10**9))

        def plain(n: int) -> None:
            for _ in range(n):
                store.append([note(0, next(numbers))], actor="bench")

        def keyed(n: int) -> None:
            for _ in range(n):
                number = next(numbers)
                event = NewEvent("operation/op-0", "note-recorded", {"n": number})
                store.append([event], actor="bench", idempotency_key=f"bench/{number}")

        plain(count)  # the WAL (or the table) grows to its working size first
        return {
            "without_key": paired(folder, count, plain),
            "with_key": paired(folder, count, keyed),
        }


def _operation(services: Services, closed: int) -> list[str]:
    handle(services, c.OpenOperation(OPERATION, OPERATION), "coordinator")
    for n in range(closed):
        trip = f"done-{n}"
        vehicle = f"bus-aleppo-depot-{n % 20 + 1}"
        handle(services, c.PlanTrip(OPERATION, trip, "east-aleppo", vehicle), "coordinator")
        handle(services, c.BoardTrip(OPERATION, trip, "east-aleppo", FORTY), "monitor")
        handle(services, c.DepartTrip(OPERATION, trip, "east-aleppo"), "monitor")
        for checkpoint in CHECKPOINTS:
            handle(services, c.CountTrip(OPERATION, trip, checkpoint, FORTY), "monitor")
        handle(services, c.ArriveTrip(OPERATION, trip, "atareb", FORTY), "monitor")
        handle(services, c.CloseTrip(OPERATION, trip), "monitor")
    trips = [f"road-{n}" for n in range(20)]
    for n, trip in enumerate(trips):
        vehicle = f"bus-aleppo-depot-{n + 1}"
        handle(services, c.PlanTrip(OPERATION, trip, "east-aleppo", vehicle), "coordinator")
        handle(services, c.BoardTrip(OPERATION, trip, "east-aleppo", FORTY), "monitor")
    return trips


def handle_figures(url: str, folder: Path, count: int, closed: int) -> dict[str, Any]:
    with open_store(url) as store:
        services = services_over(store)
        trips = _operation(services, closed)
        numbers = iter(range(10**9))

        def headcounts(n: int) -> None:
            for _ in range(n):
                number = next(numbers)
                command = c.CountTrip(OPERATION, trips[number % 20], CHECKPOINTS[number % 3], FORTY)
                handle(services, command, "monitor", idempotency_key=f"count/{number}")

        headcounts(count // 4)
        figures = paired(folder, count, headcounts)
    figures["closed_trips_on_record"] = closed
    return figures


def store_figures(make_url: Callable[[str], str], folder: Path, quick: bool) -> dict[str, Any]:
    count = 100 if quick else 1_000
    closed = 20 if quick else CLOSED_TRIPS
    return {
        "single": single_figures(make_url("single"), folder, count),
        "handle": handle_figures(make_url("handle"), folder, count // 2, 0),
        "handle_long_record": handle_figures(make_url("long"), folder, count // 2, closed),
    }


def run(quick: bool) -> dict[str, Any]:
    figures: dict[str, Any] = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="corridor-writes-", dir=ROOT / "bench") as folder:
        base = Path(folder)
        figures["sqlite"] = store_figures(lambda name: f"sqlite:///{base / name}.db", base, quick)
        with postgres_cluster() as cluster:
            if cluster is None:
                figures["postgresql"] = "skipped: no PostgreSQL server on this machine"
            else:
                from tests.support.postgres import create_database

                figures["postgresql"] = store_figures(
                    lambda name: create_database(cluster, name), base, quick
                )
    figures["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return figures
