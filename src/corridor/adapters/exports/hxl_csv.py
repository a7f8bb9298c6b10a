"""HXL-tagged CSV: a header row people read, a hashtag row machines join on, then the rows.

Written through libhxl (the HXL standard's own library), so what HDX and the
OCHA tools parse is what we wrote. Values are written as they are: numbers
as numbers, absent values as empty cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hxl

from corridor.adapters.exports.atomic import atomic_file
from corridor.services.exports.columns import Table


def _cell(value: Any) -> Any:
    return "" if value is None else value


def hxl_lines(table: Table) -> Iterator[str]:
    """The table as HXL CSV text, line by line."""
    rows: list[list[Any]] = [
        [c.header for c in table.columns],
        [c.tag for c in table.columns],
        *([_cell(v) for v in row] for row in table.rows),
    ]
    yield from hxl.data(rows).gen_csv(show_headers=True, show_tags=True)


def hxl_text(table: Table) -> str:
    return "".join(hxl_lines(table))


def write_hxl(table: Table, path: Path) -> int:
    """Write `table` to `path` (whole or not at all); the number of data rows."""
    with atomic_file(path) as out:
        for line in hxl_lines(table):
            out.write(line)
    return len(table.rows)
