"""Can a command write where it was told to? Asked before any work, not found out after.

A simulation or a planning search may take minutes; a `--report` or `--out`
that cannot be written must be an `error:` line at once, not a traceback at
the end. The check creates nothing: it finds the nearest folder that exists
on the way to the one asked for, and writes (and removes) a probe file there,
which answers for permissions, read-only mounts and a file in the way alike.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from corridor.errors import InvalidInput

__all__ = ["require_writable_file", "require_writable_folder"]


def _nearest_existing(folder: Path) -> Path:
    current = folder
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def require_writable_folder(folder: Path, option: str) -> None:
    """InvalidInput naming `option` unless `folder` is, or can become, a writable folder."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{option}: {folder} is not a folder")
    existing = _nearest_existing(folder.absolute())
    if not existing.is_dir():
        raise InvalidInput(f"{option}: cannot create {folder}: {existing} is a file, not a folder")
    try:
        descriptor, probe = tempfile.mkstemp(prefix=".corridor-probe-", dir=existing)
    except OSError as error:
        reason = error.strerror or str(error)
        raise InvalidInput(f"{option}: cannot write into {folder}: {reason}") from None
    os.close(descriptor)
    os.unlink(probe)


def require_writable_file(path: Path, option: str) -> None:
    """InvalidInput naming `option` unless a file can be written at `path`."""
    if path.is_dir():
        raise InvalidInput(f"{option}: {path} is a folder, not a file")
    require_writable_folder(path.parent, option)
