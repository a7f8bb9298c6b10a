"""P-codes for the bundled scenarios' sites, from `pcodes.yaml` beside this module.

The scenario format has no administrative codes yet; until it has, the codes
of each bundled scenario's sites live here with their source. A scenario
with no entry gets an empty gazetteer (its exports carry empty codes).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from corridor.services.exports.places import AdminArea, Gazetteer

PCODES = Path(__file__).with_name("pcodes.yaml")


@cache
def _all() -> dict[str, dict[str, AdminArea]]:
    document = yaml.safe_load(PCODES.read_text(encoding="utf-8"))
    areas = {code: (entry["country"], entry["name"]) for code, entry in document["adm1"].items()}
    found: dict[str, dict[str, AdminArea]] = {}
    for scenario, sites in document["scenarios"].items():
        found[scenario] = {
            site: AdminArea(areas[code][0], code, areas[code][1]) for site, code in sites.items()
        }
    return found


def gazetteer_for(scenario: str) -> Gazetteer:
    """Site id -> administrative area for a bundled scenario (empty when unknown)."""
    return _all().get(scenario, {})
