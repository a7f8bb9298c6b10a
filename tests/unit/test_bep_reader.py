"""The BEP reader accepts the published format and names every defect precisely."""

from __future__ import annotations

import pytest

from corridor.errors import InvalidInput
from corridor.planning.bep.reader import parse_bep

WORKED = """2 1
1 2
2 8 3 5
2 9 8 1

1 4 7

1 6 4
2 6 7
"""


def test_the_worked_example_reads_into_its_parts() -> None:
    """Counts, demands, capacities and both matrices come out as written."""
    instance = parse_bep(WORKED, file="w.txt")
    assert instance.name == "w"
    assert (instance.buses, instance.seats) == (2, 1)
    assert instance.buses_at_depot == (2,)
    assert instance.demand == (3, 5)
    assert instance.capacity == (8, 1)
    assert instance.depot_to_pickup == ((4, 7),)
    assert instance.pickup_to_shelter == ((6, 4), (6, 7))


def test_blank_lines_and_extra_spaces_are_allowed() -> None:
    """Blank lines between blocks and trailing spaces do not change the instance."""
    spaced = "\n\n" + WORKED.replace("\n", "  \n\n")
    assert parse_bep(spaced, file="w.txt") == parse_bep(WORKED, file="w.txt")


def _replace_line(number: int, text: str) -> str:
    lines = WORKED.splitlines()
    lines[number - 1] = text
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "line", "column", "path", "expected"),
    [
        (_replace_line(1, "2 x"), 1, 3, "buses[1]", "expected an integer, got 'x'"),
        (_replace_line(1, "3 1"), 1, 1, "buses", "bus count 3 does not match"),
        (_replace_line(2, "1 2 5"), 2, 5, "depots", "expected count and 1 values"),
        (_replace_line(3, "2 9 3 5"), 3, 3, "pickups.total", "total 9 does not match"),
        (_replace_line(4, "3 9 8 1"), 4, 7, "shelters", "count, total and 3 values"),
        (_replace_line(6, "1 4 -7"), 6, 5, "depot[1][2]", "non-negative integer, got -7"),
        (_replace_line(8, "1 6"), 8, 3, "pickup[1]", "expected 3 numbers"),
        (_replace_line(9, "3 6 7"), 9, 1, "pickup[2].id", "expected id 2, got 3"),
        (_replace_line(9, "2 6 7.5"), 9, 5, "pickup[2][2]", "expected an integer, got '7.5'"),
        ("\n".join(WORKED.splitlines()[:8]) + "\n", 9, 1, "pickup[2]", "missing row"),
        (WORKED + "3 1 1\n", 10, 1, "<end>", "expected end of file"),
    ],
)
def test_a_malformed_file_names_line_column_field_and_expectation(
    text: str, line: int, column: int, path: str, expected: str
) -> None:
    """Each kind of defect yields one problem at the right place saying what was expected."""
    with pytest.raises(InvalidInput) as caught:
        parse_bep(text, file="bad.txt")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column, problem.path) == (
        "bad.txt",
        line,
        column,
        path,
    )
    assert expected in problem.message
