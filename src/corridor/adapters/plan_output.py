"""Write a plan to a directory: trips as CSV and JSON, a vehicle Gantt chart, people moved.

All files are written into a fresh temporary directory beside the target and
only then moved into place, so an error (a full disk, a chart that cannot be
drawn) never leaves a half-written plan where a reader would take it for a
whole one. A new target directory appears in one rename; into an existing
one each file is replaced whole.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from matplotlib import colormaps
from matplotlib.figure import Figure

from corridor.domain.scenario import Group
from corridor.errors import CorridorError
from corridor.planning.plan import Plan

TRIPS_CSV = "trips.csv"
PLAN_JSON = "plan.json"
GANTT_PNG = "vehicles.png"
MOVED_PNG = "people-moved.png"
FILES = (TRIPS_CSV, PLAN_JSON, GANTT_PNG, MOVED_PNG)


def write_plan(plan: Plan, out: Path, start: str | None = None) -> list[Path]:
    """Write every plan file into `out`; returns their paths. `start` dates the minutes."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CorridorError(f"{out} exists and is not a directory")
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        _write_csv(plan, staging / TRIPS_CSV, start)
        (staging / PLAN_JSON).write_text(
            json.dumps(plan.to_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        _gantt(plan, staging / GANTT_PNG)
        _moved(plan, staging / MOVED_PNG)
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


def _clock(start: str | None, minute: float) -> str:
    if not start:
        return ""
    moment = datetime.fromisoformat(start) + timedelta(minutes=minute)
    return moment.isoformat(timespec="minutes")


def _write_csv(plan: Plan, path: Path, start: str | None) -> None:
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
                    _clock(start, t.depart),
                    _clock(start, t.arrive),
                    t.people,
                    *(t.count(g) for g in groups),
                    " > ".join(t.route),
                    "; ".join(f"{c.site}@{c.at:g}" for c in t.crossings),
                ]
            )


def _gantt(plan: Plan, path: Path) -> None:
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
        empty = [(t.leave / 60, (t.pickup - t.leave) / 60) for t in trips]
        held = [(t.pickup / 60, (t.depart - t.pickup) / 60) for t in trips]
        axes.broken_barh(empty, (row - 0.35, 0.7), facecolors="#d0d0d0")
        axes.broken_barh(held, (row - 0.35, 0.7), facecolors="#f2c14e")
        for i, movement in enumerate(movements):
            loaded = [
                (t.depart / 60, (t.arrive - t.depart) / 60) for t in trips if t.movement == movement
            ]
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
    axes.set_xlabel("hours after the start")
    axes.set_title(
        f"{plan.scenario}: trips per vehicle (grey: empty run, yellow: waiting at pickup)"
    )
    axes.axvline(plan.makespan / 60, color="black", linewidth=0.8, linestyle="--")
    if movements:
        axes.legend(loc="lower right", fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def _moved(plan: Plan, path: Path) -> None:
    figure = Figure(figsize=(9, 4.5))
    axes = figure.subplots()
    series = [(None, "all movements")] + [(m, m) for m in sorted({t.movement for t in plan.trips})]
    for movement, label in series:
        steps = plan.arrivals(movement)
        hours = [0.0] + [minute / 60 for minute, _ in steps]
        people = [0] + [total for _, total in steps]
        axes.step(hours, people, where="post", label=label)
    axes.axhline(plan.people_moved(), color="grey", linewidth=0.6, linestyle=":")
    axes.set_xlabel("hours after the start")
    axes.set_ylabel("people arrived")
    axes.set_title(
        f"{plan.scenario}: clearance {plan.makespan / 60:.1f} h "
        f"(bound {plan.lower_bound / 60:.1f} h, gap {plan.gap:.1%})"
    )
    axes.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
