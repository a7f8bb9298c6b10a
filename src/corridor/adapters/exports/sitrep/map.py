"""The report's map, drawn from the bundled geometry (the export's own GeoJSON features).

No tiles and no internet: sites, links and corridors from the scenario's
coordinates, with trips on the road and incidents placed at their sites.
Longitude is scaled by the cosine of the mean latitude so distances look right.
"""

from __future__ import annotations

import math
from typing import Any

from corridor.adapters.exports.sitrep.charts import figure_and_axes, svg_of

STYLE: dict[str, dict[str, Any]] = {
    "link": {"color": "#bbbbbb", "linewidth": 0.8, "zorder": 1},
    "corridor": {"color": "#1f5fa8", "linewidth": 2.2, "alpha": 0.7, "zorder": 2},
}


def map_svg(collection: dict[str, Any]) -> str:
    """An SVG map of a feature collection made by the exports service."""
    figure, axes = figure_and_axes(7.0, 4.2)
    features = collection["features"]
    latitudes = [
        f["geometry"]["coordinates"][1] for f in features if f["geometry"]["type"] == "Point"
    ]
    middle = sum(latitudes) / len(latitudes) if latitudes else 0.0
    for feature in features:
        layer, geometry = feature["properties"]["layer"], feature["geometry"]
        if geometry["type"] == "LineString":
            xs, ys = zip(*geometry["coordinates"], strict=True)
            axes.plot(xs, ys, **STYLE[layer])
    for feature in features:
        props, geometry = feature["properties"], feature["geometry"]
        if geometry["type"] != "Point":
            continue
        lon, lat = geometry["coordinates"]
        if props["layer"] == "site":
            axes.plot(lon, lat, "o", color="#555555", markersize=3, zorder=3)
            axes.annotate(
                props["id"],
                (lon, lat),
                fontsize=6,
                xytext=(3, 3),
                textcoords="offset points",
                color="#333333",
            )
        elif props["layer"] == "convoy":
            axes.plot(lon, lat, "^", color="#ff7f0e", markersize=9, zorder=4)
        elif props["layer"] == "incident":
            axes.plot(lon, lat, "X", color="#d62728", markersize=8, zorder=5)
    axes.set_aspect(1 / max(math.cos(math.radians(middle)), 0.1))
    axes.tick_params(labelsize=7)
    axes.set_xlabel("longitude", fontsize=7)
    axes.set_ylabel("latitude", fontsize=7)
    return svg_of(figure)
