"""Run the benchmarks and write their figures to bench/results/.

Each `bench/bench_<name>.py` exposes `run(quick: bool) -> dict`; its result is
written to `bench/results/<name>.json` together with the machine it ran on.
Timings are medians of repeated runs inside each module: speed is measured
here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args(argv)
    available = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    names = args.names or available
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; have: {', '.join(available)}")
        return 2
    RESULTS.mkdir(exist_ok=True)
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        figures = module.run(quick=args.quick)
        document = {
            "benchmark": name,
            "quick": args.quick,
            "machine": machine(),
            "seconds": round(time.perf_counter() - started, 3),
            "figures": figures,
        }
        suffix = "-quick" if args.quick else ""
        out = RESULTS / f"{name}{suffix}.json"
        out.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        print(json.dumps(figures, indent=2, sort_keys=True), flush=True)
        print(f"-> {out.relative_to(HERE.parent)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
