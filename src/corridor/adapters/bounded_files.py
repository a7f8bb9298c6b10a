"""Reading an input file safely: regular files only, and never more than a limit.

A command told to read a FIFO would wait forever for a writer; told to read
`/dev/zero` it would fill memory until it failed after gigabytes. So a file
is opened without blocking (`O_NONBLOCK`, which a FIFO with no writer needs
to return at all), checked to be a regular file on the open descriptor (so a
swap between the check and the open changes nothing), and read to at most
`limit + 1` bytes: one byte over is enough to refuse it, naming the limit.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from corridor.errors import InvalidInput, NotFound

__all__ = ["MAX_INPUT_BYTES", "open_bounded_text", "read_bounded_bytes", "read_bounded_text"]

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""The default limit: far above any scenario, agreement or disruption file."""


def _open_regular(path: Path, what: str) -> int:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise NotFound(f"{what} {path} not found") from None
    except OSError as error:
        raise InvalidInput(f"cannot read {what} {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise InvalidInput(f"{what} {path} is not a regular file; give a file, not a device")
    return descriptor


def open_bounded_text(path: Path, limit: int, what: str = "file") -> io.TextIOWrapper:
    """Regular file `path` opened as UTF-8 text to stream through, refused if over `limit`."""
    descriptor = _open_regular(path, what)
    size = os.fstat(descriptor).st_size
    if size > limit:
        os.close(descriptor)
        raise InvalidInput(f"{what} {path} is larger than the limit of {limit} bytes")
    os.set_blocking(descriptor, True)
    return open(descriptor, encoding="utf-8", closefd=True)


def read_bounded_bytes(path: Path, limit: int = MAX_INPUT_BYTES, what: str = "file") -> bytes:
    """The bytes of regular file `path`; InvalidInput for anything else or anything larger."""
    descriptor = _open_regular(path, what)
    try:
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise InvalidInput(f"cannot read {what} {path}: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if size > limit:
        raise InvalidInput(f"{what} {path} is larger than the limit of {limit} bytes")
    return b"".join(chunks)


def read_bounded_text(path: Path, limit: int = MAX_INPUT_BYTES, what: str = "file") -> str:
    """`read_bounded_bytes` decoded as UTF-8; InvalidInput naming the byte if it is not."""
    data = read_bounded_bytes(path, limit, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{what} {path} is not UTF-8 text (byte {error.start})") from None
