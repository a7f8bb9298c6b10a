"""Write a file whole or not at all: into a temporary file beside it, then rename.

An export cut short (a full disk, an error half-way, a killed process) must
never leave a partial file that someone uploads to HDX as if it were complete.
The rename is atomic on one file system, so readers see the old file or the
new one, never half of it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from corridor.errors import InvalidInput


@contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO[str]]:
    """A file object for `path`'s content; `path` appears only if the block succeeds."""
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"out: cannot write {path}: folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, mode, encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """`data` into `path`, whole or not at all."""
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"out: cannot write {path}: folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
