"""The scenario file's transport fields: read into the domain, each defect refused at its place."""

from __future__ import annotations

import pytest

from corridor.adapters.scenario_file import parse_scenario
from corridor.domain.scenario import Group, Spread
from corridor.errors import InvalidInput, Problem

BASE = """\
id: t
name: T
start: "2020-01-01T06:00"
timezone: UTC
sites:
  - {id: a, name: A, kinds: [enclave]}
  - {id: cp, name: CP, kinds: [checkpoint], service_rate_per_hour: 10}
  - {id: s, name: S, kinds: [staging, depot]}
  - {id: b, name: B, kinds: [shelter], capacities: [{group: civilians, places: 100}]}
  - {id: dep, name: Depot, kinds: [depot]}
links:
  - {id: a-cp, a: a, b: cp, minutes: 10}
  - {id: cp-s, a: cp, b: s, minutes: 10}
  - {id: s-b, a: s, b: b, minutes: 20}
  - {id: dep-a, a: dep, b: a, minutes: 5}
corridors:
  - {id: r, sites: [a, cp, s, b]}
vehicle_kinds:
  - {id: bus, seats: 50, standing: 70, occupancy: {low: 47, mode: 100, high: 120}}
  - {id: car, seats: 4, standing: 8, occupancy: {low: 2, mode: 5, high: 12}}
fleet:
  - {kind: bus, depot: dep, count: 2, pickups: [a], party: o, lost_minutes: 600}
  - {kind: bus, depot: s, count: 1, pickups: [s], movements: [m], lead_minutes: 60}
movements:
  - {id: m, origin: a, corridor: r, destinations: [b], groups: [civilians], staging: s}
populations:
  - {movement: m, site: a, group: civilians, count: 80}
organisations:
  - {id: o, name: O, role: party}
private_flows:
  - movement: m
    site: a
    kind: car
    vehicles: 30
    per_hour: 5
    screening: {low: 2, mode: 4, high: 10}
"""


def problems_in(text: str) -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(text, "case.yaml")
    return caught.value.problems


def test_every_transport_field_reaches_the_domain() -> None:
    """Occupancy, fleet ties and times, staging and private flows are read as written."""
    scenario = parse_scenario(BASE, "case.yaml").scenario
    bus = scenario.vehicle_kind("bus")
    assert (bus.sitting_places, bus.occupancy) == (120, Spread(47, 100, 120))
    shuttle, onward = scenario.fleet
    assert (shuttle.pickups, shuttle.party, shuttle.lost_minutes) == (("a",), "o", 600)
    assert (onward.movements, onward.pickups, onward.lead_minutes) == (("m",), ("s",), 60)
    assert scenario.movement("m").staging == "s"
    [flow] = scenario.private_flows
    assert (flow.vehicles, flow.per_hour, flow.groups) == (30, 5, (Group.CIVILIANS,))
    assert flow.screening == Spread(2, 4, 10)
    vehicles = scenario.fleet_vehicles()
    assert [v.lost_minutes for v in vehicles] == [600, 600, None]


CASES = [
    (
        "occupancy above seats + standing",
        "occupancy: {low: 47, mode: 100, high: 120}",
        "occupancy: {low: 47, mode: 100, high: 121}",
        "vehicle_kinds[0].occupancy.high",
        "more than the door check lets aboard (seats + standing = 120)",
    ),
    (
        "occupancy out of order",
        "occupancy: {low: 2, mode: 5, high: 12}",
        "occupancy: {low: 6, mode: 5, high: 12}",
        "vehicle_kinds[1].occupancy",
        "expected low <= mode <= high",
    ),
    (
        "vehicles lost before they are ready",
        "movements: [m], lead_minutes: 60}",
        "movements: [m], lead_minutes: 60, lost_minutes: 30}",
        "fleet[1].lost_minutes",
        "expected lost_minutes > lead_minutes",
    ),
    (
        "a fleet tied to an unknown movement",
        "movements: [m], lead_minutes",
        "movements: [mm], lead_minutes",
        "fleet[1].movements[0]",
        "unknown movement 'mm'",
    ),
    (
        "a fleet loading where no movement loads",
        "pickups: [a], party",
        "pickups: [cp], party",
        "fleet[0].pickups[0]",
        "no movement these vehicles serve loads at 'cp'",
    ),
    (
        "a fleet of an unknown party",
        "party: o,",
        "party: oo,",
        "fleet[0].party",
        "unknown organisation 'oo'",
    ),
    (
        "a staging ground off the corridor",
        "staging: s}",
        "staging: dep}",
        "movements[0].staging",
        "is not on corridor 'r' after the origin",
    ),
    (
        "a private flow loading off the corridor",
        "    site: a\n",
        "    site: dep\n",
        "private_flows[0].site",
        "'dep' is not on corridor 'r'",
    ),
    (
        "a private flow of an unknown kind",
        "    kind: car\n",
        "    kind: van\n",
        "private_flows[0].kind",
        "unknown vehicle kind 'van'",
    ),
    (
        "a private flow carrying stretcher cases",
        "    vehicles: 30\n",
        "    vehicles: 30\n    groups: [wounded-stretcher]\n",
        "private_flows[0].groups[0]",
        "stretcher cases need a stretcher place",
    ),
    (
        "a private flow with no rate",
        "per_hour: 5\n",
        "per_hour: 0\n",
        "private_flows[0].per_hour",
        "expected a number > 0, found 0",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "path", "words"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_a_transport_defect_is_reported_at_its_field(
    old: str, new: str, path: str, words: str
) -> None:
    """The problem names case.yaml, its line, the field path and what is allowed."""
    assert BASE.count(old) == 1, "each case changes exactly one place"
    problems = problems_in(BASE.replace(old, new))
    [problem] = [p for p in problems if p.path == path] or problems
    assert (problem.file, problem.path) == ("case.yaml", path), problem
    assert problem.line > 0
    assert words in problem.message, problem.message
