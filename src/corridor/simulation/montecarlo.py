"""Many seeded runs, in this process, in local worker processes, or on a Dask cluster.

Run i of a study with seed S draws from streams derived from (S, i) by numpy's
SeedSequence, so a run's result depends only on the study's inputs and its own
index: never on which worker ran it, in which order, or how runs were chunked.
That is what lets results from a Dask cluster equal local ones bit for bit.
Results are always returned in run order.
"""

from __future__ import annotations

import importlib
import math
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from corridor.domain.scenario import Scenario
from corridor.errors import InvalidInput, StoreUnavailable
from corridor.planning.plan import Plan
from corridor.simulation.disruption import DisruptionModel
from corridor.simulation.engine import Simulation
from corridor.simulation.gate import GateFactory, OpenDeal
from corridor.simulation.metrics import RunMetrics, RunOptions
from corridor.simulation.site_arrivals import SiteArrivals, hours_of

Progress = Callable[[int], None]
"""Called with the number of runs just finished."""


@dataclass(frozen=True)
class Study:
    """Everything a run needs; sent once to each worker."""

    scenario: Scenario
    model: DisruptionModel = field(default_factory=DisruptionModel)
    options: RunOptions = field(default_factory=RunOptions)
    deal: GateFactory = OpenDeal
    plan: Plan | None = None
    """Replay this plan's trips first; without one, vehicles follow the dispatch policy."""
    arrivals_at: tuple[str, ...] = ()
    """Count each run's arrivals per hour and group at these sites (`RunMetrics.site_arrivals`)."""


def run_seeds(seed: int, index: int) -> tuple[int, int, int, int]:
    """The four stream seeds of run `index` (incidents, screening, breakdowns, choice)."""
    state = np.random.SeedSequence(entropy=seed, spawn_key=(index,)).generate_state(4, np.uint64)
    return (int(state[0]), int(state[1]), int(state[2]), int(state[3]))


def run_one(study: Study, seed: int, index: int) -> RunMetrics:
    """Run `index` of the study."""
    gate = study.deal(study.scenario)
    arrivals = (
        SiteArrivals(study.arrivals_at, hours_of(study.options)) if study.arrivals_at else None
    )
    simulation = Simulation(
        study.scenario,
        study.model,
        study.options,
        gate,
        run_seeds(seed, index),
        arrivals,
        plan=study.plan,
    )
    metrics = simulation.run(index)
    if arrivals is None:
        return metrics
    return replace(metrics, site_arrivals=arrivals.cells())


def run_chunk(study: Study, seed: int, start: int, stop: int) -> list[RunMetrics]:
    """Runs `start` .. `stop - 1`."""
    return [run_one(study, seed, index) for index in range(start, stop)]


CHUNK_RUNS = 10
"""Most runs in one task: a run with the bundled deal takes a few tenths of a
second, so a task stays a few seconds long and, at the end of a study, no
worker idles long while another finishes its last task."""


def chunks(runs: int, workers: int) -> list[tuple[int, int]]:
    """Split `runs` into contiguous chunks: several per worker for balance and progress.

    Each task carries the study (tens of kilobytes) and returns a few
    kilobytes per run, so even chunks of one run cost little to send.
    """
    size = max(1, min(CHUNK_RUNS, math.ceil(runs / max(1, workers * 8))))
    return [(start, min(runs, start + size)) for start in range(0, runs, size)]


class Runner(Protocol):
    """Runs a study's runs 0 .. runs-1 and returns them in order.

    Used as a context manager, a runner keeps its workers for several studies.
    """

    workers: int

    def __enter__(self) -> Runner: ...

    def __exit__(self, *exc: object) -> None: ...

    def run(
        self, study: Study, seed: int, runs: int, progress: Progress | None = None
    ) -> list[RunMetrics]: ...


def _check(runs: int) -> None:
    if runs < 1:
        raise InvalidInput(f"--runs must be at least 1, got {runs}")


class InProcess:
    """Every run in the calling process, one after another."""

    workers = 1

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(
        self, study: Study, seed: int, runs: int, progress: Progress | None = None
    ) -> list[RunMetrics]:
        _check(runs)
        results: list[RunMetrics] = []
        for start, stop in chunks(runs, 1):
            results.extend(run_chunk(study, seed, start, stop))
            if progress is not None:
                progress(stop - start)
        return results


def _ready(_: int) -> bool:
    return True


def warm_up() -> bool:
    """Import what a run needs, so a fresh worker's first task does not pay for it.

    A Dask worker starts as a new process: the first chunk it receives would
    otherwise import the simulator, the agreement engine and their
    dependencies while the other worker is already running.
    """
    importlib.import_module("corridor.simulation.deal")
    importlib.import_module("corridor.simulation.disturbances")
    return True


class LocalProcesses:
    """Runs in a pool of local worker processes, kept open across `run` calls.

    Use it as a context manager to start the workers once for a whole study
    (base and sweep cells). Workers are forked where the platform allows, and
    all of them at entry, before the caller starts any thread (a progress bar
    refreshes on one): forking a process with threads running is unsafe, and
    forking is what lets workers start without importing everything again.
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise InvalidInput(f"--workers must be at least 1, got {workers}")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalProcesses:
        if self.workers > 1 and self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            method = "fork" if "fork" in methods else "spawn"
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context(method)
            )
            list(self._pool.map(_ready, range(self.workers)))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def run(
        self, study: Study, seed: int, runs: int, progress: Progress | None = None
    ) -> list[RunMetrics]:
        _check(runs)
        if self.workers == 1:
            return InProcess().run(study, seed, runs, progress)
        if self._pool is None:
            with self:
                return self.run(study, seed, runs, progress)
        results: list[RunMetrics] = []
        pending: set[Future[list[RunMetrics]]] = {
            self._pool.submit(run_chunk, study, seed, start, stop)
            for start, stop in chunks(runs, self.workers)
        }
        for done in _as_completed(pending):
            finished = done.result()
            results.extend(finished)
            if progress is not None:
                progress(len(finished))
        return sorted(results, key=lambda r: r.index)


def _as_completed(pending: set[Future[list[RunMetrics]]]) -> Iterator[Future[list[RunMetrics]]]:
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from done


class DaskCluster:
    """Runs on a Dask distributed cluster at `address` (e.g. tcp://10.0.0.5:8786)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.workers = 0
        self._client: Any = None

    def __enter__(self) -> DaskCluster:
        from distributed import Client

        if self._client is None:
            try:
                self._client = Client(  # type: ignore[no-untyped-call]
                    self.address, timeout="10s", set_as_default=False
                )
            except (OSError, TimeoutError) as error:
                raise StoreUnavailable(
                    f"cannot reach the Dask scheduler at {self.address}: {error}"
                ) from None
            self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
            self._client.run(warm_up)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def run(
        self, study: Study, seed: int, runs: int, progress: Progress | None = None
    ) -> list[RunMetrics]:
        _check(runs)
        if self._client is None:
            with self:
                return self.run(study, seed, runs, progress)
        from distributed import as_completed

        client = self._client
        shared = client.scatter(study, broadcast=True)
        futures = [
            client.submit(run_chunk, shared, seed, start, stop, pure=False)
            for start, stop in chunks(runs, self.workers)
        ]
        results: list[RunMetrics] = []
        for future in as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            finished: list[RunMetrics] = future.result()
            results.extend(finished)
            if progress is not None:
                progress(len(finished))
        return sorted(results, key=lambda r: r.index)
