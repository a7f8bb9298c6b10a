"""The bundled cases: simulated runs per second with their deals, and what calendar time costs.

Issue 17 dates every result and counts the towns of each side together
(movement groups). This measures, for each bundled case with its agreement
and no disruption model (the default run), one run in this process (median
wall and CPU seconds over repeated passes), and the summary with its calendar
times and per-movement completions over those runs, so a slowdown from
either shows here. One process only: the other benchmarks measure workers.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.scenario_file import load_scenario_document, resolve_scenario
from corridor.simulation.deal import AgreementDeal
from corridor.simulation.montecarlo import InProcess, Study
from corridor.simulation.summary import summarise

CASES = ("east-aleppo-2016", "four-towns-2017")


def _study(case: str) -> Study:
    path = resolve_scenario(case)
    document = load_scenario_document(path)
    agreement = agreement_of(document, path).agreement
    return Study(document.scenario, deal=AgreementDeal(agreement))


def _case(case: str, runs: int, passes: int) -> dict[str, Any]:
    study = _study(case)
    walls, cpus, summaries = [], [], []
    metrics = []
    for _ in range(passes):
        started, cpu = time.perf_counter(), time.process_time()
        metrics = InProcess().run(study, 0, runs)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    for _ in range(passes):
        started = time.perf_counter()
        summarise(study.scenario, study.options, 0, metrics)
        summaries.append(time.perf_counter() - started)
    return {
        "runs_per_pass": runs,
        "passes": passes,
        "seconds_per_run_median": round(statistics.median(walls) / runs, 4),
        "cpu_seconds_per_run_median": round(statistics.median(cpus) / runs, 4),
        "summary_ms_median": round(1000 * statistics.median(summaries), 1),
    }


def run(quick: bool = False) -> dict[str, Any]:
    runs, passes = (2, 1) if quick else (20, 5)
    figures: dict[str, Any] = {case: _case(case, runs, passes) for case in CASES}
    figures["load_average"] = round(os.getloadavg()[0], 1)
    return figures
