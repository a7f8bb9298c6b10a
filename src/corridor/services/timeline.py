"""People moved per movement over operation time, folded incrementally from the ledger.

The live record keeps where people are now, not when they got there. The
timeline needs each arrival's operation time (`at` on `trip-arrived`) and
movement, so it keeps its own small fold per operation and reads only the
events after the last one it saw: a refresh after one event costs one short
read. A turned-back trip's arrival is people returned, not moved, and is
not counted. Arrivals without a time (older records) are left out rather than
placed at a guessed moment.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from corridor.domain.operation import operation_stream
from corridor.services.ports import LedgerStore

BOARDED, TURNED_BACK, ARRIVED = "trip-boarded", "trip-turned-back", "trip-arrived"


@dataclass(frozen=True)
class Arrival:
    at: str
    movement: str
    people: int


@dataclass
class _Fold:
    last_sequence: int = 0
    movement_of: dict[str, str] = field(default_factory=dict)
    turned_back: set[str] = field(default_factory=set)
    arrivals: list[Arrival] = field(default_factory=list)
    ordered: list[Arrival] = field(default_factory=list)


class Timelines:
    """Each operation's arrivals in operation time, kept current from the ledger."""

    def __init__(self, ledger: LedgerStore) -> None:
        self.ledger = ledger
        self._folds: dict[str, _Fold] = {}
        self._lock = threading.Lock()

    def arrivals(self, operation: str) -> list[Arrival]:
        """Every timed arrival of `operation` so far, in operation-time order."""
        with self._lock:
            fold = self._folds.setdefault(operation, _Fold())
            stream = operation_stream(operation)
            for event in self.ledger.read(after=fold.last_sequence, stream=stream):
                fold.last_sequence = event.sequence
                if event.type == BOARDED:
                    data = event.data()
                    fold.movement_of[data["trip"]] = data["movement"]
                elif event.type == TURNED_BACK:
                    fold.turned_back.add(event.data()["trip"])
                elif event.type == ARRIVED:
                    data = event.data()
                    if data["trip"] in fold.turned_back:
                        continue
                    movement = fold.movement_of.get(data["trip"])
                    if movement is not None and data.get("at"):
                        people = sum(int(n) for n in data["counts"].values())
                        fold.arrivals.append(Arrival(data["at"], movement, people))
            if len(fold.ordered) != len(fold.arrivals):
                fold.ordered = sorted(fold.arrivals, key=lambda a: a.at)
            return list(fold.ordered)
