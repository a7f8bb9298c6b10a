"""Simulation throughput of the bundled East Aleppo scenario with its deal; efficiency; memory.

Goal (issue 5): 1,000 runs in at most 60 s on a 2-core machine, and at least
80% parallel efficiency on 2 local workers and on a 2-worker Dask
LocalCluster. The bundled scenario includes its agreement, so the headline
figures run with the agreement engine deciding every dispatch and crossing,
as `corridor simulate east-aleppo-2016` does; the open deal (no terms, the
engine's own cost) is reported beside them.

The 1,000 runs are timed as such, on 2 local worker processes and on a
2-worker Dask LocalCluster, not extrapolated. Efficiency is the wall time of
those runs on one worker (the serial time per run, times the runs) divided by
twice their wall time on two workers; worker and cluster start-up are
measured apart, as a long study pays them once. CPU seconds are given beside
wall seconds because the machine is shared: the load average when the bench
ran is recorded with the figures.
"""

from __future__ import annotations

import os
import pickle
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

import psutil

from corridor.adapters.agreement_file import agreement_of
from corridor.adapters.disruption_file import load_disruption_file
from corridor.adapters.scenario_file import load_scenario_document, resolve_scenario
from corridor.simulation.deal import AgreementDeal
from corridor.simulation.montecarlo import DaskCluster, InProcess, LocalProcesses, Study, run_one

ROOT = Path(__file__).resolve().parent.parent
DISRUPTION = ROOT / "src" / "corridor" / "scenarios" / "east-aleppo-2016.disruption.yaml"


def _studies() -> tuple[Study, Study]:
    """(with the bundled deal, with the open deal)."""
    path = resolve_scenario("east-aleppo-2016")
    document = load_scenario_document(path)
    model = load_disruption_file(DISRUPTION, document.scenario)
    agreement = agreement_of(document, path).agreement
    dealt = Study(document.scenario, model, deal=AgreementDeal(agreement))
    return dealt, Study(document.scenario, model)


def _serial(study: Study, runs: int, passes: int = 1) -> tuple[float, float]:
    """Median wall and CPU seconds for `runs` runs in this process over `passes` passes.

    CPU seconds stay meaningful on a busy machine, where wall seconds do not.
    """
    walls, cpus = [], []
    for _ in range(passes):
        started, cpu = time.perf_counter(), time.process_time()
        InProcess().run(study, 1, runs)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _memory(study: Study) -> dict[str, float]:
    tracemalloc.start()
    metrics = run_one(study, 1, 0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "peak_mib_per_run": round(peak / 2**20, 2),
        "result_kib_per_run": round(len(pickle.dumps(metrics)) / 1024, 1),
        "study_kib_sent_per_task": round(len(pickle.dumps(study)) / 1024, 1),
    }


def _children_cpu() -> float:
    """CPU seconds used so far by this process's children (workers, nannies)."""
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _parallel(runner: Any, study: Study, runs: int, per_run: float) -> dict[str, float]:
    """`runs` runs on `runner`, against `per_run` wall seconds a run on one worker.

    Besides efficiency (which also counts how much slower each core runs when
    both are busy, a property of the machine), the workers' utilisation says
    how much of the two cores' time the workers spent computing: what the
    runner's scheduling leaves idle.
    """
    started = time.perf_counter()
    with runner:
        startup = time.perf_counter() - started
        cpu = _children_cpu()
        started = time.perf_counter()
        runner.run(study, 1, runs)
        wall = time.perf_counter() - started
        cpu = _children_cpu() - cpu
    workers = runner.workers
    return {
        "workers": workers,
        "runs": runs,
        "startup_seconds": round(startup, 2),
        "wall_seconds": round(wall, 2),
        "runs_per_second": round(runs / wall, 2),
        "efficiency": round(per_run * runs / (workers * wall), 3),
        "worker_cpu_seconds": round(cpu, 1),
        "worker_cpu_ms_per_run": round(1000 * cpu / runs, 1),
        "utilisation": round(cpu / (workers * wall), 3),
        "seconds_for_1000_runs": round(1000 * wall / runs, 1),
    }


def _dask(study: Study, runs: int, per_run: float) -> dict[str, float]:
    import dask
    from distributed import LocalCluster

    started = time.perf_counter()
    # Workers set up as docs/disruption-format.md advises for CPU-bound runs:
    # one thread each, the statistical profiler off.
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        )
    cluster_start = time.perf_counter() - started
    try:
        figures = _parallel(DaskCluster(str(cluster.scheduler_address)), study, runs, per_run)
    finally:
        cluster.close()
    figures["cluster_start_seconds"] = round(cluster_start, 2)
    return figures


def run(quick: bool) -> dict[str, Any]:
    dealt, open_deal = _studies()
    runs, open_runs, study_runs = (8, 8, 16) if quick else (100, 30, 1000)
    run_one(dealt, 1, 0)  # imports and first-call costs stay out of the figures
    load_before = os.getloadavg()[0]
    one_wall, one_cpu = _serial(dealt, runs)
    open_wall, open_cpu = _serial(open_deal, open_runs)
    local = _parallel(LocalProcesses(2), dealt, study_runs, one_wall / runs)
    dask = _dask(dealt, study_runs, one_wall / runs)
    # The machine's speed drifts: the serial time is taken again after the
    # parallel runs, and each efficiency is also given against it.
    after_wall, _ = _serial(dealt, runs)
    for figures in (local, dask):
        figures["efficiency_against_serial_after"] = round(
            after_wall / runs * figures["runs"] / (figures["workers"] * figures["wall_seconds"]), 3
        )
    sample = run_one(dealt, 1, 0)
    return {
        "scenario": "east-aleppo-2016",
        "deal": "bundled agreement (east-aleppo-2016.agreement.yaml)",
        "people": dealt.scenario.people(),
        "vehicles": dealt.scenario.vehicles(),
        "trips_per_run": sample.trips,
        "load_average_1min_before": round(load_before, 2),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "serial_runs": runs,
        "serial_ms_per_run": round(1000 * one_wall / runs, 1),
        "serial_ms_per_run_after": round(1000 * after_wall / runs, 1),
        "serial_cpu_ms_per_run": round(1000 * one_cpu / runs, 1),
        "serial_runs_per_second": round(runs / one_wall, 2),
        "cpu_seconds_for_1000_runs_on_2_cores": round(1000 * one_cpu / runs / 2, 1),
        "memory": _memory(dealt),
        "local_2_workers": local,
        "dask_2_workers": dask,
        "goal_1000_runs_within_60s": local["seconds_for_1000_runs"] <= 60,
        "goal_efficiency_at_least_80pct": min(local["efficiency"], dask["efficiency"]) >= 0.8,
        "open_deal": {
            "runs": open_runs,
            "ms_per_run": round(1000 * open_wall / open_runs, 1),
            "cpu_ms_per_run": round(1000 * open_cpu / open_runs, 1),
        },
    }
