"""Reading payload text back into values, fast and exactly.

orjson is several times faster than the standard parser, but it reads
integers beyond 64 bits as floats, while canonical JSON allows integers of
any size. A payload with a run of 19 or more digits therefore goes to the
standard parser, so both give the same values and a replay is byte-identical
whichever parser ran. Replay checks a whole batch of payloads at once
(`payload_parser`) instead of one payload at a time.

The check maps the UTF-8 bytes through a table (digits to `0`, everything
else to a space) and looks for nineteen zeros: two passes in C, several times
faster than a regular expression. Only ASCII bytes are digits in UTF-8, so no
other character can pass for one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import orjson

__all__ = ["has_long_number", "parse_payload", "payload_parser"]

_DIGITS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_LONG_RUN = b"0" * 19


def has_long_number(text: str) -> bool:
    """True when `text` holds a run of 19 or more ASCII digits."""
    return _LONG_RUN in text.encode("utf-8", "surrogatepass").translate(_DIGITS)


def parse_payload(text: str) -> Any:
    """Payload text to values: orjson for speed, the standard parser for long numbers."""
    if has_long_number(text):
        return json.loads(text)
    return orjson.loads(text)


def payload_parser(texts: Iterable[str]) -> Callable[[str], Any]:
    """A parser right for every payload in `texts`: plain orjson when none has a long number."""
    # A newline is no digit, so no run of digits spans two payloads.
    if has_long_number("\n".join(texts)):
        return parse_payload
    return orjson.loads
