"""The agreement an operation adopted, rebuilt from its ledger event for the live record."""

from __future__ import annotations

from typing import Any

from corridor.adapters.agreement_file import parse_agreement
from corridor.adapters.scenario_file import load_scenario_ref, scenario_digest
from corridor.adapters.yaml_marks import MarkedDocument
from corridor.domain.agreement import Agreement
from corridor.domain.scenario import Scenario
from corridor.errors import IntegrityError


def resolve_agreement(adopted: dict[str, Any]) -> tuple[Agreement, Scenario]:
    """The deal as adopted, over its scenario; refuses a scenario changed since adoption."""
    scenario = load_scenario_ref(adopted["scenario_ref"]).scenario
    if scenario_digest(scenario) != adopted["scenario_digest"]:
        raise IntegrityError(
            f"scenario {adopted['scenario_ref']!r} has changed since operation "
            f"{adopted['operation']!r} adopted its agreement"
        )
    document = MarkedDocument(adopted["document"], f"ledger:{adopted['operation']}:agreement")
    return parse_agreement(document, scenario).agreement, scenario
