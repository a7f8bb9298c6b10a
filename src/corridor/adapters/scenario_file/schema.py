"""The JSON Schema of scenario files, generated from the models.

`docs/scenario.schema.json` is this function's output; a test keeps the two
equal, so editors and other tools can validate files with the same rules
the models apply to shapes (cross-references are checked only by corridor).
"""

from __future__ import annotations

from typing import Any

from corridor.adapters.scenario_file.models import ScenarioFile

SCHEMA_ID = "https://corridor.invalid/scenario.schema.json"


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for a scenario file."""
    schema = ScenarioFile.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
