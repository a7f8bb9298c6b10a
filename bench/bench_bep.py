"""BEP planner against the published instances and generated scale instances.

Random sets (90) side by side with `reference/best_known_rand.csv`; the five
Valparaiso instances against the GRASP study's figures, solved in increasing
fleet order with each plan handed to the next as an incumbent (so a larger
fleet never does worse); two generated scale instances in a child process
each, measuring wall time and peak memory. Every plan is checked by the
independent checker before it counts. Writes `bench/results/bep.md` (or
`bep-quick.md`) besides the JSON the runner writes. The published folder
comes from `CORRIDOR_BEP_DIR` (see `tests/support/bep_folder.py`).
"""

from __future__ import annotations

import csv
import itertools
import multiprocessing
import resource
import time
from pathlib import Path
from typing import Any

from tests.support.bep_checker import check_result
from tests.support.bep_folder import bep_folder, bep_missing

from corridor.planning.bep.generator import generate
from corridor.planning.bep.reader import read_bep
from corridor.planning.bep.solver import lift, solve_bep

HERE = Path(__file__).resolve().parent
BEP = bep_folder()  # CORRIDOR_BEP_DIR, else ../shared/benchmarks/bep beside the repository
GRASP_REAL = {10: 34_763, 30: 15_232, 50: 12_448, 70: 13_463, 75: 18_903}
SEED = 1


def _random_rows(quick: bool, limit: float) -> list[dict[str, Any]]:
    with (BEP / "reference" / "best_known_rand.csv").open() as handle:
        reference = list(csv.DictReader(handle))
    if quick:
        reference = [r for r in reference if r["instance"].endswith("-i1")]
    rows = []
    for ref in reference:
        path = BEP / "instances" / "rand" / f"{ref['instance']}.txt"
        result = solve_bep(read_bep(path), time_limit=limit, seed=SEED)
        check_result(path, result.to_json())
        best = int(ref["best_known"])
        cplex = int(ref["cplex_objective"]) if ref["cplex_objective"] else None
        rows.append(
            {
                "instance": ref["instance"],
                "makespan": result.makespan,
                "lower_bound": result.lower_bound,
                "gap": round(result.gap, 4),
                "proved_optimal": result.proved_optimal,
                "seconds": round(result.seconds, 2),
                "best_known": best,
                "at_or_below_best_known": result.makespan <= best,
                "cplex": cplex,
                "cplex_stopped_at_limit": ref["cplex_status"] == "11",
                "beats_cplex": cplex is not None and result.makespan < cplex,
            }
        )
        print(rows[-1], flush=True)
    return rows


def _real_rows(quick: bool, limit: float) -> list[dict[str, Any]]:
    fleets = [10, 75] if quick else sorted(GRASP_REAL)
    rows = []
    previous = None
    for buses in fleets:
        path = BEP / "instances" / "real" / f"BEP-5-52-12-{buses}.txt"
        instance = read_bep(path)
        incumbents = ()
        if previous is not None:
            incumbents = (lift(previous.plan, previous.instance, instance),)
        result = solve_bep(instance, time_limit=limit, seed=SEED, incumbents=incumbents)
        check_result(path, result.to_json())
        previous = result
        rows.append(
            {
                "instance": instance.name,
                "buses": buses,
                "makespan": result.makespan,
                "lower_bound": result.lower_bound,
                "gap": round(result.gap, 4),
                "seconds": round(result.seconds, 2),
                "grasp": GRASP_REAL[buses],
                "below_grasp": result.makespan < GRASP_REAL[buses],
            }
        )
        print(rows[-1], flush=True)
    return rows


def _scale_child(args: tuple[int, int, int, int, float], out: Any) -> None:
    people, buses, pickups, shelters, limit = args
    instance = generate(people, buses, pickups, shelters, seed=SEED)
    started = time.perf_counter()
    result = solve_bep(instance, time_limit=limit, seed=SEED)
    seconds = time.perf_counter() - started
    moved = sum(t.load for route in result.plan.routes for t in route)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.send(
        {
            "instance": instance.name,
            "people": people,
            "buses": buses,
            "pickups": pickups,
            "shelters": shelters,
            "time_limit": limit,
            "makespan": result.makespan,
            "lower_bound": result.lower_bound,
            "gap": round(result.gap, 4),
            "seconds": round(seconds, 2),
            "peak_memory_mb": round(peak_kib / 1024, 1),
            "everyone_moved": moved == people,
        }
    )


def _scale_rows(quick: bool) -> list[dict[str, Any]]:
    cases = (
        [(10_000, 100, 20, 10, 10.0)]
        if quick
        else [(100_000, 500, 50, 20, 28.0), (1_000_000, 2_000, 50, 20, 115.0)]
    )
    rows = []
    context = multiprocessing.get_context("spawn")
    for case in cases:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_scale_child, args=(case, send))
        child.start()
        rows.append(receive.recv())
        child.join()
        print(rows[-1], flush=True)
    return rows


def _table(figures: dict[str, Any]) -> str:
    lines = ["# BEP planner results", ""]
    summary = figures["summary"]
    lines += [f"- {key}: {value}" for key, value in summary.items()]
    lines += [
        "",
        "## Random instances (makespan vs best known: CPLEX 15 min / GRASP)",
        "",
        "| instance | makespan | bound | gap | optimal | s | best known | <= best | CPLEX"
        " | CPLEX at limit | beat CPLEX |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in figures["random"]:
        lines.append(
            f"| {r['instance']} | {r['makespan']} | {r['lower_bound']} | {r['gap']:.1%} "
            f"| {'yes' if r['proved_optimal'] else 'no'} | {r['seconds']} | {r['best_known']} "
            f"| {'yes' if r['at_or_below_best_known'] else 'NO'} | {r['cplex'] or '-'} "
            f"| {'yes' if r['cplex_stopped_at_limit'] else 'no'} "
            f"| {'yes' if r['beats_cplex'] else 'no'} |"
        )
    lines += [
        "",
        "## Valparaiso (metres; GRASP 30 s best of two seeds)",
        "",
        "| buses | makespan | bound | gap | s | GRASP | below GRASP |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in figures["real"]:
        lines.append(
            f"| {r['buses']} | {r['makespan']} | {r['lower_bound']} | {r['gap']:.1%} "
            f"| {r['seconds']} | {r['grasp']} | {'yes' if r['below_grasp'] else 'NO'} |"
        )
    lines += [
        "",
        "## Generated scale instances (generator: corridor.planning.bep.generator, seed 1)",
        "",
        "| people | buses | pickups | shelters | limit s | makespan | bound | gap | s | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in figures["scale"]:
        lines.append(
            f"| {r['people']} | {r['buses']} | {r['pickups']} | {r['shelters']} "
            f"| {r['time_limit']} | {r['makespan']} | {r['lower_bound']} | {r['gap']:.1%} "
            f"| {r['seconds']} | {r['peak_memory_mb']} |"
        )
    return "\n".join(lines) + "\n"


def run(quick: bool) -> dict[str, Any]:
    missing = bep_missing(BEP)
    if missing is not None:
        raise SystemExit(f"bench bep: {missing}")
    random_rows = _random_rows(quick, limit=2.0 if quick else 9.5)
    real_rows = _real_rows(quick, limit=5.0 if quick else 58.0)
    scale_rows = _scale_rows(quick)
    by_set: dict[str, list[dict[str, Any]]] = {}
    for row in random_rows:
        by_set.setdefault(row["instance"].split("/")[0], []).append(row)
    small_sets = [r for s in ("set2", "set3", "set4") for r in by_set.get(s, [])]
    at_limit = [r for r in random_rows if r["cplex_stopped_at_limit"]]
    real_makespans = [r["makespan"] for r in real_rows]
    summary = {
        "random_instances": len(random_rows),
        "at_or_below_best_known_pct": round(
            100 * sum(r["at_or_below_best_known"] for r in random_rows) / len(random_rows), 1
        ),
        "strictly_below_best_known": sum(r["makespan"] < r["best_known"] for r in random_rows),
        "cplex_at_limit_instances": len(at_limit),
        "cplex_at_limit_beaten": sum(r["beats_cplex"] for r in at_limit),
        "cplex_at_limit_matched": sum(r["makespan"] == r["cplex"] for r in at_limit),
        "sets_2_4_proved_optimal": f"{sum(r['proved_optimal'] for r in small_sets)}"
        f"/{len(small_sets)}",
        "random_max_seconds": max(r["seconds"] for r in random_rows),
        "real_all_below_grasp": all(r["below_grasp"] for r in real_rows),
        "real_monotone_in_buses": all(a >= b for a, b in itertools.pairwise(real_makespans)),
        "real_max_seconds": max(r["seconds"] for r in real_rows),
    }
    figures = {"summary": summary, "random": random_rows, "real": real_rows, "scale": scale_rows}
    name = "bep-quick.md" if quick else "bep.md"
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / name).write_text(_table(figures))
    return figures
