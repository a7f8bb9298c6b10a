"""The report's chart: people arrived per day, stacked by movement, as inline SVG.

Text inside the chart is only dates and movement ids, so it reads the same
in both editions (matplotlib does not shape Arabic); titles are in the page.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
plt.rcParams["svg.hashsalt"] = "corridor"  # the same figures give the same SVG


def figure_and_axes(width: float, height: float, columns: int = 1) -> tuple[Any, Any]:
    """A new figure of `width` x `height` inches with `columns` sets of axes side by side."""
    return plt.subplots(1, columns, figsize=(width, height), dpi=100)


def svg_of(figure: object) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})  # type: ignore[attr-defined]
    plt.close(figure)  # type: ignore[arg-type]
    text = out.getvalue()
    return text[text.index("<svg") :]


def arrivals_chart(days: Sequence[date], by_movement: Mapping[str, Sequence[int]]) -> str:
    """Stacked bars of people arrived per day; one colour per movement."""
    figure, axes = figure_and_axes(7.0, 2.6)
    labels = [d.strftime("%m-%d") for d in days]
    bottom = [0] * len(days)
    for n, (movement, values) in enumerate(sorted(by_movement.items())):
        axes.bar(labels, values, bottom=bottom, label=movement, color=COLOURS[n % len(COLOURS)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylabel("people")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8)
    axes.tick_params(labelsize=8)
    return svg_of(figure)
