"""What happened in a run, minute by minute, for writing into a ledger or reading.

The engine emits a `TraceEvent` at each dispatch, crossing, arrival, turn-back,
incident, halt and resume when an observer is given; the run costs nothing
extra when none is. Kinds use the ledger's words so a simulated operation can
be inspected like a live one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TraceEvent:
    """One thing that happened at `minute` after the start."""

    minute: float
    kind: str
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"minute": self.minute, "kind": self.kind, **self.data}
