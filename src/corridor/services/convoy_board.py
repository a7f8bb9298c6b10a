"""The convoy board: trips people sit in on the road, halted first, with the hours they have sat.

At 3 a.m. the coordination cell's first question is who has been waiting in
a vehicle longest. Custody events carry the operation time they happened at
(`at`), so the hours since boarding and since a halt are read against the
operation clock, never the wall clock of the server. Person-hours (people on
board x hours on board) rank trips of equal stage: a full bus stuck for six
hours comes before a half-empty one stuck for one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from corridor.domain.clock import format_instant, parse_instant
from corridor.domain.custody import Trip
from corridor.services.live import OperationRecord
from corridor.services.views import summary_view

URGENT_STAGES = ("halted", "at-checkpoint", "departed", "turned-back")
"""Stages of a trip with people on the road, in the order the board lists them."""


def hours_since(instant: str, now: datetime) -> float | None:
    """Whole tenths of an hour from `instant` to `now` (None when the record has no time)."""
    if not instant:
        return None
    return max(0.0, round((now - parse_instant(instant)).total_seconds() / 3600, 1))


def _row(trip: Trip, now: datetime) -> dict[str, Any]:
    people = sum(trip.on_board.values())
    on_board = hours_since(trip.boarded_at, now)
    halted = trip.stage == "halted"
    return {
        "trip": trip.id,
        "movement": trip.movement,
        "stage": str(trip.stage),
        "last_site": trip.last_site,
        "people": people,
        "boarded_at": trip.boarded_at or None,
        "hours_on_board": on_board,
        "halted_at": (trip.halted_at or None) if halted else None,
        "hours_halted": hours_since(trip.halted_at, now) if halted else None,
        "person_hours": round(people * on_board, 1) if on_board is not None else None,
    }


def _urgency(row: dict[str, Any]) -> tuple[int, float, float, str]:
    return (
        URGENT_STAGES.index(row["stage"]),
        -(row["hours_halted"] or 0.0),
        -(row["person_hours"] or 0.0),
        row["trip"],
    )


def convoy_board(record: OperationRecord, now: datetime) -> dict[str, Any]:
    """Trips by stage, people by where they are, and trips on the road most urgent first."""
    summary = summary_view(record)
    rows = [_row(t, now) for t in record.book.trips.values() if str(t.stage) in URGENT_STAGES]
    rows.sort(key=_urgency)
    halted = [r for r in rows if r["stage"] == "halted"]
    return {
        "now": format_instant(now),
        "trips": summary["trips"],
        "people": summary["people"],
        "halted": {
            "trips": len(halted),
            "people": sum(r["people"] for r in halted),
            "longest_hours": max((r["hours_halted"] or 0.0 for r in halted), default=0.0),
            "person_hours": round(sum(r["person_hours"] or 0.0 for r in halted), 1),
        },
        "on_road": rows,
    }
