"""Simulation throughput: runs/s of the bundled East Aleppo scenario, parallel efficiency, memory.

Goal (issue 5): 1,000 runs in at most 60 s on a 2-core machine, and at least
80% parallel efficiency on 2 local workers and on a 2-worker Dask
LocalCluster. Efficiency is serial seconds per run times runs, divided by
workers times wall seconds; worker and cluster start-up are measured apart,
as a long study pays them once. Runs use docs/disruption-east-aleppo-2016.yaml
and the open deal (the engine's own cost), and a smaller set runs with the
scenario's agreement deciding every request (the cost of the deal in the loop).
"""

from __future__ import annotations

import pickle
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.disruption_file import load_disruption_file
from corridor.adapters.scenario_file import load_scenario_document, resolve_scenario
from corridor.simulation.deal import AgreementDeal
from corridor.simulation.montecarlo import DaskCluster, InProcess, LocalProcesses, Study, run_one

ROOT = Path(__file__).resolve().parent.parent
DISRUPTION = ROOT / "docs" / "disruption-east-aleppo-2016.yaml"


def _studies() -> tuple[Study, Study]:
    path = resolve_scenario("east-aleppo-2016")
    document = load_scenario_document(path)
    model = load_disruption_file(DISRUPTION, document.scenario)
    agreement = agreement_of(document, path).agreement
    return Study(document.scenario, model), Study(
        document.scenario, model, deal=AgreementDeal(agreement)
    )


def _serial(study: Study, runs: int, passes: int = 3) -> tuple[float, float]:
    """Median wall and CPU seconds per run over `passes` passes in this process.

    CPU seconds stay meaningful on a busy machine, where wall seconds do not.
    """
    walls, cpus = [], []
    for _ in range(passes):
        started, cpu = time.perf_counter(), time.process_time()
        InProcess().run(study, 1, runs)
        walls.append((time.perf_counter() - started) / runs)
        cpus.append((time.process_time() - cpu) / runs)
    return statistics.median(walls), statistics.median(cpus)


def _memory(study: Study) -> dict[str, float]:
    tracemalloc.start()
    metrics = run_one(study, 1, 0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "peak_mib_per_run": round(peak / 2**20, 2),
        "result_kib_per_run": round(len(pickle.dumps(metrics)) / 1024, 1),
    }


def _parallel(runner: Any, study: Study, runs: int, per_run: float) -> dict[str, float]:
    started = time.perf_counter()
    with runner:
        startup = time.perf_counter() - started
        started = time.perf_counter()
        runner.run(study, 1, runs)
        wall = time.perf_counter() - started
    workers = runner.workers
    return {
        "workers": workers,
        "runs": runs,
        "startup_seconds": round(startup, 2),
        "wall_seconds": round(wall, 2),
        "runs_per_second": round(runs / wall, 1),
        "efficiency": round(per_run * runs / (workers * wall), 3),
        "seconds_for_1000_runs": round(1000 * wall / runs, 1),
    }


def run(quick: bool) -> dict[str, Any]:
    open_study, dealt_study = _studies()
    serial_runs, parallel_runs, dealt_runs = (10, 40, 2) if quick else (100, 1000, 10)
    per_run, cpu_per_run = _serial(open_study, serial_runs)
    figures: dict[str, Any] = {
        "scenario": "east-aleppo-2016",
        "people": open_study.scenario.people(),
        "vehicles": open_study.scenario.vehicles(),
        "serial_ms_per_run": round(1000 * per_run, 1),
        "serial_runs_per_second": round(1 / per_run, 1),
        "serial_cpu_ms_per_run": round(1000 * cpu_per_run, 1),
        "memory": _memory(open_study),
        "local_2_workers": _parallel(LocalProcesses(2), open_study, parallel_runs, per_run),
    }
    from distributed import LocalCluster

    started = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    )
    cluster_start = time.perf_counter() - started
    try:
        dask = _parallel(
            DaskCluster(str(cluster.scheduler_address)), open_study, parallel_runs, per_run
        )
    finally:
        cluster.close()
    dask["cluster_start_seconds"] = round(cluster_start, 2)
    figures["dask_2_workers"] = dask
    dealt, dealt_cpu = _serial(dealt_study, dealt_runs, passes=1)
    figures["with_agreement_ms_per_run"] = round(1000 * dealt, 1)
    figures["with_agreement_cpu_ms_per_run"] = round(1000 * dealt_cpu, 1)
    figures["goal_1000_runs_within_60s"] = figures["local_2_workers"]["seconds_for_1000_runs"] <= 60
    return figures
