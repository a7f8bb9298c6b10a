"""Scenario file loading: how long validation takes for the bundled and for large files.

Validation runs on every CLI call that names a scenario, so it must stay well
under a second for real files and scale near-linearly for large synthetic
ones (a grid of sites with a corridor per row). Medians of repeated runs.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import yaml

from corridor.adapters.scenario_file import bundled_path, parse_scenario


def _median_seconds(fn: Any, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def grid_scenario(rows: int, columns: int) -> str:
    """A valid synthetic scenario: rows x columns sites, a corridor and movement per row."""
    sites: list[dict[str, Any]] = [{"id": "depot", "name": "Depot", "kinds": ["depot"]}]
    links: list[dict[str, Any]] = []
    corridors, movements, populations = [], [], []
    for r in range(rows):
        row = [f"s{r}-{c}" for c in range(columns)]
        for c, site in enumerate(row):
            kinds = ["enclave"] if c == 0 else ["shelter"] if c == columns - 1 else ["staging"]
            sites.append({"id": site, "name": site, "kinds": kinds})
        links.append({"id": f"d{r}", "a": "depot", "b": row[0], "minutes": 10})
        for c in range(columns - 1):
            links.append({"id": f"l{r}-{c}", "a": row[c], "b": row[c + 1], "minutes": 5})
        corridors.append({"id": f"c{r}", "sites": row})
        movements.append(
            {
                "id": f"m{r}",
                "origin": row[0],
                "corridor": f"c{r}",
                "destinations": [row[-1]],
                "groups": ["civilians"],
            }
        )
        populations.append(
            {"movement": f"m{r}", "site": row[0], "group": "civilians", "count": 100}
        )
    document = {
        "id": "grid",
        "name": "Synthetic grid",
        "start": "2020-01-01T00:00",
        "timezone": "UTC",
        "sites": sites,
        "links": links,
        "corridors": corridors,
        "vehicle_kinds": [{"id": "bus", "seats": 50}],
        "fleet": [{"kind": "bus", "depot": "depot", "count": 10}],
        "movements": movements,
        "populations": populations,
    }
    return yaml.safe_dump(document, sort_keys=False)


def run(quick: bool) -> dict[str, Any]:
    repeats = 3 if quick else 7
    text = bundled_path("east-aleppo-2016").read_text(encoding="utf-8")
    figures: dict[str, Any] = {
        "east_aleppo_load_ms": round(
            1000 * _median_seconds(lambda: parse_scenario(text, "east-aleppo-2016.yaml"), repeats),
            2,
        )
    }
    sizes = [(10, 10), (20, 50)] if quick else [(10, 10), (20, 50), (40, 100)]
    for rows, columns in sizes:
        grid = grid_scenario(rows, columns)
        seconds = _median_seconds(lambda grid=grid: parse_scenario(grid, "grid.yaml"), repeats)
        sites = rows * columns + 1
        figures[f"grid_{sites}_sites_load_ms"] = round(1000 * seconds, 1)
        figures[f"grid_{sites}_sites_per_s"] = round(sites / seconds)
    return figures
