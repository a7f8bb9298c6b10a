"""Read Bus Evacuation Problem files exactly as published with the GRASP study.

Format (whitespace-separated integers, one row per line, blank lines allowed):
`B Q`, then `D b_1..b_D`, `P total d_1..d_P`, `S total c_1..c_S`, then D depot
rows `k t(k,1)..t(k,P)` and P pickup rows `j t(j,1)..t(j,S)`, each starting
with its 1-based id. The listed totals repeat information the file already
holds; a total that disagrees with its list means the file is damaged, so it
is an error, as is a bus count that disagrees with the depot counts. Every
problem is reported with its line and column and what was expected; nothing
is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corridor.errors import InvalidInput, Problem
from corridor.planning.bep.instance import BepInstance


@dataclass(frozen=True)
class _Token:
    text: str
    line: int
    column: int


class _Lines:
    """Non-blank lines as token lists, keeping positions for error messages."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.rows: list[list[_Token]] = []
        self.last_line = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            self.last_line = number
            tokens: list[_Token] = []
            column = 0
            for piece in raw.split():
                column = raw.index(piece, column)
                tokens.append(_Token(piece, number, column + 1))
                column += len(piece)
            if tokens:
                self.rows.append(tokens)
        self.next_row = 0

    def take(self, path: str, expected: str) -> list[_Token]:
        if self.next_row >= len(self.rows):
            raise self.error(self.last_line + 1, 1, path, f"missing row: expected {expected}")
        row = self.rows[self.next_row]
        self.next_row += 1
        return row

    def error(self, line: int, column: int, path: str, message: str) -> InvalidInput:
        problem = Problem(self.file, line, column, path, message)
        return InvalidInput(f"{self.file}: not a valid BEP file", [problem])


def _integer(lines: _Lines, token: _Token, path: str, minimum: int) -> int:
    try:
        value = int(token.text)
    except ValueError:
        raise lines.error(
            token.line, token.column, path, f"expected an integer, got {token.text!r}"
        ) from None
    if value < minimum:
        kind = "a non-negative integer" if minimum == 0 else f"an integer >= {minimum}"
        raise lines.error(token.line, token.column, path, f"expected {kind}, got {value}")
    return value


def _row(
    lines: _Lines, path: str, expected: str, width: int, minimum: int = 0
) -> tuple[list[int], _Token]:
    """One row of exactly `width` integers; returns values and the first token."""
    row = lines.take(path, expected)
    if len(row) != width:
        where = row[width] if len(row) > width else row[-1]
        raise lines.error(
            where.line,
            where.column,
            path,
            f"expected {width} numbers ({expected}), found {len(row)}",
        )
    return [_integer(lines, token, f"{path}[{i}]", minimum) for i, token in enumerate(row)], row[0]


def _counted(lines: _Lines, path: str, what: str, with_total: bool) -> list[int]:
    """A header row `n [total] v_1..v_n` with its count (and total) checked."""
    row = lines.take(path, f"the {what} row")
    count = _integer(lines, row[0], f"{path}.count", 0)
    head = 2 if with_total else 1
    shape = f"count, total and {count} values" if with_total else f"count and {count} values"
    if len(row) != head + count:
        where = row[min(len(row), head + count)] if len(row) > head + count else row[-1]
        raise lines.error(
            where.line, where.column, path, f"expected {shape}, found {len(row)} numbers"
        )
    values = [_integer(lines, token, f"{path}[{i + 1}]", 0) for i, token in enumerate(row[head:])]
    if with_total:
        total = _integer(lines, row[1], f"{path}.total", 0)
        if total != sum(values):
            raise lines.error(
                row[1].line,
                row[1].column,
                f"{path}.total",
                f"total {total} does not match the sum of the listed values ({sum(values)})",
            )
    return values


def _matrix(lines: _Lines, path: str, rows: int, columns: int, what: str) -> list[list[int]]:
    matrix: list[list[int]] = []
    for index in range(1, rows + 1):
        values, first = _row(
            lines, f"{path}[{index}]", f"id {index} then {columns} {what}", columns + 1
        )
        if values[0] != index:
            raise lines.error(
                first.line,
                first.column,
                f"{path}[{index}].id",
                f"expected id {index}, got {values[0]}",
            )
        matrix.append(values[1:])
    return matrix


def parse_bep(text: str, file: str = "<text>", name: str | None = None) -> BepInstance:
    """Parse the text of a BEP file; raise `InvalidInput` naming line and column."""
    lines = _Lines(file, text)
    (buses, seats), first = _row(lines, "buses", "bus count and seat capacity", 2)
    depots = _counted(lines, "depots", "depot", with_total=False)
    if sum(depots) != buses:
        raise lines.error(
            first.line,
            first.column,
            "buses",
            f"bus count {buses} does not match the buses listed at depots ({sum(depots)})",
        )
    demand = _counted(lines, "pickups", "pickup point", with_total=True)
    capacity = _counted(lines, "shelters", "shelter", with_total=True)
    to_pickup = _matrix(lines, "depot", len(depots), len(demand), "distances to pickup points")
    to_shelter = _matrix(lines, "pickup", len(demand), len(capacity), "distances to shelters")
    if lines.next_row < len(lines.rows):
        extra = lines.rows[lines.next_row][0]
        raise lines.error(
            extra.line, extra.column, "<end>", "expected end of file, found more rows"
        )
    return BepInstance(
        name=name if name is not None else Path(file).stem,
        seats=seats,
        buses_at_depot=tuple(depots),
        demand=tuple(demand),
        capacity=tuple(capacity),
        depot_to_pickup=tuple(tuple(row) for row in to_pickup),
        pickup_to_shelter=tuple(tuple(row) for row in to_shelter),
    )


def read_bep(path: Path) -> BepInstance:
    """Read a BEP file from disk; a missing or unreadable file is `InvalidInput` too."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problem = Problem(str(path), 0, 0, "", f"cannot read file: {error}")
        raise InvalidInput(f"{path}: cannot read", [problem]) from None
    return parse_bep(text, file=str(path), name=path.stem)
