"""The YAML helper keeps 1-based positions for every value and key, and refuses defects."""

from __future__ import annotations

import pytest

from corridor.adapters.yaml_marks import join_path, load_yaml_with_marks, parent_path, split_path
from corridor.errors import InvalidInput

TEXT = """\
name: x
on: yes
links:
  - id: a
    b: [1, 2]
  - {id: c, when: 2016-12-15T05:00:00}
"""


def test_values_are_plain_data_with_text_keys_and_timestamps_as_text() -> None:
    """`on:` stays a text key and timestamps stay text, so models decide their meaning."""
    doc = load_yaml_with_marks(TEXT, "f.yaml")
    assert doc.data == {
        "name": "x",
        "on": True,
        "links": [{"id": "a", "b": [1, 2]}, {"id": "c", "when": "2016-12-15T05:00:00"}],
    }


@pytest.mark.parametrize(
    ("path", "value_at", "key_at"),
    [
        ("name", (1, 7), (1, 1)),
        ("links[0].b", (5, 8), (5, 5)),
        ("links[0].b[1]", (5, 12), (5, 12)),
        ("links[1].when", (6, 19), (6, 13)),
        ("links[1].missing", (6, 5), (6, 5)),
        ("links[9].id", (4, 3), (3, 1)),
    ],
)
def test_positions_fall_back_to_the_nearest_ancestor(
    path: str, value_at: tuple[int, int], key_at: tuple[int, int]
) -> None:
    """where() gives the value's position, where_key() the key's, else the nearest parent's."""
    doc = load_yaml_with_marks(TEXT, "f.yaml")
    assert doc.where(path) == value_at
    assert doc.where_key(path) == key_at


def test_a_subdocument_keeps_positions_relative_to_its_root() -> None:
    """A section re-rooted as its own document still points into the original file."""
    sub = load_yaml_with_marks(TEXT, "f.yaml").subdocument("links[0]")
    assert sub.data == {"id": "a", "b": [1, 2]}
    assert sub.where("b[1]") == (5, 12)
    assert sub.where_key("id") == (4, 5)


@pytest.mark.parametrize(
    ("text", "line", "column", "path", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1, "a", "duplicate key 'a' (first at line 1)"),
        ("x:\n  - {k: 1, k: 2}\n", 2, 12, "x[0].k", "duplicate key 'k'"),
        ("a: [1\n", 2, 1, "", "YAML syntax error"),
        ("a:\n  - b: 1\n   c: 2\n", 3, 4, "", "YAML syntax error"),
        ("? [1, 2]\n: x\n", 1, 3, "", "expected a plain text key"),
    ],
)
def test_defects_are_reported_at_their_mark(
    text: str, line: int, column: int, path: str, words: str
) -> None:
    """Duplicate keys, syntax errors and odd keys become InvalidInput at file:line:column."""
    with pytest.raises(InvalidInput) as caught:
        load_yaml_with_marks(text, "bad.yaml")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column, problem.path) == (
        "bad.yaml",
        line,
        column,
        path,
    )
    assert words in problem.message


def test_a_recursive_alias_is_refused_rather_than_followed_forever() -> None:
    """An alias that contains itself stops at the depth limit with a problem."""
    with pytest.raises(InvalidInput, match="nested more than"):
        load_yaml_with_marks("x: &a [*a]\n", "loop.yaml")


@pytest.mark.parametrize(
    "path", ["", "a", "links[3]", "links[3].b", "sites[0].coordinates.lat", "x[1][2].y"]
)
def test_paths_round_trip_between_text_and_parts(path: str) -> None:
    """join_path and split_path are inverses; parent_path walks up one level."""
    assert join_path(split_path(path)) == path
    parent = parent_path(path)
    if path:
        assert parent is not None
        assert join_path(split_path(path)[:-1]) == parent
    else:
        assert parent is None


def test_aliases_that_expand_exponentially_are_refused() -> None:
    """A few lines of nested aliases may not blow up into millions of values."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 6):
        below = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([below] * 10)}]")
    with pytest.raises(InvalidInput, match="expands to more than"):
        load_yaml_with_marks("\n".join(lines) + "\n", "laughs.yaml", max_values=50_000)
