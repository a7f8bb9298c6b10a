"""Where the published BEP instances are, taken from a setting, for tests and the benchmark.

The instances are outside data (published with the GRASP study by Loyola,
Riff and Montero, CEC 2017; see `docs/decisions/0004-bep-planner.md`) and are
not in the repository. Their folder
comes from `CORRIDOR_BEP_DIR`; without it, `../shared/benchmarks/bep` beside
the repository is used when it exists. A run that must use them (`.ci/run`)
sets `CORRIDOR_REQUIRE_BEP=1`: then an absent folder fails instead of
skipping, so no instance is ever skipped silently where they are expected.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT = REPO.parent / "shared" / "benchmarks" / "bep"
SETTING = "CORRIDOR_BEP_DIR"
REQUIRE = "CORRIDOR_REQUIRE_BEP"


def bep_folder(environ: Mapping[str, str] | None = None) -> Path:
    """The folder the setting names (relative paths from the working folder), or the default."""
    env = os.environ if environ is None else environ
    given = env.get(SETTING, "").strip()
    return Path(given).expanduser().resolve() if given else DEFAULT


def bep_required(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this run asked for the published instances (`CORRIDOR_REQUIRE_BEP=1`)."""
    env = os.environ if environ is None else environ
    return env.get(REQUIRE, "").strip().lower() in {"1", "true", "yes"}


def bep_missing(folder: Path) -> str | None:
    """Why `folder` cannot serve as the BEP folder, or None when it can."""
    for part in ("instances/rand", "instances/real", "reference/best_known_rand.csv"):
        if not (folder / part).exists():
            return (
                f"published BEP instances not found: {folder / part} is absent "
                f"(set {SETTING} to the folder holding instances/ and reference/)"
            )
    return None
