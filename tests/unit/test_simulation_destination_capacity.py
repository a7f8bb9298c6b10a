"""The simulator never delivers more people of a group to a destination than it has places."""

from __future__ import annotations

import pytest

from corridor.adapters.scenario_file import load_bundled, parse_scenario
from corridor.domain.scenario import Group
from corridor.simulation.disruption import DisruptionModel
from corridor.simulation.engine import Simulation
from corridor.simulation.gate import OpenDeal
from corridor.simulation.metrics import RunOptions
from corridor.simulation.montecarlo import run_seeds
from corridor.simulation.trace import TraceEvent


def delivered(scenario_name_or_text: str, seed: int) -> tuple[dict[tuple[str, str], int], bool]:
    if "\n" in scenario_name_or_text:
        scenario = parse_scenario(scenario_name_or_text, "case.yaml").scenario
    else:
        scenario = load_bundled(scenario_name_or_text)
    aboard: dict[str, dict[str, int]] = {}
    totals: dict[tuple[str, str], int] = {}

    def observe(event: TraceEvent) -> None:
        if event.kind == "trip-dispatched":
            aboard[event.data["vehicle"]] = event.data["load"]
        elif event.kind == "trip-turned-back":
            aboard.pop(event.data["vehicle"], None)
        elif event.kind == "trip-arrived":
            for group, count in aboard.pop(event.data["vehicle"]).items():
                key = (event.data["destination"], group)
                totals[key] = totals.get(key, 0) + count

    metrics = Simulation(
        scenario,
        DisruptionModel(),
        RunOptions(),
        OpenDeal(scenario),
        run_seeds(seed, 0),
        observe,
    ).run(0)
    return totals, metrics.cleared


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_east_aleppo_destinations_receive_no_more_than_their_places(seed: int) -> None:
    """al-Atarib's 10,000 civilian places are never exceeded; everyone still arrives."""
    scenario = load_bundled("east-aleppo-2016")
    totals, cleared = delivered("east-aleppo-2016", seed)
    # A staging ground is passed through: people are set down there and go on.
    staging = {m.staging for m in scenario.movements if m.staging is not None}
    received = {key: n for key, n in totals.items() if key[0] not in staging}
    for (site, group), people in received.items():
        assert people <= scenario.site(site).capacity_for(Group(group)), (site, group, people)
    assert received[("atareb", "civilians")] == 10000
    assert sum(received.values()) == scenario.people()
    assert cleared


def test_people_with_no_room_anywhere_wait_and_the_run_does_not_clear() -> None:
    """30 places for 80 people: 30 arrive, 50 stay behind, nobody is sent to a full site."""
    text = """\
id: t
name: T
start: "2020-01-01T06:00"
timezone: UTC
sites:
  - {id: a, name: A, kinds: [enclave]}
  - {id: b, name: B, kinds: [shelter], capacities: [{group: civilians, places: 30}]}
  - {id: dep, name: Depot, kinds: [depot]}
links:
  - {id: a-b, a: a, b: b, minutes: 20}
  - {id: dep-a, a: dep, b: a, minutes: 5}
corridors:
  - {id: r, sites: [a, b]}
vehicle_kinds:
  - {id: bus, seats: 40}
fleet:
  - {kind: bus, depot: dep, count: 2}
movements:
  - {id: m, origin: a, corridor: r, destinations: [b], groups: [civilians]}
populations:
  - {movement: m, site: a, group: civilians, count: 80}
"""
    totals, cleared = delivered(text, 0)
    assert totals == {("b", "civilians"): 30}
    assert not cleared
