"""The timeline chart: people moved per movement over operation time, as SVG drawn on the server.

No chart library and no script: the panel's view model holds each movement's
cumulative arrivals as points already scaled to the chart's box, and the
template draws them as SVG polylines with calendar-time ticks. The JSON twin
carries the same series, unscaled, so the figures can be read without the picture.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from corridor.domain.clock import format_instant, parse_instant
from corridor.services.timeline import Arrival

WIDTH, HEIGHT = 640.0, 220.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 12.0, 12.0, 28.0
TICKS = 5
STALE_AFTER = timedelta(days=2)
"""Beyond this gap after the last arrival the chart ends at that arrival, not at now."""
COLOURS = ("#0b4f8a", "#a4000f", "#1d6b2f", "#6a3d9a", "#b15928", "#444")


def _x(at: datetime, start: datetime, span: float) -> float:
    share = (at - start).total_seconds() / span if span else 1.0
    return round(LEFT + share * (WIDTH - LEFT - RIGHT), 1)


def _y(value: int, top: int) -> float:
    return round(HEIGHT - BOTTOM - (value / top if top else 0.0) * (HEIGHT - TOP - BOTTOM), 1)


def _nice(top: int) -> int:
    """The smallest of 1, 2, 5 x 10^k not below `top` (at least 10)."""
    step = 10
    while True:
        for factor in (1, 2, 5):
            if step * factor >= top:
                return step * factor
        step *= 10


def timeline_chart(arrivals: list[Arrival], movements: list[str], now: datetime) -> dict[str, Any]:
    """Cumulative people arrived per movement from the first arrival to `now`, with ticks."""
    if not arrivals:
        return {"series": [], "ticks": [], "y_ticks": [], "width": WIDTH, "height": HEIGHT}
    start = min(parse_instant(a.at) for a in arrivals)
    last = max(parse_instant(a.at) for a in arrivals)
    # Up to now, unless now is long past the last arrival (a live clock over a recorded run).
    end = max(now if now - last <= STALE_AFTER else last, start + timedelta(hours=1))
    span = (end - start).total_seconds()
    totals: dict[str, int] = {}
    steps: dict[str, list[tuple[datetime, int]]] = {}
    for a in arrivals:
        totals[a.movement] = totals.get(a.movement, 0) + a.people
        steps.setdefault(a.movement, []).append((parse_instant(a.at), totals[a.movement]))
    top = _nice(max(totals.values()))
    order = [m for m in movements if m in steps] + sorted(set(steps) - set(movements))
    series = []
    for i, movement in enumerate(order):
        points = [(LEFT, _y(0, top))]
        before = 0
        for at, total in steps[movement]:
            x = _x(at, start, span)
            points += [(x, _y(before, top)), (x, _y(total, top))]
            before = total
        points.append((_x(end, start, span), _y(before, top)))
        series.append(
            {
                "movement": movement,
                "people": before,
                "colour": COLOURS[i % len(COLOURS)],
                "points": " ".join(f"{x},{y}" for x, y in points),
                "arrivals": [{"at": format_instant(at), "people": n} for at, n in steps[movement]],
            }
        )
    ticks = [
        {"at": format_instant(start + (end - start) * k / (TICKS - 1)),
         "x": round(LEFT + k / (TICKS - 1) * (WIDTH - LEFT - RIGHT), 1)}
        for k in range(TICKS)
    ]  # fmt: skip
    y_ticks = [{"value": top * k // 4, "y": _y(top * k // 4, top)} for k in range(5)]
    return {"series": series, "ticks": ticks, "y_ticks": y_ticks, "width": WIDTH,
            "height": HEIGHT, "left": LEFT, "bottom": HEIGHT - BOTTOM}  # fmt: skip
