"""The report's map, drawn from the bundled geometry (the export's own GeoJSON features).

No tiles and no internet: sites, links and corridors from the scenario's
coordinates, with trips on the road and incidents placed at their sites.
Sites far apart (Aleppo and Idlib, Madaya near Damascus) get a panel each,
so one distant place does not shrink the rest to a corner. Longitude is
scaled by the cosine of the latitude so distances look right.
"""

from __future__ import annotations

import math
from typing import Any

from corridor.adapters.exports.sitrep.charts import figure_and_axes, svg_of

STYLE: dict[str, dict[str, Any]] = {
    "link": {"color": "#bbbbbb", "linewidth": 0.8, "zorder": 1},
    "corridor": {"color": "#1f5fa8", "linewidth": 2.2, "alpha": 0.7, "zorder": 2},
}
GAP_DEGREES = 1.0
"""Sites whose latitudes are further apart than this go to separate panels."""
MARGIN = 0.08


def _panels(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Points split where the latitude jumps by more than GAP_DEGREES, north first."""
    ordered = sorted(points, key=lambda p: -p[1])
    panels: list[list[tuple[float, float]]] = []
    for point in ordered:
        if panels and panels[-1][-1][1] - point[1] <= GAP_DEGREES:
            panels[-1].append(point)
        else:
            panels.append([point])
    return panels


MARKERS: dict[str, tuple[str, dict[str, Any]]] = {
    "site": ("o", {"color": "#555555", "markersize": 3, "zorder": 3}),
    "convoy": ("^", {"color": "#ff7f0e", "markersize": 9, "zorder": 4}),
    "incident": ("X", {"color": "#d62728", "markersize": 8, "zorder": 5}),
}


def _draw(axes: Any, features: list[dict[str, Any]], box: list[tuple[float, float]]) -> None:
    lons, lats = [p[0] for p in box], [p[1] for p in box]
    for feature in features:
        layer, geometry = feature["properties"]["layer"], feature["geometry"]
        if geometry["type"] == "LineString":
            xs, ys = zip(*geometry["coordinates"], strict=True)
            axes.plot(xs, ys, **STYLE[layer])
    # One marker series per layer, each position once: a long operation has
    # hundreds of incidents at a few checkpoints, and a plot call per feature
    # was most of the map's cost.
    points: dict[str, dict[tuple[float, float], None]] = {layer: {} for layer in MARKERS}
    for feature in features:
        props, geometry = feature["properties"], feature["geometry"]
        if geometry["type"] != "Point":
            continue
        lon, lat = geometry["coordinates"]
        if props["layer"] in points:
            points[props["layer"]][(lon, lat)] = None
        if props["layer"] == "site":
            axes.annotate(
                props["id"],
                (lon, lat),
                fontsize=6,
                xytext=(3, 3),
                textcoords="offset points",
                color="#333333",
                clip_on=True,
            )
    for layer, (marker, style) in MARKERS.items():
        if points[layer]:
            xs, ys = zip(*points[layer], strict=True)
            axes.plot(xs, ys, marker, linestyle="none", **style)
    axes.set_xlim(min(lons) - MARGIN, max(lons) + MARGIN)
    axes.set_ylim(min(lats) - MARGIN, max(lats) + MARGIN)
    middle = (min(lats) + max(lats)) / 2
    axes.set_aspect(1 / max(math.cos(math.radians(middle)), 0.1), adjustable="box")
    axes.tick_params(labelsize=6)


def map_svg(collection: dict[str, Any]) -> str:
    """An SVG map of a feature collection made by the exports service."""
    features = collection["features"]
    points = [
        tuple(f["geometry"]["coordinates"])
        for f in features
        if f["properties"]["layer"] == "site" and f["geometry"]["type"] == "Point"
    ]
    panels = _panels([(float(p[0]), float(p[1])) for p in points]) or [[(0.0, 0.0)]]
    figure, axes = figure_and_axes(7.0, 3.8, columns=len(panels))
    for one, box in zip(axes if len(panels) > 1 else [axes], panels, strict=True):
        _draw(one, features, box)
    return svg_of(figure)
