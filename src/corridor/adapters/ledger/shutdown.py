"""A server's clean stop: SIGTERM ends in the shutdown code, and the WAL is folded in.

uvicorn answers SIGTERM with a graceful shutdown and then raises the signal
again with the handler it found; with the default handler that kills the
process on the spot, so `finally:` blocks never run and the ledger's WAL is
left beside `corridor.db`, holding recent commands a copy of the main file
alone would miss. `terminate_as_exit` makes the re-raised SIGTERM a normal
exit (`SystemExit(0)`), and `settle_ledger` checkpoints the WAL into the main
file (`PRAGMA wal_checkpoint(TRUNCATE)`) once every connection is closed.
"""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

__all__ = ["settle_ledger", "terminate_as_exit"]


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


@contextmanager
def terminate_as_exit() -> Iterator[None]:
    """Within the block, SIGTERM raises `SystemExit(0)` instead of killing the process."""
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def settle_ledger(path: Path | None) -> None:
    """Fold an SQLite ledger's WAL into its main file; nothing for other stores."""
    if path is None or not path.exists():
        return
    connection = sqlite3.connect(path, timeout=30)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
