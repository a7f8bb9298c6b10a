"""Write a plan to a directory: trips as CSV and JSON, a vehicle Gantt chart, people moved.

All files are written into a fresh temporary directory beside the target and
only then moved into place, so an error (a full disk, a chart that cannot be
drawn) never leaves a half-written plan where a reader would take it for a
whole one. A new target directory appears in one rename; into an existing
one each file is replaced whole.

Given the scenario's start and zone, every moment is also written as a
calendar time with the zone's offset (`depart_at: 2016-12-15T14:30+02:00`),
plan.json gains a `calendar` block with each movement's completion, and the
charts' time axis shows local dates and hours; minutes stay beside them.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from matplotlib import colormaps
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from corridor.domain.calendar import Calendar
from corridor.domain.scenario import Group
from corridor.errors import CorridorError
from corridor.planning.plan import Plan

TRIPS_CSV = "trips.csv"
PLAN_JSON = "plan.json"
GANTT_PNG = "vehicles.png"
MOVED_PNG = "people-moved.png"
FILES = (TRIPS_CSV, PLAN_JSON, GANTT_PNG, MOVED_PNG)


def write_plan(
    plan: Plan, out: Path, start: str | None = None, timezone: str = "UTC"
) -> list[Path]:
    """Write every plan file into `out`; returns their paths.

    `start` (the scenario's, local in `timezone`) dates the minutes.
    """
    calendar = Calendar.of(start, timezone) if start else None
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CorridorError(f"{out} exists and is not a directory")
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        _write_csv(plan, staging / TRIPS_CSV, calendar)
        (staging / PLAN_JSON).write_text(
            json.dumps(plan_json(plan, calendar), indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        _gantt(plan, staging / GANTT_PNG, calendar)
        _moved(plan, staging / MOVED_PNG, calendar)
        if not out.exists():
            os.replace(staging, out)
        else:
            for name in FILES:
                os.replace(staging / name, out / name)
            staging.rmdir()
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise CorridorError(f"could not write the plan to {out}: {error}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / name for name in FILES]


def _clock(calendar: Calendar | None, minute: float) -> str:
    return calendar.at(minute) if calendar is not None else ""


def completions(plan: Plan) -> dict[str, float]:
    """Per movement, the minute its last planned trip arrives."""
    out: dict[str, float] = {}
    for trip in plan.trips:
        out[trip.movement] = max(out.get(trip.movement, 0.0), trip.arrive)
    return dict(sorted(out.items()))


def calendar_block(plan: Plan, calendar: Calendar) -> dict[str, Any]:
    """Start, clearance and each movement's completion in calendar time."""
    return {
        "start": calendar.local_start(),
        "timezone": calendar.timezone,
        "clearance_at": calendar.at(plan.makespan),
        "movements": {
            movement: {
                "people": plan.people_moved(movement),
                "completion_minutes": minute,
                "completion_at": calendar.at(minute),
            }
            for movement, minute in completions(plan).items()
        },
    }


def plan_json(plan: Plan, calendar: Calendar | None) -> dict[str, Any]:
    """plan.json: the plan as `Plan.from_dict` reads it, with calendar times beside the minutes."""
    data = plan.to_dict()
    if calendar is None:
        return data
    data["calendar"] = calendar_block(plan, calendar)
    for trip in data["trips"]:
        for key in ("leave", "pickup", "depart", "arrive"):
            trip[f"{key}_at"] = calendar.at(float(trip[key]))
    return data


def _write_csv(plan: Plan, path: Path, calendar: Calendar | None) -> None:
    kinds = {v.id: v.kind for v in plan.vehicles}
    groups = [g for g in Group if any(t.count(g) for t in plan.trips)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "vehicle",
                "kind",
                "sequence",
                "movement",
                "origin",
                "destination",
                "leave",
                "pickup",
                "depart",
                "arrive",
                "depart_at",
                "arrive_at",
                "people",
                *groups,
                "route",
                "checkpoints",
            ]
        )
        for t in plan.trips:
            writer.writerow(
                [
                    t.vehicle,
                    kinds.get(t.vehicle, ""),
                    t.sequence,
                    t.movement,
                    t.origin,
                    t.destination,
                    f"{t.leave:g}",
                    f"{t.pickup:g}",
                    f"{t.depart:g}",
                    f"{t.arrive:g}",
                    _clock(calendar, t.depart),
                    _clock(calendar, t.arrive),
                    t.people,
                    *(t.count(g) for g in groups),
                    " > ".join(t.route),
                    "; ".join(f"{c.site}@{c.at:g}" for c in t.crossings),
                ]
            )


class _Axis:
    """Where a minute sits on a chart's time axis: local calendar time, or hours without one."""

    def __init__(self, calendar: Calendar | None) -> None:
        self.calendar = calendar

    def x(self, minute: float) -> float:
        if self.calendar is None:
            return minute / 60
        local = self.calendar.moment(minute).replace(tzinfo=None)
        return float(date2num(local))  # type: ignore[no-untyped-call]

    def span(self, start: float, end: float) -> tuple[float, float]:
        """(x, width) of the interval from minute `start` to minute `end`."""
        left = self.x(start)
        return left, self.x(end) - left

    def label(self, axes: Any) -> None:
        if self.calendar is None:
            axes.set_xlabel("hours after the start")
            return
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        offset = self.calendar.local_start()[-6:]
        axes.set_xlabel(f"local time, {self.calendar.timezone} (UTC{offset} at the start)")


def _gantt(plan: Plan, path: Path, calendar: Calendar | None = None) -> None:
    axis = _Axis(calendar)
    vehicles = [v.id for v in plan.vehicles if plan.trips_of(v.id)]
    movements = sorted({t.movement for t in plan.trips})
    colours = colormaps["tab10"]
    # Rows shrink for large fleets so the image stays printable (at most 40 in).
    height = min(40.0, max(3.0, 0.28 * len(vehicles) + 1.5))
    # A bare Figure (no pyplot) draws with the Agg canvas and keeps no global state.
    figure = Figure(figsize=(12, height))
    axes = figure.subplots()
    labelled: set[str] = set()
    for row, vid in enumerate(vehicles):
        trips = plan.trips_of(vid)
        empty = [axis.span(t.leave, t.pickup) for t in trips]
        held = [axis.span(t.pickup, t.depart) for t in trips]
        axes.broken_barh(empty, (row - 0.35, 0.7), facecolors="#d0d0d0")
        axes.broken_barh(held, (row - 0.35, 0.7), facecolors="#f2c14e")
        for i, movement in enumerate(movements):
            loaded = [axis.span(t.depart, t.arrive) for t in trips if t.movement == movement]
            axes.broken_barh(
                loaded,
                (row - 0.35, 0.7),
                facecolors=colours(i % 10),
                label=None if movement in labelled or not loaded else f"loaded: {movement}",
            )
            if loaded:
                labelled.add(movement)
    if len(vehicles) <= 150:
        axes.set_yticks(range(len(vehicles)))
        axes.set_yticklabels(vehicles, fontsize=6)
    else:
        axes.set_ylabel(f"{len(vehicles)} vehicles, in id order")
    axes.invert_yaxis()
    axis.label(axes)
    axes.set_title(
        f"{plan.scenario}: trips per vehicle (grey: empty run, yellow: waiting at pickup)"
    )
    axes.axvline(axis.x(plan.makespan), color="black", linewidth=0.8, linestyle="--")
    if movements:
        axes.legend(loc="lower right", fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def _moved(plan: Plan, path: Path, calendar: Calendar | None = None) -> None:
    axis = _Axis(calendar)
    figure = Figure(figsize=(9, 4.5))
    axes = figure.subplots()
    series = [(None, "all movements")] + [(m, m) for m in sorted({t.movement for t in plan.trips})]
    for movement, label in series:
        steps = plan.arrivals(movement)
        times = [axis.x(0.0)] + [axis.x(minute) for minute, _ in steps]
        people = [0] + [total for _, total in steps]
        axes.step(times, people, where="post", label=label)
    axes.axhline(plan.people_moved(), color="grey", linewidth=0.6, linestyle=":")
    axis.label(axes)
    axes.set_ylabel("people arrived")
    cleared = f" (everyone by {calendar.at(plan.makespan)})" if calendar else ""
    axes.set_title(
        f"{plan.scenario}: clearance {plan.makespan / 60:.1f} h{cleared}\n"
        f"bound {plan.lower_bound / 60:.1f} h, gap {plan.gap:.1%}"
    )
    axes.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
