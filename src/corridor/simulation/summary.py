"""From many runs to figures a coordinator can act on: percentiles, means, bands.

The summary is plain JSON-ready data built in run order with fixed rounding, so
the same study gives the same bytes on any machine and from any executor.
Durations are hours, because that is how people speak of waiting in the cold;
moments are calendar times with the zone's offset (`2016-12-16T03:00+02:00`),
with hours after the start kept beside them for machines.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from corridor.domain.calendar import Calendar
from corridor.domain.scenario import Scenario
from corridor.simulation.metrics import MINUTES_PER_HOUR, RunMetrics, RunOptions

CONVERGED_BELOW = 0.02
"""A study has converged when the 95% CI half-width of mean clearance is below 2% of it."""
Z95 = 1.959963984540054
DIGITS = 4


def _round(value: float) -> float:
    return round(float(value), DIGITS)


def distribution(values: Sequence[float]) -> dict[str, Any]:
    """p10, p50, p90, mean with its 95% confidence interval, and the CI's relative width."""
    data = np.asarray(values, dtype=float)
    n = int(data.size)
    mean = float(data.mean()) if n else 0.0
    sd = float(data.std(ddof=1)) if n > 1 else 0.0
    half = Z95 * sd / math.sqrt(n) if n > 1 else 0.0
    p10, p50, p90 = (float(v) for v in np.percentile(data, [10, 50, 90])) if n else (0, 0, 0)
    return {
        "n": n,
        "p10": _round(p10),
        "p50": _round(p50),
        "p90": _round(p90),
        "mean": _round(mean),
        "ci95": [_round(mean - half), _round(mean + half)],
        "ci_half_width_ratio": _round(half / abs(mean)) if mean else 0.0,
    }


def _hours(values: Sequence[float]) -> list[float]:
    return [v / MINUTES_PER_HOUR for v in values]


def _by_group(runs: Sequence[RunMetrics], attribute: str) -> dict[str, Any]:
    groups: dict[str, list[float]] = {}
    for run in runs:
        for group, minutes in getattr(run, attribute):
            groups.setdefault(group, []).append(minutes / MINUTES_PER_HOUR)
    return {g: distribution(v) for g, v in sorted(groups.items()) if any(v)}


def moments(hours: dict[str, Any], calendar: Calendar) -> dict[str, str]:
    """The p10/p50/p90 and mean of a distribution in hours, as calendar times."""
    return {
        k: calendar.at(float(hours[k]) * MINUTES_PER_HOUR) for k in ("p10", "p50", "p90", "mean")
    }


def completions(
    scenario: Scenario, options: RunOptions, runs: Sequence[RunMetrics], calendar: Calendar
) -> dict[str, Any]:
    """Per movement: when its last person arrived, in hours and in calendar time.

    A run in which a movement did not arrive in full counts the horizon for it
    (censored, as for clearance), and `cleared_share` says how often that was.
    """
    out: dict[str, Any] = {}
    for movement in scenario.movements:
        people = scenario.people(movement.id)
        hours: list[float] = []
        cleared = 0
        for run in runs:
            last = dict(run.last_arrivals).get(movement.id, 0.0)
            arrived = dict(run.series).get(movement.id, (0,))
            done = bool(arrived) and arrived[-1] >= people
            cleared += done
            minutes = last if done else options.horizon_minutes
            hours.append(minutes / MINUTES_PER_HOUR)
        d = distribution(hours)
        out[movement.id] = {
            "people": people,
            "cleared_share": _round(cleared / max(1, len(runs))),
            "completion_hours": d,
            "completion_at": moments(d, calendar),
        }
    return out


def bands(series: Sequence[Sequence[float]]) -> dict[str, list[float]]:
    """Per time step, the p10/p50/p90 across runs."""
    data = np.asarray(series, dtype=float)
    p10, p50, p90 = np.percentile(data, [10, 50, 90], axis=0)
    return {
        "p10": [_round(v) for v in p10],
        "p50": [_round(v) for v in p50],
        "p90": [_round(v) for v in p90],
    }


def series_summary(
    scenario: Scenario, options: RunOptions, runs: Sequence[RunMetrics]
) -> dict[str, Any]:
    """Cumulative people moved per movement, and reciprocity balance, as percentile bands.

    The balance between two movements is the difference of the shares of their
    people moved, in percentage points: zero means both sides are in step.
    """
    grid = options.grid()
    hours = [_round(minute / MINUTES_PER_HOUR) for minute in grid]
    calendar = Calendar.of(scenario.start, scenario.timezone)
    per_movement: dict[str, list[tuple[int, ...]]] = {}
    for run in runs:
        for movement, values in run.series:
            per_movement.setdefault(movement, []).append(values)
    moved = {m: bands(v) for m, v in per_movement.items()}
    balance: dict[str, Any] = {}
    ids = [m.id for m in scenario.movements]
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            a = max(1, scenario.people(first))
            b = max(1, scenario.people(second))
            gaps = [
                [100.0 * (x / a - y / b) for x, y in zip(left, right, strict=True)]
                for left, right in zip(per_movement[first], per_movement[second], strict=True)
            ]
            balance[f"{first}/{second}"] = bands(gaps)
    times = [calendar.at(minute) for minute in grid]
    return {"hours": hours, "times": times, "moved": moved, "balance": balance}


def _convergence(runs: Sequence[RunMetrics], ratio: float) -> dict[str, Any]:
    """Whether more runs would still move mean clearance; censored runs never converge."""
    censored = sum(not r.cleared for r in runs)
    if len(runs) < 2:
        note = "one run has no spread to judge"
    elif censored:
        note = f"{censored} runs did not clear within the horizon; their clearance is censored"
    elif ratio < CONVERGED_BELOW:
        note = "more runs would move mean clearance by less than the threshold"
    else:
        note = "more runs are needed for a stable mean clearance"
    return {
        "metric": "clearance_hours",
        "ci_half_width_ratio": ratio,
        "threshold": CONVERGED_BELOW,
        "converged": len(runs) > 1 and not censored and ratio < CONVERGED_BELOW,
        "note": note,
    }


def summarise(
    scenario: Scenario, options: RunOptions, seed: int, runs: Sequence[RunMetrics]
) -> dict[str, Any]:
    """The JSON summary of a study (no timings: the same study gives the same bytes)."""
    calendar = Calendar.of(scenario.start, scenario.timezone)
    clearance = distribution(_hours([r.clearance for r in runs]))
    ratio = float(clearance["ci_half_width_ratio"])
    return {
        "scenario": scenario.id,
        "seed": seed,
        "runs": len(runs),
        "people": scenario.people(),
        "start": calendar.local_start(),
        "timezone": scenario.timezone,
        "horizon_hours": _round(options.horizon_minutes / MINUTES_PER_HOUR),
        "horizon_at": calendar.at(options.horizon_minutes),
        "deadline_hours": _round(options.deadline_minutes / MINUTES_PER_HOUR),
        "deadline_at": calendar.at(options.deadline_minutes),
        "cleared_share": _round(sum(r.cleared for r in runs) / max(1, len(runs))),
        "clearance_hours": clearance,
        "clearance_at": moments(clearance, calendar),
        "movements": completions(scenario, options, runs, calendar),
        "moved_by_deadline": distribution([r.moved_by_deadline for r in runs]),
        "waiting_vehicle_person_hours": distribution(
            _hours([r.waiting_vehicle_total for r in runs])
        ),
        "waiting_vehicle_person_hours_by_group": _by_group(runs, "waiting_vehicle"),
        "waiting_assembly_person_hours": distribution(
            _hours([r.waiting_assembly_total for r in runs])
        ),
        "waiting_assembly_person_hours_by_group": _by_group(runs, "waiting_assembly"),
        "longest_wait_hours": distribution(_hours([r.longest_wait for r in runs])),
        "trips": distribution([r.trips for r in runs]),
        "trips_turned_back": distribution([r.turned_back for r in runs]),
        "incidents": distribution([r.incidents for r in runs]),
        "halts": distribution([r.halts for r in runs]),
        "breakdowns": distribution([r.breakdowns for r in runs]),
        "convergence": _convergence(runs, ratio),
        "series": series_summary(scenario, options, runs),
    }


def summary_json(summary: dict[str, Any]) -> str:
    """The summary as printed with --json and saved as summary.json: sorted keys, stable bytes."""
    return json.dumps(summary, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
