"""Importing an ODK Central export: 10,000 headcount submissions through the handlers, rows/s.

The export is written in ODK Central's CSV shape (groups joined with `-`,
`meta-instanceID` and `KEY`, Central's metadata columns) for corridor's own
headcount form. The operation is East Aleppo on a fresh SQLite ledger (WAL,
synchronous=FULL) with four Foua/Kefraya trips on the road; the rows count
them in turn at the corridor's sites, so each one is a full command: the
custody check, the deal asked to let the trip cross, one durable append with
the submission's idempotency key. Timed: reading the file and importing it,
then importing the same file again (every row already had: one key lookup
each). Medians of a few runs, each on its own copy of the prepared ledger.
"""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from corridor.adapters.forms.submission_files import read_submission_file
from corridor.bootstrap import open_store, services_over
from corridor.services import commands
from corridor.services.bus import handle
from corridor.services.form_imports import import_submissions

OPERATION = "aleppo"
TRIPS = [(f"f{n}", f"bus-aleppo-depot-{n}") for n in range(1, 5)]
SITES = ["foua", "atareb", "khan-al-asal", "rashidin", "ramouseh"]
COLUMNS = [
    "SubmissionDate", "start", "end", "corridor_form", "corridor_operation", "site", "vehicle",
    "counts-civilians", "counts-wounded_stretcher", "counts-wounded_seated", "meta-instanceID",
    "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
    "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
]  # fmt: skip
NOON = "2016-12-18T12:00:00+02:00"


def _prepared(folder: Path) -> Path:
    """A ledger with the operation open and the four trips departed from Kefraya."""
    from datetime import datetime

    from corridor.domain.custody import counts
    from corridor.domain.scenario import Group

    path = folder / "prepared.db"
    with open_store(f"sqlite:///{path}") as store:
        found = services_over(store)
        handle(found, commands.OpenOperation(OPERATION, "east-aleppo-2016"), "bench")
        at = datetime.fromisoformat(NOON)
        for trip, vehicle in TRIPS:
            handle(found, commands.PlanTrip(OPERATION, trip, "foua-kefraya", vehicle), "bench")
            load = counts({Group.WOUNDED_SEATED: 16})
            handle(found, commands.BoardTrip(OPERATION, trip, "kefraya", load, at), "bench")
            handle(found, commands.DepartTrip(OPERATION, trip, "kefraya", at), "bench")
    return path


def _export(path: Path, rows: int) -> None:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for n in range(rows):
            _, vehicle = TRIPS[n % len(TRIPS)]
            site = SITES[(n // len(TRIPS)) % len(SITES)]
            instance = f"uuid:00000000-0000-4000-8000-{n:012d}"
            writer.writerow([
                "2016-12-18T10:30:00.000Z", "2016-12-18T12:20:00.000+02:00",
                "2016-12-18T12:25:00.000+02:00", "headcount", OPERATION, site, vehicle,
                "0", "0", "16", instance, instance, "5", "Monitor", "0", "0", "", "",
                "collect:bench", "0", "bench",
            ])  # fmt: skip


def _timed_import(ledger: Path, export: Path) -> tuple[float, float, dict[str, Any]]:
    with open_store(f"sqlite:///{ledger}") as store:
        found = services_over(store)
        started = time.perf_counter()
        first = import_submissions(found, read_submission_file(export), "bench")
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = import_submissions(found, read_submission_file(export), "bench")
        again_seconds = time.perf_counter() - started
    assert not first.refused, first.refused[:3]
    assert again.already_had == first.total
    return first_seconds, again_seconds, first.payload()


def _fsyncs_per_second(folder: Path, seconds: float = 1.0) -> int:
    """What the disk gives right now: small writes each followed by fsync."""
    path = folder / "fsync.probe"
    done, started = 0, time.perf_counter()
    with path.open("wb") as out:
        while time.perf_counter() - started < seconds:
            out.write(b"x" * 128)
            out.flush()
            os.fsync(out.fileno())
            done += 1
    return round(done / (time.perf_counter() - started))


def run(quick: bool) -> dict[str, Any]:
    rows, runs = (500, 1) if quick else (10_000, 3)
    with tempfile.TemporaryDirectory(prefix="bench-forms-") as tmp:
        folder = Path(tmp)
        prepared = _prepared(folder)
        export = folder / "central.csv"
        _export(export, rows)
        fsyncs = _fsyncs_per_second(folder)
        firsts, agains, summary = [], [], {}
        for n in range(runs):
            ledger = folder / f"run{n}.db"
            shutil.copy(prepared, ledger)
            first, again, summary = _timed_import(ledger, export)
            firsts.append(first)
            agains.append(again)
    return {
        "rows": rows,
        "fsyncs_per_second_same_disk": fsyncs,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "runs": runs,
        "accepted": summary["accepted"],
        "blocked_by_the_deal": summary["blocked"],
        "import_seconds_median": round(statistics.median(firsts), 3),
        "import_rows_per_second_median": round(rows / statistics.median(firsts)),
        "reimport_rows_per_second_median": round(rows / statistics.median(agains)),
        "import_seconds_each": [round(s, 3) for s in firsts],
    }
