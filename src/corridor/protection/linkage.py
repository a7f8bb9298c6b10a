"""Duplicate candidates by probabilistic record linkage (Fellegi-Sunter, splink on DuckDB).

Two registrations of one person rarely agree letter for letter: one desk
writes محمد, the next Mohamed; a birth year is off by one; the household is
left blank. splink weighs each field's agreement by how often true pairs and
random pairs agree on it (m and u probabilities) and adds the log-odds: the
match weight. The parameters ship with the code (`linkage_model.json`),
trained on a labelled set outside the data being deduplicated, so a small
operation is scored as well as a large one.

Pairs are only ever formed within a block, and blocks are keyed blind
indexes (HMAC under the vault's blind-index key) of the name parts' sound
keys: the keys that decide who is compared with whom are never held in
clear. DuckDB runs in memory with no spill directory, so decrypted names do
not reach the disk; past one machine, the same settings run on splink's
Spark backend.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import duckdb
import pyarrow as pa

from corridor.protection.transliteration import name_key

MODEL_FILE = "linkage_model.json"
DEFAULT_THRESHOLD = 0.0
"""Match weight from which a pair is proposed (see bench/results/registry.json)."""

BLOCKING_RULES = (
    ("first_block", "last_block"),
    ("first_block", "birth_year"),
    ("last_block", "birth_year"),
    ("first_block", "middle_block"),
)

COMPARED = {
    "first": "first name",
    "middle": "middle names",
    "last": "family name",
    "birth_year": "birth year",
    "sex": "sex",
    "household": "household",
    "origin": "place of origin",
}
"""What each comparison is called in a pair's reasons (never the values compared)."""


@dataclass(frozen=True)
class LinkageRecord:
    """What the matcher compares of one registration (decrypted, in memory only)."""

    person: str
    name: str
    birth_year: int | None = None
    sex: str = ""
    household: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Candidate:
    """Two person ids that may be one person, with the evidence for it."""

    left: str
    right: str
    weight: float
    probability: float
    reasons: tuple[str, ...]


def features(records: Iterable[LinkageRecord], blind: Callable[[str], str]) -> pa.Table:
    """One row per record: sound keys for comparison, blind indexes for blocking."""
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "unique_id", "first", "first_vowels", "middle", "last", "last_vowels",
            "first_block", "middle_block", "last_block", "birth_year", "sex", "household",
            "origin",
        )
    }  # fmt: skip
    for record in records:
        key = name_key(record.name)
        columns["unique_id"].append(record.person)
        columns["first"].append(key.first or None)
        columns["first_vowels"].append(key.first_vowelled or None)
        columns["last_vowels"].append(key.last_vowelled or None)
        columns["middle"].append(key.middle or None)
        columns["last"].append(key.last or None)
        columns["first_block"].append(blind("first:" + key.first) if key.first else None)
        columns["middle_block"].append(
            blind("middle:" + key.parts[1]) if len(key.parts) > 2 else None
        )
        columns["last_block"].append(blind("last:" + key.last) if key.last else None)
        columns["birth_year"].append(record.birth_year)
        columns["sex"].append(record.sex or None)
        columns["household"].append(record.household or None)
        columns["origin"].append(record.origin or None)
    schema = pa.schema(
        [
            ("unique_id", pa.string()),
            ("first", pa.string()),
            ("first_vowels", pa.string()),
            ("last_vowels", pa.string()),
            ("middle", pa.string()),
            ("last", pa.string()),
            ("first_block", pa.string()),
            ("middle_block", pa.string()),
            ("last_block", pa.string()),
            ("birth_year", pa.int64()),
            ("sex", pa.string()),
            ("household", pa.string()),
            ("origin", pa.string()),
        ]
    )
    return pa.Table.from_pydict(columns, schema=schema)


def settings() -> Any:
    """The linkage model's shape: comparisons and blocking rules, untrained."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def name_part(column: str, label: str) -> Any:
        return cl.CustomComparison(
            output_column_name=column,
            comparison_description=label,
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(f"{column}_vowels"),
                cll.ExactMatchLevel(column),
                cll.JaroWinklerLevel(column, 0.9),
                cll.JaroWinklerLevel(column, 0.75),
                cll.ElseLevel(),
            ],
        )

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=1e-4,
        comparisons=[
            name_part("first", "first name"),
            cl.CustomComparison(
                output_column_name="middle",
                comparison_description="middle names",
                comparison_levels=[
                    cll.NullLevel("middle"),
                    cll.ExactMatchLevel("middle"),
                    cll.JaroWinklerLevel("middle", 0.85),
                    cll.ElseLevel(),
                ],
            ),
            name_part("last", "family name"),
            cl.CustomComparison(
                output_column_name="birth_year",
                comparison_description="birth year",
                comparison_levels=[
                    cll.NullLevel("birth_year"),
                    cll.ExactMatchLevel("birth_year"),
                    cll.AbsoluteDifferenceLevel("birth_year", 1),
                    cll.AbsoluteDifferenceLevel("birth_year", 3),
                    cll.ElseLevel(),
                ],
            ),
            cl.ExactMatch("sex"),
            cl.ExactMatch("household"),
            cl.ExactMatch("origin"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in BLOCKING_RULES],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
    )


def load_model() -> dict[str, Any]:
    text = resources.files("corridor.protection").joinpath(MODEL_FILE).read_text("utf-8")
    model: dict[str, Any] = json.loads(text)
    return model


def connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never writes temporary files (names stay off disk)."""
    con = duckdb.connect(":memory:")
    con.execute("SET temp_directory = ''")
    con.execute("SET preserve_insertion_order = false")
    return con


def score(
    table: pa.Table,
    model: dict[str, Any] | None = None,
    threshold: float | None = DEFAULT_THRESHOLD,
) -> list[Candidate]:
    """Candidate pairs at or above `threshold` (every blocked pair when None), best first."""
    from splink import DuckDBAPI, Linker

    if table.num_rows < 2:
        return []
    logging.getLogger("splink").setLevel(logging.WARNING)
    con = connection()
    try:
        api = DuckDBAPI(con)
        frame = api.register(table)
        linker = Linker(frame, model or load_model(), log_level=logging.WARNING)
        scored = linker.inference.predict(threshold_match_weight=threshold, warning_mode="never")
        rows = scored.as_record_list()
    finally:
        con.close()
    found = [_candidate(row) for row in rows]
    found.sort(key=lambda c: (-c.weight, c.left, c.right))
    return found


def _candidate(row: dict[str, Any]) -> Candidate:
    left, right = sorted((str(row["unique_id_l"]), str(row["unique_id_r"])))
    weighed = [
        (float(row[f"mw_{column}"]), label)
        for column, label in COMPARED.items()
        if row.get(f"mw_{column}") not in (None, 0.0)
    ]
    weighed.sort(key=lambda item: (-abs(item[0]), item[1]))
    reasons = tuple(
        f"{label} {_verb(label, weight > 0)} ({weight:+.1f})" for weight, label in weighed
    )
    return Candidate(
        left=left,
        right=right,
        weight=round(float(row["match_weight"]), 3),
        probability=round(float(row["match_probability"]), 6),
        reasons=reasons,
    )


def _verb(label: str, agrees: bool) -> str:
    plural = label.endswith("names")
    if agrees:
        return "agree" if plural else "agrees"
    return "differ" if plural else "differs"


def pairs_of(candidates: Sequence[Candidate]) -> set[tuple[str, str]]:
    return {(c.left, c.right) for c in candidates}
