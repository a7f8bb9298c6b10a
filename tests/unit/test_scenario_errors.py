"""Each kind of bad scenario input is reported at its exact file:line:column and field path."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.adapters.scenario_file import load_scenario, parse_scenario
from corridor.errors import InvalidInput, Problem

# One entity per line, so a case's expected line is easy to check by eye.
BASE = """\
id: t
name: T
start: "2020-01-01T06:00"
timezone: UTC
sites:
  - {id: a, name: A, kinds: [enclave]}
  - {id: cp, name: CP, kinds: [checkpoint], service_rate_per_hour: 10}
  - {id: b, name: B, kinds: [shelter], capacities: [{group: civilians, places: 100}]}
  - {id: dep, name: Depot, kinds: [depot]}
  - {id: island, name: Island, kinds: [shelter]}
links:
  - {id: a-cp, a: a, b: cp, minutes: 10}
  - {id: cp-b, a: cp, b: b, minutes: 20}
  - {id: dep-a, a: dep, b: a, minutes: 5}
corridors:
  - {id: r, sites: [a, cp, b]}
vehicle_kinds:
  - {id: bus, seats: 40}
fleet:
  - {kind: bus, depot: dep, count: 2}
movements:
  - {id: m, origin: a, corridor: r, destinations: [b], groups: [civilians]}
populations:
  - {movement: m, site: a, group: civilians, count: 80}
organisations:
  - {id: o, name: O, role: party}
"""

SITE_LINE = "  - {id: island, name: Island, kinds: [shelter]}\n"


def problems_in(text: str, base_dir: Path | None = None) -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(text, "case.yaml", base_dir)
    return caught.value.problems


def test_the_base_document_is_valid() -> None:
    """The cases below each break one thing in a document that is otherwise valid."""
    scenario = parse_scenario(BASE, "case.yaml").scenario
    assert scenario.people() == 80


# (case, text replaced, replacement, line, column, path, words in the message)
CASES = [
    (
        "unknown key in a site",
        "kinds: [enclave]}",
        "kinds: [enclave], colour: red}",
        6, 40, "sites[0].colour", "unknown key 'colour'; expected one of: id, name, kinds",
    ),
    (
        "unknown top-level key",
        "timezone: UTC\n",
        "timezone: UTC\nroads: []\n",
        5, 1, "roads", "unknown key 'roads'",
    ),
    (
        "unknown site in a link",
        "{id: dep-a, a: dep, b: a,",
        "{id: dep-a, a: dep, b: aa,",
        14, 28, "links[2].b", "unknown site 'aa'; expected one of: a, b, cp, dep, island",
    ),
    (
        "link joining a site to itself",
        "{id: dep-a, a: dep, b: a,",
        "{id: dep-a, a: dep, b: dep,",
        14, 28, "links[2].b", "must join two different sites",
    ),
    (
        "negative capacity",
        "places: 100",
        "places: -100",
        8, 80, "sites[2].capacities[0].places", "expected a number >= 0, found -100",
    ),
    (
        "negative population count",
        "count: 80}",
        "count: -80}",
        24, 53, "populations[0].count", "expected a number >= 0, found -80",
    ),
    (
        "negative travel minutes",
        "b: b, minutes: 20}",
        "b: b, minutes: -20}",
        13, 38, "links[1].minutes", "expected a number > 0, found -20",
    ),
    (
        "negative fleet lead time",
        "count: 2}",
        "count: 2, lead_minutes: -5}",
        20, 53, "fleet[0].lead_minutes", "expected a number >= 0, found -5",
    ),
    (
        "negative seats",
        "seats: 40}",
        "seats: -40}",
        18, 22, "vehicle_kinds[0].seats", "expected a number >= 0, found -40",
    ),
    (
        "checkpoint service rate of zero",
        "service_rate_per_hour: 10}",
        "service_rate_per_hour: 0}",
        7, 68, "sites[1].service_rate_per_hour", "expected a number > 0, found 0",
    ),
    (
        "checkpoint without a service rate",
        "kinds: [checkpoint], service_rate_per_hour: 10}",
        "kinds: [checkpoint]}",
        7, 5, "sites[1].service_rate_per_hour", "a checkpoint must state service_rate_per_hour",
    ),
    (
        "corridor skipping a link",
        "sites: [a, cp, b]}",
        "sites: [a, b]}",
        16, 24, "corridors[0].sites[1]", "no link from 'a' to 'b'",
    ),
    (
        "corridor against a one-way link",
        "{id: a-cp, a: a, b: cp, minutes: 10}",
        "{id: a-cp, a: cp, b: a, minutes: 10, one_way: true}",
        16, 24, "corridors[0].sites[1]", "no link from 'a' to 'cp'",
    ),
    (
        "corridor naming an unknown site",
        "sites: [a, cp, b]}",
        "sites: [a, cp, b, x]}",
        16, 31, "corridors[0].sites[3]", "unknown site 'x'",
    ),
    (
        "corridor visiting a site twice",
        "sites: [a, cp, b]}",
        "sites: [a, cp, a]}",
        16, 28, "corridors[0].sites[2]", "site 'a' is already at sites[0]",
    ),
    (
        "duplicate site id",
        SITE_LINE,
        SITE_LINE + "  - {id: b, name: B2, kinds: [shelter]}\n",
        11, 10, "sites[5].id", "duplicate site id 'b'; first defined at sites[2] (line 8)",
    ),
    (
        "duplicate link id",
        "{id: dep-a,",
        "{id: cp-b,",
        14, 10, "links[2].id", "duplicate link id 'cp-b'",
    ),
    (
        "duplicate corridor id",
        "  - {id: r, sites: [a, cp, b]}\n",
        "  - {id: r, sites: [a, cp, b]}\n  - {id: r, sites: [cp, b]}\n",
        17, 10, "corridors[1].id", "duplicate corridor id 'r'",
    ),
    (
        "duplicate vehicle kind id",
        "  - {id: bus, seats: 40}\n",
        "  - {id: bus, seats: 40}\n  - {id: bus, seats: 30}\n",
        19, 10, "vehicle_kinds[1].id", "duplicate vehicle kind id 'bus'",
    ),
    (
        "duplicate movement id",
        "populations:\n",
        "  - {id: m, origin: a, corridor: r, destinations: [b], groups: [fighters]}\n"
        "populations:\n",
        23, 10, "movements[1].id", "duplicate movement id 'm'",
    ),
    (
        "duplicate organisation id",
        "role: party}\n",
        "role: party}\n  - {id: o, name: O2, role: monitor}\n",
        27, 10, "organisations[1].id", "duplicate organisation id 'o'",
    ),
    (
        "population for an unknown movement",
        "{movement: m, site: a,",
        "{movement: mm, site: a,",
        24, 16, "populations[0].movement", "unknown movement 'mm'; expected one of: m",
    ),
    (
        "population in a group the movement does not carry",
        "group: civilians, count: 80}",
        "group: fighters, count: 80}",
        24, 35, "populations[0].group", "movement 'm' does not carry group 'fighters'",
    ),
    (
        "population off the movement's corridor",
        "{movement: m, site: a,",
        "{movement: m, site: dep,",
        24, 25, "populations[0].site", "site 'dep' is not on corridor 'r'",
    ),
    (
        "population at an unknown site",
        "{movement: m, site: a,",
        "{movement: m, site: q,",
        24, 25, "populations[0].site", "unknown site 'q'",
    ),
    (
        "movement whose corridor does not start at its origin",
        "{id: m, origin: a,",
        "{id: m, origin: cp,",
        22, 35, "movements[0].corridor", "corridor 'r' starts at 'a', not at the movement's",
    ),
    (
        "movement with an unreachable destination",
        "destinations: [b]",
        "destinations: [b, island]",
        22, 55, "movements[0].destinations[1]", "'island' is neither on corridor 'r'",
    ),
    (
        "movement with an unknown corridor",
        "corridor: r,",
        "corridor: rr,",
        22, 34, "movements[0].corridor", "unknown corridor 'rr'",
    ),
    (
        "fleet of an unknown vehicle kind",
        "{kind: bus, depot: dep,",
        "{kind: van, depot: dep,",
        20, 12, "fleet[0].kind", "unknown vehicle kind 'van'; expected one of: bus",
    ),
    (
        "fleet at a site that is not a depot",
        "{kind: bus, depot: dep,",
        "{kind: bus, depot: b,",
        20, 24, "fleet[0].depot", "site 'b' is not a depot",
    ),
    (
        "text where a count belongs",
        "count: 80}",
        "count: many}",
        24, 53, "populations[0].count", "expected a whole number, found 'many'",
    ),
    (
        "fraction where a count belongs",
        "count: 2}",
        "count: 2.5}",
        20, 36, "fleet[0].count", "expected a whole number, found 2.5",
    ),
    (
        "unknown group",
        "groups: [civilians]}",
        "groups: [civilians, elders]}",
        22, 76, "movements[0].groups[1]", "found 'elders'",
    ),
    (
        "id that is not lowercase kebab",
        "{id: o, name: O,",
        "{id: Other O, name: O,",
        26, 10, "organisations[0].id", "expected an id of lowercase letters, digits and '-'",
    ),
    (
        "missing required field",
        "{id: a, name: A, kinds",
        "{id: a, kinds",
        6, 5, "sites[0].name", "missing required field 'name'",
    ),
    (
        "unknown time zone",
        "timezone: UTC",
        "timezone: Mars/Olympus",
        4, 11, "timezone", "expected an IANA time zone",
    ),
    (
        "start time with an offset",
        '"2020-01-01T06:00"',
        '"2020-01-01T06:00+02:00"',
        3, 8, "start", "expected a local time without UTC offset",
    ),
    (
        "agreement that is neither mapping nor file name",
        "timezone: UTC\n",
        "timezone: UTC\nagreement: 42\n",
        5, 12, "agreement", "expected a mapping or a file name",
    ),
    (
        "disruption named by an absolute path",
        "timezone: UTC\n",
        "timezone: UTC\ndisruption: /etc/disruption.yaml\n",
        5, 13, "disruption", "expected a file name relative to this file",
    ),
    (
        "duplicate key",
        "name: T\n",
        "name: T\nname: U\n",
        3, 1, "name", "duplicate key 'name' (first at line 2)",
    ),
    (
        "negative standing allowance",
        "  - {id: bus, seats: 40}\n",
        "  - {id: bus, seats: 40, standing: -5}\n",
        18, 36, "vehicle_kinds[0].standing", "expected a number >= 0, found -5",
    ),
    (
        "fewer vehicle ids than vehicles",
        "{kind: bus, depot: dep, count: 2}",
        "{kind: bus, depot: dep, count: 2, ids: [b1]}",
        20, 44, "fleet[0].ids", "names 1 vehicles but count is 2",
    ),
    (
        "a vehicle id given twice",
        "{kind: bus, depot: dep, count: 2}",
        "{kind: bus, depot: dep, count: 2, ids: [b1, b1]}",
        20, 49, "fleet[0].ids[1]", "duplicate vehicle id 'b1'",
    ),
    (
        "a vehicle id that is another vehicle's numbered id",
        "{kind: bus, depot: dep, count: 2}",
        "{kind: bus, depot: dep, count: 2}\n"
        "  - {kind: bus, depot: dep, count: 1, ids: [bus-dep-1]}",
        21, 45, "fleet[1].ids[0]", "also the numbered id of an unnamed vehicle",
    ),
    (
        "an incident kind listed twice",
        "organisations:\n",
        "incident_kinds: [shooting, shooting]\norganisations:\n",
        25, 28, "incident_kinds[1]", "incident kind 'shooting' is listed twice",
    ),
    (
        "YAML syntax error",
        "  - {id: bus, seats: 40}\n",
        "  - {id: bus, seats: 40\n",
        19, 6, "", "YAML syntax error",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "path", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_a_defect_is_reported_alone_at_its_exact_place(
    old: str, new: str, line: int, column: int, path: str, words: str
) -> None:
    """The one problem names case.yaml:line:column, the field path and what was expected."""
    assert BASE.count(old) == 1, "each case changes exactly one place"
    [problem] = problems_in(BASE.replace(old, new))
    assert (problem.file, problem.line, problem.column, problem.path) == (
        "case.yaml",
        line,
        column,
        path,
    ), problem
    assert words in problem.message


def test_every_defect_is_reported_at_once_in_file_order() -> None:
    """Type errors and broken references in one file all come back together, sorted."""
    text = (
        BASE.replace("places: 100", "places: -1")
        .replace("b: cp, minutes: 10", "b: nowhere, minutes: 10")
        .replace("count: 80", "count: 1.5, extra: 1")
        .replace("role: party", "role: referee")
    )
    problems = problems_in(text)
    assert [(p.line, p.path) for p in problems] == [
        (8, "sites[2].capacities[0].places"),
        (12, "links[0].b"),
        (16, "corridors[0].sites[1]"),
        (24, "populations[0].count"),
        (24, "populations[0].extra"),
        (26, "organisations[0].role"),
    ]


def test_a_named_agreement_file_must_exist_beside_the_scenario(tmp_path: Path) -> None:
    """`agreement: NAME` is looked for in the scenario file's own folder."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text(BASE + "agreement: terms.yaml\n")
    with pytest.raises(InvalidInput) as caught:
        load_scenario(scenario)
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.path) == (27, 12, "agreement")
    assert "file 'terms.yaml' not found beside this file" in problem.message
    (tmp_path / "terms.yaml").write_text("terms: []\n")
    assert load_scenario(scenario).id == "t"


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "found an empty file"), ("- a\n- b\n", "found something else")],
)
def test_a_file_that_is_not_a_mapping_is_refused(text: str, words: str) -> None:
    """An empty file or a list is not a scenario; the message says what was found."""
    [problem] = problems_in(text)
    assert (problem.line, problem.column, problem.path) == (1, 1, "")
    assert words in problem.message


def test_a_missing_file_is_invalid_input_naming_it(tmp_path: Path) -> None:
    """Loading a path that does not exist says so, at 1:1 of that file."""
    with pytest.raises(InvalidInput, match="file not found"):
        load_scenario(tmp_path / "absent.yaml")


def test_a_malformed_section_is_reported_once_not_at_every_reference() -> None:
    """`sites` as a mapping is one problem; references to sites are not each flagged."""
    problems = problems_in(BASE.replace("sites:\n", "sites: {}\nformerly_sites:\n", 1))
    assert [(p.line, p.path) for p in problems] == [(5, "sites"), (6, "formerly_sites")]
    assert problems[0].message == "expected a list, found a mapping"


def test_a_reference_into_an_empty_section_says_nothing_is_defined() -> None:
    """With no vehicle kinds at all, the fleet's kind is unknown and the message says why."""
    text = BASE.replace("vehicle_kinds:\n  - {id: bus, seats: 40}\n", "vehicle_kinds: []\n", 1)
    [problem] = problems_in(text)
    assert problem.path == "fleet[0].kind"
    assert (
        problem.message
        == "unknown vehicle kind 'bus'; no vehicle kind is defined in `vehicle_kinds`"
    )
