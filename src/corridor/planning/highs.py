"""One way to make a HiGHS instance, so every solver in a process agrees on threads.

HiGHS keeps one thread pool per process, made by the first instance that runs.
An instance that later asks for another thread count does not solve: `run()`
returns an error and the model status stays "not set". The fleet-flow bound,
the BEP bounds and the shelter allocation all run in one process (a server, a
test run), so each takes its instance from here: one thread, and quiet.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import highspy

THREADS = 1
"""HiGHS threads for every instance; runs are parallel across processes instead."""


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on stdout from C++ when first built; keep stdout clean.

    The banner goes to file descriptor 1, below Python's sys.stdout, and would
    corrupt a `--json` document printed on the same stream.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance on the process's one thread count."""
    with _quiet_stdout():
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", THREADS)
    return highs


def solved(highs: highspy.Highs) -> None:
    """Run `highs`; a run HiGHS refuses (not a limit reached) is an error, not an answer."""
    if highs.run() == highspy.HighsStatus.kError:
        status = highs.modelStatusToString(highs.getModelStatus())
        raise RuntimeError(f"HiGHS refused to solve (model status {status})")
