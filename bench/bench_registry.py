"""Registry figures: duplicate-detection quality, dedup of 100,000 and import of 35,000.

Quality is measured on the labelled set of `bench/registry_labels.py`: real
Arabic names with their English Wikidata labels, people of Syria, Palestine
and Iraq (the linkage parameters were trained on Lebanon and Jordan only).
Every true pair is cross-script. Precision and recall are given at the
shipped threshold and at every threshold of the ROC sweep; a true pair never
blocked counts as missed at every threshold.

Speed goes through the real use cases on a SQLite file with full durability
(WAL, synchronous=FULL): the import reads a CSV and registers it as one
command; the dedup reads every vault row, decrypts it, writes the audit
event, builds the features and scores with splink on DuckDB. Each dedup run
is a fresh process, so its peak memory is its own. Medians of 3 runs.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.registry_labels import (
    TEST_COUNTRIES,
    TRAIN_COUNTRIES,
    name_pairs,
    registrations,
)
from corridor.protection.keys import MasterKey
from corridor.protection.linkage import DEFAULT_THRESHOLD, LinkageRecord, features, score
from corridor.protection.vault_crypto import VaultCipher

OPERATION = "east-aleppo-2016"
SWEEP = (-10.0, -6.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 6.0, 8.0, 10.0, 15.0, 20.0)
REPEATS = 3


def quality(countries: frozenset[str], seed: int) -> dict[str, Any]:
    """Precision, recall and ROC points on one split of the labelled set."""
    records, truth = registrations(name_pairs(countries), seed=seed)
    scored = score(features(records, VaultCipher(MasterKey.generate()).keyed), threshold=None)
    weights = {(c.left, c.right): c.weight for c in scored}
    people = len(records)
    negatives = people * (people - 1) // 2 - len(truth)

    def at(threshold: float) -> dict[str, Any]:
        chosen = {pair for pair, weight in weights.items() if weight >= threshold}
        true = len(chosen & truth)
        false = len(chosen) - true
        return {
            "threshold": threshold,
            "proposed": len(chosen),
            "true_positives": true,
            "false_positives": false,
            "precision": round(true / len(chosen), 4) if chosen else 1.0,
            "recall": round(true / len(truth), 4),
            "false_positive_rate": false / negatives,
        }

    blocked = len(set(weights) & truth)
    return {
        "countries": sorted(countries),
        "registrations": people,
        "true_pairs": len(truth),
        "blocked_pairs": len(weights),
        "true_pairs_blocked": blocked,
        "blocking_recall": round(blocked / len(truth), 4),
        "at_threshold": at(DEFAULT_THRESHOLD),
        "roc": [at(threshold) for threshold in SWEEP],
    }


def _rows(records: list[LinkageRecord]) -> list[dict[str, str]]:
    return [
        {
            "ref": f"FC-{record.person[1:7]}",
            "full_name": record.name,
            "sex": {"f": "female", "m": "male"}.get(record.sex, ""),
            "birth_year": "" if record.birth_year is None else str(record.birth_year),
            "household": record.household,
            "origin": record.origin,
            "movement": "east-aleppo",
        }
        for record in records
    ]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _world(db: Path, key: MasterKey) -> Any:
    from corridor.services.operations import open_operation

    from corridor.adapters.scenario_file.loader import load_bundled
    from corridor.adapters.vault.store import SqlPersonVault
    from corridor.bootstrap import open_store
    from corridor.services.personal_data import PersonalData
    from corridor.services.registry import Registry

    url = f"sqlite:///{db}"
    fresh = not db.exists()
    ledger = open_store(url)
    if fresh:
        open_operation(ledger, OPERATION, load_bundled(OPERATION), actor="coordinator:bench")
    vault = SqlPersonVault(url)
    return Registry(PersonalData(ledger, vault, key)), ledger, vault


def _import(db: Path, sheet_path: Path, key: MasterKey) -> float:
    from corridor.adapters.vault.spreadsheet import read_sheet
    from corridor.protection.access import AccessRole, Principal

    registry, ledger, vault = _world(db, key)
    who = Principal("bench", OPERATION, AccessRole.RECEPTION)
    try:
        started = time.perf_counter()
        sheet = read_sheet(sheet_path)
        result = registry.import_rows(
            who, OPERATION, sheet.header, sheet.rows, sheet.digest, sheet_path.name
        )
        elapsed = time.perf_counter() - started
        assert len(result.people) == len(sheet.rows)
    finally:
        vault.close()
        ledger.close()
    return elapsed


def import_speed(rows: int, work: Path) -> dict[str, Any]:
    records, _truth = registrations(
        name_pairs(TEST_COUNTRIES | TRAIN_COUNTRIES), people=rows // 2, seed=35
    )
    sheet = work / "registrations.csv"
    _write_csv(sheet, _rows(records[:rows]))
    seconds = []
    for run in range(REPEATS):
        seconds.append(_import(work / f"import-{run}.db", sheet, MasterKey.generate()))
    median = statistics.median(seconds)
    return {
        "rows": rows,
        "csv_bytes": sheet.stat().st_size,
        "seconds": [round(s, 3) for s in seconds],
        "median_seconds": round(median, 3),
        "rows_per_second": round(rows / median),
        "durability": "SQLite WAL, synchronous=FULL; one vault transaction, one ledger command",
    }


def dedup_speed(people: int, work: Path) -> dict[str, Any]:
    records, truth = registrations(
        name_pairs(TEST_COUNTRIES | TRAIN_COUNTRIES), people=people, seed=100
    )
    sheet = work / "dedup.csv"
    _write_csv(sheet, _rows(records))
    key = MasterKey.generate()
    db = work / "dedup.db"
    _import(db, sheet, key)
    runs = []
    for _ in range(REPEATS):
        child = subprocess.run(
            [sys.executable, "-m", "bench.bench_registry", "--dedup-child", str(db)],
            input=key.to_text(),
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
    median = statistics.median(run["seconds"] for run in runs)
    return {
        "registrations": len(records),
        "people": people,
        "true_pairs": len(truth),
        "runs": runs,
        "median_seconds": round(median, 3),
        "median_peak_rss_mb": round(statistics.median(run["peak_rss_mb"] for run in runs), 1),
        "goal_seconds": 60,
        "note": "names drawn with replacement: homonyms are different people",
    }


def _dedup_child(db: Path) -> None:
    from corridor.protection.access import AccessRole, Principal

    key = MasterKey.from_text(sys.stdin.read())
    registry, ledger, vault = _world(db, key)
    who = Principal("bench", OPERATION, AccessRole.RECEPTION)
    try:
        started = time.perf_counter()
        found = registry.duplicates(who, OPERATION)
        seconds = time.perf_counter() - started
    finally:
        vault.close()
        ledger.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 3), "peak_rss_mb": round(peak, 1),
                      "candidates": len(found)}))  # fmt: skip


def run(quick: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-registry-") as folder:
        work = Path(folder)
        figures: dict[str, Any] = {
            "threshold": DEFAULT_THRESHOLD,
            "quality_test": quality(TEST_COUNTRIES, seed=11),
            "quality_train": quality(TRAIN_COUNTRIES, seed=11),
            "import": import_speed(2_000 if quick else 35_000, work),
            "dedup": dedup_speed(2_000 if quick else 50_000, work),
            "load_average": os.getloadavg()[0],
        }
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--dedup-child":
        _dedup_child(Path(sys.argv[2]))
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
