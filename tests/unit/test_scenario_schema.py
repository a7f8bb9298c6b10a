"""The committed JSON Schema is the one the models generate, and it describes the format."""

from __future__ import annotations

import json
from pathlib import Path

from corridor.adapters.scenario_file import scenario_json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "scenario.schema.json"


def test_committed_schema_equals_the_generated_one() -> None:
    """docs/scenario.schema.json is regenerated whenever the models change."""
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == scenario_json_schema(), (
        "regenerate with: corridor scenario schema > docs/scenario.schema.json"
    )


def test_schema_forbids_unknown_keys_everywhere() -> None:
    """Every object in the schema, top level and nested, refuses keys it does not name."""
    schema = scenario_json_schema()
    objects = [schema, *schema["$defs"].values()]
    models = [o for o in objects if o.get("type") == "object"]
    assert len(models) >= 10
    assert all(o.get("additionalProperties") is False for o in models)


def test_schema_marks_agreement_and_disruption_as_mapping_or_file_name() -> None:
    """The reserved sections are typed as an object or a string, nothing more."""
    properties = scenario_json_schema()["properties"]
    for key in ("agreement", "disruption"):
        assert properties[key]["anyOf"] == [{"type": "object"}, {"type": "string"}]
