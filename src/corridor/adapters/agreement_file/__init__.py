"""Agreement files: YAML validated into the domain's `Agreement`, with precise errors."""

from corridor.adapters.agreement_file.loader import (
    LoadedAgreement,
    agreement_of,
    load_agreement_ref,
    parse_agreement,
)
from corridor.adapters.agreement_file.schema import agreement_json_schema

__all__ = [
    "LoadedAgreement",
    "agreement_json_schema",
    "agreement_of",
    "load_agreement_ref",
    "parse_agreement",
]
