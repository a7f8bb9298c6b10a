"""The East Aleppo world custody tests run in, so the ids they name are the scenario's own.

A book built with `WORLD` runs every door check, so these tests also show
that what they do is allowed: boarding where a movement boards, counting on
its corridor, vehicles from the fleet.
"""

from __future__ import annotations

import re

from corridor.adapters.agreement_file import load_agreement_ref
from corridor.domain.door import World

_ALEPPO = load_agreement_ref("east-aleppo-2016")
WORLD = World.of(_ALEPPO.scenario, _ALEPPO.agreement.incident_kinds)
_TRIP = re.compile(r"^(bus|amb|east-aleppo|foua-kefraya)-(\d+)$")


def vehicle(trip: str) -> str:
    """The fleet vehicle a test trip runs on: `bus-N`/`amb-N` on the N-th bus/ambulance,
    `east-aleppo-N` on bus N, `foua-kefraya-N` on bus 10 + N."""
    match = _TRIP.match(trip)
    assert match is not None, f"no vehicle for test trip {trip!r}"
    name, n = match.group(1), int(match.group(2))
    if name == "amb":
        return f"ambulance-aleppo-depot-{n}"
    return f"bus-aleppo-depot-{n + 10 if name == 'foua-kefraya' else n}"
