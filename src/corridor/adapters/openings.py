"""Scenario and agreement files as the services' `OpeningSource`.

A scenario with a deal (bundled with `.agreement.yaml`, or an agreement file
that names its scenario) opens with the agreement adopted; a scenario alone
opens without one. A recorded adoption is resolved back to the deal from the
document as written, over the scenario it names, and refused when that
scenario's content has changed since.
"""

from __future__ import annotations

from typing import Any

from corridor.adapters.agreement_file import load_agreement_ref, parse_agreement
from corridor.adapters.scenario_file import load_scenario_ref, scenario_digest
from corridor.adapters.yaml_marks import MarkedDocument
from corridor.domain.agreement import Agreement
from corridor.domain.scenario import Scenario
from corridor.errors import IntegrityError, NotFound
from corridor.services.openings import Opening

__all__ = ["FileOpenings"]


class FileOpenings:
    """Openings from bundled scenarios and files on disk."""

    def opening(self, ref: str) -> Opening:
        try:
            loaded = load_agreement_ref(ref)
        except NotFound:
            scenario = load_scenario_ref(ref).scenario
            return Opening(scenario, scenario_digest(scenario), None)
        digest = scenario_digest(loaded.scenario)
        adoption = {
            "agreement": loaded.agreement.id,
            "scenario": loaded.scenario.id,
            "scenario_ref": loaded.scenario_ref,
            "scenario_digest": digest,
            "document": loaded.data,
        }
        return Opening(loaded.scenario, digest, adoption)

    def resolve(self, adopted: dict[str, Any]) -> tuple[Agreement, Scenario]:
        scenario = load_scenario_ref(adopted["scenario_ref"]).scenario
        if scenario_digest(scenario) != adopted["scenario_digest"]:
            raise IntegrityError(
                f"scenario {adopted['scenario_ref']!r} has changed since operation "
                f"{adopted['operation']!r} adopted its agreement; restore it or open a new "
                "operation"
            )
        document = MarkedDocument(adopted["document"], f"ledger:{adopted['operation']}:agreement")
        return parse_agreement(document, scenario).agreement, scenario
