"""The canonical JSON forms a ledger's payloads can be written in, and which is which.

- `rfc8785`: RFC 8785, the JSON Canonicalization Scheme, through the `rfc8785`
  library. Every ledger created since the form was recorded uses it, so an
  auditor recomputes each hash with any RFC 8785 implementation and SHA-256
  (the recipe is in docs/ledger.md). Its numbers are IEEE doubles: integers
  beyond 2^53 are refused rather than rounded.
- `corridor-json-1`: the project's first form (`corridor.domain.canonical`):
  the same for texts, integers, booleans and nulls; floats as Python's
  shortest `repr`. Ledgers that held events before the form was recorded
  keep it, so their stored bytes, and hashes, stay what they were.

Both forms check the value first with `corridor.domain.canonical`, so a
refusal reads the same whichever form a ledger uses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import rfc8785

from corridor.domain.canonical import (
    CanonicalError,
    canonical_json,
    check_canonical,
    check_value,
)

__all__ = ["FORMS", "LEGACY_FORM", "NEW_FORM", "encoder", "rfc8785_json"]

NEW_FORM = "rfc8785"
LEGACY_FORM = "corridor-json-1"


_SAFE_INTEGER = 2**53 - 1
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _same_in_both(value: Any) -> bool:
    """True when the stdlib's sorted, compact encoding of `value` is its RFC 8785 text.

    It is for values without floats (RFC 8785 writes them as ECMAScript does),
    with integers inside 2^53 and keys below U+D800 (RFC 8785 sorts keys by
    UTF-16 code units, Python by code points: they differ only for keys with
    characters above U+FFFF against ones from U+E000). Texts are escaped alike.
    """
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(-_SAFE_INTEGER <= value <= _SAFE_INTEGER)
    if kind is dict:
        return all(
            type(k) is str and (k.isascii() or max(k) < "\ud800") and _same_in_both(v)
            for k, v in value.items()
        )
    if kind is list or kind is tuple:
        return all(_same_in_both(v) for v in value)
    return False


def rfc8785_json(value: Any) -> str:
    """RFC 8785 text of `value`; `CanonicalError` naming the problem if it has none."""
    check_value(value)
    if _same_in_both(value):
        # The usual payload (texts, counts, flags), by the C encoder: a third of the time.
        text = _ENCODER.encode(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            check_canonical(value)
            raise
        return text
    try:
        return rfc8785.dumps(value).decode("utf-8")
    except UnicodeEncodeError:
        check_canonical(value)
        raise
    except rfc8785.IntegerDomainError as error:
        raise CanonicalError(f"$: {error} (RFC 8785 numbers are IEEE doubles)") from None
    except rfc8785.CanonicalizationError as error:
        check_canonical(value)  # the domain's words for what it also refuses (bad text)
        raise CanonicalError(f"$: {error}") from None


FORMS: dict[str, Callable[[Any], str]] = {NEW_FORM: rfc8785_json, LEGACY_FORM: canonical_json}


def encoder(form: str) -> Callable[[Any], str]:
    """The payload encoder of `form`; `CanonicalError` for a form this version does not know."""
    try:
        return FORMS[form]
    except KeyError:
        raise CanonicalError(
            f"the ledger records canonical form {form!r}; this version knows {', '.join(FORMS)}"
        ) from None
