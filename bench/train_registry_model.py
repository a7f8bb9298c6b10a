"""Train the linkage parameters shipped in `corridor/protection/linkage_model.json`.

`python -m bench.train_registry_model` registers the Lebanese and Jordanian
names of the labelled set (never the Syrian, Palestinian and Iraqi ones the
benchmark scores), estimates u probabilities from random pairs and m
probabilities from the known true pairs, and writes the model. The blind
index key here is a fixed test key: the model holds probabilities only,
never a key or a name.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pyarrow as pa

from bench.registry_labels import TRAIN_COUNTRIES, name_pairs, registrations
from corridor.protection.keys import MasterKey
from corridor.protection.linkage import connection, features, settings
from corridor.protection.vault_crypto import VaultCipher

OUT = Path(__file__).resolve().parents[1] / "src" / "corridor" / "protection"
TRAINING_KEY = MasterKey(bytes(range(32)))
M_FLOOR = 0.005


def train() -> dict[str, Any]:
    from splink import DuckDBAPI, Linker

    records, _truth = registrations(name_pairs(TRAIN_COUNTRIES), seed=7)
    table = features(records, VaultCipher(TRAINING_KEY).blind_index)
    clusters = [person[:-1] for person in table.column("unique_id").to_pylist()]
    table = table.append_column("cluster", pa.array(clusters, pa.string()))
    con = connection()
    linker = Linker(DuckDBAPI(con).register(table), settings(), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_m_from_label_column("cluster")
    model: dict[str, Any] = linker.misc.save_model_to_json()
    con.close()
    for comparison in model["comparisons"]:
        _smooth(comparison["comparison_levels"])
    return model


def _smooth(levels: list[dict[str, Any]]) -> None:
    """Give every level a true pair was never seen at a small m (M_FLOOR), renormalised.

    The labelled set's slips are drawn from a few kinds; real desks make
    others (a birth year off by five, a wrong sex), and a level with no m
    would count as no evidence at all instead of strong evidence against.
    """
    scored = [level for level in levels if not level.get("is_null_level")]
    for level in scored:
        level["m_probability"] = max(level.get("m_probability") or 0.0, M_FLOOR)
    total = sum(level["m_probability"] for level in scored)
    for level in scored:
        level["m_probability"] = level["m_probability"] / total


if __name__ == "__main__":
    model = train()
    (OUT / "linkage_model.json").write_text(json.dumps(model, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT / 'linkage_model.json'}")
