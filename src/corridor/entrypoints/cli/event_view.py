"""Ledger events for people, at whatever width the terminal has (80 columns included).

A table of seven columns folds every cell into slivers at 80 columns
(`operati`/`on/east`/...). Each event is instead a short block: sequence,
recorded time and type on the first line; stream, version and actor on the
next, wrapped at word gaps and never cut; then the payload, shortened to a
few lines, since `--json` gives it whole.

    #12     2016-12-15T05:00:00.000000Z  trip-dispatched
            operation/east-aleppo-2016 v12  by coordinator
            {"load":{"civilians":50},"movement":"east-aleppo",...
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.text import Text

from corridor.domain.events import RecordedEvent

__all__ = ["PAYLOAD_LINES", "print_events"]

INDENT = 8
PAYLOAD_LINES = 3
MORE = "..."


def _fit(parts: Sequence[str], width: int, first: str = "") -> list[str]:
    """Lay `parts` out two spaces apart, breaking before a part that would overflow.

    Lines after the first are indented; a single part wider than a line is
    folded (kept whole, in pieces), never cut.
    """
    lines: list[str] = []
    current = first
    pad = " " * INDENT
    for part in parts:
        gap = "" if current.endswith(" ") or not current else "  "
        if len(current) + len(gap) + len(part) <= width:
            current = current + gap + part
            continue
        if current.strip():
            lines.append(current)
        current = pad
        room = max(1, width - INDENT)
        while len(part) > room:
            lines.append(pad + part[:room])
            part = part[room:]
        current = pad + part
    if current.strip():
        lines.append(current)
    return lines


def _payload(payload: str, width: int) -> list[str]:
    room = max(len(MORE) + 1, width - INDENT)
    pieces = [payload[i : i + room] for i in range(0, len(payload), room)] or [""]
    if len(pieces) > PAYLOAD_LINES:
        pieces = pieces[:PAYLOAD_LINES]
        pieces[-1] = pieces[-1][: room - len(MORE)] + MORE
    return [" " * INDENT + piece for piece in pieces]


def event_lines(event: RecordedEvent, width: int) -> list[str]:
    """The block of lines one event takes at `width` columns."""
    head = f"#{event.sequence}".ljust(INDENT)
    lines = _fit([event.recorded_at, event.type], width, head)
    lines += _fit([f"{event.stream} v{event.version}", f"by {event.actor}"], width, " " * INDENT)
    return lines + _payload(event.payload, width)


def print_events(console: Console, events: Iterable[RecordedEvent]) -> None:
    """Print each event as its block, and a closing hint when a payload was shortened."""
    width = console.width
    shortened = False
    for event in events:
        for line in event_lines(event, width):
            console.print(Text(line), soft_wrap=True)
        room = max(len(MORE) + 1, width - INDENT)
        shortened = shortened or len(event.payload) > room * PAYLOAD_LINES
    if shortened:
        console.print(Text("(payloads shortened; --json prints them whole)"), soft_wrap=True)
