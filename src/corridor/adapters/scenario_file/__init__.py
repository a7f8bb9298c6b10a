"""Scenario files: YAML validated into the domain's `Scenario`, with precise errors.

Public API: load a file or a bundled scenario, list bundled names, get the
JSON Schema, and a stable content digest of a scenario.
"""

from corridor.adapters.scenario_file.convert import scenario_digest, scenario_to_data
from corridor.adapters.scenario_file.loader import (
    RawSection,
    ScenarioDocument,
    bundled_names,
    bundled_path,
    load_bundled,
    load_bundled_document,
    load_scenario,
    load_scenario_document,
    load_scenario_ref,
    parse_scenario,
    resolve_scenario,
)
from corridor.adapters.scenario_file.schema import scenario_json_schema

__all__ = [
    "RawSection",
    "ScenarioDocument",
    "bundled_names",
    "bundled_path",
    "load_bundled",
    "load_bundled_document",
    "load_scenario",
    "load_scenario_document",
    "load_scenario_ref",
    "parse_scenario",
    "resolve_scenario",
    "scenario_digest",
    "scenario_json_schema",
    "scenario_to_data",
]
