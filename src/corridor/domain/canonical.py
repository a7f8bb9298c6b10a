"""Canonical JSON: the one byte form of a value that is hashed and stored.

Two encodings of the same value must give the same bytes, or the hash chain
would depend on who wrote the event. The rules:

- objects with string keys only, keys sorted by code point; no spaces
  (`,` and `:` separators); UTF-8, non-ASCII characters written as themselves;
- strings are kept exactly as given (no Unicode normalisation); text that is
  not valid UTF-8 (lone surrogates) is refused;
- `true`, `false`, `null`; integers of any size, written in decimal;
- floats only when finite, written as Python's shortest round-trip form
  (`repr`), so `0.1` stays `0.1` and reading and re-writing gives the same
  bytes. NaN and infinities are refused: JSON has no spelling for them and
  other readers would disagree about them;
- lists and tuples both become arrays; any other type is refused.

Refusals raise `CanonicalError` (a `ValueError`), which callers at the edge
turn into the project's `InvalidInput`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

__all__ = [
    "MAX_STRING",
    "CanonicalError",
    "canonical_bytes",
    "canonical_json",
    "check_canonical",
    "check_string_lengths",
    "check_value",
]

MAX_STRING = 10_000
"""The longest text (in characters) a ledger event may carry in one value or key.

Ten times the longest text the bundled operations record (656 characters, a
scenario's description); a 10 MB note is a mistake or an attack, and every
replay, export and stream would carry it forever."""


class CanonicalError(ValueError):
    """A value that has no canonical JSON form; says where in the value."""


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
)


def check_canonical(value: Any, path: str = "$") -> None:
    """Raise `CanonicalError` naming the first part of `value` JSON cannot carry."""
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalError(f"{path}: {value!r} is not a finite number")
        return
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise CanonicalError(f"{path}: text is not valid UTF-8 ({error.reason})") from None
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"{path}: key {key!r} is not a string")
            check_canonical(key, f"{path}.{key}")
            check_canonical(item, f"{path}.{key}")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_canonical(item, f"{path}[{index}]")
        return
    raise CanonicalError(f"{path}: {type(value).__name__} cannot be written as JSON")


def _is_plain(value: Any) -> bool:
    """Fast pass over the usual shapes (exact builtin types); False sends to the full check."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is dict:
        return all(type(k) is str and _is_plain(v) for k, v in value.items())
    if kind is list or kind is tuple:
        return all(_is_plain(v) for v in value)
    return False


def check_value(value: Any) -> None:
    """Raise `CanonicalError` unless `value` has a JSON form (fast for plain values)."""
    if not _is_plain(value):
        check_canonical(value)


def canonical_json(value: Any) -> str:
    """The canonical JSON text of `value`; raises `CanonicalError` if it has none."""
    # The stdlib encoder alone would quietly turn int keys into strings and let
    # lone surrogates through, so the value is checked: a fast pass for plain
    # values, the thorough (and explaining) check for anything else.
    if not _is_plain(value):
        check_canonical(value)
    text = _ENCODER.encode(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        check_canonical(value)
        raise
    return text


def canonical_bytes(value: Any) -> bytes:
    """`canonical_json(value)` as UTF-8 bytes."""
    return canonical_json(value).encode("utf-8")


def check_string_lengths(value: Any, limit: int = MAX_STRING, path: str = "$") -> None:
    """Raise `CanonicalError` naming the first key or text in `value` longer than `limit`."""
    if isinstance(value, str):
        if len(value) > limit:
            raise CanonicalError(
                f"{path}: text of {len(value)} characters; at most {limit} are allowed"
            )
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and len(key) > limit:
                raise CanonicalError(f"{path}: a key of {len(key)} characters; at most {limit}")
            check_string_lengths(item, limit, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_string_lengths(item, limit, f"{path}[{index}]")
