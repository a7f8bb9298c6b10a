"""Reading a scenario file's raw YAML values before the model checks them.

The checks that name every problem at once (`checks`, `reception_checks`,
`transport_checks`) walk the parsed YAML as plain dicts and lists, skipping
what is malformed so that the model's own error names it once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def items(data: dict[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each mapping in the list `section` of `data`, with its index; nothing if not a list."""
    value = data.get(section)
    if not isinstance(value, list):
        return
    for index, item in enumerate(value):
        if isinstance(item, dict):
            yield index, item


def number(value: Any) -> float | None:
    """`value` as a float when it is an int or float (never a bool); None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
