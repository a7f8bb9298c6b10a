"""A whole study: the base runs, the sweep's cells, and the summary that joins them.

Each sweep cell runs the same seeds as the base (common random numbers), so
the difference between cells is the parameter's doing. The summary carries no
wall-clock figure, so the same inputs always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from corridor.domain.calendar import Calendar
from corridor.simulation.metrics import MINUTES_PER_HOUR, RunMetrics
from corridor.simulation.montecarlo import Progress, Runner, Study
from corridor.simulation.summary import distribution, summarise
from corridor.simulation.sweep import Variation, apply_cell, grid


@dataclass(frozen=True)
class StudyResult:
    """The JSON summary and the base runs it was built from (for charts)."""

    summary: dict[str, Any]
    runs: list[RunMetrics]


def cells(study: Study, variations: Sequence[Variation]) -> list[tuple[str, Study]]:
    """(label, study) for every cell of the sweep grid; checks every path before any run."""
    out: list[tuple[str, Study]] = []
    if not variations:
        return out
    for cell in grid(variations):
        scenario, model = apply_cell(study.scenario, study.model, cell)
        label = " ".join(f"{path}={value:g}" for path, value in cell)
        out.append((label, replace(study, scenario=scenario, model=model)))
    return out


def run_study(
    study: Study,
    seed: int,
    runs: int,
    runner: Runner,
    variations: Sequence[Variation] = (),
    progress: Progress | None = None,
) -> StudyResult:
    """Run the base study and every sweep cell; summarise."""
    sweep_cells = cells(study, variations)
    base = runner.run(study, seed, runs, progress)
    summary = summarise(study.scenario, study.options, seed, base)
    calendar = Calendar.of(study.scenario.start, study.scenario.timezone)
    if sweep_cells:
        summary["sweep"] = [
            _cell(label, runner.run(cell, seed, runs, progress), calendar)
            for label, cell in sweep_cells
        ]
    return StudyResult(summary, base)


def _cell(label: str, runs: list[RunMetrics], calendar: Calendar) -> dict[str, Any]:
    def two(values: list[float]) -> dict[str, float]:
        d = distribution(values)
        return {"p50": d["p50"], "p90": d["p90"]}

    clearance = two([r.clearance / MINUTES_PER_HOUR for r in runs])
    return {
        "label": label,
        "clearance_hours": clearance,
        "clearance_at": {k: calendar.at(v * MINUTES_PER_HOUR) for k, v in clearance.items()},
        "waiting_vehicle_person_hours": two(
            [r.waiting_vehicle_total / MINUTES_PER_HOUR for r in runs]
        ),
        "waiting_assembly_person_hours": two(
            [r.waiting_assembly_total / MINUTES_PER_HOUR for r in runs]
        ),
        "moved_by_deadline": two([float(r.moved_by_deadline) for r in runs]),
        "cleared_share": round(sum(r.cleared for r in runs) / max(1, len(runs)), 4),
    }
