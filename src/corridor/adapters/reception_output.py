"""Write reception results to a directory: CSV, JSON and a chart for each.

- allocation: `allocation.csv` (people per site and shelter kind against its
  places), `allocation.json`, `occupancy.png` (occupancy against capacity);
- forecast: `arrivals.csv` (per site and hour in calendar time, p10/p50/p90
  per group), `forecast.json`, `arrivals.png` (people arrived per site over time);
- needs: `needs.csv` (per site, day and supply), `needs.json`, `shortfalls.png`
  (the days each site runs short of each supply).
Files are staged in a temporary directory and moved into place whole, as the
plan writer does, so a failure never leaves half a result behind.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from corridor.errors import CorridorError
from corridor.reception.forecast import Forecast, cumulative
from corridor.reception.needs import Needs


def _write(out: Path, files: dict[str, Callable[[Path], None]]) -> list[Path]:
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CorridorError(f"{out} exists and is not a directory")
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        for name, write in files.items():
            write(staging / name)
        out.mkdir(exist_ok=True)
        for name in files:
            os.replace(staging / name, out / name)
        staging.rmdir()
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise CorridorError(f"could not write to {out}: {error}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / name for name in files]


def _json(value: Any) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(json.dumps(value, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    return write


def _csv(header: list[str], rows: list[list[Any]]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    return write


def write_allocation(view: dict[str, Any], out: Path) -> list[Path]:
    """allocation.csv, allocation.json and occupancy.png from `allocation_view`."""
    rows = [
        [
            s["site"],
            sh["kind"],
            sh["people"],
            sh["places"],
            sh["standard_places"],
            sh["overcrowded"],
        ]
        for s in view["sites"]
        for sh in s["shelters"]
    ]

    def chart(path: Path) -> None:
        sites = view["sites"]
        figure = Figure(figsize=(max(6.0, 0.5 * len(sites) + 2), 4.5))
        axes = figure.subplots()
        x = np.arange(len(sites))
        axes.bar(x, [s["places"] for s in sites], color="#d0d0d0", label="places")
        axes.bar(x, [s["people"] for s in sites], width=0.5, color="#3b7dd8", label="people")
        axes.set_xticks(x)
        axes.set_xticklabels([s["site"] for s in sites], rotation=45, ha="right", fontsize=7)
        axes.set_ylabel("people")
        axes.set_title(f"{view['scenario']}: shelter occupancy against capacity")
        axes.legend(fontsize=8)
        figure.tight_layout()
        figure.savefig(path, dpi=110)

    header = ["site", "kind", "people", "places", "standard_places", "overcrowded"]
    return _write(
        out,
        {
            "allocation.csv": _csv(header, rows),
            "allocation.json": _json(view),
            "occupancy.png": chart,
        },
    )


def write_forecast(
    forecast: Forecast, view: dict[str, Any], out: Path, places: dict[str, int] | None = None
) -> list[Path]:
    """arrivals.csv, forecast.json and arrivals.png (arrived against `places` per site)."""
    groups = sorted(view["hours"][0]["p50"]) if view["hours"] else []
    header = ["site", "hour", *[f"{b}_{g}" for b in ("p10", "p50", "p90") for g in groups]]
    rows = [
        [r["site"], r["hour"], *[r[b][g] for b in ("p10", "p50", "p90") for g in groups]]
        for r in view["hours"]
    ]

    def chart(path: Path) -> None:
        figure = Figure(figsize=(9, 4.5))
        axes = figure.subplots()
        cum = cumulative(forecast, "p50")
        hours = np.array(
            [forecast.hour_time(h) for h in range(cum.shape[1])], dtype="datetime64[m]"
        )
        for i, site in enumerate(forecast.sites):
            if cum[i, -1] > 0:
                (line,) = axes.step(hours, cum[i], where="post", label=site)
                if places and site in places:
                    axes.axhline(places[site], color=line.get_color(), linestyle="--", lw=0.8)
        axes.set_xlabel("local time")
        figure.autofmt_xdate()
        axes.set_ylabel("people arrived (p50)")
        axes.set_title(f"arrivals per reception site (dashed: its places): {forecast.source}")
        axes.legend(fontsize=7)
        figure.tight_layout()
        figure.savefig(path, dpi=110)

    return _write(
        out,
        {"arrivals.csv": _csv(header, rows), "forecast.json": _json(view), "arrivals.png": chart},
    )


def write_needs(result: Needs, view: dict[str, Any], out: Path) -> list[Path]:
    """needs.csv, needs.json and shortfalls.png."""
    rows = [
        [d["site"], d["day"], d["people"], supply, need, d["available"][supply]]
        for d in view["days"]
        for supply, need in d["need"].items()
    ]

    def chart(path: Path) -> None:
        occupancy = result.occupancy
        short = (result.short > 0).sum(axis=2)  # supplies short, per [site, day]
        figure = Figure(
            figsize=(max(6.0, 0.3 * len(occupancy.days) + 3), 0.3 * len(occupancy.sites) + 2)
        )
        axes = figure.subplots()
        image = axes.imshow(short, aspect="auto", cmap="Reds", vmin=0, vmax=len(result.supplies))
        axes.set_yticks(range(len(occupancy.sites)))
        axes.set_yticklabels(occupancy.sites, fontsize=7)
        axes.set_xticks(range(len(occupancy.days)))
        axes.set_xticklabels(occupancy.days, rotation=90, fontsize=6)
        axes.set_title("supplies short of the standard, per site and day")
        figure.colorbar(image, ax=axes, label="supplies short")
        figure.tight_layout()
        figure.savefig(path, dpi=110)

    header = ["site", "day", "people", "supply", "need", "available"]
    return _write(
        out, {"needs.csv": _csv(header, rows), "needs.json": _json(view), "shortfalls.png": chart}
    )
