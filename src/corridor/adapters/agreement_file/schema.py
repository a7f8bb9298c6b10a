"""The JSON Schema of agreement files, generated from the models.

`docs/agreement.schema.json` is this function's output; a test keeps the two
equal. References to the scenario are checked only by corridor itself.
"""

from __future__ import annotations

from typing import Any

from corridor.adapters.agreement_file.models import AgreementFile

SCHEMA_ID = "https://corridor.invalid/agreement.schema.json"


def agreement_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for an agreement file or `agreement:` section."""
    schema = AgreementFile.model_json_schema(mode="validation", by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
