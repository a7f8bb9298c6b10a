"""YAML that remembers where every value came from.

Input files are written by people, and a person fixing one needs the line and
column of each mistake, not just a field name. PyYAML's composer gives nodes
with `start_mark`; this module builds plain Python values from those nodes and
keeps, for every field path (`links[3].b`, `sites[0].coordinates.lat`), the
1-based position of its value and, for mapping entries, of its key.

Values are JSON-like on purpose: mapping keys are their source text (so `on:`
stays the string "on" rather than YAML 1.1's `True`), timestamps stay strings
(the models parse them), and duplicate keys are errors rather than a silent
"last one wins". Syntax errors become `InvalidInput` at the parser's mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from corridor.adapters.bounded_files import read_bounded_text
from corridor.errors import InvalidInput, NotFound, Problem

Position = tuple[int, int]
PathPart = str | int

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAX_DEPTH = 64
# libyaml's parser is an order of magnitude faster and gives the same marks.
_COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""The largest YAML file read: a FIFO or `/dev/zero` is refused, never waited on."""
MAX_VALUES = 1_000_000
"""Default cap on the values one document may expand to (aliases included)."""


def join_path(parts: tuple[PathPart, ...] | list[PathPart]) -> str:
    """Render path parts as `links[3].b`: names joined by dots, indexes in brackets."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def parent_path(path: str) -> str | None:
    """The path one level up (`links[3].b` -> `links[3]` -> `links` -> ``), None above root."""
    if not path:
        return None
    if path.endswith("]"):
        return path[: path.rindex("[")]
    cut = path.rfind(".")
    bracket = path.rfind("]")
    if cut > bracket:
        return path[:cut]
    return path[: bracket + 1] if bracket >= 0 else ""


@dataclass(frozen=True)
class MarkedDocument:
    """Plain data from a YAML file plus the position of every value and key in it."""

    data: Any
    filename: str
    values: dict[str, Position] = field(default_factory=dict)
    keys: dict[str, Position] = field(default_factory=dict)

    def where(self, path: str) -> Position:
        """Position of the value at `path`, else of its nearest ancestor that has one."""
        return self._nearest(path, prefer_key=False)

    def where_key(self, path: str) -> Position:
        """Position of the key that names `path` (for unknown or missing fields)."""
        return self._nearest(path, prefer_key=True)

    def problem(self, path: str, message: str, *, at_key: bool = False) -> Problem:
        """A `Problem` in this file at `path`'s position."""
        line, column = self.where_key(path) if at_key else self.where(path)
        return Problem(self.filename, line, column, path, message)

    def subdocument(self, path: str) -> MarkedDocument:
        """The value at `path` as a document of its own, paths re-rooted at it."""
        data: Any = self.data
        for part in split_path(path):
            data = data[part]
        prefix_dot, prefix_bracket = f"{path}.", f"{path}["

        def reroot(marks: dict[str, Position]) -> dict[str, Position]:
            out: dict[str, Position] = {}
            for key, pos in marks.items():
                if key == path:
                    out[""] = pos
                elif key.startswith(prefix_dot):
                    out[key[len(prefix_dot) :]] = pos
                elif key.startswith(prefix_bracket):
                    out[key[len(path) :]] = pos
            return out

        return MarkedDocument(data, self.filename, reroot(self.values), reroot(self.keys))

    def _nearest(self, path: str, *, prefer_key: bool) -> Position:
        current: str | None = path
        while current is not None:
            if prefer_key and current in self.keys:
                return self.keys[current]
            if current in self.values:
                return self.values[current]
            current = parent_path(current)
        return (1, 1)


def split_path(path: str) -> list[PathPart]:
    """Inverse of `join_path` for the paths this module writes."""
    parts: list[PathPart] = []
    for chunk in path.split(".") if path else []:
        name, _, rest = chunk.partition("[")
        if name:
            parts.append(name)
        for index in rest.split("[") if rest else []:
            parts.append(int(index.rstrip("]")))
    return parts


def _position(mark: yaml.Mark | None) -> Position:
    if mark is None:
        return (1, 1)
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Walks composed nodes into plain values, recording marks and problems."""

    def __init__(self, filename: str, max_values: int) -> None:
        self.filename = filename
        self.max_values = max_values
        self.values: dict[str, Position] = {}
        self.keys: dict[str, Position] = {}
        self.problems: list[Problem] = []
        self._nodes = 0
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, parts: tuple[PathPart, ...]) -> Any:
        path = join_path(parts)
        self.values.setdefault(path, _position(node.start_mark))
        self._nodes += 1
        if self._nodes > self.max_values:
            # Aliases of aliases can expand a short file exponentially ("billion laughs").
            if self._nodes == self.max_values + 1:
                self._fail(node, path, f"expands to more than {self.max_values:,} values")
            return None
        if len(parts) > _MAX_DEPTH:
            # Aliases can make a document recursive; no input file nests this deep.
            shown = join_path(parts[:8]) + "..."
            self._fail(node, shown, f"nested more than {_MAX_DEPTH} levels deep")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, parts)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*parts, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == _TIMESTAMP_TAG:
            return node.value
        try:
            return self._scalars.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            self._fail(node, path, f"cannot read this value: {error}")
            return node.value

    def _mapping(self, node: yaml.MappingNode, parts: tuple[PathPart, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                self._fail(key_node, join_path(parts), "expected a plain text key here")
                continue
            key = str(key_node.value)
            child = (*parts, key)
            child_path = join_path(child)
            if key in out:
                first_line = self.keys[child_path][0]
                self._fail(
                    key_node, child_path, f"duplicate key {key!r} (first at line {first_line})"
                )
                continue
            self.keys[child_path] = _position(key_node.start_mark)
            out[key] = self.build(value_node, child)
        return out

    def _fail(self, node: yaml.Node, path: str, message: str) -> None:
        line, column = _position(node.start_mark)
        self.problems.append(Problem(self.filename, line, column, path, message))


def load_yaml_with_marks(
    text: str, filename: str, *, max_values: int = MAX_VALUES
) -> MarkedDocument:
    """Parse YAML text into plain data with positions; raise InvalidInput on any defect.

    An empty document gives `data=None`. Only one document per file is read.
    """
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = _position(mark)
        reason = " ".join(p for p in (error.context, error.problem) if p) or "invalid YAML"
        problem = Problem(filename, line, column, "", f"YAML syntax error: {reason}")
        raise InvalidInput(f"{filename} is not valid YAML", [problem]) from None
    except yaml.YAMLError as error:
        problem = Problem(filename, 1, 1, "", f"YAML syntax error: {error}")
        raise InvalidInput(f"{filename} is not valid YAML", [problem]) from None
    if root is None:
        return MarkedDocument(None, filename)
    builder = _Builder(filename, max_values)
    data = builder.build(root, ())
    if builder.problems:
        raise InvalidInput(f"{filename} has defects", builder.problems)
    return MarkedDocument(data, filename, builder.values, builder.keys)


def load_yaml_file_with_marks(path: Path, display_name: str | None = None) -> MarkedDocument:
    """Read and parse a YAML file; a missing or unreadable file is InvalidInput at 1:1."""
    name = display_name or str(path)
    try:
        text = read_bounded_text(path, MAX_DOCUMENT_BYTES, "file")
    except NotFound:
        problem = Problem(name, 1, 1, "", "file not found")
        raise InvalidInput(f"{name}: file not found", [problem]) from None
    except InvalidInput as error:
        problem = Problem(name, 1, 1, "", f"cannot read file: {error}")
        raise InvalidInput(f"{name}: cannot read file: {error}", [problem]) from None
    return load_yaml_with_marks(text, name)
